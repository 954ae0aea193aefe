"""Buffers both ways (issue 9): what is offered, what can be held and what can be booked agree,
and a slot is refused when it, with its own buffers, would come too close to a commitment."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.booking.errors import Conflict
from app.booking.meeting_changes import update_meeting
from app.booking.meeting_create import MeetingRequest, create_meeting
from app.booking.reservations import reserve
from app.extensions import db
from app.models import BookingClaim
from tests import factories
from tests.booking.conftest import HOUR, SLOT_START


@pytest.fixture
def buffered(bank):  # type: ignore[no-untyped-def]
    """The bank with 15 minutes kept free after every meeting."""
    factories.settings(buffer_after_minutes=15)
    db.session.commit()
    return bank


def _book(bank, clock, token: str, start, **kw):  # type: ignore[no-untyped-def]
    hold = reserve(bank.hold(token, start=start, **kw), now=clock.now)
    return create_meeting(
        MeetingRequest(time_slot_id=hold.id, meeting_type="Physical"), now=clock.now
    )


def test_the_hour_before_a_meeting_cannot_be_held_when_it_leaves_no_buffer(buffered, clock):
    _book(buffered, clock, "first", SLOT_START + HOUR, room_id=None)
    with pytest.raises(Conflict, match="too close"):
        reserve(buffered.hold("second", start=SLOT_START, room_id=None), now=clock.now)


def test_a_customers_hold_is_not_lost_to_a_later_hold_just_before_it(buffered, clock):
    """A holds 13:00; B's 12:00 would end at 13:00 with 15 minutes after: B is refused, A books."""
    first = reserve(buffered.hold("a", start=SLOT_START + HOUR, room_id=None), now=clock.now)
    with pytest.raises(Conflict):
        reserve(buffered.hold("b", start=SLOT_START, room_id=None), now=clock.now)
    meeting = create_meeting(
        MeetingRequest(time_slot_id=first.id, meeting_type="Physical"), now=clock.now
    )
    assert meeting.start_at == SLOT_START + HOUR


def test_the_room_keeps_the_buffers_too(buffered, clock):
    _book(buffered, clock, "first", SLOT_START + HOUR)
    other = buffered.other_advisor.id
    with pytest.raises(Conflict):
        reserve(buffered.hold("second", start=SLOT_START, employee_id=other), now=clock.now)
    later = SLOT_START + 2 * HOUR + timedelta(minutes=30)
    assert reserve(buffered.hold("third", start=later, employee_id=other), now=clock.now)


def test_claims_record_the_span_they_keep_with_the_buffers(buffered, clock):
    meeting = _book(buffered, clock, "first", SLOT_START)
    spans = {
        (c.blocked_from, c.blocked_until)
        for c in db.session.query(BookingClaim).filter_by(meeting_id=meeting.id)
    }
    assert spans == {(SLOT_START, SLOT_START + HOUR + timedelta(minutes=15))}


def test_a_meeting_moves_by_half_an_hour_onto_its_own_buffered_time(buffered, clock):
    meeting = _book(buffered, clock, "first", SLOT_START)
    target = SLOT_START + timedelta(minutes=30)
    hold = reserve(
        buffered.hold("move", start=target, existing_meeting_id=meeting.id), now=clock.now
    )
    from app.booking.meeting_changes import MeetingChanges

    moved = update_meeting(meeting.id, MeetingChanges(time_slot_id=hold.id), now=clock.now)
    assert moved.start_at == target
    spans = [
        (c.blocked_from, c.blocked_until)
        for c in db.session.query(BookingClaim).filter_by(meeting_id=meeting.id)
    ]
    assert spans == [(target, target + HOUR + timedelta(minutes=15))] * 2  # advisor and room


def test_a_hold_keeps_the_buffers_it_was_granted_when_they_change_before_booking(bank, clock):
    """The bank raises the buffer after meetings while a customer types: the hold taken back to
    back with a meeting under no buffers still books, and its meeting keeps no buffers."""
    taken = reserve(bank.hold("m", start=SLOT_START + HOUR, room_id=None), now=clock.now)
    create_meeting(MeetingRequest(time_slot_id=taken.id, meeting_type="Physical"), now=clock.now)
    hold = reserve(bank.hold("a", start=SLOT_START, room_id=None), now=clock.now)
    factories.settings(buffer_after_minutes=15)
    db.session.commit()
    meeting = create_meeting(
        MeetingRequest(time_slot_id=hold.id, meeting_type="Physical"), now=clock.now
    )
    spans = {
        (c.blocked_from, c.blocked_until)
        for c in db.session.query(BookingClaim).filter_by(meeting_id=meeting.id)
    }
    assert spans == {(SLOT_START, SLOT_START + HOUR)}


def test_an_expired_hold_inside_the_new_buffers_does_not_stop_a_booking(bank, clock):
    """An expired hold's claim at 11:00 (not purged yet) lies inside the buffer the bank adds
    after the customer held 10:00: the meeting keeps the hold's buffers and books."""
    gone = reserve(bank.hold("e", start=SLOT_START + HOUR, room_id=None), now=clock.now)
    clock.set(gone.expires_at + timedelta(minutes=1))
    hold = reserve(bank.hold("a", start=SLOT_START, room_id=None), now=clock.now)
    factories.settings(buffer_after_minutes=15)
    db.session.commit()
    meeting = create_meeting(
        MeetingRequest(time_slot_id=hold.id, meeting_type="Physical"), now=clock.now
    )
    assert meeting.start_at == SLOT_START
