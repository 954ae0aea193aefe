"""The app starts and its schema is in place on every backend."""

from sqlalchemy import inspect

from app.extensions import db
from tests import factories


def test_the_app_starts_on_a_migrated_database(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {"meetings", "reservations", "booking_claims", "employees"} <= tables


def test_overlapping_claims_on_one_advisor_are_refused_by_the_database(app):
    from datetime import UTC, datetime

    import pytest
    from sqlalchemy.exc import IntegrityError

    loc = factories.location()
    adv = factories.employee(loc)
    start = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    factories.meeting(adv, start)
    db.session.commit()
    with pytest.raises(IntegrityError):
        factories.meeting(adv, start.replace(minute=30))
    db.session.rollback()
