"""A request resolved against the facts: its window, plan, and every advisor's and room's
blocking intervals in epoch minutes, merged for all of them at once (`tables.py`). Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import repeat
from operator import is_not
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from app.booking.constants import DEFAULT_LOOK_FORWARD
from app.booking.facts import (
    ClaimColumns,
    EmployeeFacts,
    Facts,
    RoomFacts,
    ScheduleDay,
    employee_resource,
    room_resource,
)
from app.booking.query import SlotQuery
from app.booking.rules import Plan, daily_caps, plan_request
from app.booking.tables import Blocks, BlocksView, Ints, Table, ints
from app.booking.timeline import Calendar, Interval, ceil_minute, floor_minute
from app.booking.windows import Week

MEETING, HOLD = "taken by a meeting", "reserved by someone else"
ELSEWHERE = "the advisor works elsewhere at that time"
# What a cause is, for a person: a booked meeting, a live hold, a busy time or working elsewhere.
IS_MEETING, IS_HOLD, IS_BUSY, IS_ELSEWHERE = "meeting", "hold", "busy", "elsewhere"


class Cause(NamedTuple):
    """One thing in an advisor's or room's way: `lo`-`hi` is the span it blocks (with `apart`,
    widened by the buffers), `why` the engine's words, `kind` one of IS_*, `start`-`end` the
    commitment or busy time itself, `label` a busy time's kind (absence, external, elsewhere)."""

    lo: int
    hi: int
    why: str
    kind: str
    start: int
    end: int
    label: str = ""


@dataclass
class Context:
    """One request resolved against the facts: window, plan and per-resource blocking intervals."""

    query: SlotQuery
    facts: Facts
    plan: Plan
    cal: Calendar
    now: int
    lo: int  # first allowed start
    hi: int  # starts are < hi
    horizon: int
    duration: int
    customer: bool
    employees: dict[str, EmployeeFacts]
    advisor_index: dict[str, int]  # advisor id -> its number in the tables (facts' order)
    causes: dict[str, list[tuple[int, int, str, str]]]  # advisor -> busy (start, end, why, kind)
    caps: dict[str, int | None]
    commitments: Commitments | None = None  # the live claims the request counts
    block_table: Table | None = None  # advisor -> what blocks every meeting type (buffers too)
    physical_table: Table | None = None  # advisor -> plus working-from-elsewhere
    booked_table: Table | None = None  # advisor -> commitments alone (caps, load of the day)
    blocks: Mapping[str, Blocks] = field(default_factory=dict)  # `block_table` per advisor id
    physical_blocks: Mapping[str, Blocks] = field(default_factory=dict)
    booked: Mapping[str, Blocks] = field(default_factory=dict)  # commitments (caps, load)
    room_blocks: Mapping[str, Blocks] = field(default_factory=dict)
    best: bool = False
    notice_cache: dict[str, int] = field(default_factory=dict)
    window_cache: dict[tuple[time, time, date], Interval] = field(default_factory=dict)
    room_cache: dict[tuple[str, str | None], tuple[list[RoomFacts], bool]] = field(
        default_factory=dict
    )
    pattern_cache: dict[tuple[str, tuple[ScheduleDay, ...]], Week] = field(default_factory=dict)


@dataclass(frozen=True)
class Commitments:
    """The live claims a request counts, as columns: `resource` numbers advisors first (by
    `Context.advisor_index`), then rooms (facts' order); -1 is a claim the request ignores."""

    resource: Ints
    claims: ClaimColumns  # their minutes, and which are holds


