"""The availability engine: a query and the facts in, a sorted list of slots out. Pure.

Time is handled as integer epoch minutes and per-advisor sorted interval lists, never minute by
minute. The same building blocks explain, for one proposed slot, why it is not offered.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import overload

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


Candidate = tuple[int, str, str, int, int, str | None]  # start, type, advisor, priority, load, room


def _emit(
    ctx: Context,
    out: list[Candidate],
    free: list[Interval],
    day: date,
    where: tuple[str, str | None],
    who: tuple[str, int, int],
) -> None:
    """Append the grid starts inside the free intervals that get a room where one is required."""
    (mtype, place), (emp, prio, load) = where, who
    dur, last, shift = ctx.duration, ctx.hi + ctx.duration - 1, ctx.cal.day_shift(day)
    rooms, required = room_options(ctx, mtype, place)
    plain, append = not rooms and not required, out.append  # plain: no room to find (usual)
    for lo, hi in free:
        if shift is None:
            starts: Iterable[int] = ctx.cal.grid_starts(lo, min(hi, last), dur)
        else:  # the usual day: every start is `shift` modulo the grid
            starts = range(lo + (shift - lo) % GRID, min(hi, last) - dur + 1, GRID)
        for start in starts:  # a plain loop: measured faster than zip/repeat for a day's few
            room = None if plain else pick_room(ctx, mtype, place, start, start + dur)
            if room != NO_ROOM:
                append((start, mtype, emp, prio, load, room))


def _single_candidates(ctx: Context) -> list[Candidate]:
    """One candidate per start, meeting type and advisor, over every pool."""
    out: list[Candidate] = []
    plan = ctx.plan
    days = [(d, d.weekday()) for d in ctx.cal.days(ctx.lo, ctx.hi)] if ctx.lo < ctx.hi else []
    for emp in ctx.facts.employees:
        if not qualified(emp, plan):
            continue
        week = {d.weekday: d for d in emp.schedule if d.available}
        for day, weekday in days:
            sched = week.get(weekday)
            if sched is None:
                continue
            for mtype in plan.meeting_types:
                prio = pool_priority(emp, plan, sched.location_id, mtype)
                if prio is None:
                    continue
                free = day_free(ctx, emp, day, mtype, sched)
                if free:
                    load = booked_minutes(ctx, emp.id, day) if ctx.best else 0
                    where = (mtype, sched.location_id)
                    _emit(ctx, out, free, day, where, (emp.id, prio, load))
    return out


def _joint_candidates(ctx: Context) -> list[Candidate]:
    """A joint meeting: every listed advisor free for the whole slot, at the same place."""
    members = [ctx.employees[i] for i in ctx.plan.joint]
    if not all(qualified(e, ctx.plan) for e in members) or ctx.lo >= ctx.hi:
        return []
    out: list[Candidate] = []
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
                _emit(ctx, out, free, day, (mtype, place), (members[0].id, EXPLICIT, 0))
    return out


def _best(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per start and meeting type: best pool, then lightest day, then advisor id."""
    chosen: dict[tuple[int, str], Candidate] = {}
    for cand in candidates:
        key = (cand[0], cand[1])
        current = chosen.get(key)
        if current is None or (cand[3], cand[4], cand[2]) < (current[3], current[4], current[2]):
            chosen[key] = cand
    return list(chosen.values())


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
    """The sorted candidate rows of a resolved request."""
    topic, ctype = ctx.facts.topic, ctx.query.customer_type_id
    found: list[Candidate] = []
    if not (topic and topic.customer_type_ids and ctype and ctype not in topic.customer_type_ids):
        found = _joint_candidates(ctx) if ctx.plan.joint else _single_candidates(ctx)
        if ctx.best:
            found = _best(found)
        found.sort()  # (start, type, advisor) is unique per candidate
    return SlotRows(found, ctx.duration, ctx.query.topic_id, ctx.plan.joint)


class SlotRows(Sequence[Slot]):
    """Sorted slots kept as the engine's rows `(start minute, type, advisor, _, _, room)`; `Slot`
    objects are built on first use, so a caller that only serialises never builds them."""

    def __init__(
        self, rows: list[Candidate], duration: int, topic_id: str | None, joint: tuple[str, ...]
    ) -> None:
        self.rows, self.duration, self.topic_id, self.joint = rows, duration, topic_id, joint
        self._slots: list[Slot] | None = None

    def slots(self) -> list[Slot]:
        """The rows as `Slot` objects (built once)."""
        if self._slots is None:
            self._slots = _as_slots(self)
        return self._slots

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Slot: ...
    @overload
    def __getitem__(self, index: slice) -> list[Slot]: ...
    def __getitem__(self, index: int | slice) -> Slot | list[Slot]:
        if self._slots is None and isinstance(index, int):  # e.g. the first free slot only
            row = self.rows[index]
            return _as_slots(SlotRows([row], self.duration, self.topic_id, self.joint))[0]
        return self.slots()[index]

    def __iter__(self) -> Iterator[Slot]:
        return iter(self.slots())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SlotRows):
            return self.slots() == other.slots()
        return self.slots() == other if isinstance(other, list) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SlotRows({self.slots()!r})"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _as_slots(found: SlotRows) -> list[Slot]:
    """Slots built without the frozen dataclass's per-field `__setattr__` detour: a 30-day search
    makes tens of thousands, and this is about three times faster. Same fields, same values."""
    instants: dict[int, datetime] = {}

    def instant(minute: int) -> datetime:
        value = instants.get(minute)
        if value is None:
            value = instants[minute] = _EPOCH + timedelta(minutes=minute)
        return value

    dur, topic_id, joint = found.duration, found.topic_id, found.joint
    new, assign = object.__new__, object.__setattr__
    teams: dict[str, tuple[str, ...]] = {}
    out: list[Slot] = []
    append = out.append
    for start, mtype, emp, _, _, room in found.rows:
        slot = new(Slot)
        team = joint or teams.get(emp) or teams.setdefault(emp, (emp,))
        assign(
            slot,
            "__dict__",
            {
                "start": instant(start),
                "end": instant(start + dur),
                "meeting_type": mtype,
                "employee_id": emp,
                "employee_ids": team,
                "room_id": room,
                "topic_id": topic_id,
            },
        )
        append(slot)
    return out
