"""Write transactions: the write lock is held from the start, and database refusals become Conflict."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from app.booking.claims import add_claims
from app.booking.errors import Conflict
from app.booking.locking import write_transaction
from app.extensions import db
from tests import factories

START = datetime(2026, 3, 3, 9, tzinfo=UTC)


def test_on_sqlite_the_write_lock_is_taken_before_anything_is_read(app, backend, database_url):
    if backend != "sqlite":
        pytest.skip("SQLite only")
    path = database_url.removeprefix("sqlite:///")
    with write_transaction([]):
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    db.session.execute(text("SELECT 1"))
    assert db.session.connection().connection.dbapi_connection.isolation_level == ""


def test_on_postgresql_every_key_is_advisory_locked_until_commit(app, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    count = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
    with write_transaction(["employee:a", "room:b", "employee:a"]):
        assert db.session.scalar(text(count)) == 2
    assert db.session.scalar(text(count)) == 0


def test_an_overlap_refused_by_the_database_becomes_a_conflict(app):
    advisor = factories.employee(factories.location())
    meeting = factories.meeting(advisor, START)
    db.session.commit()
    with pytest.raises(Conflict), write_transaction([f"employee:{advisor.id}"]):
        add_claims(
            [f"employee:{advisor.id}"],
            START + timedelta(minutes=30),
            START + timedelta(hours=2),
            meeting_id=meeting.id,
        )
        db.session.flush()
