"""The resolved request (`app.booking.context`): built once by `build_context`, frozen in every
part, and the same answer however often it is searched."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import timedelta

import pytest

from app.booking.advisor_day import FAR, earliest_start
from app.booking.availability import available_slots, slots_for
from app.booking.context import build_context
from app.booking.facts import RoomFacts
from app.booking.workday import room_options
from tests.unit.engine_helpers import NORTH, NOW, ORG, SOUTH, advisor, facts, local, meeting, query
from tests.unit.engine_helpers import week as schedule


def _two_branches():  # type: ignore[no-untyped-def]
    rooms = (
        RoomFacts("r-b", SOUTH.id, name="B"),
        RoomFacts("r-a", SOUTH.id, name="A"),
        RoomFacts("r-n", NORTH.id, name="N"),
        RoomFacts("r-off", SOUTH.id, can_be_booked=False, name="0"),
    )
    employees = (advisor("e1"), advisor("e2", schedule=schedule(location=SOUTH.id)))
    claims = (meeting("e1", local(2, 10)), meeting("e2", local(2, 12)))
    return facts(employees=employees, rooms=rooms, claims=claims)


def test_the_context_and_its_parts_are_frozen() -> None:
    ctx = build_context(query(), _two_branches(), NOW)
    for part, name in ((ctx, "facts"), (ctx.request, "lo"), (ctx.tables, "blocks")):
        with pytest.raises((FrozenInstanceError, AttributeError)):
            setattr(part, name, None)
    assert not hasattr(ctx, "__dict__")  # slots: no field can be added later either


def test_searching_a_context_twice_gives_the_same_answer() -> None:
    f = _two_branches()
    q = query(meeting_types=("Physical", "Online"), best_slots=True, look_forward=timedelta(days=3))
    ctx = build_context(q, f, NOW)
    first = slots_for(ctx)
    assert first and slots_for(ctx) == first == available_slots(q, f, NOW)


def test_rooms_are_worked_out_for_every_place_an_advisor_works() -> None:
    ctx = build_context(query(meeting_types=("Physical", "Online")), _two_branches(), NOW)
    rooms, required = ctx.rooms[("Physical", SOUTH.id)]
    assert [r.id for r in rooms] == ["r-a", "r-b"]  # by name, bookable only
    assert not required
    assert ctx.rooms[("Online", SOUTH.id)] == ((), False)
    assert ("Telephone", SOUTH.id) not in ctx.rooms  # the request's meeting types only
    assert room_options(ctx, "Telephone", SOUTH.id) == ((), False)  # worked out on the spot
    assert room_options(ctx, "Physical", "nowhere") == ((), False)  # a place no fact names


def test_notice_never_runs_out_for_an_advisor_who_never_works() -> None:
    org = replace(ORG, min_notice_minutes=60)
    f = facts(org=org, employees=(advisor("e1", schedule=()),))
    ctx = build_context(query(is_customer_initiated=True), f, NOW)
    assert earliest_start(ctx, f.employees[0]) == FAR
    f = replace(_two_branches(), org=org)
    working = build_context(query(is_customer_initiated=True), f, NOW)
    assert earliest_start(working, working.employees["e1"]) == working.request.now + 60
