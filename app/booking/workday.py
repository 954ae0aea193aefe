"""One advisor's free time on a day (the rules' verdict on the day, `advisor_day`, minus what
blocks them) and the rooms. Pure; shared by the engine and by the explanations."""

from __future__ import annotations

from datetime import date

from app.booking import room_choice
from app.booking.advisor_day import (
    AdvisorTerms,
    booked_minutes,
    day_verdict,
    working_day,
)
from app.booking.context import Context
from app.booking.facts import EmployeeFacts, ScheduleDay
from app.booking.room_choice import RoomOptions
from app.booking.rules import PHYSICAL
from app.booking.timeline import Interval, overlaps, subtract

NO_ROOM = "-"  # marker: a room is required and none is free


def day_free(
    ctx: Context,
    emp: EmployeeFacts,
    day: date,
    mtype: str,
    terms: AdvisorTerms,
    sched: ScheduleDay | None = None,
) -> list[Interval]:
    """Where one advisor could start-and-finish a meeting of `mtype` on one local day, as the
    rules decide the day (`advisor_day.day_verdict`, with the advisor's `advisor_terms` worked
    out once per search), minus what blocks the advisor."""
    work = working_day(ctx, sched or emp.day(day.weekday()), day, mtype)
    verdict = day_verdict(ctx, terms, work, booked_minutes(ctx, emp.id, day))
    if verdict.refusals:
        return []
    lo, hi = verdict.lo, verdict.hi
    table = ctx.tables.physical if mtype == PHYSICAL else ctx.tables.blocks
    blocks = table.get(emp.id)
    if blocks is None:
        return [(lo, hi)] if lo < hi else []
    return subtract((lo, hi), blocks.intervals, blocks.starts)


def room_options(ctx: Context, mtype: str, place: str | None) -> RoomOptions:
    """Candidate rooms (in preference order) and whether a room is required (`room_choice`):
    worked out for every meeting type and place in `build_context`."""
    found = ctx.rooms.get((mtype, place))
    if found is None:  # a place no fact names
        found = room_choice.room_options(ctx.request.query, ctx.facts, mtype, place)
    return found


def refuses_no_room(ctx: Context, mtype: str, place: str | None) -> bool:
    """Asked for a Physical meeting without a room at a branch that requires one."""
    return room_choice.refuses_no_room(ctx.request.query, ctx.facts, mtype, place)


def pick_room(ctx: Context, mtype: str, place: str | None, start: int, end: int) -> str | None:
    """The first free candidate room, None when none is needed or free, NO_ROOM when required."""
    rooms, required = room_options(ctx, mtype, place)
    for room in rooms:
        blocks = ctx.tables.rooms.get(room.id)
        if blocks is None or not overlaps(blocks.intervals, blocks.starts, start, end):
            return room.id
    return NO_ROOM if required else None
