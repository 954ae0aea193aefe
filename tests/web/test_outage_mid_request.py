"""The database drops in the middle of a wizard request, after an earlier write was committed.

PostgreSQL only: the test terminates its own session's connection with `pg_terminate_backend`, on
its own test database (the server itself is never touched)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Meeting, WizardDraft
from app.wizard import drafts
from tests.web.helpers import csrf_from, fill_details, hold, open_times


@pytest.fixture
def pg(app: Flask, backend: str) -> Flask:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def _kill_own_connection() -> None:
    """Terminate the backend of the session's current connection (this test's database only)."""
    pid = db.session.connection().connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _dying(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """`drafts.<name>` loses the database connection as it starts, once."""
    real = getattr(drafts, name)

    def dying(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(drafts, name, real)
        _kill_own_connection()
        return real(*args, **kwargs)

    monkeypatch.setattr(drafts, name, dying)


def test_a_hold_whose_draft_was_not_saved_is_still_the_customers_on_the_next_click(
    pg, world, monkeypatch
):
    browser = pg.test_client()
    html = open_times(browser, world)
    _dying(monkeypatch, "save_hold")  # after `reserve` committed
    assert hold(browser, world, html).status_code == 503
    db.session.rollback()
    again = hold(browser, world, html)  # the same button again, the page still open
    assert "no longer free" not in browser.get(again.location).get_data(as_text=True)
    assert browser.get("/book/details").status_code == 200


def test_a_booking_whose_draft_was_not_wiped_shows_the_confirmation_and_wipes_it_later(
    pg, world, monkeypatch
):
    browser = pg.test_client()
    hold(browser, world, open_times(browser, world))
    fill_details(browser)
    page = browser.get("/book/confirm").get_data(as_text=True)
    _dying(monkeypatch, "finish")  # after `create_meeting` committed
    booked = browser.post("/book/confirm", data={"csrf_token": csrf_from(page)})
    assert "/book/booked/" in booked.location
    assert "Your meeting is booked" in browser.get(booked.location).get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(Meeting)) is not None
    assert browser.get("/book/details").location == booked.location  # the back button
    db.session.expire_all()
    assert [d.details for d in db.session.scalars(select(WizardDraft))] == [{}]


def test_the_unavailable_page_does_not_say_that_nothing_was_booked(pg, world, monkeypatch):
    browser = pg.test_client()
    html = open_times(browser, world)
    _dying(monkeypatch, "save_hold")
    response = hold(browser, world, html)
    assert response.status_code == 503
    assert "Nothing has been booked" not in response.get_data(as_text=True)