def _duration(query: SlotQuery, facts: Facts) -> int:
    """The meeting length in minutes: the query's, else the topic's, else the organisation's."""
    if query.duration is not None:
        return max(1, -(-int(query.duration.total_seconds()) // 60))
    if facts.topic and facts.topic.duration_minutes:
        return facts.topic.duration_minutes
    return facts.org.default_meeting_minutes


def _load_commitments(ctx: Context, ignore_reservations: frozenset[str], now: datetime) -> None:
    """Number every live claim by its advisor or room (-1: not counted), all at once."""
    claims = ClaimColumns.of(ctx.facts.claims)
    index = {employee_resource(e): i for e, i in ctx.advisor_index.items()}
    first_room = len(index)
    index.update((room_resource(r.id), first_room + j) for j, r in enumerate(ctx.facts.rooms))
    count = len(claims)
    resource = np.fromiter(map(index.get, claims.resources, repeat(-1)), np.int64, count)
    dropped = _dropped(ctx, claims, ignore_reservations, now)
    if dropped is not None:
        resource[dropped] = -1
    ctx.commitments = Commitments(resource, claims)


def _dropped(
    ctx: Context, claims: ClaimColumns, ignore_reservations: frozenset[str], now: datetime
) -> NDArray[np.bool_] | None:
    """Claims not to count: ignored meetings, ignored or expired holds (None: count them all, the
    usual case, found without looking at each claim in Python)."""
    ignore_meetings = set(ctx.query.ignore_meeting_ids)
    expiring = not claims.all_live and any(map(is_not, claims.expires, repeat(None)))
    if not ignore_meetings and not ignore_reservations and not expiring:
        return None
    return np.fromiter(
        (
            (meeting in ignore_meetings)
            or (bool(hold) and (hold in ignore_reservations or not (x is None or x > now)))
            for meeting, hold, x in zip(claims.meetings, claims.holds, claims.expires, strict=True)
        ),
        bool,
        len(claims),
    )


def _minutes(start: datetime | int, end: datetime | int) -> Interval:
    """[start, end) as epoch minutes: the start floored, the end ceiled."""
    lo = start if isinstance(start, int) else floor_minute(start)
    return lo, end if isinstance(end, int) else ceil_minute(end)


def _load_busy(ctx: Context) -> None:
    """Busy times into advisor causes (working-from-elsewhere only blocks Physical)."""
    reasons: dict[str, str] = {}
    for emp, start, end, kind in ctx.facts.busy:
        why = reasons.get(kind)
        if why is None:
            why = reasons[kind] = (
                ELSEWHERE if kind == "elsewhere" else f"the advisor is busy ({kind})"
            )
        if isinstance(start, int) and isinstance(end, int):
            ctx.causes[emp].append((start, end, why, kind))
        else:
            ctx.causes[emp].append((*_minutes(start, end), why, kind))


def kept_apart(ctx: Context) -> tuple[Ints, Ints]:
    """Where a new slot of this request may not start or end, per claim: the claim's blocked span
    (itself and its buffers) widened by the new slot's own buffers, so that the slot, with its
    buffer before and after, stays clear of it. The rule the database keeps on every claim."""
    assert ctx.commitments is not None
    claims = ctx.commitments.claims
    before, after = ctx.facts.org.buffer_before_minutes, ctx.facts.org.buffer_after_minutes
    if claims.blocked is None:  # made under the buffers in force now
        lo, hi = claims.starts - before, claims.ends + after
    else:
        lo, hi = claims.blocked
        if claims.unkept is not None:  # rows without a span of their own keep today's buffers
            lo = np.where(claims.unkept, claims.starts - before, lo)
            hi = np.where(claims.unkept, claims.ends + after, hi)
    return lo - after, hi + before


def _index_blocks(ctx: Context) -> None:
    """Per advisor: commitments kept apart by the buffers (`kept_apart`) plus busy times, merged;
    per room: its commitments kept apart. Up to four array merges, each over every advisor (or
    room) at once."""
    assert ctx.commitments is not None
    resource = ctx.commitments.resource
    start, end = ctx.commitments.claims.starts, ctx.commitments.claims.ends
    apart_lo, apart_hi = kept_apart(ctx)
    advisors = len(ctx.advisor_index)
    mine = (resource >= 0) & (resource < advisors)
    who, lo, hi = resource[mine], start[mine], end[mine]
    busy, away = _busy_columns(ctx)
    booked = Table.merge(who, lo, hi, advisors)
    blocks = booked
    widened = not (np.array_equal(apart_lo, start) and np.array_equal(apart_hi, end))
    if widened or len(busy[0]):
        blocks = Table.merge(*_join((who, apart_lo[mine], apart_hi[mine]), busy), advisors)
    physical = blocks
    if len(away[0]):  # the merged blocks plus working elsewhere
        physical = Table.merge(*_join((blocks.res, blocks.start, blocks.end), away), advisors)
    ctx.block_table, ctx.physical_table, ctx.booked_table = blocks, physical, booked
    ctx.blocks = BlocksView(blocks, ctx.advisor_index)
    ctx.physical_blocks = BlocksView(physical, ctx.advisor_index)
    ctx.booked = BlocksView(booked, ctx.advisor_index)
    rooms = resource >= advisors
    room_table = Table.merge(
        resource[rooms] - advisors, apart_lo[rooms], apart_hi[rooms], len(ctx.facts.rooms)
    )
    room_index = {r.id: j for j, r in enumerate(ctx.facts.rooms)}
    ctx.room_blocks = BlocksView(room_table, room_index)


Columns = tuple[Ints, Ints, Ints]


def _busy_columns(ctx: Context) -> tuple[Columns, Columns]:
    """Advisors' busy times as columns: those that block every meeting type, and working from
    elsewhere (blocks Physical meetings only)."""
    busy: tuple[list[int], list[int], list[int]] = ([], [], [])
    away: tuple[list[int], list[int], list[int]] = ([], [], [])
    for emp, causes in ctx.causes.items():
        i = ctx.advisor_index.get(emp)
        if i is None:
            continue
        for start, end, why, _ in causes:
            into = away if why is ELSEWHERE else busy
            into[0].append(i)
            into[1].append(start)
            into[2].append(end)
    return _as_columns(busy), _as_columns(away)


def _as_columns(lists: tuple[list[int], list[int], list[int]]) -> Columns:
    return ints(lists[0]), ints(lists[1]), ints(lists[2])


def _join(*parts: Columns) -> Columns:
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def causes_of(ctx: Context, emp: str, *, apart: bool = False) -> list[Cause]:
    """Everything in one advisor's way, sorted, with why: meetings, holds, busy times; with
    `apart`, the commitments' spans are those a new slot must stay out of (`kept_apart`)."""
    found = [
        Cause(lo, hi, why, IS_ELSEWHERE if why is ELSEWHERE else IS_BUSY, lo, hi, kind)
        for lo, hi, why, kind in ctx.causes.get(emp, [])
    ]
    i = ctx.advisor_index.get(emp)
    if i is not None:
        found += _claim_causes(ctx, i, apart)
    return sorted(found)


def room_causes_of(ctx: Context, room_id: str, *, apart: bool = False) -> list[Cause]:
    """A room's meetings and holds, sorted, as `causes_of` gives an advisor's."""
    for j, room in enumerate(ctx.facts.rooms):
        if room.id == room_id:
            return sorted(_claim_causes(ctx, len(ctx.advisor_index) + j, apart))
    return []


def _claim_causes(ctx: Context, resource: int, apart: bool) -> list[Cause]:
    """The live claims of one resource number (`Commitments.resource`)."""
    mine = ctx.commitments
    if mine is None:
        return []
    claims = mine.claims
    lo, hi = kept_apart(ctx) if apart else (claims.starts, claims.ends)
    found = []
    for row in np.flatnonzero(mine.resource == resource).tolist():
        why, kind = (HOLD, IS_HOLD) if claims.holds[row] else (MEETING, IS_MEETING)
        start, end = int(claims.starts[row]), int(claims.ends[row])
        found.append(Cause(int(lo[row]), int(hi[row]), why, kind, start, end))
    return found


def build_context(
    query: SlotQuery, facts: Facts, now: datetime, ignore_reservations: frozenset[str] = frozenset()
) -> Context:
    """Resolve the request: plan, window, and every advisor's and room's blocking intervals."""
    now_min = ceil_minute(now)
    start = ceil_minute(query.start) if query.start else now_min
    look = query.look_forward if query.look_forward is not None else DEFAULT_LOOK_FORWARD
    horizon = floor_minute(now + timedelta(days=facts.org.max_days_ahead))
    employees = {e.id: e for e in facts.employees}  # one per id, in the facts' order
    ctx = Context(
        query=query,
        facts=facts,
        plan=plan_request(query, facts),
        cal=Calendar(facts.org.time_zone),
        now=now_min,
        lo=max(start, now_min),
        hi=min(start + int(look.total_seconds() // 60), horizon),
        horizon=horizon,
        duration=_duration(query, facts),
        customer=query.is_customer_initiated,
        employees=employees,
        advisor_index={e: i for i, e in enumerate(employees)},
        causes=defaultdict(list),
        caps=daily_caps(facts),
        best=query.best_slots if query.best_slots is not None else query.is_customer_initiated,
    )
    _load_commitments(ctx, ignore_reservations, now)
    _load_busy(ctx)
    _index_blocks(ctx)
    return ctx
