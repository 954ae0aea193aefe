"""Property: whatever the buffers and whatever sequence of holds, meetings, moves, releases and
cancellations, no two commitments of an advisor or room overlap or come closer than the buffers,
and every slot that availability offers can be held and booked."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from app.booking.errors import DomainError
from app.booking.meeting_changes import MeetingChanges, cancel_meeting, update_meeting
from app.booking.meeting_create import MeetingRequest, create_meeting
from app.booking.query import SlotQuery
from app.booking.reservations import release, reserve
from app.booking.slots import find_slots
from app.extensions import db
from app.models import BookingClaim, Meeting, Reservation
from tests import factories
from tests.booking.conftest import SLOT_START
from tests.concurrency.scan import live_overlaps

step = st.tuples(
    st.sampled_from(["reserve", "book", "move", "release", "cancel", "wait", "offered"]),
    st.integers(0, 3),  # token
    st.integers(0, 5),  # half-hour offset of the start
    st.booleans(),  # second advisor?
    st.booleans(),  # with the room?
)


def apply(bank, clock, holds, op, token, offset, second, with_room) -> None:  # type: ignore[no-untyped-def]
    """Run one operation; domain refusals are fine, except of a slot just offered."""
    if op == "offered":
        book_an_offered_slot(bank, clock, token, offset, with_room)
        return
    start = SLOT_START + timedelta(minutes=30 * offset)
    advisor = bank.other_advisor if second else bank.advisor
    request = bank.hold(
        f"tok-{token}",
        start=start,
        employee_id=advisor.id,
        room_id=bank.room.id if with_room else None,
    )
    try:
        if op == "reserve":
            holds[token] = reserve(request, now=clock.now).id
        elif op == "book" and token in holds:
            create_meeting(
                MeetingRequest(time_slot_id=holds[token], meeting_type="Physical"), now=clock.now
            )
        elif op == "move":
            meeting = db.session.query(Meeting).filter_by(status="Booked").first()
            if meeting is not None:
                moved = reserve(
                    request.__class__(**{**request.__dict__, "existing_meeting_id": meeting.id}),
                    now=clock.now,
                )
                update_meeting(meeting.id, MeetingChanges(time_slot_id=moved.id), now=clock.now)
        elif op == "release" and token in holds:
            release(holds[token], f"tok-{token}", now=clock.now)
        elif op == "cancel":
            meeting = db.session.query(Meeting).filter_by(status="Booked").first()
            if meeting is not None:
                cancel_meeting(meeting.id, now=clock.now)
        elif op == "wait":
            clock.advance(minutes=2)
    except DomainError:
        db.session.rollback()


def book_an_offered_slot(bank, clock, token, pick, with_room) -> None:  # type: ignore[no-untyped-def]
    """Search as a client would, then hold and book one of the offered slots: never refused."""
    query = SlotQuery(
        require_employee_participation=True,
        explicit_employee_ids=(bank.advisor.id, bank.other_advisor.id),
        employee_types=("Explicit",),
        start=SLOT_START - timedelta(hours=2),
        look_forward=timedelta(hours=8),
        meeting_types=("Physical",),
        require_room=with_room,
        topic_id=bank.topic.id,
    )
    slots = list(find_slots(query, clock.now))
    if not slots:
        return
    slot = slots[pick % len(slots)]
    request = bank.hold(
        f"offer-{token}-{pick}-{clock.now.timestamp()}",
        start=slot.start,
        employee_id=slot.employee_id,
        room_id=slot.room_id,
    )
    hold = reserve(request, now=clock.now)  # a DomainError here fails the test
    create_meeting(MeetingRequest(time_slot_id=hold.id, meeting_type="Physical"), now=clock.now)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(step, min_size=1, max_size=12),
    before=st.sampled_from([0, 10, 15]),
    after=st.sampled_from([0, 15, 30]),
)
def test_no_sequence_of_operations_ever_leaves_commitments_closer_than_the_buffers(
    bank, clock, steps, before, after
):
    start_time = clock.now
    factories.settings(buffer_before_minutes=before, buffer_after_minutes=after)
    db.session.commit()
    holds: dict[int, str] = {}
    for op, token, offset, second, with_room in steps:
        apply(bank, clock, holds, op, token, offset, second, with_room)
        assert live_overlaps(clock.now) == []
    for model in (BookingClaim, Meeting, Reservation):
        db.session.execute(delete(model))
    db.session.commit()
    clock.set(start_time)
