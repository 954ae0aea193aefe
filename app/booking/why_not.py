"""Why not? The engine's verdict on one proposed time, with every reason, for staff. Reads only.

The search follows the staff rule (`app.booking.staff_rule`): the daily caps apply, the minimum
notice unless lifted; one start and length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.booking.constants import MEETING_TYPES
from app.booking.context import build_context
from app.booking.errors import InvalidRequest, NotFound
from app.booking.query import SlotQuery
from app.booking.reasons import Verdict, judge
from app.booking.slots import load_facts
from app.booking.staff_rule import StaffRule
from app.extensions import db
from app.models import Meeting

AUTO, NO_ROOM = "auto", "none"  # let the engine choose the room / book no room


@dataclass(frozen=True)
class Proposal:
    """One time in the staff booking grid, as the advisor asks about it. `advisor_ids` empty: the
    system's choice; `room`: AUTO, NO_ROOM or a room id; `minutes` None: the topic's length."""

    topic_id: str
    start: datetime  # aware
    meeting_type: str | None = None
    location_id: str | None = None
    advisor_ids: tuple[str, ...] = ()
    room: str = AUTO
    customer_type_id: str | None = None
    ignore_notice: bool = False
    minutes: int | None = None
    meeting_id: str | None = None  # a meeting being moved: its own time does not count
    ignore_hold_ids: tuple[str, ...] = ()  # the asker's own holds, which a new hold replaces

    @property
    def room_id(self) -> str | None:
        """The room asked for by id, None for AUTO and NO_ROOM."""
        return None if self.room in (AUTO, NO_ROOM) else self.room


def why_not(proposal: Proposal, now: datetime) -> Verdict:
    """Whether the engine offers the proposed time and, when it does not, every reason (raises
    NotFound for an unknown topic, customer type, location, room, advisor or meeting)."""
    if proposal.meeting_type is not None and proposal.meeting_type not in MEETING_TYPES:
        raise InvalidRequest(f"unknown meeting type {proposal.meeting_type!r}", field="type")
    if proposal.meeting_id and db.session.get(Meeting, proposal.meeting_id) is None:
        raise NotFound("meeting", proposal.meeting_id)
    query = _query(proposal)
    facts = load_facts(query, now)
    known = {e.id for e in facts.employees}
    for ident in proposal.advisor_ids:
        if ident not in known:
            raise NotFound("employee", ident)
    # The staff page names a place it offered; the API's `meetingLocation` is free text.
    if proposal.location_id and proposal.location_id not in {loc.id for loc in facts.locations}:
        raise NotFound("location", proposal.location_id)
    ctx = build_context(query, facts, now, frozenset(proposal.ignore_hold_ids))
    return judge(ctx, proposal.room_id, choose_room=proposal.room == AUTO)


def _query(p: Proposal) -> SlotQuery:
    """The search for exactly this start (and length) by these advisors, or by any the system
    would choose."""
    room_id = p.room_id
    query = SlotQuery(
        require_employee_participation=True,
        explicit_employee_ids=tuple(dict.fromkeys(p.advisor_ids)),
        start=p.start,
        look_forward=timedelta(minutes=1),
        duration=timedelta(minutes=p.minutes) if p.minutes else None,
        topic_id=p.topic_id,
        customer_type_id=p.customer_type_id,
        meeting_types=(p.meeting_type,) if p.meeting_type else (),
        meeting_location=p.location_id,
        specific_room_ids=(room_id,) if room_id else (),
        ignore_meeting_ids=(p.meeting_id,) if p.meeting_id else (),
        best_slots=False,
    )
    return StaffRule(lift_notice=p.ignore_notice).query(query)
