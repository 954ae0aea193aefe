"""Claims and busy times load as epoch minutes computed by the database, exactly as Python would
compute them from the stored instants (SQLite's naive-UTC text and PostgreSQL's timestamptz)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.booking.claims import add_claims
from app.booking.minutes import epoch_minutes
from app.booking.query import SlotQuery
from app.booking.slots import load_facts
from app.extensions import db
from app.models import BookingClaim, BusyTime
from tests import factories as fx

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AWKWARD = [  # (start, end) offsets from BASE in microseconds
    (0, 60_000_000),  # whole minutes
    (59_999_600, 120_000_001),  # SQLite would round :59.9996 up to the next minute
    (1, 59_999_999),  # a microsecond past, a microsecond short
    (30_000_000, 90_000_000),  # half minutes
    (-1, 1),  # across a minute boundary
]


def _expected(start: datetime, end: datetime) -> tuple[int, int]:
    """Python's own answer: the start floored, the end ceiled, in whole minutes since 1970."""
    delta_start = (start - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    delta_end = (end - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    return delta_start // 60_000_000, math.ceil(delta_end / 60_000_000)


def _instants() -> list[tuple[datetime, datetime]]:
    us = timedelta(microseconds=1)
    return [(BASE + a * us, BASE + b * us) for a, b in AWKWARD]


@pytest.fixture
def advisor(app):  # type: ignore[no-untyped-def]
    fx.settings()
    return fx.employee(fx.location("Branch", ["Copenhagen"]))


def test_busy_times_convert_to_the_same_minutes_python_computes(advisor):
    for start, end in _instants():
        fx.busy(advisor, start, end)
    start_sql, end_sql = epoch_minutes(BusyTime.__table__, db.session.get_bind().dialect.name)
    got = db.session.execute(
        select(start_sql, end_sql).order_by(BusyTime.__table__.c.start_at)
    ).all()
    want = sorted(_expected(s, e) for s, e in _instants())
    assert [tuple(row) for row in got] == want
    assert all(type(v) is int for row in got for v in row)


def test_claims_load_into_the_facts_as_epoch_minutes(advisor):
    owner = fx.meeting(advisor, BASE + timedelta(days=10))  # its own claim is outside the window
    for i, (start, end) in enumerate(_instants()):  # one resource each: claims may not overlap
        add_claims([f"room:r{i}"], start, end, meeting_id=owner.id)
    db.session.flush()
    query = SlotQuery(
        require_employee_participation=True,
        start=BASE - timedelta(hours=2),
        look_forward=timedelta(days=1),
    )
    facts = load_facts(query, BASE - timedelta(hours=2))
    assert sorted((c.start, c.end) for c in facts.claims) == sorted(
        _expected(s, e) for s, e in _instants()
    )
    assert db.session.scalar(select(db.func.count()).select_from(BookingClaim)) == len(AWKWARD) + 1
