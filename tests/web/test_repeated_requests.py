"""A request the browser sends twice with the cookie from before the first one's answer (a double
click without JavaScript: the browser drops the first answer, the server completes it) lands where
the first one did, and the customer keeps their hold, details and confirmation
(app/wizard/repeats.py)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Meeting, Reservation
from tests.web.data import World
from tests.web.helpers import (
    DETAILS,
    csrf_from,
    fill_details,
    hold,
    open_times,
    session_cookie,
    slot_labels,
)


def _as_now(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second request stream of the same browser, with the cookie it has now."""
    other = app.test_client()
    other.set_cookie(session_cookie(app), client.get_cookie(session_cookie(app)).value)
    return other


def _held(world: World) -> list[Reservation]:
    db.session.expire_all()
    return list(db.session.scalars(select(Reservation).where(Reservation.status == "Reserved")))


def test_a_double_click_on_the_first_time_holds_it_for_the_customer(app, world):
    browser = app.test_client()
    html = open_times(browser, world)
    stale = _as_now(app, browser)
    assert hold(browser, world, html).status_code == 302  # its answer never arrives
    second = hold(stale, world, html)
    page = stale.get(second.location).get_data(as_text=True)
    assert "no longer free" not in page
    assert slot_labels(html)[0] in stale.get("/book/details").get_data(as_text=True)
    assert len(_held(world)) == 1


def test_a_double_click_on_another_time_after_a_first_hold_holds_that_time(app, world):
    browser = app.test_client()
    assert hold(browser, world, open_times(browser, world), index=0).status_code == 302
    html = open_times(browser, world)
    stale = _as_now(app, browser)
    assert hold(browser, world, html, index=1).status_code == 302
    second = hold(stale, world, html, index=1)
    assert "no longer free" not in stale.get(second.location).get_data(as_text=True)
    assert slot_labels(html)[1] in stale.get("/book/details").get_data(as_text=True)
    assert len(_held(world)) == 1


def test_a_double_click_on_continue_in_the_details_keeps_the_hold_and_the_details(app, world):
    browser = app.test_client()
    hold(browser, world, open_times(browser, world))
    page = browser.get("/book/details").get_data(as_text=True)
    stale = _as_now(app, browser)
    data = {**DETAILS, "csrf_token": csrf_from(page)}
    assert browser.post("/book/details", data=data).status_code == 302
    assert stale.post("/book/details", data=data).location == "/book/confirm"
    confirm = stale.get("/book/confirm")
    assert confirm.status_code == 200
    assert DETAILS["email"] in confirm.get_data(as_text=True)


def test_a_double_click_on_book_after_the_hold_ran_out_shows_the_confirmation(app, world, clock):
    browser = app.test_client()
    hold(browser, world, open_times(browser, world))
    fill_details(browser)
    clock.advance(minutes=6)  # the hold ran out: the confirm step takes it again
    page = browser.get("/book/confirm").get_data(as_text=True)
    stale = _as_now(app, browser)
    first = browser.post("/book/confirm", data={"csrf_token": csrf_from(page)})
    assert "/book/booked/" in first.location
    second = stale.post("/book/confirm", data={"csrf_token": csrf_from(page)})
    assert second.location == first.location
    assert len(list(db.session.scalars(select(Meeting)))) == 1


def test_the_old_cookie_with_another_time_reaches_nothing_the_first_click_held(app, world):
    """What the planter of a cookie can do with it: any other request than the customer's very own
    starts afresh and reaches neither the customer's hold nor their draft."""
    browser = app.test_client()
    html = open_times(browser, world)
    planted = _as_now(app, browser)
    assert hold(browser, world, html, index=0).status_code == 302
    other = hold(planted, world, open_times(planted, world), index=1)
    assert other.status_code == 302
    chosen = slot_labels(html)[0]
    assert chosen not in planted.get("/book/details").get_data(as_text=True)
    assert chosen in browser.get("/book/details").get_data(as_text=True)
    assert len(_held(world)) == 2


def test_the_old_cookie_with_other_details_reaches_neither_the_hold_nor_the_details(app, world):
    browser = app.test_client()
    hold(browser, world, open_times(browser, world))
    page = browser.get("/book/details").get_data(as_text=True)
    copy = _as_now(app, browser)
    data = {**DETAILS, "csrf_token": csrf_from(page)}
    assert browser.post("/book/details", data=data).status_code == 302
    copy.post("/book/details", data={**data, "name": "Mallory Mole"})
    assert copy.get("/book/confirm").status_code == 302  # no hold: back to the start
    assert DETAILS["email"] not in copy.get("/book/details").get_data(as_text=True)
    assert browser.get("/book/confirm").status_code == 200


def test_a_repeat_is_answered_only_within_two_minutes(app, world, clock):
    browser = app.test_client()
    hold(browser, world, open_times(browser, world))
    page = browser.get("/book/details").get_data(as_text=True)
    stale = _as_now(app, browser)
    data = {**DETAILS, "csrf_token": csrf_from(page)}
    assert browser.post("/book/details", data=data).status_code == 302
    clock.advance(minutes=2)
    stale.post("/book/details", data=data)
    assert stale.get("/book/confirm").status_code == 302  # starts over: the draft is gone
    assert browser.get("/book/confirm").status_code == 200
