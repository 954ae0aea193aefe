"""The availability engine: a query and the facts in, a sorted list of slots out. Pure.

Time is handled as integer epoch minutes, never minute by minute: the working windows of every
advisor are cut by their blocks all at once, as NumPy columns (`tables.py`); windows with a room to
find, and joint meetings, go through one advisor's sorted interval lists (`workday.py`). The same
building blocks explain, for one proposed slot, why it is not offered (`explain.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple, cast

import numpy as np

from app.booking.context import Context, build_context
from app.booking.errors import NotFound
from app.booking.facts import EmployeeFacts, Facts
from app.booking.query import Slot, SlotQuery
from app.booking.rules import (
    EXPLICIT,
    PHYSICAL,
    physical_place_ok,
    pool_priority,
    qualified,
)
from app.booking.slot_rows import NO_ROOM_RANK, Found, SlotCodec, SlotRows
from app.booking.tables import Ints, grid_starts, ints
from app.booking.timeline import GRID, intersect, subtract
from app.booking.workday import (
    NO_ROOM,
    booked_minutes,
    day_free,
    earliest_start,
    over_cap,
    pick_room,
    room_options,
    work_window,
)

__all__ = [
    "Context",
    "SlotRows",
    "available_rows",
    "available_slots",
    "build_context",
    "rows_for",
    "slots_for",
]


class _Day(NamedTuple):
    """What one working window shares with every advisor of the same week: its day, place, grid
    shift (None: not one shift all day) and whether no room has to be found (the usual case)."""

    day: date
    place: str | None
    shift: int | None
    plain: bool


class _Terms(NamedTuple):
    """What a slot found carries besides its start and room, numbered by the `SlotCodec`: its
    meeting type, the advisor's pool priority (lower wins), minutes booked that day (0 when no
    best slot is chosen) and the advisor."""

    mtype: int
    priority: int
    load: int
    advisor: int


# A working window [lo, hi) with its `fast` grid shift (the day's shift when it is plain, else
# None: rooms to find or an irregular grid) and its day; a piece is a free part of one, with terms.
Window = tuple[int, int, int | None, _Day]
Piece = tuple[int, int, _Terms, _Day]


class _Week(NamedTuple):
    """The working windows of every advisor with the same week, for one meeting type: as a list,
    and those with one grid shift and no room to find as columns (with their local day's bounds
    and the number of their place in `places`), and the others."""

    windows: list[Window]
    places: list[str | None]
    lo: Ints
    hi: Ints
    shift: Ints
    day_lo: Ints
    day_hi: Ints
    place: Ints
    general: list[Window]  # with a room to find or an irregular grid


def _pattern(ctx: Context, emp: EmployeeFacts, mtype: str, days: list[tuple[date, int]]) -> _Week:
    """The advisor's working windows for `mtype` over the search before anything personal
    (schedule, opening hours, closing days, the meeting location) and the places among them.
    Advisors whose weeks are the same schedule values (the service shares them) share one."""
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
        cached = ctx.pattern_cache[key] = _week(ctx, found)
    return cast(_Week, cached)


def _week(ctx: Context, found: list[Window]) -> _Week:
    """A week's windows as `_Week`: the list, and the columns of those on the array path."""
    places = list(dict.fromkeys(w[3].place for w in found))
    fast = [w for w in found if w[2] is not None]
    bounds = [ctx.cal.day_bounds(w[3].day) for w in fast]
    return _Week(
        found,
        places,
        ints([w[0] for w in fast]),
        ints([w[1] for w in fast]),
        ints([w[2] for w in fast]),
        ints([b[0] for b in bounds]),
        ints([b[1] for b in bounds]),
        ints([places.index(w[3].place) for w in fast]),
        [w for w in found if w[2] is None],
    )


class _Advisor(NamedTuple):
    """What the windows of a shared week need to know of one advisor, for one meeting type."""

    number: int  # in the context's tables
    id: str
    rank: int  # in the codec
    first: int  # the earliest start (notice, for customers)
    priority: list[int]  # pool priority per place of the week, -1 where not in any pool
    cap: int  # booked minutes allowed per day (customers), NO_CAP for none


