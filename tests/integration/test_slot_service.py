"""The slot service on a real database (SQLite and PostgreSQL): ids, loading, and check_slot."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from app.booking.claims import add_claims, employee_resource
from app.booking.errors import Conflict, NotFound
from app.booking.query import SlotQuery
from app.booking.slots import check_slot, find_slots
from app.extensions import db
from app.models import Reservation
from tests import factories as fx
from tests.factories import MONDAY_0800, at


@pytest.fixture
def branch(app):  # type: ignore[no-untyped-def]
    fx.settings()
    return fx.location("Branch-North", ["Copenhagen"])


def _query(**kw) -> SlotQuery:  # type: ignore[no-untyped-def]
    kw.setdefault("require_employee_participation", True)
    kw.setdefault("look_forward", timedelta(days=1))
    kw.setdefault("meeting_types", ("Physical",))
    kw.setdefault("customer_location", "Copenhagen")
    return SlotQuery(**kw)


def _hold(emp, start: datetime, expires: datetime) -> Reservation:  # type: ignore[no-untyped-def]
    row = Reservation(
        token=str(uuid.uuid4()),
        owner="client:test",
        start_at=start,
        end_at=start + timedelta(hours=1),
        employee_id=emp.id,
        meeting_type="Physical",
        created_at=MONDAY_0800,
        modified_at=MONDAY_0800,
        expires_at=expires,
    )
    db.session.add(row)
    db.session.flush()
    add_claims(
        [employee_resource(emp.id)],
        row.start_at,
        row.end_at,
        reservation_id=row.id,
        expires_at=expires,
    )
    db.session.flush()
    return row


def test_find_slots_offers_the_local_advisors_free_half_hours(branch):
    ada = fx.employee(branch)
    fx.meeting(ada, at(9))
    slots = find_slots(_query(), MONDAY_0800)
    starts = [s.start for s in slots]
    assert starts[:3] == [at(8), at(10), at(10, 30)]
    assert {s.employee_id for s in slots} == {ada.id}
    assert all(s.meeting_type == "Physical" for s in slots)


def test_busy_times_closing_days_and_live_holds_block(branch):
    ada = fx.employee(branch)
    fx.busy(ada, at(8), at(12))
    fx.closing_day(datetime(2026, 3, 3).date())
    _hold(ada, at(13), MONDAY_0800 + timedelta(minutes=5))
    _hold(ada, at(15), MONDAY_0800)  # already expired
    slots = find_slots(_query(look_forward=timedelta(days=2)), MONDAY_0800)
    assert [s.start for s in slots] == [at(12), at(14), at(14, 30), at(15)]


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("topic_id", "topic"),
        ("customer_type_id", "customerType"),
        ("explicit_employee_ids", "employee"),
        ("specific_room_ids", "room"),
    ],
)
def test_unknown_ids_are_not_found_naming_what_was_missing(branch, field, kind):
    value = ("nope",) if field.endswith("_ids") else "nope"
    with pytest.raises(NotFound) as err:
        find_slots(_query(**{field: value}), MONDAY_0800)
    assert err.value.kind == kind


def test_the_number_of_queries_does_not_grow_with_advisors_or_days(branch):
    """Cold: the configuration version, the whole configuration (cached per version), busy times
    and claims. Warm (same version): the version, busy times and claims."""
    for _ in range(2):
        fx.employee(branch)
    few = _query(look_forward=timedelta(days=1))
    few_cold, few_warm = _count_queries(few), _count_queries(few)
    for _ in range(8):
        fx.meeting(fx.employee(branch), at(9))
    many = _query(look_forward=timedelta(days=20))
    many_cold, many_warm = _count_queries(many), _count_queries(many)
    assert few_cold == many_cold == 16
    assert few_warm == many_warm == 3


def _count_queries(query: SlotQuery) -> int:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert find_slots(query, MONDAY_0800)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def _check(emp, start, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("room_id", None)
    kw.setdefault("meeting_type", "Physical")
    kw.setdefault("topic_id", None)
    kw.setdefault("customer_type_id", None)
    kw.setdefault("is_customer_initiated", True)
    kw.setdefault("now", MONDAY_0800)
    check_slot(employee_ids=[emp.id], start=start, end=start + timedelta(hours=1), **kw)


def test_check_slot_accepts_a_slot_the_engine_offers(branch):
    _check(fx.employee(branch), at(10))


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (at(7), "past"),
        (at(9), "taken by a meeting"),
        (at(11), "reserved by someone else"),
        (at(17), "working hours"),
        (at(10, 15), "half hour"),
        (at(10, day=30), "too far ahead"),
    ],
)
def test_check_slot_says_why_a_slot_is_not_offered(branch, clock, start, expected):
    ada = fx.employee(branch)
    fx.meeting(ada, at(9))
    _hold(ada, at(11), MONDAY_0800 + timedelta(minutes=5))
    fx.settings(max_days_ahead=14)
    with pytest.raises(Conflict) as err:
        _check(ada, start)
    assert expected in err.value.message


def test_check_slot_ignores_the_same_tokens_previous_hold(branch):
    ada = fx.employee(branch)
    previous = _hold(ada, at(11), MONDAY_0800 + timedelta(minutes=5))
    _check(ada, at(11), ignore_reservation_ids=(previous.id,))


def test_check_slot_ignores_the_meeting_being_moved(branch):
    ada = fx.employee(branch)
    moving = fx.meeting(ada, at(9))
    _check(ada, at(9, 30), ignore_meeting_ids=(moving.id,))


def test_check_slot_reports_minimum_notice_and_closing_days(branch):
    ada = fx.employee(branch)
    fx.settings(min_notice_minutes=240)
    with pytest.raises(Conflict, match="minimum notice"):
        _check(ada, at(10))
    _check(ada, at(10), is_customer_initiated=False)
    fx.closing_day(datetime(2026, 3, 3).date())
    with pytest.raises(Conflict, match="closed"):
        _check(ada, at(10, day=3), is_customer_initiated=False)


def test_check_slot_reports_a_taken_room_and_a_missing_required_one(branch):
    ada = fx.employee(branch)
    room = fx.room(branch)
    fx.meeting(fx.employee(branch), at(10), room=room)
    with pytest.raises(Conflict, match="room is taken"):
        _check(ada, at(10), room_id=room.id)
    _check(ada, at(12), room_id=room.id)
    branch.require_room = True
    db.session.flush()
    with pytest.raises(Conflict, match="room is required"):
        _check(ada, at(12))


def test_check_slot_reports_an_unqualified_advisor_and_unknown_ids(branch):
    ada = fx.employee(branch)
    topic = fx.topic()
    other = fx.employee(branch)
    other.topics.append(topic)
    db.session.flush()
    with pytest.raises(Conflict, match="not qualified"):
        _check(ada, at(10), topic_id=topic.id)
    _check(other, at(10), topic_id=topic.id)
    with pytest.raises(NotFound):
        check_slot(
            employee_ids=["ghost"],
            room_id=None,
            start=at(10),
            end=at(11),
            meeting_type="Physical",
            topic_id=None,
            customer_type_id=None,
            is_customer_initiated=True,
            now=MONDAY_0800,
        )


def test_minimum_notice_skips_a_closing_day_before_the_search_window(branch):
    ada = fx.employee(branch)
    fx.settings(min_notice_minutes=32 * 60)  # four working days of 08-16
    fx.closing_day(datetime(2026, 3, 3).date())  # Tuesday
    query = _query(
        start=at(8, day=6),
        look_forward=timedelta(days=4),
        is_customer_initiated=True,
        best_slots=False,
    )
    slots = find_slots(query, MONDAY_0800)  # Monday, (Tuesday closed), Wednesday to Friday
    assert slots and slots[0].start == at(8, day=9)
    assert ada.id == slots[0].employee_id
