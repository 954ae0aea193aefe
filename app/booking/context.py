"""A request resolved against the facts: its window, plan, and every advisor's and room's
blocking intervals in epoch minutes, merged for all of them at once (`tables.py`). Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
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
    OrgFacts,
    employee_resource,
    room_resource,
)
from app.booking.query import SlotQuery
from app.booking.room_choice import RoomTable, room_table
from app.booking.rules import Plan, daily_caps, plan_request
from app.booking.tables import BlocksView, Ints, Table, ints
from app.booking.timeline import Calendar, Interval, ceil_minute, floor_minute

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


@dataclass(frozen=True, slots=True)
class Request:
    """The request as resolved: its plan, its window of starts and the flags that steer it."""

    query: SlotQuery
    plan: Plan
    now: int
    lo: int  # first allowed start
    hi: int  # starts are < hi
    horizon: int
    duration: int
    customer: bool  # customer-initiated: notice and daily caps apply
    best: bool  # one best slot per start


@dataclass(frozen=True, slots=True)
class Tables:
    """The merged blocking intervals, each table once, read per advisor (or room) id; the arrays
    themselves are each view's `table`."""

    blocks: BlocksView  # advisor -> what blocks every meeting type (buffers too)
    physical: BlocksView  # advisor -> plus working-from-elsewhere
    booked: BlocksView  # advisor -> commitments alone (caps, load of the day)
    rooms: BlocksView  # room -> its commitments kept apart


@dataclass(frozen=True, slots=True)
class Context:
    """One request resolved against the facts, built once by `build_context` and never changed:
    the request, the facts and their calendar, the live claims and busy times, the merged tables
    and the rooms each meeting type and place may use."""

    request: Request
    facts: Facts
    cal: Calendar
    employees: Mapping[str, EmployeeFacts]  # one per id, in the facts' order
    advisor_index: Mapping[str, int]  # advisor id -> its number in the tables (facts' order)
    caps: Mapping[str, int | None]
    commitments: Commitments  # the live claims the request counts
    causes: Mapping[str, list[Busy]]  # advisor -> busy times (start, end, why, kind)
    tables: Tables
    rooms: RoomTable  # by (meeting type, place)


Busy = tuple[int, int, str, str]


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


def _commitments(
    query: SlotQuery,
    facts: Facts,
    advisor_index: Mapping[str, int],
    ignore_reservations: frozenset[str],
    now: datetime,
) -> Commitments:
    """Number every live claim by its advisor or room (-1: not counted), all at once."""
    claims = ClaimColumns.of(facts.claims)
    index = {employee_resource(e): i for e, i in advisor_index.items()}
    first_room = len(index)
    index.update((room_resource(r.id), first_room + j) for j, r in enumerate(facts.rooms))
    count = len(claims)
    resource = np.fromiter(map(index.get, claims.resources, repeat(-1)), np.int64, count)
    dropped = _dropped(query, claims, ignore_reservations, now)
    if dropped is not None:
        resource[dropped] = -1
    return Commitments(resource, claims)


def _dropped(
    query: SlotQuery, claims: ClaimColumns, ignore_reservations: frozenset[str], now: datetime
) -> NDArray[np.bool_] | None:
    """Claims not to count: ignored meetings, ignored or expired holds (None: count them all, the
    usual case, found without looking at each claim in Python)."""
    ignore_meetings = set(query.ignore_meeting_ids)
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


def _busy(facts: Facts) -> dict[str, list[Busy]]:
    """Busy times per advisor, with why (working-from-elsewhere only blocks Physical)."""
    causes: defaultdict[str, list[Busy]] = defaultdict(list)
    reasons: dict[str, str] = {}
    for emp, start, end, kind in facts.busy:
        why = reasons.get(kind)
        if why is None:
            why = reasons[kind] = (
                ELSEWHERE if kind == "elsewhere" else f"the advisor is busy ({kind})"
            )
        if isinstance(start, int) and isinstance(end, int):
            causes[emp].append((start, end, why, kind))
        else:
            causes[emp].append((*_minutes(start, end), why, kind))
    return dict(causes)


def kept_apart(ctx: Context) -> tuple[Ints, Ints]:
    """Where a new slot of this request may not start or end, per claim (`_kept_apart`)."""
    return _kept_apart(ctx.commitments.claims, ctx.facts.org)


