"""Why the engine does not offer one proposed slot, in words a caller can show. Pure.

The rules themselves, all of them, are `app.booking.reasons`; this module gives the first one in
the engine's English for the API's refusals (`check_slot`), as it always has.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from app.booking import reasons as r
from app.booking.context import ELSEWHERE, HOLD, MEETING, Context
from app.booking.query import SlotQuery

NOT_AVAILABLE = "the slot is not available"  # no rule found (the engine's answer still decides)


def check_query(
    employee_ids: tuple[str, ...],
    start: datetime,
    end: datetime,
    meeting_type: str | None,
    room_id: str | None,
    topic_id: str | None,
    customer_type_id: str | None,
    is_customer_initiated: bool,
    ignore_meeting_ids: tuple[str, ...] = (),
    ignore_minimum_notice: bool = False,
) -> SlotQuery:
    """The search for exactly this start and length by these advisors (joint if several)."""
    return SlotQuery(
        require_employee_participation=True,
        explicit_employee_ids=employee_ids,
        start=start,
        look_forward=timedelta(minutes=1),
        duration=end - start,
        topic_id=topic_id,
        customer_type_id=customer_type_id,
        meeting_types=(meeting_type,) if meeting_type else (),
        specific_room_ids=(room_id,) if room_id else (),
        ignore_meeting_ids=ignore_meeting_ids,
        is_customer_initiated=is_customer_initiated,
        ignore_minimum_notice=ignore_minimum_notice,
        best_slots=False,
    )


def verdict(ctx: Context, room_id: str | None) -> str | None:
    """None when the engine offers the `check_query` slot (with this room), else why not."""
    found = r.judge(ctx, room_id)
    if found.free:
        return None
    return english(found.reasons[0]) if found.reasons else NOT_AVAILABLE


def explain(
    ctx: Context,
    employee_ids: tuple[str, ...],
    start: datetime,
    end: datetime,
    mtype: str,
    room_id: str | None,
) -> str | None:
    """The first rule the slot breaks, or None when none was found."""
    found = r.reasons(ctx, employee_ids, start, end, mtype, room_id)
    return english(found[0]) if found else None


_CLASH = {r.IS_MEETING: MEETING, r.IS_HOLD: HOLD, r.IS_ELSEWHERE: ELSEWHERE}
_UNQUALIFIED = "advisor {} is not qualified for this topic and customer type"
_OUTSIDE = "outside the advisor's working hours"
_ROOM_TAKEN = "the room is taken"


def _clash(x: r.Reason) -> str:
    return _CLASH.get(x.params["kind"]) or f"the advisor is busy ({x.params['label']})"


_ENGLISH: dict[str, Callable[[r.Reason], str]] = {
    r.PAST: lambda x: "the slot is in the past",
    r.HORIZON: lambda x: "the slot is too far ahead",
    r.OFF_GRID: lambda x: "slots start on the hour or the half hour",
    r.TOPIC_CUSTOMER_TYPE: lambda x: "the topic is not offered to this customer type",
    r.TOPIC_MEETING_TYPE: lambda x: (
        f"the topic is not offered as a {x.params['meeting_type']} meeting"
    ),
    r.CLOSED: lambda x: "the bank is closed that day",
    r.NO_ADVISOR: lambda x: "no advisor can take this meeting that day",
    r.NOT_BOOKABLE: lambda x: _UNQUALIFIED.format(x.advisor),
    r.NOT_QUALIFIED: lambda x: _UNQUALIFIED.format(x.advisor),
    r.DAY_OFF: lambda x: _OUTSIDE,
    r.NO_MEETING_TYPE: lambda x: (
        f"the advisor does not offer {x.params['meeting_type']} meetings that day"
    ),
    r.OTHER_PLACE: lambda x: "the advisor is not at this branch that day",
    r.OUTSIDE_HOURS: lambda x: _OUTSIDE,
    r.NOTICE: lambda x: "too soon: the minimum notice has not been met",
    r.DAILY_CAP: lambda x: "the advisor's daily limit of meeting time is reached",
    r.CLASH: _clash,
    r.TOO_CLOSE: lambda x: f"{_CLASH[x.params['kind']]} (too close: the buffer between meetings)",
    r.JOINT_APART: lambda x: "the advisors are at different branches that day",
    r.ROOM_REQUIRED: lambda x: "a room is required for this meeting",
    r.NO_ROOM_FREE: lambda x: "no room is free for this slot",
    r.ROOM_UNBOOKABLE: lambda x: "the room cannot be booked for this meeting",
    r.ROOM_TAKEN: lambda x: _ROOM_TAKEN,
    r.ROOM_TOO_CLOSE: lambda x: _ROOM_TAKEN,
}


def english(reason: r.Reason) -> str:
    """A reason in the engine's English (the API's wording, unchanged by the structured reasons)."""
    return _ENGLISH[reason.code](reason)
