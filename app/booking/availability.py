"""The availability engine: a query and the facts in, a sorted list of slots out. Pure.

Time is handled as integer epoch minutes and per-advisor sorted interval lists, never minute by
minute. The same building blocks explain, for one proposed slot, why it is not offered.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from app.booking.context import ELSEWHERE, HOLD, MEETING, Blocks, Context, build_context
from app.booking.errors import NotFound
from app.booking.facts import EmployeeFacts, Facts, RoomFacts, ScheduleDay
from app.booking.query import Slot, SlotQuery
from app.booking.rules import (
    EXPLICIT,
    PHYSICAL,
    physical_place_ok,
    pool_priority,
    qualified,
)
from app.booking.slot_rows import SlotCodec, SlotRows
from app.booking.timeline import (
    GRID,
    Interval,
    intersect,
    overlap_minutes,
    overlaps,
    subtract,
)

__all__ = [
    "ELSEWHERE",
    "HOLD",
    "MEETING",
    "NO_ROOM",
    "Blocks",
    "Context",
    "SlotRows",
    "available_rows",
    "available_slots",
    "build_context",
    "day_free",
    "earliest_start",
    "over_cap",
    "pick_room",
    "room_options",
    "rows_for",
    "slots_for",
    "work_window",
]

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
    """Candidate rooms (in preference order) and whether a room is required."""
    key = (mtype, place)
    if key not in ctx.room_cache:
        query, facts = ctx.query, ctx.facts
        specific = query.specific_room_ids
        if specific:
            by_id = {r.id: r for r in facts.rooms}
            rooms = [by_id[r] for r in specific if r in by_id and by_id[r].can_be_booked]
            required = query.require_room is not False
        elif mtype == PHYSICAL:
            rooms = sorted(
                (r for r in facts.rooms if r.location_id == place and r.can_be_booked),
                key=lambda r: (r.name, r.id),
            )
            default = any(loc.require_room for loc in facts.locations if loc.id == place)
            required = default if query.require_room is None else query.require_room
        else:
            rooms, required = [], False
        ctx.room_cache[key] = (rooms, required)
    return ctx.room_cache[key]


def pick_room(ctx: Context, mtype: str, place: str | None, start: int, end: int) -> str | None:
    """The first free candidate room, None when none is needed or free, NO_ROOM when required."""
    rooms, required = room_options(ctx, mtype, place)
    for room in rooms:
        blocks = ctx.room_blocks.get(room.id)
        if blocks is None or not overlaps(blocks.intervals, blocks.starts, start, end):
            return room.id
    return NO_ROOM if required else None


class _Day(NamedTuple):
    """What one working window shares with every advisor of the same week: its day, place, grid
    shift (None: not one shift all day) and whether no room has to be found (the usual case)."""

    day: date
    place: str | None
    shift: int | None
    plain: bool


# A working window [lo, hi) with its `fast` grid shift (the day's shift when it is plain, else
# None: rooms to find or an irregular grid) and its day; a piece is a free part of one, with a tag.
Window = tuple[int, int, int | None, _Day]
Piece = tuple[int, int, int, _Day]


def _pattern(
    ctx: Context, emp: EmployeeFacts, mtype: str, days: list[tuple[date, int]]
) -> tuple[list[Window], set[str | None]]:
    """The advisor's working windows for `mtype` over the search before anything personal
    (schedule, opening hours, closing days, the meeting location) and the places among them.
    Advisors whose weeks are the same schedule values (the service shares them) share one list."""
    key = (mtype, tuple(map(id, emp.schedule)))
    cached = ctx.pattern_cache.get(key)
    if cached is None:
        week = {d.weekday: d for d in emp.schedule if d.available}
        closed, physical = ctx.facts.closing_days, mtype == PHYSICAL
        found: list[Window] = []
        for day, weekday in days:
            sched = week.get(weekday)
            if sched is None or day in closed or mtype not in sched.meeting_types:
                continue
            place = sched.location_id
            if physical and not physical_place_ok(ctx.plan, place):
                continue
            lo, hi = work_window(ctx, sched, day)
            lo = max(lo, ctx.lo)
            if lo < hi:
                rooms, required = room_options(ctx, mtype, place)
                info = _Day(day, place, ctx.cal.day_shift(day), not rooms and not required)
                found.append((lo, hi, info.shift if info.plain else None, info))
        cached = ctx.pattern_cache[key] = (found, {w[3].place for w in found})
    return cached


Buckets = defaultdict[int, list[int]]  # start minute -> tags of the slots starting then


def _emit(ctx: Context, codec: SlotCodec, out: Buckets, free: list[Piece], mtype: str) -> None:
    """Add the tag to the bucket of every grid start inside the free pieces, with the room's rank
    where a room is to be found (and none where a required one is not free)."""
    dur, last, cal = ctx.duration, ctx.hi + ctx.duration - 1, ctx.cal
    for lo, hi, tag, (_, place, shift, plain) in free:
        stop = (hi if hi < last else last) - dur + 1
        starts: Iterable[int]
        if shift is None:  # a zone whose offset changes by other than the grid that day
            starts = cal.grid_starts(lo, min(hi, last), dur)
        else:
            starts = range(lo + (shift - lo) % GRID, stop, GRID)
        if plain:  # the usual piece: no room to find
            for start in starts:
                out[start].append(tag)
            continue
        for start in starts:
            room = pick_room(ctx, mtype, place, start, start + dur)
            if room != NO_ROOM:
                out[start].append(tag + codec.room_rank[room])


def _emit_free(
    ctx: Context,
    codec: SlotCodec,
    out: Buckets,
    windows: list[Window],
    tags: list[int],
    blocks: Blocks | None,
    mtype: str,
) -> None:
    """`_emit` for the windows (sorted, disjoint; `tags[i]` is the tag of `windows[i]`) minus the
    advisor's merged blocks, found in one pass over both. The usual window (no room to find, one
    grid shift all day) fills its buckets here directly: this loop runs for every advisor and day
    of a search."""
    intervals, starts = (blocks.intervals, blocks.starts) if blocks is not None else ([], [])
    count, i = len(intervals), 0
    dur, last, grid = ctx.duration, ctx.hi + ctx.duration - 1, GRID
    for (lo, hi, shift, info), tag in zip(windows, tags, strict=True):
        while i < count and intervals[i][1] <= lo:
            i += 1
        if shift is None:  # rooms to find or an irregular grid: the general way
            free = subtract((lo, hi), intervals, starts)
            _emit(ctx, codec, out, [(a, b, tag, info) for a, b in free], mtype)
            continue
        cursor, j = lo, i
        while cursor < hi:
            if j < count and intervals[j][0] < hi:
                start, end = intervals[j]
                j += 1
            else:
                start = end = hi  # the rest of the window
            if start > cursor:  # free from cursor to start
                for at in range(
                    cursor + (shift - cursor) % grid,
                    (start if start < last else last) - dur + 1,
                    grid,
                ):
                    out[at].append(tag)
            if end > cursor:
                cursor = end


def _single_candidates(ctx: Context, codec: SlotCodec, out: Buckets) -> None:
    """One tag per start, meeting type and advisor, over every pool."""
    plan, customer, best = ctx.plan, ctx.customer, ctx.best
    days = [(d, d.weekday()) for d in ctx.cal.days(ctx.lo, ctx.hi)] if ctx.lo < ctx.hi else []
    for emp in ctx.facts.employees:
        if not qualified(emp, plan):
            continue
        first = earliest_start(ctx, emp) if customer else ctx.lo
        for mtype in plan.meeting_types:
            pattern, places = _pattern(ctx, emp, mtype, days)
            if not pattern:
                continue
            priority = {place: pool_priority(emp, plan, place, mtype) for place in places}
            blocks = (ctx.physical_blocks if mtype == PHYSICAL else ctx.blocks).get(emp.id)
            tag = codec.tag(mtype, emp.id)
            if not customer and not best and None not in priority.values():  # the usual search
                _emit_free(ctx, codec, out, pattern, [tag] * len(pattern), blocks, mtype)
                continue
            windows: list[Window] = []
            tags: list[int] = []
            for lo, hi, shift, info in pattern:
                prio = priority[info.place]
                if prio is None:
                    continue
                if lo < first:
                    lo = first
                    if lo >= hi:
                        continue
                if customer and over_cap(ctx, emp.id, info.day):  # caps, notice: customers only
                    continue
                if best:
                    load = booked_minutes(ctx, emp.id, info.day)
                    tag = codec.best_tag(mtype, prio, load, emp.id)
                windows.append((lo, hi, shift, info))
                tags.append(tag)
            if windows:
                _emit_free(ctx, codec, out, windows, tags, blocks, mtype)


def _joint_candidates(ctx: Context, codec: SlotCodec, out: Buckets) -> None:
    """A joint meeting: every listed advisor free for the whole slot, at the same place."""
    members = [ctx.employees[i] for i in ctx.plan.joint]
    if not all(qualified(e, ctx.plan) for e in members) or ctx.lo >= ctx.hi:
        return
    lead = members[0].id
    for day in ctx.cal.days(ctx.lo, ctx.hi):
        places = [s.location_id if s else "" for s in (e.day(day.weekday()) for e in members)]
        if "" in places:  # someone does not work that day
            continue
        place = places[0]
        for mtype in ctx.plan.meeting_types:
            if mtype == PHYSICAL and len(set(places)) > 1:
                continue
            free = day_free(ctx, members[0], day, mtype)
            for other in members[1:]:
                free = intersect(free, day_free(ctx, other, day, mtype)) if free else []
            if free:
                tag = (
                    codec.best_tag(mtype, EXPLICIT, 0, lead) if ctx.best else codec.tag(mtype, lead)
                )
                rooms, required = room_options(ctx, mtype, place)
                info = _Day(day, place, ctx.cal.day_shift(day), not rooms and not required)
                _emit(ctx, codec, out, [(lo, hi, tag, info) for lo, hi in free], mtype)


def _unknown_employees(query: SlotQuery, facts: Facts) -> None:
    known = {e.id for e in facts.employees}
    for ident in query.explicit_employee_ids:
        if ident not in known:
            raise NotFound("employee", ident)


def available_slots(
    query: SlotQuery,
    facts: Facts,
    now: datetime,
    *,
    ignore_reservation_ids: frozenset[str] = frozenset(),
) -> list[Slot]:
    """Every slot the request may be offered, sorted by start, meeting type, advisor."""
    _unknown_employees(query, facts)
    ctx = build_context(query, facts, now, ignore_reservation_ids)
    return slots_for(ctx)


def slots_for(ctx: Context) -> list[Slot]:
    """The slots of a resolved request."""
    return rows_for(ctx).slots()


def available_rows(query: SlotQuery, facts: Facts, now: datetime) -> SlotRows:
    """`available_slots` as compact rows (for callers that serialise tens of thousands)."""
    _unknown_employees(query, facts)
    return rows_for(build_context(query, facts, now))


def rows_for(ctx: Context) -> SlotRows:
    """The sorted slots of a resolved request: tags by start minute."""
    topic, ctype = ctx.facts.topic, ctx.query.customer_type_id
    rooms = (r.id for r in ctx.facts.rooms)
    codec = SlotCodec(ctx.plan.meeting_types, ctx.employees, rooms, best=ctx.best)
    found: Buckets = defaultdict(list)
    if not (topic and topic.customer_type_ids and ctype and ctype not in topic.customer_type_ids):
        if ctx.plan.joint:
            _joint_candidates(ctx, codec, found)
        else:
            _single_candidates(ctx, codec, found)
    starts = sorted(found)
    tags = [found[start] for start in starts]
    for bucket in tags:
        bucket.sort()  # (type, advisor) is unique per start: nearly sorted already
    if ctx.best:
        tags = [codec.best_of(bucket) for bucket in tags]
    return SlotRows(starts, tags, codec, ctx.duration, ctx.query.topic_id, ctx.plan.joint)
