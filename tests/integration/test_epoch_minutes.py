"""Claims and busy times load as epoch minutes computed by the database, exactly as Python would
compute them from the stored instants (SQLite's naive-UTC text and PostgreSQL's timestamptz)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.booking.claims import add_claims
from app.booking.minutes import load_busy, minutes_from_text
from app.booking.query import SlotQuery
from app.booking.slots import load_facts
from app.extensions import db
from app.models import BookingClaim
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


def test_busy_times_load_as_the_same_minutes_python_computes(advisor):
    for start, end in _instants():
        fx.busy(advisor, start, end)
    got = load_busy(BASE - timedelta(hours=1), BASE + timedelta(hours=1), None)
    want = sorted(_expected(s, e) for s, e in _instants())
    assert sorted((b.start, b.end) for b in got) == want
    assert all(type(b.start) is int and type(b.end) is int for b in got)
    assert {b.employee_id for b in got} == {advisor.id} and {b.kind for b in got} == {"absence"}


def test_stored_text_with_or_without_a_fraction_converts_floored_or_ceiled():
    texts = ["2026-03-02 09:00:00", "2026-03-02 09:00:59", "2026-03-02 09:01:05.000001"]
    texts.append("2026-03-02 09:01:00.000000")
    assert minutes_from_text(texts).tolist() == [29540700, 29540700, 29540701, 29540701]
    assert minutes_from_text(texts, ceil=True).tolist() == [29540700, 29540701, 29540702, 29540701]
    assert minutes_from_text([]).tolist() == []
    for broken in ("", "NaT"):  # NumPy reads these as "not a time": refused, never a minute
        with pytest.raises(ValueError):
            minutes_from_text([texts[0], broken])


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
    assert sorted((c[1], c[2]) for c in facts.claims) == sorted(  # rows in ClaimFacts order
        _expected(s, e) for s, e in _instants()
    )
    assert db.session.scalar(select(db.func.count()).select_from(BookingClaim)) == len(AWKWARD) + 1