def _kept_apart(claims: ClaimColumns, org: OrgFacts) -> tuple[Ints, Ints]:
    """Per claim: the claim's blocked span (itself and its buffers) widened by the new slot's own
    buffers, so that the slot, with its buffer before and after, stays clear of it. The rule the
    database keeps on every claim."""
    before, after = org.buffer_before_minutes, org.buffer_after_minutes
    if claims.blocked is None:  # made under the buffers in force now
        lo, hi = claims.starts - before, claims.ends + after
    else:
        lo, hi = claims.blocked
        if claims.unkept is not None:  # rows without a span of their own keep today's buffers
            lo = np.where(claims.unkept, claims.starts - before, lo)
            hi = np.where(claims.unkept, claims.ends + after, hi)
    return lo - after, hi + before


def _tables(
    facts: Facts,
    commitments: Commitments,
    causes: Mapping[str, list[Busy]],
    advisor_index: Mapping[str, int],
) -> Tables:
    """Per advisor: commitments kept apart by the buffers (`kept_apart`) plus busy times, merged;
    per room: its commitments kept apart. Up to four array merges, each over every advisor (or
    room) at once."""
    resource = commitments.resource
    start, end = commitments.claims.starts, commitments.claims.ends
    apart_lo, apart_hi = _kept_apart(commitments.claims, facts.org)
    advisors = len(advisor_index)
    mine = (resource >= 0) & (resource < advisors)
    who, lo, hi = resource[mine], start[mine], end[mine]
    busy, away = _busy_columns(causes, advisor_index)
    booked = Table.merge(who, lo, hi, advisors)
    blocks = booked
    widened = not (np.array_equal(apart_lo, start) and np.array_equal(apart_hi, end))
    if widened or len(busy[0]):
        blocks = Table.merge(*_join((who, apart_lo[mine], apart_hi[mine]), busy), advisors)
    physical = blocks
    if len(away[0]):  # the merged blocks plus working elsewhere
        physical = Table.merge(*_join((blocks.res, blocks.start, blocks.end), away), advisors)
    rooms = resource >= advisors
    room_table = Table.merge(
        resource[rooms] - advisors, apart_lo[rooms], apart_hi[rooms], len(facts.rooms)
    )
    room_index = {r.id: j for j, r in enumerate(facts.rooms)}
    return Tables(
        blocks=BlocksView(blocks, advisor_index),
        physical=BlocksView(physical, advisor_index),
        booked=BlocksView(booked, advisor_index),
        rooms=BlocksView(room_table, room_index),
    )


Columns = tuple[Ints, Ints, Ints]


def _busy_columns(
    causes: Mapping[str, list[Busy]], advisor_index: Mapping[str, int]
) -> tuple[Columns, Columns]:
    """Advisors' busy times as columns: those that block every meeting type, and working from
    elsewhere (blocks Physical meetings only)."""
    busy: tuple[list[int], list[int], list[int]] = ([], [], [])
    away: tuple[list[int], list[int], list[int]] = ([], [], [])
    for emp, found in causes.items():
        i = advisor_index.get(emp)
        if i is None:
            continue
        for start, end, why, _ in found:
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
    employees = {e.id: e for e in facts.employees}  # one per id, in the facts' order
    advisor_index = {e: i for i, e in enumerate(employees)}
    plan = plan_request(query, facts)
    commitments = _commitments(query, facts, advisor_index, ignore_reservations, now)
    causes = _busy(facts)
    return Context(
        request=_request(query, facts, plan, now),
        facts=facts,
        cal=Calendar(facts.org.time_zone),
        employees=employees,
        advisor_index=advisor_index,
        caps=daily_caps(facts),
        commitments=commitments,
        causes=causes,
        tables=_tables(facts, commitments, causes, advisor_index),
        rooms=room_table(query, facts, plan.meeting_types),
    )


def _request(query: SlotQuery, facts: Facts, plan: Plan, now: datetime) -> Request:
    """The request's window of starts (now, the query's start and look-forward, the horizon)."""
    now_min = ceil_minute(now)
    start = ceil_minute(query.start) if query.start else now_min
    look = query.look_forward if query.look_forward is not None else DEFAULT_LOOK_FORWARD
    horizon = floor_minute(now + timedelta(days=facts.org.max_days_ahead))
    return Request(
        query=query,
        plan=plan,
        now=now_min,
        lo=max(start, now_min),
        hi=min(start + int(look.total_seconds() // 60), horizon),
        horizon=horizon,
        duration=_duration(query, facts),
        customer=query.is_customer_initiated,
        best=query.best_slots if query.best_slots is not None else query.is_customer_initiated,
    )
