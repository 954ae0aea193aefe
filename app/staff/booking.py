"""Booking for a customer, the rules behind the staff pages (app/staff/book.py): the advisor's
choices, the engine search they make, the hold and the meeting requests, and the plain words for
the engine's reasons.

Staff search with the engine's customer semantics (`is_customer_initiated`): the minimum notice
and the advisors' daily caps apply as they do for a customer, unless the advisor lifts the notice
(`ignore_minimum_notice`). Staff-only topics (`is_customer` false) are offered: the engine itself
never limits topics, the customer wizard does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.booking.query import Slot, SlotQuery
from app.booking.reservations import HoldRequest
from app.booking.rules import PHYSICAL, topic_meeting_types
from app.extensions import db
from app.models import Employee, Location, OrganisationSettings, Room, Topic
from app.wizard.week import Search

AUTO, NO_ROOM = "auto", "none"  # the room choices besides a room's id
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

    def search(start: datetime, length: timedelta) -> SlotQuery:
        return SlotQuery(
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
            is_customer_initiated=True,
            ignore_minimum_notice=choices.ignore_notice,
            best_slots=True,
        )

    return search


def hold_request(choices: StaffChoices, slot: Slot, token: str, owner: str) -> HoldRequest:
    """The hold for a time chosen in the grid (no room when the advisor chose none)."""
    return HoldRequest(
        token=token,
        start=slot.start,
        end=slot.end,
        employee_id=slot.employee_id,
        additional_employee_ids=tuple(slot.employee_ids[1:]),
        room_id=None if choices.room == NO_ROOM else slot.room_id,
        meeting_type=slot.meeting_type,
        topic_id=choices.topic,
        customer_type_id=choices.customer_type,
        is_customer_initiated=True,
        ignore_minimum_notice=choices.ignore_notice,
        owner=owner,
    )


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


REASONS = {
    "the slot is in the past": _l("That time has passed."),
    "the slot has already started": _l("That time has passed."),
    "the reservation has expired": _l("The hold ran out. Please choose the time again."),
    "the reservation was released": _l("The hold was released. Please choose the time again."),
    "the slot is too far ahead": _l("That time is further ahead than meetings can be booked."),
    "the bank is closed that day": _l("The bank is closed that day."),
    "outside the advisor's working hours": _l("That is outside the advisor's working hours."),
    "too soon: the minimum notice has not been met": _l(
        "That is too soon: the minimum notice has not passed. Tick "
        "“Ignore the minimum notice” to book it anyway."
    ),
    "the advisor's daily limit of meeting time is reached": _l(
        "The advisor already has as many meetings that day as allowed."
    ),
    "taken by a meeting": _l("An advisor or the room has another meeting then."),
    "reserved by someone else": _l("Someone else is holding that time right now."),
    "the advisor works elsewhere at that time": _l("The advisor works elsewhere at that time."),
    "the advisor is not at this branch that day": _l("The advisor is not at this branch that day."),
    "a room is required for this meeting": _l("A room is required for this meeting."),
    "no room is free for this slot": _l("No room is free at that time."),
    "the room is taken": _l("The room is taken at that time."),
    "the room cannot be booked for this meeting": _l("The room cannot be booked for this meeting."),
}


def plain_reason(reason: str) -> str:
    """The engine's reason in the advisor's language; an unknown one as the engine gave it."""
    if reason.endswith("(too close: the buffer between meetings)"):
        return _("It is too close to another meeting (the break between meetings).")
    for said, words in REASONS.items():
        if reason.startswith(said) or reason.endswith(said):
            return str(words)
    if reason.startswith("the advisor is busy"):
        return _("The advisor is busy at that time.")
    if "not qualified" in reason:
        return _("An advisor is not qualified for this topic and customer type.")
    return reason