NO_CAP = 1 << 40  # more minutes than any day has: no daily cap (a cap may be 0 or negative)
Rows = list[tuple[int, int, int, int, int, int]]  # `Found` rows, one by one
Chunks = list[Found]  # found by `grid_starts`


def _emit(ctx: Context, codec: SlotCodec, out: Rows, free: list[Piece], mtype: str) -> None:
    """A row for every grid start inside the free pieces, with the room's rank where a room is to
    be found (and none where a required one is not free)."""
    dur, last, cal = ctx.duration, ctx.hi + ctx.duration - 1, ctx.cal
    for lo, hi, (kind, prio, load, who), (_, place, shift, plain) in free:
        stop = (hi if hi < last else last) - dur + 1
        starts: Iterable[int]
        if shift is None:  # a zone whose offset changes by other than the grid that day
            starts = cal.grid_starts(lo, min(hi, last), dur)
        else:
            starts = range(lo + (shift - lo) % GRID, stop, GRID)
        if plain:  # the usual piece: no room to find
            out.extend((start, kind, prio, load, who, NO_ROOM_RANK) for start in starts)
            continue
        for start in starts:
            room = pick_room(ctx, mtype, place, start, start + dur)
            if room != NO_ROOM:
                out.append((start, kind, prio, load, who, codec.room_rank[room]))


class _Windows:
    """One meeting type's windows of every advisor, gathered by week for one `grid_starts` call.
    Windows with rooms to find or an irregular grid go the general way (`_emit`)."""

    def __init__(self) -> None:
        self.shared: dict[int, tuple[_Week, list[_Advisor]]] = {}
        self.general: list[tuple[str, Window, _Terms]] = []  # rooms, irregular grids

    def share(self, week: _Week, advisor: _Advisor) -> None:
        """The windows of a week that advisors share, for one more of them."""
        self.shared.setdefault(id(week), (week, []))[1].append(advisor)  # held: the id stays

    def emit(self, ctx: Context, codec: SlotCodec, out: Rows, chunks: Chunks, mtype: str) -> None:
        """The grid starts of every window minus its advisor's blocks."""
        physical = mtype == PHYSICAL
        table = ctx.physical_table if physical else ctx.block_table
        assert table is not None
        columns = [self._columns(ctx, mtype, week, team) for week, team in self.shared.values()]
        if columns:
            who, begin, until, shift, rank, prio, load = (
                np.concatenate(c) for c in zip(*columns, strict=True)
            )
            windows = (who, begin, until, shift, np.arange(len(who)))  # tagged by their row
            last = ctx.hi + ctx.duration - 1
            starts, row = grid_starts(table, windows, ctx.duration, last)
            kind, none = np.full(len(row), codec.type_rank[mtype]), np.zeros(len(row), np.int64)
            chunks.append(Found(starts, kind, prio[row], load[row], rank[row], none))
        blocks = ctx.physical_blocks if physical else ctx.blocks
        for emp_id, (lo, hi, _, info), terms in self.general:
            mine = blocks.get(emp_id)
            free = [(lo, hi)] if mine is None else subtract((lo, hi), mine.intervals, mine.starts)
            _emit(ctx, codec, out, [(a, b, terms, info) for a, b in free], mtype)

    @staticmethod
    def _columns(ctx: Context, mtype: str, week: _Week, team: list[_Advisor]) -> tuple[Ints, ...]:
        """The week's windows of every advisor of `team`, as `grid_starts` columns (resource, lo,
        hi, shift) and the advisor's rank, pool priority and load of the day, with the advisor's
        pool, notice, cap and load applied, as `_single_window` does one window at a time."""
        n, k = len(week.lo), len(team)
        advisor = np.repeat(ints([a.number for a in team]), n)
        lo, hi, shift = np.tile(week.lo, k), np.tile(week.hi, k), np.tile(week.shift, k)
        priority = ints([a.priority for a in team]).reshape(k, -1)[:, week.place].ravel()
        keep = priority >= 0
        if ctx.customer:
            lo = np.maximum(lo, np.repeat(ints([a.first for a in team]), n))
            keep &= lo < hi
        capped = ctx.customer and any(a.cap != NO_CAP for a in team)
        load = np.zeros(len(advisor), dtype=np.int64)  # only the best-slot choice reads it
        if ctx.best or capped:
            assert ctx.booked_table is not None
            day_lo, day_hi = np.tile(week.day_lo, k), np.tile(week.day_hi, k)
            booked = ctx.booked_table.covered(advisor, day_lo, day_hi)
            if capped:
                cap = np.repeat(ints([a.cap for a in team]), n)
                keep &= booked + ctx.duration <= cap
            if ctx.best:
                load = booked
        rank = np.repeat(ints([a.rank for a in team]), n)
        columns = (advisor, lo, hi, shift, rank, priority, load)
        return tuple(column[keep] for column in columns)


