"""Meetings: a live hold becomes one meeting; changes, moves and cancellations keep claims right."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.booking.errors import Conflict, InvalidRequest, NotFound
from app.booking.meeting_changes import MeetingChanges, cancel_meeting, update_meeting
from app.booking.meeting_create import MeetingRequest, create_meeting
from app.booking.meetings import get_meeting, list_meetings
from app.booking.reservations import reserve
from app.extensions import db
from app.models import BookingClaim, Reservation
from tests.booking.conftest import HOUR, SLOT_START


def book(bank, clock, token="tok-1", start=SLOT_START, **kw):  # type: ignore[no-untyped-def]
    hold = reserve(bank.hold(token, start=start), now=clock.now)
    values = dict(
        time_slot_id=hold.id,
        meeting_type="Physical",
        topic_id=bank.topic.id,
        customer_type_id=bank.customer_type.id,
        employee_id=bank.advisor.id,
        room_id=bank.room.id,
        customer_id="C-1",
        client_id="client-a",
    )
    values.update(kw)
    return create_meeting(MeetingRequest(**values), now=clock.now)


def claims(**where) -> list[BookingClaim]:  # type: ignore[no-untyped-def]
    stmt = select(BookingClaim).filter_by(**where)
    return list(db.session.scalars(stmt))


def test_a_live_hold_becomes_a_meeting_that_claims_its_time_for_good(bank, clock):
    meeting = book(bank, clock)
    assert meeting.status == "Booked"
    assert (meeting.start_at, meeting.end_at) == (SLOT_START, SLOT_START + HOUR)
    assert meeting.location_id == bank.branch.id
    hold = db.session.get(Reservation, meeting.time_slot_id)
    assert hold.status == "Consumed" and hold.meeting_id == meeting.id
    assert claims(reservation_id=hold.id) == []
    mine = claims(meeting_id=meeting.id)
    assert len(mine) == 2 and all(c.expires_at is None for c in mine)


def test_a_meeting_keeps_blocking_after_the_hold_would_have_expired(bank, clock):
    book(bank, clock)
    clock.advance(minutes=10)
    with pytest.raises(Conflict):
        reserve(bank.hold("tok-2"), now=clock.now)


def test_a_reservation_becomes_at_most_one_meeting(bank, clock):
    meeting = book(bank, clock)
    with pytest.raises(Conflict, match="already been used"):
        create_meeting(MeetingRequest(time_slot_id=meeting.time_slot_id), now=clock.now)


def test_an_expired_hold_cannot_become_a_meeting_and_its_slot_is_free(bank, clock):
    hold = reserve(bank.hold("tok-1"), now=clock.now)
    clock.advance(minutes=5, seconds=1)
    with pytest.raises(Conflict, match="expired"):
        create_meeting(MeetingRequest(time_slot_id=hold.id, meeting_type="Physical"), now=clock.now)
    assert reserve(bank.hold("tok-2"), now=clock.now).status == "Reserved"


def test_a_released_hold_cannot_become_a_meeting(bank, clock):
    hold = reserve(bank.hold("tok-1"), now=clock.now)
    reserve(bank.hold("tok-1", start=SLOT_START + 2 * HOUR), now=clock.now)
    with pytest.raises(Conflict, match="released"):
        create_meeting(MeetingRequest(time_slot_id=hold.id), now=clock.now)


@pytest.mark.parametrize(
    ("field", "message"),
    [("employee_id", "employeeId"), ("room_id", "roomId"), ("meeting_type", "type")],
)
def test_a_meeting_that_does_not_match_its_hold_is_a_conflict(bank, clock, field, message):
    hold = reserve(bank.hold(), now=clock.now)
    other = {
        "employee_id": bank.other_advisor.id,
        "room_id": None,
        "meeting_type": "Online",
    }[field]
    if field == "room_id":
        from tests import factories

        other = factories.room(bank.branch).id
        db.session.commit()
    with pytest.raises(Conflict, match=message):
        create_meeting(MeetingRequest(time_slot_id=hold.id, **{field: other}), now=clock.now)


def test_an_unknown_reservation_or_topic_is_not_found(bank, clock):
    with pytest.raises(NotFound):
        create_meeting(MeetingRequest(time_slot_id="nope"), now=clock.now)
    hold = reserve(bank.hold(), now=clock.now)
    with pytest.raises(NotFound) as err:
        create_meeting(MeetingRequest(time_slot_id=hold.id, topic_id="nope"), now=clock.now)
    assert err.value.kind == "topic"


def test_booked_by_must_be_customer_or_employee(bank, clock):
    with pytest.raises(InvalidRequest):
        create_meeting(MeetingRequest(time_slot_id="x", booked_by="robot"), now=clock.now)


def test_cancelling_frees_the_time_at_once_and_bumps_the_sequence(bank, clock):
    meeting = book(bank, clock)
    cancelled = cancel_meeting(meeting.id, now=clock.now, reason="ill")
    assert cancelled.status == "Cancelled" and cancelled.sequence == 1
    assert claims(meeting_id=meeting.id) == []
    assert reserve(bank.hold("tok-2"), now=clock.now).status == "Reserved"


def test_a_started_meeting_can_be_neither_changed_nor_cancelled(bank, clock):
    meeting = book(bank, clock)
    clock.set(SLOT_START + timedelta(minutes=1))
    with pytest.raises(Conflict):
        cancel_meeting(meeting.id, now=clock.now)
    with pytest.raises(Conflict):
        update_meeting(meeting.id, MeetingChanges(title="x"), now=clock.now)


def test_a_title_change_bumps_the_sequence(bank, clock):
    meeting = book(bank, clock)
    changed = update_meeting(meeting.id, MeetingChanges(title="Loan talk"), now=clock.now)
    assert changed.title == "Loan talk" and changed.sequence == 1


def test_a_meeting_moves_half_an_hour_onto_its_own_time(bank, clock):
    meeting = book(bank, clock)
    later = SLOT_START + timedelta(minutes=30)
    hold = reserve(bank.hold("tok-2", start=later, existing_meeting_id=meeting.id), now=clock.now)
    moved = update_meeting(meeting.id, MeetingChanges(time_slot_id=hold.id), now=clock.now)
    assert (moved.start_at, moved.time_slot_id, moved.sequence) == (later, hold.id, 1)
    spans = {(c.start_at, c.end_at) for c in claims(meeting_id=meeting.id)}
    assert spans == {(later, later + HOUR)}
    assert claims(reservation_id=hold.id) == []
    assert reserve(bank.hold("tok-3", start=SLOT_START - HOUR), now=clock.now)


def test_a_hold_made_without_existing_meeting_id_cannot_move_a_meeting(bank, clock):
    meeting = book(bank, clock)
    hold = reserve(bank.hold("tok-2", start=SLOT_START + 3 * HOUR), now=clock.now)
    with pytest.raises(Conflict, match="existingMeetingId"):
        update_meeting(meeting.id, MeetingChanges(time_slot_id=hold.id), now=clock.now)


def test_a_client_sees_only_its_own_meetings(bank, clock):
    meeting = book(bank, clock)
    assert get_meeting(meeting.id, owner="client-a").id == meeting.id
    with pytest.raises(NotFound):
        get_meeting(meeting.id, owner="client-b")
    assert list_meetings(owner="client-b") == []
    assert [m.id for m in list_meetings(owner="client-a", customer_id="C-1")] == [meeting.id]


def test_listing_by_window_selects_overlapping_meetings(bank, clock):
    meeting = book(bank, clock)
    assert list_meetings(start_from=SLOT_START + HOUR) == []
    assert [m.id for m in list_meetings(end_to=SLOT_START + timedelta(minutes=1))] == [meeting.id]
