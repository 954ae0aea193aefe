"""Changing what a meeting is, in place: its meeting type, topic, room or advisors (the vendor's
`PATCH /bookme/meetings/{id}` on `/type`, `/topicId`, `/roomId`, `/employeeId`,
`/additionalEmployees`).

The meeting keeps its time. The changed meeting must be one the engine would offer right now for
its advisors and room at that time, with the buffers the meeting was booked under and its own time
ignored (`check_slot`), and a new room (or a new lead advisor keeping the room) must be at the
lead advisor's branch that day; otherwise `Conflict` saying why. `reassign` runs inside the
caller's write transaction (`meeting_changes.update_meeting`), which locks the old and new
resources, so a refusal leaves the meeting and its claims exactly as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from app.booking.claims import Buffers, add_claims, organisation_buffers, resources_for
from app.booking.errors import Conflict, NotFound
from app.booking.reservations import first_unknown
from app.booking.rules import PHYSICAL
from app.extensions import db
from app.i18n import zone_name
from app.models import (
    BookingClaim,
    Employee,
    Meeting,
    OrganisationSettings,
    Room,
    Topic,
    WeeklySchedule,
)


@dataclass(frozen=True)
class Reassignment:
    """The meeting's new type, topic, room or advisors; None keeps the field as it is."""

    meeting_type: str | None = None
    topic_id: str | None = None
    room_id: str | None = None
    clear_room: bool = False
    employee_id: str | None = None
    additional_employee_ids: tuple[str, ...] | None = None

    def asks(self) -> bool:
        """Whether anything is to change."""
        return self != Reassignment()


@dataclass(frozen=True)
class Setup:
    """Who meets where, and about what: the part of a meeting a reassignment changes."""

    meeting_type: str
    topic_id: str | None
    room_id: str | None
    employee_id: str
    additional_employee_ids: tuple[str, ...]

    @property
    def employee_ids(self) -> tuple[str, ...]:
        """Every advisor, the lead first."""
        return tuple(dict.fromkeys((self.employee_id, *self.additional_employee_ids)))

    @property
    def resources(self) -> list[str]:
        """The claim resources the setup occupies."""
        return resources_for(self.employee_ids, self.room_id)


def setup_of(meeting: Meeting) -> Setup:
    """The meeting's current setup."""
    return Setup(
        meeting_type=meeting.meeting_type,
        topic_id=meeting.topic_id,
        room_id=meeting.room_id,
        employee_id=meeting.employee_id,
        additional_employee_ids=tuple(meeting.additional_employee_ids or ()),
    )


def changed_setup(meeting: Meeting, changes: Reassignment) -> Setup:
    """The setup the changes ask for (the lead never counts as an additional advisor)."""
    now = setup_of(meeting)
    lead = changes.employee_id or now.employee_id
    extra = now.additional_employee_ids
    if changes.additional_employee_ids is not None:
        extra = changes.additional_employee_ids
    extra = tuple(e for e in dict.fromkeys(extra) if e != lead)
    return replace(
        now,
        meeting_type=changes.meeting_type or now.meeting_type,
        topic_id=changes.topic_id or now.topic_id,
        room_id=None if changes.clear_room else (changes.room_id or now.room_id),
        employee_id=lead,
        additional_employee_ids=extra,
    )


def reassign(meeting: Meeting, changes: Reassignment, *, now: datetime) -> bool:
    """Give the (locked) meeting the changed setup if the engine offers it; True when it changed."""
    if not changes.asks():
        return False
    target = changed_setup(meeting, changes)
    _check_known(target)
    if target == setup_of(meeting):
        return False
    _check_room_branch(meeting, target)
    buffers = meeting_buffers(meeting)
    _check_bookable(meeting, target, buffers, now)
    meeting.meeting_type = target.meeting_type
    meeting.topic_id = target.topic_id
    meeting.room_id = target.room_id
    meeting.employee_id = target.employee_id
    meeting.additional_employee_ids = list(target.additional_employee_ids)
    meeting.location_id = meeting_location(
        target.employee_id, target.room_id, meeting.start_at, target.meeting_type
    )
    db.session.execute(delete(BookingClaim).where(BookingClaim.meeting_id == meeting.id))
    db.session.flush()
    add_claims(
        target.resources, meeting.start_at, meeting.end_at, meeting_id=meeting.id, buffers=buffers
    )
    db.session.flush()  # the database's overlap guard has the last word here
    return True


def _check_known(target: Setup) -> None:
    """404 for an unknown topic, advisor or room (one round trip)."""
    unknown = first_unknown(
        [
            ("topic", Topic, target.topic_id),
            ("room", Room, target.room_id),
            *[("employee", Employee, e) for e in target.employee_ids],
        ]
    )
    if unknown is not None:
        raise NotFound(*unknown)


def _check_room_branch(meeting: Meeting, target: Setup) -> None:
    """Conflict when a new room, or a new lead advisor keeping the room, puts the room at another
    branch than the lead advisor's that day (a named room is otherwise any bookable one)."""
    if target.room_id is None or (target.room_id, target.employee_id) == (
        meeting.room_id,
        meeting.employee_id,
    ):
        return
    room = db.session.get(Room, target.room_id)
    branch = advisor_branch(target.employee_id, meeting.start_at)
    if room is not None and branch is not None and room.location_id != branch:
        raise Conflict(
            "the changed meeting cannot be booked: the room is at another branch than the "
            "advisor's that day"
        )


def _check_bookable(meeting: Meeting, target: Setup, buffers: Buffers, now: datetime) -> None:
    """Conflict (saying why) unless the engine offers the changed meeting at its time."""
    from app.booking.slots import check_slot

    try:
        check_slot(
            employee_ids=target.employee_ids,
            room_id=target.room_id,
            start=meeting.start_at,
            end=meeting.end_at,
            meeting_type=target.meeting_type,
            topic_id=target.topic_id,
            customer_type_id=meeting.customer_type_id,
            is_customer_initiated=False,
            ignore_meeting_ids=(meeting.id,),
            buffers=buffers.minutes,
            ignore_minimum_notice=True,
            now=now,
        )
    except Conflict as exc:
        raise Conflict(f"the changed meeting cannot be booked: {exc.message}") from None


def meeting_buffers(meeting: Meeting) -> Buffers:
    """The buffers the meeting was booked under (read off its claims), else those in force now."""
    claim = db.session.scalar(
        select(BookingClaim).where(BookingClaim.meeting_id == meeting.id).limit(1)
    )
    if claim is None:
        return organisation_buffers()
    return Buffers(claim.start_at - claim.blocked_from, claim.blocked_until - claim.end_at)


def meeting_location(
    employee_id: str, room_id: str | None, start: datetime, meeting_type: str
) -> str | None:
    """Where a meeting happens: the room's branch, else (Physical) the advisor's branch that day."""
    if room_id:
        room = db.session.get(Room, room_id)
        if room is not None:
            return room.location_id
    if meeting_type != PHYSICAL:
        return None
    return advisor_branch(employee_id, start)


def advisor_branch(employee_id: str, start: datetime) -> str | None:
    """The advisor's branch on the day of `start`: that weekday's, else their home branch."""
    org = db.session.get(OrganisationSettings, 1)
    weekday = start.astimezone(ZoneInfo(zone_name(org.time_zone if org else None))).weekday()
    day = db.session.scalar(
        select(WeeklySchedule).where(
            WeeklySchedule.employee_id == employee_id, WeeklySchedule.weekday == weekday
        )
    )
    if day is not None and day.location_id:
        return day.location_id
    employee = db.session.get(Employee, employee_id)
    return employee.home_location_id if employee else None
