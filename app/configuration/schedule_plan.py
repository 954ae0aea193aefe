"""A proposed weekly schedule, before it is saved: the free times it gives over the next two weeks
(the engine fed with the stored facts and the proposed week, nothing written) and the booked meetings
it would leave outside the advisor's hours, places or meeting types. Reads only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from app.booking.availability import available_slots
from app.booking.claims import employee_resource
from app.booking.facts import ScheduleDay
from app.booking.query import SlotQuery
from app.booking.rules import PHYSICAL
from app.booking.slots import load_facts
from app.configuration.schema import ScheduleIn
from app.extensions import db
from app.i18n import org_zone
from app.models import BookingClaim, Employee, Meeting

PREVIEW_DAYS = 14


@dataclass(frozen=True)
class PreviewDay:
    """One day of the preview: the proposed working day (None: day off) and its free times."""

    day: date
    noon: datetime  # the day's local noon, for the date formatters
    schedule: ScheduleDay | None
    free: tuple[tuple[time, time], ...]


@dataclass(frozen=True)
class AffectedMeeting:
    """A booked meeting the proposed week would leave outside the rules, and why."""

    meeting: Meeting
    reason: str  # "day_off" | "hours" | "meeting_type" | "place"


def proposed_week(employee: Employee, week: ScheduleIn) -> tuple[ScheduleDay, ...]:
    """The engine's week for a validated schedule; a day without a place is at the home branch."""
    return tuple(
        ScheduleDay(
            weekday=number,
            start=day.from_,
            end=day.to,
            meeting_types=frozenset(day.meeting_types),
            location_id=day.location or employee.home_location_id,
            available=day.available,
        )
        for number, _, day in week.days()
    )


def zone() -> ZoneInfo:
    """The organisation's time zone, in which schedules are written."""
    return org_zone()


def preview(employee: Employee, week: tuple[ScheduleDay, ...], now: datetime) -> list[PreviewDay]:
    """The free times the proposed week gives, day by day, from today for `PREVIEW_DAYS` days."""
    query = SlotQuery(
        require_employee_participation=True,
        explicit_employee_ids=(employee.id,),
        employee_types=("Explicit",),
        start=now,
        look_forward=timedelta(days=PREVIEW_DAYS),
        ignore_minimum_notice=True,
    )
    facts = load_facts(query, now)
    employees = tuple(
        replace(e, schedule=week, can_be_booked=True) if e.id == employee.id else e
        for e in facts.employees
    )
    slots = available_slots(query, replace(facts, employees=employees), now)
    tz = zone()
    by_day: dict[date, list[tuple[datetime, datetime]]] = {}
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(tz).date(), []).append(
            (slot.start.astimezone(tz), slot.end.astimezone(tz))
        )
    today = now.astimezone(tz).date()
    days = [today + timedelta(days=n) for n in range(PREVIEW_DAYS)]
    working = {d.weekday: d for d in week if d.available}
    return [
        PreviewDay(
            d,
            datetime.combine(d, time(12), tzinfo=tz),
            working.get(d.weekday()),
            _merged(by_day.get(d, [])),
        )
        for d in days
    ]


def _merged(spans: list[tuple[datetime, datetime]]) -> tuple[tuple[time, time], ...]:
    """Overlapping or touching slots as free ranges of wall-clock time."""
    ranges: list[list[datetime]] = []
    for start, end in sorted(spans):
        if ranges and start <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    return tuple((a.time(), b.time()) for a, b in ranges)


def affected_meetings(
    employee: Employee, week: tuple[ScheduleDay, ...], now: datetime
) -> list[AffectedMeeting]:
    """The advisor's booked meetings from `now` on, their own and joint ones, that the proposed
    week would not allow."""
    joint = select(BookingClaim.meeting_id).where(
        BookingClaim.resource == employee_resource(employee.id),
        BookingClaim.meeting_id.is_not(None),
    )
    rows = db.session.scalars(
        select(Meeting)
        .where(
            or_(Meeting.employee_id == employee.id, Meeting.id.in_(joint)),
            Meeting.status == "Booked",
            Meeting.end_at > now,
        )
        .order_by(Meeting.start_at)
    )
    tz = zone()
    days = {d.weekday: d for d in week if d.available}
    found = []
    for meeting in rows:
        reason = _outside(meeting, days, tz)
        if reason is not None:
            found.append(AffectedMeeting(meeting, reason))
    return found


def _outside(meeting: Meeting, days: dict[int, ScheduleDay], tz: ZoneInfo) -> str | None:
    """Why the week would not allow this meeting (None: it would)."""
    start, end = meeting.start_at.astimezone(tz), meeting.end_at.astimezone(tz)
    day = days.get(start.weekday())
    if day is None:
        return "day_off"
    day_end = day.end if day.end != time(0) else time.max
    if start.time() < day.start or end.time() > day_end or end.date() != start.date():
        return "hours"
    if meeting.meeting_type not in day.meeting_types:
        return "meeting_type"
    if meeting.meeting_type == PHYSICAL and meeting.location_id not in (None, day.location_id):
        return "place"
    return None
