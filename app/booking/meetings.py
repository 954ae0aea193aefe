"""Meetings: their statuses, and reading them; the services that write them live beside this.

A live reservation becomes a meeting; meetings are read, changed, moved and cancelled. Services
take plain values and `now`; `owner` is the API client whose meetings the caller may see (None =
every meeting: admins and trusted callers such as the wizard, which checks its private link
itself):

- here: `get_meeting(meeting_id, *, owner=None) -> Meeting`,
  `list_meetings(*, owner=None, employee_id=None, customer_id=None, time_slot_id=None,
  start_from=None, end_to=None, window=None) -> list[Meeting]` and `meeting_cpr(meeting)`.
- `app.booking.meeting_create.create_meeting(request: MeetingRequest, *, now) -> Meeting`:
  `NotFound` for unknown ids and for another owner's reservation (`request.owner`, see
  `app.booking.reservations`); `Conflict` when the reservation expired, was released or used, or
  does not match the request.
- `app.booking.meeting_changes.update_meeting(meeting_id, changes: MeetingChanges, *, owner=None,
  hold_owner=None, now) -> Meeting`: title, description, the meeting type, topic, room and
  advisors (`changes.setup`, checked by the engine: `app.booking.meeting_reassign`), or a move to
  a reservation made with `existing_meeting_id` by `hold_owner` (`NotFound` for another owner's);
  and `cancel_meeting(meeting_id, *, owner=None, now, cancelled_by=None, reason=None) -> Meeting`.
- `app.booking.meeting_holds`: what booking and moving share (row locks, a usable reservation,
  the agreed meeting type, handing the reservation's claims to the meeting).

Those are the only code that writes meetings. Every change bumps `sequence` (the ICS SEQUENCE).
Started or past meetings are immutable. Each booking, move and cancellation writes its
notifications to the outbox in its own transaction (`app.notifications.outbox`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import crypto
from app.booking.errors import NotFound
from app.extensions import db
from app.models import Meeting

BOOKED, CANCELLED = "Booked", "Cancelled"
CPR_PURPOSE = "cpr"  # the key of app/crypto.py that encrypts CPR numbers


def meeting_cpr(meeting: Meeting) -> str | None:
    """The meeting's CPR number in clear, for callers allowed to read it (None if none)."""
    return crypto.decrypt(CPR_PURPOSE, meeting.cpr_encrypted)


def get_meeting(meeting_id: str, *, owner: str | None = None) -> Meeting:
    """The meeting with this id, if `owner` (a client id, None = anyone) may see it."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or (owner is not None and meeting.client_id != owner):
        raise NotFound("meeting", meeting_id)
    return meeting


@dataclass(frozen=True)
class MeetingWindow:
    """The vendor's meeting filters: last changed within, starts at or after, ends at or before."""

    modified_from: datetime | None = None
    modified_to: datetime | None = None
    starts_from: datetime | None = None
    ends_by: datetime | None = None

    def conditions(self) -> list[Any]:
        """The SQL conditions for the bounds that are given."""
        found: list[Any] = []
        if self.modified_from is not None:
            found.append(Meeting.modified_at >= self.modified_from)
        if self.modified_to is not None:
            found.append(Meeting.modified_at <= self.modified_to)
        if self.starts_from is not None:
            found.append(Meeting.start_at >= self.starts_from)
        if self.ends_by is not None:
            found.append(Meeting.end_at <= self.ends_by)
        return found


def list_meetings(
    *,
    owner: str | None = None,
    employee_id: str | None = None,
    customer_id: str | None = None,
    time_slot_id: str | None = None,
    start_from: datetime | None = None,
    end_to: datetime | None = None,
    window: MeetingWindow | None = None,
) -> list[Meeting]:
    """Meetings matching every given filter, by start time; `from`/`to` select overlapping ones,
    `window` those inside it (the vendor's filters)."""
    stmt = select(Meeting).order_by(Meeting.start_at, Meeting.id)
    if owner is not None:
        stmt = stmt.where(Meeting.client_id == owner)
    if employee_id:
        stmt = stmt.where(Meeting.employee_id == employee_id)
    if customer_id:
        stmt = stmt.where(Meeting.customer_id == customer_id)
    if time_slot_id:
        stmt = stmt.where(Meeting.time_slot_id == time_slot_id)
    if start_from is not None:
        stmt = stmt.where(Meeting.end_at > start_from)
    if end_to is not None:
        stmt = stmt.where(Meeting.start_at < end_to)
    if window is not None:
        stmt = stmt.where(*window.conditions())
    return list(db.session.scalars(stmt))
