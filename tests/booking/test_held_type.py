"""A meeting's type must agree with what its reservation held: a held room stays with a physical meeting."""

from __future__ import annotations

import pytest

from app.booking.errors import Conflict
from app.booking.meeting_create import MeetingRequest, create_meeting
from app.booking.reservations import reserve
from app.extensions import db
from app.models import BookingClaim, Meeting, Reservation


def request_for(bank, hold, meeting_type: str) -> MeetingRequest:  # type: ignore[no-untyped-def]
    return MeetingRequest(
        time_slot_id=hold.id,
        meeting_type=meeting_type,
        topic_id=bank.topic.id,
        customer_type_id=bank.customer_type.id,
        employee_id=bank.advisor.id,
    )


def test_a_hold_without_a_type_that_holds_a_room_cannot_become_an_online_meeting(bank, clock):
    hold = reserve(bank.hold(meeting_type=None), now=clock.now)
    with pytest.raises(Conflict, match="room") as refused:
        create_meeting(request_for(bank, hold, "Online"), now=clock.now)
    assert "Physical" in refused.value.message
    db.session.rollback()
    assert db.session.get(Reservation, hold.id).status == "Reserved"
    assert db.session.query(Meeting).count() == 0


def test_a_hold_without_a_type_that_holds_a_room_becomes_a_physical_meeting(bank, clock):
    hold = reserve(bank.hold(meeting_type=None), now=clock.now)
    meeting = create_meeting(request_for(bank, hold, "Physical"), now=clock.now)
    assert (meeting.meeting_type, meeting.room_id) == ("Physical", bank.room.id)


def test_a_hold_without_a_type_or_room_may_become_an_online_meeting(bank, clock):
    hold = reserve(bank.hold(meeting_type=None, room_id=None), now=clock.now)
    meeting = create_meeting(request_for(bank, hold, "Online"), now=clock.now)
    assert (meeting.meeting_type, meeting.room_id) == ("Online", None)
    claimed = {c.resource for c in db.session.query(BookingClaim).filter_by(meeting_id=meeting.id)}
    assert claimed == {f"employee:{bank.advisor.id}"}


def test_a_physical_hold_cannot_become_an_online_meeting(bank, clock):
    hold = reserve(bank.hold(), now=clock.now)
    with pytest.raises(Conflict, match="type does not match"):
        create_meeting(request_for(bank, hold, "Online"), now=clock.now)


def test_an_online_meeting_cannot_move_onto_a_hold_that_holds_a_room_without_a_type(bank, clock):
    from app.booking.meeting_changes import MeetingChanges, update_meeting
    from tests.booking.conftest import HOUR, SLOT_START

    online = reserve(bank.hold(meeting_type="Online", room_id=None), now=clock.now)
    meeting = create_meeting(request_for(bank, online, "Online"), now=clock.now)
    target = bank.hold(
        "tok-2", start=SLOT_START + 2 * HOUR, meeting_type=None, existing_meeting_id=meeting.id
    )
    hold = reserve(target, now=clock.now)
    with pytest.raises(Conflict, match="room"):
        update_meeting(meeting.id, MeetingChanges(time_slot_id=hold.id), now=clock.now)
    db.session.rollback()
    moved = db.session.get(Meeting, meeting.id)
    assert (moved.start_at, moved.room_id) == (SLOT_START, None)
