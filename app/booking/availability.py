"""The availability engine: a query and the facts in, a sorted list of slots out. Pure.

Time is handled as integer epoch minutes, never minute by minute: the working windows of every
advisor are cut by their blocks all at once, as NumPy columns (`tables.py`); windows with a room to
find, and joint meetings, go through one advisor's sorted interval lists (`workday.py`). The same
building blocks explain, for one proposed slot, why it is not offered (`explain.py`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date, datetime
from typing import NamedTuple

import numpy as np

from app.booking.advisor_day import (
    AdvisorTerms,
    WorkingDay,
    advisor_terms,
    booked_minutes,
    day_verdict,
    within_cap,
    working_day,
)
from app.booking.context import Context, build_context
from app.booking.errors import NotFound
from app.booking.facts import EmployeeFacts, Facts, ScheduleDay
from app.booking.query import Slot, SlotQuery
from app.booking.rules import EXPLICIT, PHYSICAL, pool_priority, qualified
from app.booking.slot_rows import NO_ROOM_RANK, Found, SlotCodec, SlotRows
from app.booking.tables import Ints, grid_starts, ints
from app.booking.timeline import GRID, intersect, subtract
from app.booking.windows import Piece, Terms, Week, Window, WindowDay
from app.booking.workday import NO_ROOM, day_free, pick_room, room_options

__all__ = [
    "Context",
    "SlotRows",
    "available_rows",
    "available_slots",
    "build_context",
    "rows_for",
    "slots_for",
]


Patterns = dict[tuple[str, tuple[ScheduleDay, ...]], Week]  # one search's weeks, by value


def _pattern(
    ctx: Context, patterns: Patterns, emp: EmployeeFacts, mtype: str, days: list[tuple[date, int]]
) -> Week:
    """The advisor's working windows for `mtype` over the search before anything personal: the
    days the schedule rule lets them meet (`working_day`) cut to the request's window. Advisors
    with the same weekly schedule (by value) share one, kept in the search's `patterns`."""
    key = (mtype, emp.schedule)
    cached = patterns.get(key)
    if cached is None:
        week = {d.weekday: d for d in emp.schedule if d.available}
        found: list[Window] = []
        for day, weekday in days:
            work = working_day(ctx, week.get(weekday), day, mtype)
            lo = max(work.lo, ctx.request.lo)
            if work.refusals or lo >= work.hi:
                continue
            rooms, required = room_options(ctx, mtype, work.place)
            info = WindowDay(day, work.place, ctx.cal.day_shift(day), not rooms and not required)
            found.append(Window(lo, work.hi, info.shift if info.plain else None, info))
        cached = patterns[key] = _week(ctx, found)
    return cached


def _week(ctx: Context, found: list[Window]) -> Week:
    """A week's windows as `Week`: the list, and the columns of those on the array path."""
    places = list(dict.fromkeys(w.day.place for w in found))
    fast = [w for w in found if w.fast is not None]
    bounds = [ctx.cal.day_bounds(w.day.day) for w in fast]
    return Week(
        windows=found,
        places=places,
        lo=ints([w.lo for w in fast]),
        hi=ints([w.hi for w in fast]),
        shift=ints([w.fast for w in fast]),
        day_lo=ints([b[0] for b in bounds]),
        day_hi=ints([b[1] for b in bounds]),
        place=ints([places.index(w.day.place) for w in fast]),
        general=[w for w in found if w.fast is None],
    )


class _Advisor(NamedTuple):
    """What the windows of a shared week need to know of one advisor, for one meeting type: the
    rules' terms (`advisor_terms`) and pools (`pool_priority`), and where they go in the tables."""

    number: int  # in the context's tables
    terms: AdvisorTerms  # qualification, earliest start (notice), daily cap
    priority: list[int]  # pool priority per place of the week, -1 where not in any pool
    rank: int  # in the codec

    @property
    def cap(self) -> int:
        """Booked minutes allowed per day, NO_CAP when no cap applies."""
        return NO_CAP if self.terms.cap is None else self.terms.cap


NO_CAP = 1 << 40  # more minutes than any day has: no daily cap (a cap may be 0 or negative)
Rows = list[tuple[int, int, int, int, int, int]]  # `Found` rows, one by one
Chunks = list[Found]  # found by `grid_starts`


