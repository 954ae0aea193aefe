"""One advisor's free time on a day (the rules' verdict on the day, `advisor_day`, minus what
blocks them) and the rooms. Pure; shared by the engine and by the explanations."""

from __future__ import annotations

from datetime import date

from app.booking.advisor_day import (
    advisor_terms,
    booked_minutes,
    day_verdict,
    working_day,
)
from app.booking.context import Context
from app.booking.facts import EmployeeFacts, RoomFacts, ScheduleDay
from app.booking.rules import PHYSICAL
from app.booking.timeline import Interval, overlaps, subtract

NO_ROOM = "-"  # marker: a room is required and none is free


def day_free(
    ctx: Context, emp: EmployeeFacts, day: date, mtype: str, sched: ScheduleDay | None = None
) -> list[Interval]:
    """Where one advisor could start-and-finish a meeting of `mtype` on one local day, as the
    rules decide the day (`advisor_day.day_verdict`), minus what blocks the advisor."""
    work = working_day(ctx, sched or emp.day(day.weekday()), day, mtype)
    verdict = day_verdict(ctx, advisor_terms(ctx, emp), work, booked_minutes(ctx, emp.id, day))
    if verdict.refusals:
        return []
    lo, hi = verdict.lo, verdict.hi
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
