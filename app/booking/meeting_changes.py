"""Changing, moving and cancelling a meeting.

- `update_meeting(meeting_id, changes: MeetingChanges, *, owner=None, hold_owner=None, now)
  -> Meeting`: title, description, the meeting type, topic, room and advisors (`changes.setup`,
  checked by the engine: `app.booking.meeting_reassign`), or a move to a reservation made with
  `existing_meeting_id` by `hold_owner` (`NotFound` for another owner's).
- `cancel_meeting(meeting_id, *, owner=None, now, cancelled_by=None, reason=None) -> Meeting`.

Every change bumps `sequence` (the ICS SEQUENCE). Started or past meetings are immutable. Each
move and cancellation writes its notifications to the outbox in its own transaction
(`app.notifications.outbox`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete

from app.booking import events
from app.booking.claims import resources_for
from app.booking.errors import Conflict, InvalidRequest
from app.booking.locking import token_key, write_transaction
from app.booking.meeting_holds import (
    agreed_type,
    check_hold_usable,
    hold_location,
    hold_resources,
    lock_hold,
    locked_row,
    swap_claims,
)
from app.booking.meeting_reassign import Reassignment, changed_setup, reassign
from app.booking.meetings import CANCELLED, get_meeting
from app.booking.reservations import get_reservation
from app.extensions import db
from app.models import BookingClaim, Meeting
from app.notifications import outbox

TITLE_MAX = 300


@dataclass(frozen=True)
class MeetingChanges:
    """A PATCH: fields left as None stay as they are."""

    title: str | None = None
    description: str | None = None
    time_slot_id: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    setup: Reassignment = (
        Reassignment()
    )  # type, topic, room, advisors (app.booking.meeting_reassign)


def update_meeting(
    meeting_id: str,
    changes: MeetingChanges,
    *,
    owner: str | None = None,
    hold_owner: str | None = None,
    now: datetime,
) -> Meeting:
    """Change title/description, the type/topic/room/advisors (checked by the engine), or move
    the meeting to a reservation `hold_owner` made for it; all of it or nothing."""
    _validate_changes(changes)
    meeting = get_meeting(meeting_id, owner=owner)
    keys = [*_meeting_resources(meeting)]
    if changes.setup.asks():
        keys += changed_setup(meeting, changes.setup).resources
    if changes.time_slot_id:
        hold = get_reservation(changes.time_slot_id, owner=hold_owner)
        keys += [token_key(hold.owner, hold.token), *hold_resources(hold)]
    moved = False
    with write_transaction(keys):
        meeting = _lock_meeting(meeting_id)
        _check_changeable(meeting, now)
        before = outbox.snapshot(meeting)
        if changes.title is not None:
            meeting.title = changes.title
        if changes.description is not None:
            meeting.description = changes.description
        if changes.time_slot_id and changes.time_slot_id != meeting.time_slot_id:
            _move(meeting, changes.time_slot_id, now)
            moved = True
        moved = reassign(meeting, changes.setup, now=now) or moved
        meeting.sequence += 1
        meeting.modified_at = now
        outbox.record_changed(meeting, before, actor=hold_owner or owner, now=now)
    if moved:
        events.announce(events.meeting_moved, meeting)
    return meeting


def _validate_changes(changes: MeetingChanges) -> None:
    """Refuse a malformed change before touching the database."""
    if changes.title is not None and len(changes.title) > TITLE_MAX:
        raise InvalidRequest(f"title must be at most {TITLE_MAX} characters", field="title")
    if changes.time_slot_id and changes.setup.asks():
        raise InvalidRequest(
            "a move (/timeSlotId) takes its advisor, room and type from the reservation: "
            "change them in a separate request",
            field="timeSlotId",
        )


def _meeting_resources(meeting: Meeting) -> list[str]:
    """The claim resources a meeting occupies."""
    return resources_for(
        [meeting.employee_id, *(meeting.additional_employee_ids or [])], meeting.room_id
    )


def _lock_meeting(meeting_id: str) -> Meeting:
    """Re-read the meeting under a row lock."""
    return locked_row(Meeting, meeting_id, "meeting")


def _check_changeable(meeting: Meeting, now: datetime) -> None:
    """Cancelled, started and past meetings cannot change."""
    if meeting.status == CANCELLED:
        raise Conflict("the meeting is cancelled")
    if meeting.start_at <= now:
        raise Conflict("the meeting has started or is past and can no longer be changed")


def _move(meeting: Meeting, reservation_id: str, now: datetime) -> None:
    """Take over the time, advisor and room of a live reservation made for this meeting."""
    hold = lock_hold(reservation_id)
    check_hold_usable(hold, now)
    if hold.existing_meeting_id != meeting.id:
        raise Conflict("the reservation was not made to move this meeting (existingMeetingId)")
    meeting_type = agreed_type(hold, None if hold.meeting_type else meeting.meeting_type)
    meeting.time_slot_id = hold.id
    meeting.start_at, meeting.end_at = hold.start_at, hold.end_at
    meeting.employee_id = hold.employee_id
    meeting.additional_employee_ids = list(hold.additional_employee_ids or [])
    meeting.room_id = hold.room_id
    meeting.meeting_type = meeting_type
    meeting.location_id = hold_location(hold, meeting.meeting_type)
    meeting.modified_at = now
    db.session.flush()
    swap_claims(meeting, hold)


def cancel_meeting(
    meeting_id: str,
    *,
    owner: str | None = None,
    now: datetime,
    cancelled_by: str | None = None,
    reason: str | None = None,
) -> Meeting:
    """Cancel the meeting and free its time at once (cancelling twice changes nothing)."""
    meeting = get_meeting(meeting_id, owner=owner)
    with write_transaction(_meeting_resources(meeting)):
        meeting = _lock_meeting(meeting_id)
        if meeting.status == CANCELLED:
            return meeting
        _check_changeable(meeting, now)
        db.session.execute(delete(BookingClaim).where(BookingClaim.meeting_id == meeting.id))
        meeting.status = CANCELLED
        meeting.cancelled_at = now
        meeting.cancelled_by = cancelled_by
        meeting.cancel_reason = reason
        meeting.sequence += 1
        meeting.modified_at = now
        outbox.record_cancelled(meeting, actor=cancelled_by or owner, reason=reason, now=now)
    events.announce(events.meeting_cancelled, meeting)
    return meeting
