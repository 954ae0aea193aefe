"""The branch day (/staff/branch-day): every advisor whose week puts them at a branch on a day,
with their working hours, the day's meetings, live holds, busy and elsewhere times, and the free
working time left. Read-only; meetings are read through `list_meetings`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock
from app.booking.meetings import BOOKED, list_meetings
from app.booking.reservations import RESERVED
from app.extensions import db
from app.i18n import local, org_zone
from app.models import (
    BusyTime,
    ClosingDay,
    Employee,
    Location,
    Reservation,
    WeeklySchedule,
)
from app.staff import bp
from app.staff.auth import staff_required
from app.staff.meeting_access import advisor_ids
from app.wizard.meeting_view import MeetingView, meeting_views

DAY_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Item:
    """One thing in an advisor's day: kind is meeting, held, busy, elsewhere or free."""

    kind: str
    start: datetime
    end: datetime
    view: MeetingView | None = None
    room: str = ""


@dataclass
class AdvisorDay:
    """One advisor's row."""

    employee: Employee
    start: datetime
    end: datetime
    items: list[Item] = field(default_factory=list)


def free_time(
    start: datetime, end: datetime, taken: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """The parts of start..end that none of `taken` covers."""
    free: list[tuple[datetime, datetime]] = []
    cursor = start
    for a, b in sorted(taken):
        if b <= cursor or a >= end:
            continue
        if a > cursor:
            free.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        free.append((cursor, end))
    return free


def _branch() -> Location:
    wanted = request.args.get("branch")
    if wanted:
        found = db.session.get(Location, wanted)
        if found is None:
            abort(404)
        return found
    employee = db.session.get(Employee, current_user.employee_id)
    if employee and employee.home_location_id:
        home = db.session.get(Location, employee.home_location_id)
        if home:
            return home
    first = db.session.scalars(select(Location).order_by(Location.name).limit(1)).first()
    if first is None:
        abort(404)
    return first


def _day(now: datetime) -> date:
    wanted = request.args.get("day")
    if not wanted:
        return local(now).date()
    if not DAY_FORMAT.fullmatch(wanted):
        abort(400)
    try:
        return date.fromisoformat(wanted)
    except ValueError:
        abort(400)


def _wall(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=org_zone())


def _meeting_items(day_start: datetime, day_end: datetime) -> dict[str, list[Item]]:
    """The day's booked meetings as items by advisor: one item per meeting, in the row of each of
    its advisors (a joint meeting in every one of theirs)."""
    meetings = [
        m for m in list_meetings(start_from=day_start, end_to=day_end) if m.status == BOOKED
    ]
    items: dict[str, list[Item]] = {}
    for view in meeting_views(meetings):
        m = view.meeting
        item = Item("meeting", m.start_at, m.end_at, view, view.room)
        for advisor in advisor_ids(m):
            items.setdefault(advisor, []).append(item)
    return items


def _other_items(
    advisors: list[str], day_start: datetime, day_end: datetime, now: datetime
) -> dict[str, list[Item]]:
    """Live holds, busy and elsewhere times by advisor (one query each)."""
    items: dict[str, list[Item]] = {}
    for h in db.session.scalars(
        select(Reservation).where(
            Reservation.status == RESERVED,
            Reservation.expires_at > now,
            Reservation.start_at < day_end,
            Reservation.end_at > day_start,
        )
    ):
        for advisor in advisor_ids(h):
            items.setdefault(advisor, []).append(Item("held", h.start_at, h.end_at))
    for b in db.session.scalars(
        select(BusyTime).where(
            BusyTime.employee_id.in_(advisors),
            BusyTime.start_at < day_end,
            BusyTime.end_at > day_start,
        )
    ):
        kind = "elsewhere" if b.kind == "elsewhere" else "busy"
        items.setdefault(b.employee_id, []).append(Item(kind, b.start_at, b.end_at))
    return items


def advisors_day(branch: Location, day: date, now: datetime) -> list[AdvisorDay]:
    """The rows of the page: advisors at this branch that weekday, items and free time in order."""
    schedules = db.session.scalars(
        select(WeeklySchedule)
        .options(selectinload(WeeklySchedule.employee))
        .where(
            WeeklySchedule.location_id == branch.id,
            WeeklySchedule.weekday == day.weekday(),
            WeeklySchedule.available.is_(True),
        )
    ).all()
    day_start = _wall(day, time.min)
    day_end = _wall(day + timedelta(days=1), time.min)
    meetings = _meeting_items(day_start, day_end)
    others = _other_items([s.employee_id for s in schedules], day_start, day_end, now)
    rows: list[AdvisorDay] = []
    for schedule in schedules:
        employee = schedule.employee
        row = AdvisorDay(employee, _wall(day, schedule.start_time), _wall(day, schedule.end_time))
        row.items = [*meetings.get(employee.id, []), *others.get(employee.id, [])]
        taken = [(i.start, i.end) for i in row.items]
        for free_from, free_to in free_time(row.start, row.end, taken):
            row.items.append(Item("free", free_from, free_to))
        row.items.sort(key=lambda i: (i.start, i.end))
        rows.append(row)
    rows.sort(key=lambda r: (r.employee.display_name, r.employee.id))
    return rows


@bp.get("/staff/branch-day")
@staff_required("advisor")
def branch_day() -> str:
    """One branch on one day: a row per advisor with their items and free time."""
    now = clock.now()
    branch = _branch()
    day = _day(now)
    closing = db.session.scalars(select(ClosingDay).where(ClosingDay.day == day)).first()
    branches = db.session.scalars(select(Location).order_by(Location.name)).all()
    return render_template(
        "staff/branch_day.html",
        branch=branch,
        branches=branches,
        day=day,
        day_at=_wall(day, time(12)),
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        closing=closing,
        rows=[] if closing else advisors_day(branch, day, now),
    )
