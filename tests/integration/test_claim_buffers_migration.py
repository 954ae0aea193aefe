"""Migration 0003 on a database that already holds claims: each is widened by the buffers as far
as its neighbours allow, nothing is moved or lost, and the guard then keeps the buffers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app import create_app
from app.booking.claims import add_claims, employee_resource
from app.booking.errors import Conflict
from app.booking.locking import write_transaction
from app.extensions import db
from app.models import BookingClaim, Reservation
from tests import factories
from tests.conftest import PG_ADMIN_URL, migrate_database
from tests.factories import at


@pytest.fixture
def scratch(backend: str, tmp_path) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """An app on a database of its own, migrated to head, that the test may migrate up and down."""
    if backend == "sqlite":
        url, drop = f"sqlite:///{tmp_path}/scratch.db", None
    else:
        import psycopg

        name = f"bookme_mig_{uuid.uuid4().hex[:10]}"
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True)
        admin.execute(f'CREATE DATABASE "{name}"')
        url, drop = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}", name
    migrate_database(url)
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "BOOKME_AUDIT": False}
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if drop:
        admin.execute(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')
        admin.close()


def test_existing_claims_are_widened_as_far_as_their_neighbours_allow(scratch):
    factories.settings()
    advisor = factories.employee(factories.location())
    first, second, third = (
        factories.meeting(advisor, at(9)),
        factories.meeting(advisor, at(10)),  # back to back: booked before buffers existed
        factories.meeting(advisor, at(13)),
    )
    db.session.commit()
    downgrade(revision="0002")
    db.session.execute(
        text(
            "UPDATE organisation_settings SET buffer_before_minutes = 10, buffer_after_minutes = 15"
        )
    )
    db.session.commit()
    upgrade()

    blocked = {
        c.meeting_id: (c.blocked_from, c.blocked_until)
        for c in db.session.scalars(select(BookingClaim))
    }
    assert blocked[first.id] == (at(8, 50), at(10))  # its 15 after would run into the next
    assert blocked[second.id] == (at(10), at(11, 15))  # its 10 before would run into the last
    assert blocked[third.id] == (at(12, 50), at(14, 15))
    assert db.session.scalar(select(db.func.count()).select_from(BookingClaim)) == 3
    with pytest.raises(Conflict), write_transaction([]):  # 11:20 - 10 < 11:15
        add_claims([employee_resource(advisor.id)], at(11, 20), at(12), meeting_id=first.id)
        db.session.flush()
    with write_transaction([]):  # 11:30 - 10 = 11:20, 12:30 + 15 = 12:45: clear of both
        add_claims([employee_resource(advisor.id)], at(11, 30), at(12, 30), meeting_id=first.id)


def test_the_migration_goes_back_down_to_plain_spans(scratch):
    advisor = factories.employee(factories.location())
    factories.meeting(advisor, at(9))
    db.session.commit()
    downgrade(revision="0002")
    columns = {c["name"] for c in db.inspect(db.engine).get_columns("booking_claims")}
    assert "blocked_from" not in columns and "start_at" in columns
    upgrade()
    assert db.session.scalar(select(BookingClaim.blocked_until)) == at(10) + timedelta(0)


def test_an_expired_holds_claim_does_not_narrow_a_meetings_buffers(scratch):
    """A hold that ran out at 10:00-11:00 right after a 09:00 meeting is purged first, so the
    meeting keeps its whole 15 minutes after."""
    factories.settings()
    advisor = factories.employee(factories.location())
    meeting = factories.meeting(advisor, at(9))
    lapsed = Reservation(
        token="lapsed",
        owner="client:bank-web",
        start_at=at(10),
        end_at=at(11),
        employee_id=advisor.id,
        created_at=at(7),
        modified_at=at(7),
        expires_at=at(7, 5),
    )
    db.session.add(lapsed)
    db.session.flush()
    add_claims(
        [employee_resource(advisor.id)],
        at(10),
        at(11),
        reservation_id=lapsed.id,
        expires_at=at(7, 5),
    )
    db.session.commit()
    downgrade(revision="0002")
    db.session.execute(text("UPDATE organisation_settings SET buffer_after_minutes = 15"))
    db.session.commit()
    upgrade()

    claims = db.session.scalars(select(BookingClaim)).all()
    assert [(c.meeting_id, c.blocked_until) for c in claims] == [(meeting.id, at(10, 15))]
    assert db.session.get(Reservation, lapsed.id).status == "Expired"
