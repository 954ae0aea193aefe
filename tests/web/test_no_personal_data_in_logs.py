"""A database error while the customer's details are written logs the error, never the details:
SQLAlchemy would put the statement's parameters in the exception text the 500 handler logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.extensions import db
from tests.web.helpers import DETAILS, csrf_from, hold, open_times


@pytest.fixture
def failing_draft_writes(app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Every write of a wizard draft with details fails (as in a lock timeout or a failover), until
    the end (saving the details writes a new draft, so inserts fail as well as updates)."""
    if db.engine.dialect.name == "sqlite":
        for event in ("INSERT", "UPDATE"):
            db.session.execute(
                text(
                    f"CREATE TRIGGER t_fail_{event} BEFORE {event} ON wizard_drafts "
                    "WHEN NEW.details <> '{}' BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
                )
            )
        drop = ["DROP TRIGGER t_fail_INSERT", "DROP TRIGGER t_fail_UPDATE"]
    else:
        db.session.execute(
            text(
                "CREATE FUNCTION f_fail() RETURNS trigger AS $$ BEGIN "
                "IF NEW.details::text <> '{}' THEN RAISE EXCEPTION 'simulated failure'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        db.session.execute(
            text(
                "CREATE TRIGGER t_fail BEFORE INSERT OR UPDATE ON wizard_drafts "
                "FOR EACH ROW EXECUTE FUNCTION f_fail()"
            )
        )
        drop = ["DROP TRIGGER t_fail ON wizard_drafts", "DROP FUNCTION f_fail()"]
    db.session.commit()
    yield
    db.session.rollback()
    for statement in drop:
        db.session.execute(text(statement))
    db.session.commit()


def test_a_failed_write_of_the_details_logs_none_of_them(
    app, client, world, caplog, failing_draft_writes
):
    hold(client, world, open_times(client, world))
    page = client.get("/book/details").get_data(as_text=True)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.DEBUG):
        resp = client.post("/book/details", data={**DETAILS, "csrf_token": csrf_from(page)})
    assert resp.status_code == 500
    assert "simulated failure" in caplog.text  # the error itself is logged
    for typed in (DETAILS["email"], DETAILS["phone"], DETAILS["name"]):
        assert typed not in caplog.text
