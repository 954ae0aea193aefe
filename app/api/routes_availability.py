"""`GET /bookme/time-slots/available` (`bookme.read`): parse the query, ask the slot service, answer.

The answer can hold tens of thousands of slots: the service's rows are written straight to JSON
bytes (`rows_body`), byte for byte what orjson makes of `slots_payload`'s dicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import chain, repeat
from typing import Any

import orjson
from flask import request

from app import clock
from app.api import bp
from app.api.auth import require_scope
from app.api.errors import json_response
from app.api.openapi import document
from app.api.params import parse_query
from app.api.schemas import AvailabilityQuery, TimeSlotOut
from app.booking.availability import SlotRows
from app.booking.errors import InvalidRequest
from app.booking.query import Slot, SlotQuery
from app.booking.slots import find_slots
from app.booking.timeline import instant

MAX_LOOK_FORWARD = timedelta(days=3660)  # the organisation's maximum cuts far below this anyway
MAX_DURATION = timedelta(hours=24)

DESCRIPTION = """\
Slots start on the half hour in the organisation's time zone and are sorted by `startDate`, then
meeting type. `requireEmployeeParticipation` is required.

- `employeeTypes` naming more than `Explicit` (with `true` or `false`): the union of those pools
  (`Explicit` uses `explicitEmployeeIds`). With best slots each time goes to the best pool's
  advisor: Example 2's preferred advisor where free, other qualified advisors elsewhere.
- `true` with `explicitEmployeeIds` and no other pool: every listed employee must be free (a joint
  meeting; the slot names them all in `employeeIds`).
- `true` without either: the Local and ServiceGroup pools.
- `false` needs `employeeTypes`.

Best slots (one advisor per time and meeting type, the best pool first, then the least booked
that day, then a fixed order) are the default, as the vendor's guide says; `getBestTimeSlots=false`
lists every free advisor. The vendor picks at random among equals; ours stays deterministic so that
the same question gives the same answer (a customer reloading the page sees the same advisor, and a
reservation made from an answer matches it).

Array parameters accept repetition (`a=1&a=2`), a comma list (`a=1,2`) and the bracket form
(`a=[]`, `a=["1","2"]`). Durations are .NET TimeSpans (`7.00:00:00`, `00:45:00`) or ISO 8601
(`P7D`, `PT45M`). A window longer than the organisation's maximum is cut to it. Unknown topic,
customer type, employee, room or location give 404 naming which.
"""


def to_slot_query(q: AvailabilityQuery) -> SlotQuery:
    """The engine's query from the validated parameters."""
    if q.meeting_duration is not None and q.meeting_duration > MAX_DURATION:
        raise InvalidRequest("meetingDuration must be at most 24 hours", field="meetingDuration")
    look = q.look_forward_time
    return SlotQuery(
        require_employee_participation=q.require_employee_participation,
        explicit_employee_ids=tuple(dict.fromkeys(q.explicit_employee_ids)),
        employee_types=tuple(dict.fromkeys(q.employee_types)),
        start=q.start_date,
        look_forward=min(look, MAX_LOOK_FORWARD) if look is not None else None,
        topic_id=q.topic,
        customer_type_id=q.customer_type_id,
        meeting_types=tuple(dict.fromkeys(q.meeting_types)),
        customer_location=q.customer_location,
        meeting_location=q.meeting_location,
        require_room=q.require_room,
        specific_room_ids=tuple(dict.fromkeys(q.specific_rooms)),
        ignore_meeting_ids=tuple(dict.fromkeys(q.ignore_meeting_ids)),
        duration=q.meeting_duration,
        is_customer_initiated=q.is_customer_initiated,
        ignore_minimum_notice=q.ignore_minimum_time_before_booking,
        best_slots=True if q.get_best_time_slots is None else q.get_best_time_slots,
    )


def iso_stamp(instant: datetime) -> str:
    """`2025-10-10T08:00:00.000Z` for an aware UTC instant."""
    return f"{instant:%Y-%m-%dT%H:%M:%S}.{instant.microsecond // 1000:03d}Z"


def slots_payload(slots: Iterable[Slot]) -> list[dict[str, Any]]:
    """The wire form of the slots as dicts: the readable definition that `rows_body` must match
    byte for byte once orjson writes it (`tests/unit/test_availability_wire.py`)."""
    stamps: dict[datetime, str] = {}
    teams: dict[tuple[str, ...], list[str]] = {}
    out: list[dict[str, Any]] = []
    append = out.append
    for s in slots:
        start = stamps.get(s.start)
        if start is None:
            start = stamps[s.start] = iso_stamp(s.start)
        end = stamps.get(s.end)
        if end is None:
            end = stamps[s.end] = iso_stamp(s.end)
        team = teams.get(s.employee_ids)
        if team is None:
            team = teams[s.employee_ids] = list(s.employee_ids)
        append(
            {
                "startDate": start,
                "endDate": end,
                "meetingType": s.meeting_type,
                "employeeId": s.employee_id,
                "employeeIds": team,
                "roomId": s.room_id,
                "meetingTopicId": s.topic_id,
            }
        )
    return out


def rows_body(found: SlotRows) -> bytes:
    """The JSON array `slots_payload` would give, written straight from the engine's tags.

    The part of a slot after its times is built once per tag (meeting type, advisor, room) and
    `,{"startDate":..,"endDate":..,` once per start; the answer is then one `bytes.join` over
    references to them, laid out by C loops: the only large allocation is the answer itself.
    """
    if not found:
        return b"[]"
    dur, topic = found.duration, orjson.dumps(found.topic_id)
    joint = orjson.dumps(list(found.joint)) if found.joint else None
    tails = {}
    for tag in set().union(*found.tags):
        mtype, emp, room = found.codec.label(tag)
        tails[tag] = b"".join(
            (
                b'"meetingType":' + orjson.dumps(mtype),
                b',"employeeId":' + orjson.dumps(emp),
                b',"employeeIds":' + (joint or orjson.dumps([emp])),
                b',"roomId":' + orjson.dumps(room),
                b',"meetingTopicId":' + topic + b"}",
            )
        )
    tail = tails.__getitem__
    parts = [b"["]
    for start, tags in zip(found.starts, found.tags, strict=True):
        head = b',{"startDate":"%s","endDate":"%s",' % (_stamp(start), _stamp(start + dur))
        parts += chain.from_iterable(zip(repeat(head), map(tail, tags)))
    parts[1] = parts[1][1:]  # the first slot has no comma before it
    parts.append(b"]")
    return b"".join(parts)


@lru_cache(maxsize=8192)  # every search covers the coming weeks: the same minutes again and again
def _stamp(minute: int) -> bytes:
    return iso_stamp(instant(minute)).encode()


@bp.get("/bookme/time-slots/available")
@require_scope("bookme.read")
@document(
    "Find available time slots",
    tags=["Availability"],
    query=AvailabilityQuery,
    responses={200: list[TimeSlotOut]},
    errors=(404,),
    description=DESCRIPTION,
)
def available_time_slots():  # type: ignore[no-untyped-def]
    """The slots a customer or advisor can book for the given request."""
    query = to_slot_query(parse_query(AvailabilityQuery, request.args))
    return json_response(rows_body(find_slots(query, now=clock.now())))