def _emit(ctx: Context, codec: SlotCodec, out: Rows, free: list[Piece], mtype: str) -> None:
    """A row for every grid start inside the free pieces, with the room's rank where a room is to
    be found (and none where a required one is not free)."""
    dur, last, cal = ctx.request.duration, ctx.request.hi + ctx.request.duration - 1, ctx.cal
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
        self.shared: dict[Hashable, tuple[Week, list[_Advisor]]] = {}
        self.general: list[tuple[str, Window, Terms]] = []  # rooms, irregular grids

    def share(self, key: Hashable, week: Week, advisor: _Advisor) -> None:
        """The windows of a week that advisors share (`key`: the week's schedule), for one more."""
        self.shared.setdefault(key, (week, []))[1].append(advisor)

    def emit(self, ctx: Context, codec: SlotCodec, out: Rows, chunks: Chunks, mtype: str) -> None:
        """The grid starts of every window minus its advisor's blocks."""
        physical = mtype == PHYSICAL
        table = ctx.tables.physical.table if physical else ctx.tables.blocks.table
        assert table is not None
        columns = [self._columns(ctx, mtype, week, team) for week, team in self.shared.values()]
        if columns:
            who, begin, until, shift, rank, prio, load = (
                np.concatenate(c) for c in zip(*columns, strict=True)
            )
            windows = (who, begin, until, shift, np.arange(len(who)))  # tagged by their row
            last = ctx.request.hi + ctx.request.duration - 1
            starts, row = grid_starts(table, windows, ctx.request.duration, last)
            kind, none = np.full(len(row), codec.type_rank[mtype]), np.zeros(len(row), np.int64)
            chunks.append(Found(starts, kind, prio[row], load[row], rank[row], none))
        blocks = ctx.tables.physical if physical else ctx.tables.blocks
        for emp_id, window, terms in self.general:
            mine = blocks.get(emp_id)
            whole = (window.lo, window.hi)
            free = [whole] if mine is None else subtract(whole, mine.intervals, mine.starts)
            _emit(ctx, codec, out, [Piece(a, b, terms, window.day) for a, b in free], mtype)

    @staticmethod
    def _columns(ctx: Context, mtype: str, week: Week, team: list[_Advisor]) -> tuple[Ints, ...]:
        """The week's windows of every advisor of `team`, as `grid_starts` columns (resource, lo,
        hi, shift) and the advisor's rank, pool priority and load of the day, kept where the rules
        let them meet: in a pool for the day's place, after the notice, within the daily cap (the
        same terms and `within_cap` that `day_verdict` applies to one window)."""
        n, k = len(week.lo), len(team)
        advisor = np.repeat(ints([a.number for a in team]), n)
        lo, hi, shift = np.tile(week.lo, k), np.tile(week.hi, k), np.tile(week.shift, k)
        priority = ints([a.priority for a in team]).reshape(k, -1)[:, week.place].ravel()
        keep = priority >= 0
        if ctx.request.customer:
            lo = np.maximum(lo, np.repeat(ints([a.terms.first for a in team]), n))
            keep &= lo < hi
        capped = ctx.request.customer and any(a.terms.cap is not None for a in team)
        load = np.zeros(len(advisor), dtype=np.int64)  # only the best-slot choice reads it
        if ctx.request.best or capped:
            assert ctx.tables.booked.table is not None
            day_lo, day_hi = np.tile(week.day_lo, k), np.tile(week.day_hi, k)
            booked = ctx.tables.booked.table.covered(advisor, day_lo, day_hi)
            if capped:
                keep &= within_cap(
                    booked, ctx.request.duration, np.repeat(ints([a.cap for a in team]), n)
                )
            if ctx.request.best:
                load = booked
        rank = np.repeat(ints([a.rank for a in team]), n)
        columns = (advisor, lo, hi, shift, rank, priority, load)
        return tuple(column[keep] for column in columns)


