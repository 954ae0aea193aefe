"""Why the engine does not offer one proposed time: every rule it breaks, as structured reasons.
Pure.

The rules are checked in the order a person would check them: the time itself (past, horizon,
grid, topic, closing day), then each advisor (bookable and skilled, working that day, the meeting
type and place, the hours, the notice, the daily cap, the meetings, holds and busy times in the
way), then the room. Each rule is the engine's own building block (`workday`, `rules`,
`context.causes_of`); the engine's answer (`slots_for`) stays the judge of whether a time is free.
A reason names advisors, rooms, places and topics by id and times as UTC instants: the caller
puts them into words. It never carries anything about whose meeting is in the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from app.booking.advisor_day import CLOSED as CLOSED  # the reason codes, said from here too
from app.booking.advisor_day import DAILY_CAP as DAILY_CAP
from app.booking.advisor_day import DAY_OFF as DAY_OFF
from app.booking.advisor_day import (
    FAR,
    WorkingDay,
    advisor_terms,
    booked_minutes,
    within_cap,
    working_day,
)
from app.booking.advisor_day import NO_MEETING_TYPE as NO_MEETING_TYPE
from app.booking.advisor_day import NOT_BOOKABLE as NOT_BOOKABLE
from app.booking.advisor_day import NOT_QUALIFIED as NOT_QUALIFIED
from app.booking.advisor_day import NOTICE as NOTICE
from app.booking.advisor_day import OTHER_PLACE as OTHER_PLACE
from app.booking.availability import slots_for
from app.booking.context import (
    IS_ELSEWHERE,
    IS_HOLD,
    IS_MEETING,
    Cause,
    Context,
    causes_of,
    room_causes_of,
)
from app.booking.facts import EmployeeFacts
from app.booking.query import Slot
from app.booking.rules import PHYSICAL, pool_priority, qualified
from app.booking.timeline import GRID, floor_minute
from app.booking.workday import NO_ROOM, pick_room, refuses_no_room, room_options

# The time itself (and CLOSED); the advisor's day: the codes of `advisor_day`'s rules
PAST, HORIZON, OFF_GRID = "past", "horizon", "off_grid"
TOPIC_CUSTOMER_TYPE, TOPIC_MEETING_TYPE = "topic_customer_type", "topic_meeting_type"
NO_ADVISOR = "no_advisor"  # the system's choice: nobody in the pool that day
# One advisor
OUTSIDE_HOURS, CLASH, TOO_CLOSE = "outside_hours", "clash", "too_close"
JOINT_APART = "joint_apart"  # a joint meeting at a branch, with the advisors at different ones
# The room
ROOM_REQUIRED, NO_ROOM_FREE, ROOM_UNBOOKABLE = "room_required", "no_room_free", "room_unbookable"
ROOM_TAKEN, ROOM_TOO_CLOSE = "room_taken", "room_too_close"


@dataclass(frozen=True)
class Reason:
    """One rule the proposed time breaks: `code` (above), the advisor it is about (None: the time
    or the room) and the facts that put it into words (ids, UTC instants, dates, minutes)."""

    code: str
    advisor: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Verdict:
    """The engine's answer for one time (`start`-`end`): the slots it offers there (`free`), else
    `reasons` about `advisors` (those named, or the pool the system would choose from)."""

    start: datetime
    end: datetime
    free: tuple[Slot, ...] = ()
    reasons: tuple[Reason, ...] = ()
    advisors: tuple[str, ...] = ()


def judge(ctx: Context, room_id: str | None, *, choose_room: bool = False) -> Verdict:
    """Whether the engine offers the query's start and length (the named advisors, else anyone it
    would choose; `room_id`, else the room it picks with `choose_room`, else none), and if not,
    why. The query looks at one start: `check_query` or the same shape."""
    query = ctx.request.query
    start = query.start
    assert start is not None  # a judged query names its start
    end = start + (query.duration or timedelta(minutes=ctx.request.duration))
    wanted = query.meeting_types[0] if query.meeting_types else None
    free = []
    for slot in slots_for(ctx):
        if slot.start == start and slot.end == end and wanted in (None, slot.meeting_type):
            kept = _as_asked(ctx, slot, room_id, choose_room)
            if kept is not None:
                free.append(kept)
    if free:
        return Verdict(start, end, free=tuple(free))
    mtype = wanted or next(iter(ctx.request.plan.meeting_types), PHYSICAL)
    ids = query.explicit_employee_ids
    if ids:
        found = reasons(ctx, ids, start, end, mtype, room_id, choose_room=choose_room)
        return Verdict(start, end, reasons=tuple(found), advisors=ids)
    candidates, found = pool_reasons(ctx, start, end, mtype, room_id, choose_room=choose_room)
    return Verdict(start, end, reasons=tuple(found), advisors=candidates)


def _as_asked(ctx: Context, slot: Slot, room_id: str | None, choose_room: bool) -> Slot | None:
    """An offered slot as the caller takes it: a slot offered with a room may be taken without one
    only when the room is optional."""
    if room_id is not None or choose_room or slot.room_id is None:
        return slot
    ids, mtype = slot.employee_ids, slot.meeting_type
    if reasons(ctx, ids, slot.start, slot.end, mtype, None):
        return None
    return replace(slot, room_id=None)


def reasons(
    ctx: Context,
    employee_ids: tuple[str, ...],
    start: datetime,
    end: datetime,
    mtype: str,
    room_id: str | None,
    *,
    choose_room: bool = False,
) -> list[Reason]:
    """Every rule the slot breaks for these advisors (a joint meeting if several), in order."""
    s, e = floor_minute(start), floor_minute(end)
    found = _general(ctx, s, mtype)
    for emp_id in employee_ids:
        found += _advisor(ctx, ctx.employees[emp_id], s, e, mtype)
    found += _joint(ctx, employee_ids, s, mtype)
    found += _room(ctx, employee_ids[0], s, e, mtype, room_id, choose_room)
    return found


def pool_reasons(
    ctx: Context,
    start: datetime,
    end: datetime,
    mtype: str,
    room_id: str | None,
    *,
    choose_room: bool = False,
) -> tuple[tuple[str, ...], list[Reason]]:
    """The system's choice: the advisors it would choose from that day (qualified, in a pool for
    the meeting type and place) and every rule the slot breaks for each of them, said once."""
    s, e = floor_minute(start), floor_minute(end)
    found = _general(ctx, s, mtype)
    ids = pool(ctx, s, mtype)
    if not ids:
        weekday = ctx.cal.local_date(s).weekday()
        places = tuple(sorted(ctx.request.plan.meeting_location_ids))
        params = {"weekday": weekday, "meeting_type": mtype, "places": places}
        found.append(Reason(NO_ADVISOR, params=params))
    for emp_id in ids:
        mine = _advisor(ctx, ctx.employees[emp_id], s, e, mtype)
        for reason in mine + _room(ctx, emp_id, s, e, mtype, room_id, choose_room):
            if reason not in found:
                found.append(reason)
    return ids, found


def pool(ctx: Context, s: int, mtype: str) -> tuple[str, ...]:
    """The advisors the engine chooses from on the day of `s`: qualified and in a pool there."""
    weekday = ctx.cal.local_date(s).weekday()
    found = []
    for emp in ctx.facts.employees:
        if not qualified(emp, ctx.request.plan):
            continue
        sched = emp.day(weekday)
        place = sched.location_id if sched else None
        if pool_priority(emp, ctx.request.plan, place, mtype) is not None:
            found.append(emp.id)
    return tuple(found)


def _general(ctx: Context, s: int, mtype: str) -> list[Reason]:
    """Rules that do not depend on the advisor: past, horizon, grid, topic, closing day."""
    topic, ctype = ctx.facts.topic, ctx.request.query.customer_type_id
    topic_id = topic.id if topic else None
    found = []
    if s < ctx.request.now:
        found.append(Reason(PAST))
    elif s >= ctx.request.horizon:
        found.append(Reason(HORIZON, params={"days": ctx.facts.org.max_days_ahead}))
    if (s + ctx.cal.offset(s)) % GRID:
        found.append(Reason(OFF_GRID, params={"grid": GRID}))
    if topic and topic.customer_type_ids and ctype and ctype not in topic.customer_type_ids:
        params = {"topic": topic_id, "customer_type": ctype}
        found.append(Reason(TOPIC_CUSTOMER_TYPE, params=params))
    if mtype not in ctx.request.plan.meeting_types:
        params = {"topic": topic_id, "meeting_type": mtype}
        found.append(Reason(TOPIC_MEETING_TYPE, params=params))
    day = ctx.cal.local_date(s)
    if day in ctx.facts.closing_days:
        found.append(Reason(CLOSED, params={"day": day}))
    return found


def _advisor(ctx: Context, emp: EmployeeFacts, s: int, e: int, mtype: str) -> list[Reason]:
    """Rules about one advisor, as the engine applies them (`advisor_day`): qualified, working,
    the notice, the daily cap; then the commitments in the way."""
    found = []
    params: dict[str, Any]
    day = ctx.cal.local_date(s)
    terms = advisor_terms(ctx, emp)
    if terms.refusal is not None:
        params = {
            "topic": ctx.request.query.topic_id,
            "customer_type": ctx.request.query.customer_type_id,
        }
        found.append(Reason(terms.refusal, emp.id, params))
    found += _schedule(ctx, working_day(ctx, emp.day(day.weekday()), day, mtype), emp.id, s, e)
    first = terms.first
    if s < first and first > ctx.request.now:  # (before now: the time is in the past)
        earliest = None if first >= FAR else ctx.cal.instant(first)
        params = {"minutes": ctx.facts.org.min_notice_minutes, "earliest": earliest}
        found.append(Reason(NOTICE, emp.id, params))
    load = booked_minutes(ctx, emp.id, day)
    if terms.cap is not None and not within_cap(load, ctx.request.duration, terms.cap):
        params = {"cap": terms.cap, "booked": load, "day": day}
        found.append(Reason(DAILY_CAP, emp.id, params))
    return found + _commitments(ctx, emp, s, e, mtype)


def _schedule(ctx: Context, work: WorkingDay, emp_id: str, s: int, e: int) -> list[Reason]:
    """The schedule rule's refusals (`working_day`): works that day, offers the meeting type, at
    the place; then the hours. A closing day is said once, for the time (`_general`)."""
    weekday = work.day.weekday()
    if DAY_OFF in work.refusals:
        return [Reason(DAY_OFF, emp_id, {"weekday": weekday})]
    found = []
    place = work.place
    if NO_MEETING_TYPE in work.refusals:
        params = {"weekday": weekday, "meeting_type": work.meeting_type}
        found.append(Reason(NO_MEETING_TYPE, emp_id, params))
    if OTHER_PLACE in work.refusals:
        wanted = tuple(sorted(ctx.request.plan.meeting_location_ids))
        params = {"weekday": weekday, "place": place, "wanted": wanted}
        found.append(Reason(OTHER_PLACE, emp_id, params))
    if s < work.lo or e > work.hi:
        start, end = ctx.cal.instant(work.lo), ctx.cal.instant(work.hi)
        params = {"weekday": weekday, "place": place, "start": start, "end": end}
        found.append(Reason(OUTSIDE_HOURS, emp_id, params))
    return found


def _commitments(ctx: Context, emp: EmployeeFacts, s: int, e: int, mtype: str) -> list[Reason]:
    """The meetings, holds and busy times in the way, then those too close (inside a buffer)."""
    found, clashed = [], set()
    for cause in causes_of(ctx, emp.id):
        if cause.kind == IS_ELSEWHERE and mtype != PHYSICAL:
            continue
        if cause.lo < e and s < cause.hi:
            clashed.add((cause.kind, cause.start, cause.end))
            found.append(Reason(CLASH, emp.id, _span(ctx, cause)))
    for cause in causes_of(ctx, emp.id, apart=True):
        if (
            cause.kind not in (IS_MEETING, IS_HOLD)
            or (cause.kind, cause.start, cause.end) in clashed
        ):
            continue
        if cause.lo < e and s < cause.hi:
            found.append(Reason(TOO_CLOSE, emp.id, {**_span(ctx, cause), "gap": _gap(cause, s)}))
    return found


def _span(ctx: Context, cause: Cause) -> dict[str, Any]:
    """What a reason may say about a cause: its kind, its own start and end, a busy time's kind."""
    start, end = ctx.cal.instant(cause.start), ctx.cal.instant(cause.end)
    return {"kind": cause.kind, "start": start, "end": end, "label": cause.label}


