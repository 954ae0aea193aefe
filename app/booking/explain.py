"""Why the engine does not offer one proposed slot, in words a caller can show. Pure.

It walks the same building blocks as the engine (`app.booking.availability`) in the order a person
would check them; the engine's own answer stays the judge of whether the slot is offered.
"""

from __future__ import annotations

from datetime import datetime

from app.booking.availability import (
    ELSEWHERE,
    HOLD,
    MEETING,
    NO_ROOM,
    Context,
    earliest_start,
    over_cap,
    pick_room,
    room_options,
    work_window,
)
from app.booking.facts import EmployeeFacts
from app.booking.rules import PHYSICAL, physical_place_ok, qualified
from app.booking.timeline import GRID, floor_minute


def explain(
    ctx: Context,
    employee_ids: tuple[str, ...],
    start: datetime,
    end: datetime,
    mtype: str,
    room_id: str | None,
) -> str | None:
    """The first rule the slot breaks, or None when none was found."""
    s, e = floor_minute(start), floor_minute(end)
    reason = _general(ctx, s, mtype)
    for emp_id in employee_ids:
        if reason:
            return reason
        reason = _advisor(ctx, ctx.employees[emp_id], s, e, mtype)
    return reason or _room(ctx, employee_ids, s, e, mtype, room_id)


def _general(ctx: Context, s: int, mtype: str) -> str | None:
    """Rules that do not depend on the advisor: past, horizon, grid, topic, closing day."""
    topic, ctype = ctx.facts.topic, ctx.query.customer_type_id
    if s < ctx.now:
        return "the slot is in the past"
    if s >= ctx.horizon:
        return "the slot is too far ahead"
    if (s + ctx.cal.offset(s)) % GRID:
        return "slots start on the hour or the half hour"
    if topic and topic.customer_type_ids and ctype and ctype not in topic.customer_type_ids:
        return "the topic is not offered to this customer type"
    if mtype not in ctx.plan.meeting_types:
        return f"the topic is not offered as a {mtype} meeting"
    if ctx.cal.local_date(s) in ctx.facts.closing_days:
        return "the bank is closed that day"
    return None


def _advisor(ctx: Context, emp: EmployeeFacts, s: int, e: int, mtype: str) -> str | None:
    """Rules about one advisor: qualified, working, notice, daily cap, commitments."""
    if not qualified(emp, ctx.plan):
        return f"advisor {emp.id} is not qualified for this topic and customer type"
    day = ctx.cal.local_date(s)
    sched = emp.day(day.weekday())
    if sched is None:
        return "outside the advisor's working hours"
    if mtype not in sched.meeting_types:
        return f"the advisor does not offer {mtype} meetings that day"
    if mtype == PHYSICAL and not physical_place_ok(ctx.plan, sched.location_id):
        return "the advisor is not at this branch that day"
    lo, hi = work_window(ctx, sched, day)
    if s < lo or e > hi:
        return "outside the advisor's working hours"
    if s < earliest_start(ctx, emp):
        return "too soon: the minimum notice has not been met"
    if over_cap(ctx, emp.id, day):
        return "the advisor's daily limit of meeting time is reached"
    return _commitment(ctx, emp, s, e, mtype)


def _commitment(ctx: Context, emp: EmployeeFacts, s: int, e: int, mtype: str) -> str | None:
    """The meeting, hold or busy time in the way (a clash inside a buffer says so)."""
    before, after = ctx.facts.org.buffer_before_minutes, ctx.facts.org.buffer_after_minutes
    near = None
    for lo, hi, why in sorted(ctx.causes.get(emp.id, ())):
        if why == ELSEWHERE and mtype != PHYSICAL:
            continue
        if lo < e and s < hi:
            return why
        if why in (MEETING, HOLD) and lo - before < e and s < hi + after:
            near = near or f"{why} (too close: the buffer between meetings)"
    return near


def _room(
    ctx: Context, employee_ids: tuple[str, ...], s: int, e: int, mtype: str, room_id: str | None
) -> str | None:
    """Rules about the room: a named one must be a candidate and free; a required one must be named."""
    emp = ctx.employees[employee_ids[0]]
    sched = emp.day(ctx.cal.local_date(s).weekday())
    place = sched.location_id if sched else None
    rooms, required = room_options(ctx, mtype, place)
    if room_id is None:
        if required and pick_room(ctx, mtype, place, s, e) != NO_ROOM:
            return "a room is required for this meeting"
        return "no room is free for this slot" if required else None
    if room_id not in {r.id for r in rooms}:
        return "the room cannot be booked for this meeting"
    if pick_room(ctx, mtype, place, s, e) != room_id:
        return "the room is taken"
    return None
