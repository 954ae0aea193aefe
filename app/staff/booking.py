"""Booking for a customer, the rules behind the staff pages (app/staff/book.py): the advisor's
choices, the engine search they make, the hold and the meeting requests, and the plain words for
the engine's reasons.

What a staff search applies is `app.booking.staff_rule` (daily caps always, the minimum notice
unless the advisor lifts it), shared with moving a meeting and Why not?. Staff-only topics (`is_customer` false) are offered: the engine itself
never limits topics, the customer wizard does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.booking.query import Slot, SlotQuery
from app.booking.reservations import HoldRequest
from app.booking.rules import PHYSICAL, topic_meeting_types
from app.booking.staff_rule import StaffRule
from app.booking.why_not import AUTO, NO_ROOM, Proposal
from app.extensions import db
from app.models import Employee, Location, OrganisationSettings, Room, Topic
from app.wizard.week import Search

IGNORE = "ignore"  # the notice choice that lifts it


@dataclass(frozen=True)
class StaffChoices:
    """What the advisor chose on the "what" step; advisors empty = the system chooses."""

    topic: str
    meeting_type: str
    customer_type: str | None = None
    location: str | None = None
    area: str | None = None
    advisors: tuple[str, ...] = ()
    room: str = AUTO
    ignore_notice: bool = False

    @property
    def rule(self) -> StaffRule:
        """What the search for these choices applies (app.booking.staff_rule)."""
        return StaffRule(lift_notice=self.ignore_notice)

    def to_draft(self) -> dict[str, str]:
        """The choices as the draft keeps them (strings only)."""
        return {
            "topic": self.topic,
            "meeting_type": self.meeting_type,
            "customer_type": self.customer_type or "",
            "location": self.location or "",
            "area": self.area or "",
            "advisors": ",".join(self.advisors),
            "room": self.room,
            "notice": IGNORE if self.ignore_notice else "",
        }

    @classmethod
    def from_draft(cls, kept: Mapping[str, str]) -> StaffChoices | None:
        """The choices a draft keeps, None before the "what" step was answered."""
        if not kept.get("topic") or not kept.get("meeting_type"):
            return None
        return cls(
            topic=kept["topic"],
            meeting_type=kept["meeting_type"],
            customer_type=kept.get("customer_type") or None,
            location=kept.get("location") or None,
            area=kept.get("area") or None,
            advisors=tuple(a for a in (kept.get("advisors") or "").split(",") if a),
            room=kept.get("room") or AUTO,
            ignore_notice=kept.get("notice") == IGNORE,
        )


def staff_search(choices: StaffChoices) -> Search:
    """The engine search for these choices: several advisors are a joint meeting (all must be free),
    none lets the engine choose among the local and service-group advisors."""
    location = db.session.get(Location, choices.location) if choices.location else None
    specific = choices.room not in (AUTO, NO_ROOM)
    rule = choices.rule

    def search(start: datetime, length: timedelta) -> SlotQuery:
        query = SlotQuery(
            require_employee_participation=True,
            explicit_employee_ids=choices.advisors,
            start=start,
            look_forward=length,
            topic_id=choices.topic,
            customer_type_id=choices.customer_type,
            meeting_types=(choices.meeting_type,),
            customer_location=choices.area,
            meeting_location=location.name if location else None,
            require_room=True if specific else (False if choices.room == NO_ROOM else None),
            specific_room_ids=(choices.room,) if specific else (),
            best_slots=True,
        )
        return rule.query(query)

    return search


def hold_request(choices: StaffChoices, slot: Slot, token: str, owner: str) -> HoldRequest:
    """The hold for a time chosen in the grid (no room when the advisor chose none)."""
    request = HoldRequest(
        token=token,
        start=slot.start,
        end=slot.end,
        employee_id=slot.employee_id,
        additional_employee_ids=tuple(slot.employee_ids[1:]),
        room_id=None if choices.room == NO_ROOM else slot.room_id,
        meeting_type=slot.meeting_type,
        topic_id=choices.topic,
        customer_type_id=choices.customer_type,
        owner=owner,
    )
    return choices.rule.hold(request)


def meeting_minutes(topic: Topic | None) -> int:
    """The meeting's length: the topic's, else the organisation's default."""
    if topic is not None and topic.duration_minutes:
        return int(topic.duration_minutes)
    org = db.session.get(OrganisationSettings, 1)
    return int(org.default_meeting_minutes) if org else 60