def _gap(cause: Cause, s: int) -> int:
    """The minutes kept between the commitment and a slot on its side of it."""
    return cause.start - cause.lo if cause.start >= s else cause.hi - cause.end


def _joint(ctx: Context, employee_ids: tuple[str, ...], s: int, mtype: str) -> list[Reason]:
    """A joint meeting at a branch needs every advisor at the same branch that day."""
    if len(employee_ids) < 2 or mtype != PHYSICAL:
        return []
    weekday = ctx.cal.local_date(s).weekday()
    days = [(i, ctx.employees[i].day(weekday)) for i in employee_ids]
    places = tuple((i, sched.location_id) for i, sched in days if sched is not None)
    if len(places) < len(days) or len({place for _, place in places}) < 2:
        return []
    return [Reason(JOINT_APART, params={"apart": places})]


def _room(
    ctx: Context, emp_id: str, s: int, e: int, mtype: str, room_id: str | None, choose: bool
) -> list[Reason]:
    """The room: a named one must be bookable and free; a required one must be named (or chosen
    by the engine with `choose`) and one must be free. The place is the (lead) advisor's."""
    sched = ctx.employees[emp_id].day(ctx.cal.local_date(s).weekday())
    place = sched.location_id if sched else None
    rooms, required = room_options(ctx, mtype, place)
    if refuses_no_room(ctx, mtype, place):
        return [Reason(ROOM_REQUIRED, params={"place": place})]
    if room_id is None:
        if not required:
            return []
        if pick_room(ctx, mtype, place, s, e) == NO_ROOM:
            return [Reason(NO_ROOM_FREE, params={"place": place})]
        return [] if choose else [Reason(ROOM_REQUIRED, params={"place": place})]
    if room_id not in {r.id for r in rooms}:
        return [Reason(ROOM_UNBOOKABLE, params={"room": room_id})]
    if pick_room(ctx, mtype, place, s, e) == room_id:
        return []
    found = []
    for cause in room_causes_of(ctx, room_id, apart=True):
        if cause.lo < e and s < cause.hi:
            close = not (cause.start < e and s < cause.end)
            code, params = (ROOM_TOO_CLOSE, {"gap": _gap(cause, s)}) if close else (ROOM_TAKEN, {})
            found.append(Reason(code, params={"room": room_id, **_span(ctx, cause), **params}))
    return found or [Reason(ROOM_TAKEN, params={"room": room_id})]
