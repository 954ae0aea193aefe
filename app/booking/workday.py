"""One advisor's day as the engine judges it: the working window, the minimum notice, the daily
cap, the free time, and the rooms. Pure; shared by the engine and by `explain`."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, time, timedelta

from app.booking.context import Context
from app.booking.facts import EmployeeFacts, RoomFacts, ScheduleDay
from app.booking.rules import PHYSICAL, physical_place_ok
from app.booking.timeline import Interval, overlap_minutes, overlaps, subtract

NO_ROOM = "-"  # marker: a room is required and none is free
FAR = 1 << 40  # a minute beyond any horizon


def work_window(ctx: Context, sched: ScheduleDay, day: date) -> Interval:
    """The day's working window: the schedule inside the organisation's opening hours."""
    key = (sched.start, sched.end, day)
    found = ctx.window_cache.get(key)
    if found is None:
        org, cal = ctx.facts.org, ctx.cal
        day_end = cal.day_bounds(day)[1]

        def at(value: time) -> int:
            return day_end if value == time(0) else cal.local_minute(day, value)

        lo = max(cal.local_minute(day, sched.start), cal.local_minute(day, org.opening_time))
        found = ctx.window_cache[key] = (lo, min(at(sched.end), at(org.closing_time)))
    return found


def earliest_start(ctx: Context, emp: EmployeeFacts) -> int:
    """`now` plus the minimum notice counted in the advisor's working hours (customer searches)."""
    notice = ctx.facts.org.min_notice_minutes
    if not ctx.customer or ctx.query.ignore_minimum_notice or notice <= 0:
        return ctx.now
    if emp.id not in ctx.notice_cache:
        remaining, found, day = notice, FAR, ctx.cal.local_date(ctx.now)
        for _ in range(ctx.facts.org.max_days_ahead + 366):
            sched = emp.day(day.weekday())
            if sched and day not in ctx.facts.closing_days:
                lo, hi = work_window(ctx, sched, day)
                lo = max(lo, ctx.now)
                if hi - lo >= remaining:
                    found = lo + remaining
                    break
                remaining -= max(0, hi - lo)
            day += timedelta(days=1)
        ctx.notice_cache[emp.id] = found
    return ctx.notice_cache[emp.id]


def booked_minutes(ctx: Context, emp_id: str, day: date) -> int:
    """Minutes of meetings and live holds the advisor has on one local day."""
    booked = ctx.booked.get(emp_id)
    if booked is None:
        return 0
    lo, hi = ctx.cal.day_bounds(day)
    first = max(bisect_right(booked.starts, lo) - 1, 0)
    last = bisect_left(booked.starts, hi)
    return overlap_minutes(booked.intervals[first:last], lo, hi)


def over_cap(ctx: Context, emp_id: str, day: date) -> bool:
    """Customer searches: the day's booked minutes plus this meeting exceed the advisor's cap."""
    cap = ctx.caps.get(emp_id)
    if not ctx.customer or cap is None:
        return False
    return booked_minutes(ctx, emp_id, day) + ctx.duration > cap


def day_free(
    ctx: Context, emp: EmployeeFacts, day: date, mtype: str, sched: ScheduleDay | None = None
) -> list[Interval]:
    """Where one advisor could start-and-finish a meeting of `mtype` on one local day."""
    sched = sched or emp.day(day.weekday())
    if sched is None or day in ctx.facts.closing_days or mtype not in sched.meeting_types:
        return []
    if mtype == PHYSICAL and not physical_place_ok(ctx.plan, sched.location_id):
        return []
    if ctx.customer and over_cap(ctx, emp.id, day):  # (caps and notice: customers only)
        return []
    lo, hi = work_window(ctx, sched, day)
    lo = max(lo, ctx.lo, earliest_start(ctx, emp) if ctx.customer else ctx.now)
    table = ctx.physical_blocks if mtype == PHYSICAL else ctx.blocks
    blocks = table.get(emp.id)
    if blocks is None:
        return [(lo, hi)] if lo < hi else []
    return subtract((lo, hi), blocks.intervals, blocks.starts)


def room_options(ctx: Context, mtype: str, place: str | None) -> tuple[list[RoomFacts], bool]:
    """Candidate rooms (in preference order) and whether a room is required. A branch that
    requires a room requires it for every Physical meeting there, whoever asks: asked for no room
    (`require_room=False`), it offers no room and so no time (`refuses_no_room`)."""
    key = (mtype, place)
    if key not in ctx.room_cache:
        query, facts = ctx.query, ctx.facts
        specific = query.specific_room_ids
        by_place = mtype == PHYSICAL and place_requires_room(ctx, place)
        if specific:
            by_id = {r.id: r for r in facts.rooms}
            rooms = [by_id[r] for r in specific if r in by_id and by_id[r].can_be_booked]
            required = query.require_room is not False or by_place
        elif refuses_no_room(ctx, mtype, place):
            rooms, required = [], True
        elif mtype == PHYSICAL:
            rooms = sorted(
                (r for r in facts.rooms if r.location_id == place and r.can_be_booked),
                key=lambda r: (r.name, r.id),
            )
            required = by_place if query.require_room is None else query.require_room
        else:
            rooms, required = [], False
        ctx.room_cache[key] = (rooms, required)
    return ctx.room_cache[key]


def place_requires_room(ctx: Context, place: str | None) -> bool:
    """The branch's own rule: every Physical meeting there has a room."""
    return any(loc.require_room for loc in ctx.facts.locations if loc.id == place)


def refuses_no_room(ctx: Context, mtype: str, place: str | None) -> bool:
    """Asked for a Physical meeting without a room (and no named rooms) at a branch that
    requires one: the engine offers nothing there."""
    return (
        ctx.query.require_room is False
        and not ctx.query.specific_room_ids
        and mtype == PHYSICAL
        and place_requires_room(ctx, place)
    )


def pick_room(ctx: Context, mtype: str, place: str | None, start: int, end: int) -> str | None:
    """The first free candidate room, None when none is needed or free, NO_ROOM when required."""
    rooms, required = room_options(ctx, mtype, place)
    for room in rooms:
        blocks = ctx.room_blocks.get(room.id)
        if blocks is None or not overlaps(blocks.intervals, blocks.starts, start, end):
            return room.id
    return NO_ROOM if required else None