def why_not_args(choices: StaffChoices) -> dict[str, Any]:
    """The query arguments of "Why not?" (`staff.why_not`) for these choices: ids and flags only,
    nothing personal. Contract with templates/staff/_why_not_form.html, which also gets the week
    shown (`week`, an `app.wizard.week.Week`) and adds `start` (a local ISO time, 2026-12-03T10:00):

    topic, type (meeting type), location (id or ""), advisor (list of employee ids; empty = the
    system chooses), room ("auto", "none" or a room id), customer_type (id or ""),
    notice ("ignore" or ""), minutes (the meeting's length).
    """
    topic = db.session.get(Topic, choices.topic)
    return {
        "topic": choices.topic,
        "type": choices.meeting_type,
        "location": choices.location or "",
        "advisor": list(choices.advisors),
        "room": choices.room,
        "customer_type": choices.customer_type or "",
        "notice": IGNORE if choices.ignore_notice else "",
        "minutes": str(meeting_minutes(topic)),
    }


def choice_errors(choices: StaffChoices) -> dict[str, str]:
    """What does not fit together, by field: the topic's meeting types and customer types, a branch
    for a physical meeting the system places, the room and the branch."""
    errors: dict[str, str] = {}
    topic = db.session.get(Topic, choices.topic)
    if topic is None:
        return {"topic": _("Choose a topic.")}
    if choices.meeting_type not in topic_meeting_types(topic.meeting_types):
        errors["meeting_type"] = _("This topic is not offered as this kind of meeting.")
    allowed = {c.id for c in topic.customer_types}
    if choices.customer_type and allowed and choices.customer_type not in allowed:
        errors["customer_type"] = _("This topic is not offered to this customer type.")
    physical = choices.meeting_type == PHYSICAL
    location = db.session.get(Location, choices.location) if choices.location else None
    if physical and location is None and not choices.advisors:
        errors["location"] = _("Choose the branch, or choose the advisors.")
    if choices.room == NO_ROOM and physical and location is not None and location.require_room:
        errors["room"] = _("A room is required for meetings at this branch.")
    if choices.room not in (AUTO, NO_ROOM):
        room = db.session.get(Room, choices.room)
        if room is None or not room.can_be_booked:
            errors["room"] = _("This room cannot be booked.")
        elif location is not None and room.location_id != location.id:
            errors["room"] = _("This room is at another branch.")
    return errors


def bookable_advisors() -> list[Employee]:
    """Advisors a meeting can be booked with, by name."""
    stmt = select(Employee).where(Employee.can_be_booked.is_(True))
    return list(db.session.scalars(stmt.order_by(Employee.display_name, Employee.id)))


def proposal_for(
    choices: StaffChoices,
    start: datetime,
    end: datetime,
    advisors: tuple[str, ...],
    room: str | None,
    own_hold: str | None = None,
) -> Proposal:
    """The time a hold or a booking was refused for, as Why not? asks about it: those advisors,
    that room (or none, or the engine's choice), the advisor's choices; the booking's own hold
    (`own_hold`, which a new hold replaces) does not count."""
    asked = NO_ROOM if choices.room == NO_ROOM else (room or choices.room)
    return Proposal(
        topic_id=choices.topic,
        start=start,
        meeting_type=choices.meeting_type,
        location_id=choices.location,
        advisor_ids=advisors,
        room=asked,
        customer_type_id=choices.customer_type,
        ignore_notice=choices.ignore_notice,
        minutes=int((end - start).total_seconds() // 60),
        ignore_hold_ids=(own_hold,) if own_hold else (),
    )
