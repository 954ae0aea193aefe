"""A request resolved against the facts: its window, plan, and every advisor's and room's
blocking intervals as sorted lists of epoch minutes. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from app.booking.facts import EmployeeFacts, Facts, RoomFacts
from app.booking.query import SlotQuery
from app.booking.rules import Plan, daily_caps, plan_request
from app.booking.timeline import Calendar, Interval, ceil_minute, floor_minute, merge

MEETING, HOLD = "taken by a meeting", "reserved by someone else"
ELSEWHERE = "the advisor works elsewhere at that time"


@dataclass
class Blocks:
    """One resource's merged blocking intervals, with their starts for bisection."""

    intervals: list[Interval] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, raw: Iterable[Interval]) -> Blocks:
        merged = merge(raw)
        return cls(merged, [s for s, _ in merged])


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
    meetings: dict[str, list[Interval]]  # advisor -> booked meetings, no buffers
    holds: dict[str, list[Interval]]  # advisor -> live holds, no buffers
    causes: dict[str, list[tuple[int, int, str]]]  # advisor -> busy times (start, end, why)
    blocks: dict[str, Blocks]  # advisor -> what blocks every meeting type (buffers included)
    physical_blocks: dict[str, Blocks]  # advisor -> plus working-from-elsewhere
    booked: dict[str, Blocks]  # advisor -> commitments (for caps and load spreading)
    room_blocks: dict[str, Blocks]
    caps: dict[str, int | None]
    best: bool = False
    notice_cache: dict[str, int] = field(default_factory=dict)
    window_cache: dict[tuple[time, time, date], Interval] = field(default_factory=dict)
    room_cache: dict[tuple[str, str | None], tuple[list[RoomFacts], bool]] = field(
        default_factory=dict
    )
    pattern_cache: dict[tuple[str, tuple[int, ...]], Any] = field(default_factory=dict)


def _duration(query: SlotQuery, facts: Facts) -> int:
    """The meeting length in minutes: the query's, else the topic's, else the organisation's."""
    if query.duration is not None:
        return max(1, -(-int(query.duration.total_seconds()) // 60))
    if facts.topic and facts.topic.duration_minutes:
        return facts.topic.duration_minutes
    return facts.org.default_meeting_minutes


def _load_commitments(ctx: Context, ignore_reservations: frozenset[str], now: datetime) -> None:
    """Sort live claims into advisors' meetings and holds and rooms' blocks."""
    ignore_meetings = set(ctx.query.ignore_meeting_ids)
    filtering = bool(ignore_meetings)
    meetings: defaultdict[str, list[Interval]] = defaultdict(list)  # by resource
    holds: defaultdict[str, list[Interval]] = defaultdict(list)
    claims: Iterable[tuple[str, int, int, str | None, str | None, datetime | None]]
    if ctx.facts.in_minutes:
        claims = cast(
            Iterable[tuple[str, int, int, str | None, str | None, datetime | None]],
            ctx.facts.claims,
        )
    else:
        claims = [(r, *_minutes(s, e), m, h, x) for r, s, e, m, h, x in ctx.facts.claims]
    # Unpacked and inlined on purpose: this loop runs once per claim in the window.
    for resource, start_at, end_at, meeting, hold, expires in claims:
        if filtering and meeting in ignore_meetings:
            continue
        if hold:
            if hold not in ignore_reservations and (expires is None or expires > now):
                holds[resource].append((start_at, end_at))
        else:
            meetings[resource].append((start_at, end_at))
    for resource in meetings.keys() | holds.keys():
        kind, _, ident = resource.partition(":")
        mine, held = meetings.get(resource, []), holds.get(resource)
        if kind == "room":
            ctx.room_blocks[ident] = Blocks.of(mine + held if held else mine)
            continue
        ctx.meetings[ident] = mine
        if held:
            ctx.holds[ident] = held


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
            ctx.causes[emp].append((start, end, why))
        else:
            ctx.causes[emp].append((*_minutes(start, end), why))


def _index_blocks(ctx: Context) -> None:
    """Per advisor: commitments widened by the buffers plus busy times, merged and sorted."""
    before, after = ctx.facts.org.buffer_before_minutes, ctx.facts.org.buffer_after_minutes
    for emp in ctx.meetings.keys() | ctx.holds.keys() | ctx.causes.keys():
        held = ctx.holds.get(emp)
        booked = ctx.meetings.get(emp, []) + held if held else ctx.meetings.get(emp, [])
        busy = ctx.causes.get(emp)
        if not before and not after and not busy:  # the usual advisor: one merge
            ctx.blocks[emp] = ctx.booked[emp] = ctx.physical_blocks[emp] = Blocks.of(booked)
            continue
        widened = [(start - before, end + after) for start, end in booked]
        away: list[Interval] = []
        for start, end, why in busy or ():
            (away if why is ELSEWHERE else widened).append((start, end))
        ctx.blocks[emp] = Blocks.of(widened)
        same = not before and not after and len(booked) == len(widened)  # commitments only
        ctx.booked[emp] = ctx.blocks[emp] if same else Blocks.of(booked)
        ctx.physical_blocks[emp] = Blocks.of(widened + away) if away else ctx.blocks[emp]


def causes_of(ctx: Context, emp: str) -> list[tuple[int, int, str]]:
    """Everything in one advisor's way, sorted, with why: meetings, holds, busy times."""
    found = [(start, end, MEETING) for start, end in ctx.meetings.get(emp, ())]
    found += [(start, end, HOLD) for start, end in ctx.holds.get(emp, ())]
    return sorted(found + ctx.causes.get(emp, []))


def build_context(
    query: SlotQuery, facts: Facts, now: datetime, ignore_reservations: frozenset[str] = frozenset()
) -> Context:
    """Resolve the request: plan, window, and every advisor's and room's blocking intervals."""
    now_min = ceil_minute(now)
    start = ceil_minute(query.start) if query.start else now_min
    look = query.look_forward if query.look_forward is not None else timedelta(days=7)
    horizon = floor_minute(now + timedelta(days=facts.org.max_days_ahead))
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
        employees={e.id: e for e in facts.employees},
        meetings={},
        holds={},
        causes=defaultdict(list),
        blocks={},
        physical_blocks={},
        booked={},
        room_blocks={},
        caps=daily_caps(facts),
        best=query.best_slots if query.best_slots is not None else query.is_customer_initiated,
    )
    _load_commitments(ctx, ignore_reservations, now)
    _load_busy(ctx)
    _index_blocks(ctx)
    return ctx
