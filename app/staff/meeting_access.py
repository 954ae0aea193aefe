"""Which meetings an advisor may open, move and cancel: the ones they take part in, as lead advisor
or as one of a joint meeting's advisors. Anyone else's meeting answers 404, like an unknown id, so
that a page never tells whether a meeting exists."""

from __future__ import annotations

from datetime import datetime

from flask import abort
from flask_login import current_user

from app.booking.errors import NotFound
from app.booking.meetings import BOOKED, get_meeting
from app.models import Meeting, Reservation


def advisor_ids(row: Meeting | Reservation) -> tuple[str, ...]:
    """A meeting's (or a hold's) advisors, the lead first; a move keeps every one of them."""
    return tuple(dict.fromkeys([row.employee_id, *(row.additional_employee_ids or [])]))


def takes_part(meeting: Meeting, employee_id: str) -> bool:
    """Whether the advisor is the meeting's lead or one of its additional advisors."""
    return employee_id in advisor_ids(meeting)


def their_meeting(meeting_id: str) -> Meeting:
    """The signed-in advisor's meeting with this id (404 for an unknown id or anyone else's)."""
    try:
        meeting = get_meeting(meeting_id)
    except NotFound:
        abort(404)
    if not takes_part(meeting, current_user.employee_id):
        abort(404)
    return meeting


def still_open(meeting: Meeting, now: datetime) -> bool:
    """Booked and not yet started: the meeting can still be moved or cancelled."""
    return meeting.status == BOOKED and meeting.start_at > now
