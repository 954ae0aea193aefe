"""Why the engine does not offer one proposed slot, in words a caller can show. Pure.

It walks the same building blocks as the engine (`app.booking.availability`) in the order a person
would check them; the engine's own answer stays the judge of whether the slot is offered.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.booking.availability import slots_for
from app.booking.context import ELSEWHERE, HOLD, MEETING, Context, causes_of
from app.booking.facts import EmployeeFacts
from app.booking.query import Slot, SlotQuery
from app.booking.rules import PHYSICAL, physical_place_ok, qualified
from app.booking.timeline import GRID, floor_minute
from app.booking.workday import (
    NO_ROOM,
    earliest_start,
    over_cap,
    pick_room,
    room_options,
    work_window,
)


def check_query(
    employee_ids: tuple[str, ...],
    start: datetime,
    end: datetime,
    meeting_type: str | None,
    room_id: str | None,
    topic_id: str | None,
    customer_type_id: str | None,
    is_customer_initiated: bool,
    ignore_meeting_ids: tuple[str, ...] = (),
    ignore_minimum_notice: bool = False,
) -> SlotQuery:
    """The search for exactly this start and length by these advisors (joint if several)."""
    return SlotQuery(
        require_employee_participation=True,
        explicit_employee_ids=employee_ids,
        start=start,
        look_forward=timedelta(minutes=1),
        duration=end - start,
        topic_id=topic_id,
        customer_type_id=customer_type_id,
        meeting_types=(meeting_type,) if meeting_type else (),
        specific_room_ids=(room_id,) if room_id else (),
        ignore_meeting_ids=ignore_meeting_ids,
        is_customer_initiated=is_customer_initiated,
        ignore_minimum_notice=ignore_minimum_notice,
        best_slots=False,
    )


def verdict(ctx: Context, room_id: str | None) -> str | None:
    """None when the engine offers the `check_query` slot (with this room), else why not."""
    query = ctx.query
    ids, start = query.explicit_employee_ids, query.start
    assert start is not None and query.duration is not None  # check_query sets both
    end = start + query.duration
    meeting_type = query.meeting_types[0] if query.meeting_types else None
    for slot in slots_for(ctx):
        same = slot.start == start and slot.end == end and meeting_type in (None, slot.meeting_type)
        if same and (room_id is not None or _room_optional(ctx, slot)):
            return None
    mtype = meeting_type or next(iter(ctx.plan.meeting_types), "Physical")
    return explain(ctx, ids, start, end, mtype, room_id) or "the slot is not available"


def _room_optional(ctx: Context, slot: Slot) -> bool:
    """A slot offered with a room may be taken without one only when the room is optional."""
    if slot.room_id is None:
        return True
    return explain(ctx, slot.employee_ids, slot.start, slot.end, slot.meeting_type, None) is None


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
    for lo, hi, why in causes_of(ctx, emp.id):
        if why == ELSEWHERE and mtype != PHYSICAL:
            continue
        if lo < e and s < hi:
            return why
    for lo, hi, why in causes_of(ctx, emp.id, apart=True):
        if why in (MEETING, HOLD) and lo < e and s < hi:
            return f"{why} (too close: the buffer between meetings)"
    return None


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