def _single_candidates(ctx: Context, codec: SlotCodec, out: Rows, chunks: Chunks) -> None:
    """One candidate per start, meeting type and advisor, over every pool."""
    plan, lo, hi = ctx.request.plan, ctx.request.lo, ctx.request.hi
    days = [(d, d.weekday()) for d in ctx.cal.days(lo, hi)] if lo < hi else []
    gathered = {mtype: _Windows() for mtype in plan.meeting_types}
    patterns: Patterns = {}
    for emp in ctx.facts.employees:
        terms = advisor_terms(ctx, emp)
        if terms.refusal is not None:
            continue
        for mtype in plan.meeting_types:
            week = _pattern(ctx, patterns, emp, mtype, days)
            if not week.windows:
                continue
            priority = [pool_priority(emp, plan, place, mtype) for place in week.places]
            advisor = _Advisor(
                number=ctx.advisor_index[emp.id],
                terms=terms,
                priority=[-1 if p is None else p for p in priority],
                rank=codec.employee_rank[emp.id],
            )
            gathered[mtype].share((mtype, emp.schedule), week, advisor)
            for window in week.general:
                found = _single_window(ctx, codec, mtype, week, advisor, window)
                if found:
                    gathered[mtype].general.append(found)
    for mtype, windows in gathered.items():
        windows.emit(ctx, codec, out, chunks, mtype)


def _single_window(
    ctx: Context, codec: SlotCodec, mtype: str, week: Week, advisor: _Advisor, window: Window
) -> tuple[str, Window, Terms] | None:
    """A window with a room to find or an irregular grid, kept as the rules decide the advisor's
    day (`day_verdict`: notice, daily cap) and their pool for its place (None: nothing to offer)."""
    prio = advisor.priority[week.places.index(window.day.place)]
    if prio < 0:
        return None
    emp_id, day = advisor.terms.advisor, window.day.day
    weighed = ctx.request.best or advisor.terms.cap is not None
    work = WorkingDay(day, mtype, window.day.place, window.lo, window.hi)
    verdict = day_verdict(
        ctx, advisor.terms, work, booked_minutes(ctx, emp_id, day) if weighed else 0
    )
    if not verdict.can_meet:
        return None
    load = verdict.load if ctx.request.best else 0
    terms = Terms(codec.type_rank[mtype], prio, load, advisor.rank)
    return emp_id, window._replace(lo=verdict.lo), terms


def _joint_candidates(ctx: Context, codec: SlotCodec, out: Rows) -> None:
    """A joint meeting: every listed advisor free for the whole slot, at the same place."""
    members = [ctx.employees[i] for i in ctx.request.plan.joint]
    if not all(qualified(e, ctx.request.plan) for e in members) or ctx.request.lo >= ctx.request.hi:
        return
    lead = members[0].id
    terms_of = {e.id: advisor_terms(ctx, e) for e in members}  # notice, cap: once per search
    for day in ctx.cal.days(ctx.request.lo, ctx.request.hi):
        places = [s.location_id if s else "" for s in (e.day(day.weekday()) for e in members)]
        if "" in places:  # someone does not work that day
            continue
        place = places[0]
        for mtype in ctx.request.plan.meeting_types:
            if mtype == PHYSICAL and len(set(places)) > 1:
                continue
            free = day_free(ctx, members[0], day, mtype, terms_of[lead])
            for other in members[1:]:
                mine = terms_of[other.id]
                free = intersect(free, day_free(ctx, other, day, mtype, mine)) if free else []
            if free:
                terms = Terms(codec.type_rank[mtype], EXPLICIT, 0, codec.employee_rank[lead])
                rooms, required = room_options(ctx, mtype, place)
                info = WindowDay(day, place, ctx.cal.day_shift(day), not rooms and not required)
                _emit(ctx, codec, out, [Piece(lo, hi, terms, info) for lo, hi in free], mtype)


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
    topic, ctype = ctx.facts.topic, ctx.request.query.customer_type_id
    rooms = (r.id for r in ctx.facts.rooms)
    codec = SlotCodec(ctx.request.plan.meeting_types, ctx.employees, rooms, best=ctx.request.best)
    found: Rows = []
    chunks: Chunks = []
    if not (topic and topic.customer_type_ids and ctype and ctype not in topic.customer_type_ids):
        if ctx.request.plan.joint:
            _joint_candidates(ctx, codec, found)
        else:
            _single_candidates(ctx, codec, found, chunks)
    chunks.append(Found.of_rows(found))
    starts, tags = codec.buckets(chunks)
    return SlotRows(
        starts,
        tags,
        codec,
        ctx.request.duration,
        ctx.request.query.topic_id,
        ctx.request.plan.joint,
    )