def _single_candidates(ctx: Context, codec: SlotCodec, out: Rows, chunks: Chunks) -> None:
    """One candidate per start, meeting type and advisor, over every pool."""
    plan, customer = ctx.plan, ctx.customer
    days = [(d, d.weekday()) for d in ctx.cal.days(ctx.lo, ctx.hi)] if ctx.lo < ctx.hi else []
    gathered = {mtype: _Windows() for mtype in plan.meeting_types}
    for emp in ctx.facts.employees:
        if not qualified(emp, plan):
            continue
        first = earliest_start(ctx, emp) if customer else ctx.lo
        cap = ctx.caps.get(emp.id) if customer else None
        for mtype in plan.meeting_types:
            week = _pattern(ctx, emp, mtype, days)
            if not week.windows:
                continue
            priority = [pool_priority(emp, plan, place, mtype) for place in week.places]
            terms = _Advisor(
                ctx.advisor_index[emp.id],
                emp.id,
                codec.employee_rank[emp.id],
                first,
                [-1 if p is None else p for p in priority],
                NO_CAP if cap is None else cap,
            )
            gathered[mtype].share(week, terms)
            for window in week.general:
                found = _single_window(ctx, codec, mtype, week, terms, window)
                if found:
                    gathered[mtype].general.append(found)
    for mtype, windows in gathered.items():
        windows.emit(ctx, codec, out, chunks, mtype)


def _single_window(
    ctx: Context, codec: SlotCodec, mtype: str, week: _Week, advisor: _Advisor, window: Window
) -> tuple[str, Window, _Terms] | None:
    """A window with a room to find or an irregular grid, with the advisor's pool, notice, cap and
    load of the day applied as `_Windows._columns` does to the others (None: nothing to offer)."""
    lo, hi, shift, info = window
    prio = advisor.priority[week.places.index(info.place)]
    if prio < 0:
        return None
    if lo < advisor.first:
        lo = advisor.first
        if lo >= hi:
            return None
    if ctx.customer and over_cap(ctx, advisor.id, info.day):  # caps, notice: customers only
        return None
    load = booked_minutes(ctx, advisor.id, info.day) if ctx.best else 0
    terms = _Terms(codec.type_rank[mtype], prio, load, advisor.rank)
    return advisor.id, (lo, hi, shift, info), terms


def _joint_candidates(ctx: Context, codec: SlotCodec, out: Rows) -> None:
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
                terms = _Terms(codec.type_rank[mtype], EXPLICIT, 0, codec.employee_rank[lead])
                rooms, required = room_options(ctx, mtype, place)
                info = _Day(day, place, ctx.cal.day_shift(day), not rooms and not required)
                _emit(ctx, codec, out, [(lo, hi, terms, info) for lo, hi in free], mtype)


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
    found: Rows = []
    chunks: Chunks = []
    if not (topic and topic.customer_type_ids and ctype and ctype not in topic.customer_type_ids):
        if ctx.plan.joint:
            _joint_candidates(ctx, codec, found)
        else:
            _single_candidates(ctx, codec, found, chunks)
    chunks.append(Found.of_rows(found))
    starts, tags = codec.buckets(chunks)
    return SlotRows(starts, tags, codec, ctx.duration, ctx.query.topic_id, ctx.plan.joint)
