"""Which meetings an advisor may open, move and cancel: the ones they take part in, as lead advisor
or as one of a joint meeting's advisors. Anyone else's meeting answers 404, like an unknown id, so
that a page never tells whether a meeting exists."""

from __future__ import annotations

import json
from datetime import datetime

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, String, cast, or_, select

from app.booking.errors import NotFound
from app.booking.meetings import BOOKED, get_meeting
from app.extensions import db
from app.models import Meeting, Reservation


def advisor_ids(row: Meeting | Reservation) -> tuple[str, ...]:
    """A meeting's (or a hold's) advisors, the lead first; a move keeps every one of them."""
    return tuple(dict.fromkeys([row.employee_id, *(row.additional_employee_ids or [])]))


def takes_part(meeting: Meeting, employee_id: str) -> bool:
    """Whether the advisor is the meeting's lead or one of its additional advisors."""
    return employee_id in advisor_ids(meeting)


def taking_part(employee_id: str) -> ColumnElement[bool]:
    """`takes_part` as SQL: the advisor leads the meeting or is one of its additional advisors. The
    JSON list holds each id as a JSON string, so the text search matches a whole id only."""
    return or_(
        Meeting.employee_id == employee_id,
        cast(Meeting.additional_employee_ids, String).contains(
            json.dumps(employee_id), autoescape=True
        ),
    )


def booked_meetings_of(employee_id: str, start_from: datetime, end_to: datetime) -> list[Meeting]:
    """The advisor's booked meetings starting in [start_from, end_to), by start: one query."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.status == BOOKED,
                Meeting.start_at >= start_from,
                Meeting.start_at < end_to,
                taking_part(employee_id),
            )
            .order_by(Meeting.start_at, Meeting.id)
        )
    )


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
