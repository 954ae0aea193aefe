"""Step 1: what the customer's meeting is about, read from the configuration and checked together."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import or_, select

from app.booking.constants import MEETING_TYPES
from app.booking.rules import topic_meeting_types
from app.extensions import db
from app.localized import localized_name
from app.models import (
    CustomerType,
    Employee,
    Location,
    Meeting,
    Topic,
    WeeklySchedule,
)

MEETING_TYPE_LABELS = {
    "Physical": lazy_gettext("At a branch"),
    "Online": lazy_gettext("Video meeting"),
    "Telephone": lazy_gettext("Phone call"),
    "OffSite": lazy_gettext("At your place"),
}
# The demo data's customer-type names and their catalogue entries. Stored names are data: they
# are looked up here, never passed to gettext (which would translate any name that happens to be a
# msgid, and whose result templates trust as markup).
DEMO_CUSTOMER_TYPE_LABELS = {
    "Private": lazy_gettext("Private"),
    "Business": lazy_gettext("Business"),
    "Agriculture": lazy_gettext("Agriculture"),
    "Private Banking": lazy_gettext("Private Banking"),
}
ARG_NAMES = ("customer_type", "topic", "meeting_type", "location", "advisor", "move")


def customer_type_label(name: str) -> str:
    """A customer type's name as shown: a demo name in the visitor's language, else as stored."""
    label = DEMO_CUSTOMER_TYPE_LABELS.get(name)
    return str(label) if label is not None else name


def customer_type_name(row: CustomerType) -> str:
    """The customer type in the visitor's language: its own names first, then the catalogue."""
    if row.localized_names:
        return localized_name(row)
    return customer_type_label(row.name)


@dataclass(frozen=True)
class Choices:
    """The customer's answers to step 1 (plus an optional preferred advisor), as carried in URLs."""

    customer_type: str | None = None
    topic: str | None = None
    meeting_type: str | None = None
    location: str | None = None
    advisor: str | None = None
    move: str | None = None  # the private-link token of a meeting being moved

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Choices:
        """Read the choices from query or form arguments; blanks count as not chosen."""
        return cls(**{name: (args.get(name) or "").strip() or None for name in ARG_NAMES})

    def args(self) -> dict[str, Any]:
        """The chosen values as URL arguments."""
        return {name: value for name in ARG_NAMES if (value := getattr(self, name))}

    @property
    def is_physical(self) -> bool:
        """Whether the meeting happens at a branch."""
        return self.meeting_type == "Physical"


@dataclass
class StepOne:
    """Everything step 1 shows: the options left by the earlier answers, and what is missing."""

    choices: Choices
    customer_types: list[CustomerType]
    topics: list[Topic]
    meeting_types: list[str]
    locations: list[Location]
    errors: dict[str, str] = field(default_factory=dict)
    moving: Meeting | None = None

    @property
    def complete(self) -> bool:
        """True when every needed answer is given and valid."""
        return not self.errors

    @property
    def topic(self) -> Topic | None:
        """The chosen topic row."""
        return next((t for t in self.topics if t.id == self.choices.topic), None)

    @property
    def location(self) -> Location | None:
        """The chosen branch row."""
        return next((loc for loc in self.locations if loc.id == self.choices.location), None)

    @property
    def customer_type(self) -> CustomerType | None:
        """The chosen customer type row."""
        return next((c for c in self.customer_types if c.id == self.choices.customer_type), None)

    @property
    def asks_type_first(self) -> bool:
        """No answers yet and several customer types: ask the type alone, so no topic it refuses
        is offered (a link that names a topic shows the whole step)."""
        c = self.choices
        return c.customer_type is None and c.topic is None and len(self.customer_types) > 1

    @property
    def show_location(self) -> bool:
        """Ask for a branch: required for a meeting there, else it lets a local advisor take it."""
        return bool(self.locations)


def customer_topics(customer_type_id: str | None) -> list[Topic]:
    """Topics customers may book, limited to those open to the customer type when one is chosen."""
    topics = db.session.scalars(
        select(Topic).where(Topic.is_customer.is_(True)).order_by(Topic.order, Topic.name)
    ).all()
    if customer_type_id is None:
        return list(topics)
    return [
        t
        for t in topics
        if not t.customer_types or customer_type_id in {c.id for c in t.customer_types}
    ]


def resolve(choices: Choices) -> StepOne:
    """Check the answers together: a later answer that no longer fits an earlier one is dropped."""
    types = list(
        db.session.scalars(select(CustomerType).order_by(CustomerType.order, CustomerType.name))
    )
    errors: dict[str, str] = {}
    if choices.customer_type not in {c.id for c in types}:
        only = types[0].id if len(types) == 1 else None
        choices = replace(choices, customer_type=only)
    topics = customer_topics(choices.customer_type)
    topic = next((t for t in topics if t.id == choices.topic), None)
    if choices.topic and topic is None:
        errors["topic"] = _(
            "That topic is not offered to this customer type. Please choose another."
        )
    allowed = list(MEETING_TYPES if topic is None else topic_meeting_types(topic.meeting_types))
    meeting_type = choices.meeting_type if choices.meeting_type in allowed else None
    if meeting_type is None and topic is not None and len(allowed) == 1:
        meeting_type = allowed[0]
    locations = sorted(db.session.scalars(select(Location)), key=localized_name)
    location = choices.location if choices.location in {loc.id for loc in locations} else None
    choices = replace(
        choices,
        topic=topic.id if topic else None,
        meeting_type=meeting_type,
        location=location,
    )
    moving = _meeting_to_move(choices.move)
    advisor = db.session.get(Employee, choices.advisor) if choices.advisor else None
    choices = replace(
        choices,
        move=choices.move if moving else None,
        advisor=advisor.id if advisor and advisor.can_be_booked else None,
    )
    step = StepOne(choices, types, topics, allowed, locations, errors, moving)
    _missing(step)
    return step


def _meeting_to_move(token: str | None) -> Meeting | None:
    """The booked meeting behind a private-link token, when the customer is moving it."""
    if not token:
        return None
    return db.session.scalar(
        select(Meeting).where(Meeting.manage_token == token, Meeting.status == "Booked")
    )


def choices_of(meeting: Meeting, token: str) -> Choices:
    """The step-1 answers a booked meeting was made with (to move it)."""
    return Choices(
        customer_type=meeting.customer_type_id,
        topic=meeting.topic_id,
        meeting_type=meeting.meeting_type,
        location=meeting.location_id,
        advisor=meeting.employee_id,
        move=token,
    )


def _missing(step: StepOne) -> None:
    """Record what is still missing, in the order the page asks for it."""
    c = step.choices
    if c.customer_type is None:
        step.errors.setdefault("customer_type", _("Choose the kind of customer you are."))
        if step.asks_type_first:
            return
    if c.topic is None:
        step.errors.setdefault("topic", _("Choose what the meeting is about."))
    if c.meeting_type is None:
        step.errors.setdefault("meeting_type", _("Choose how you would like to meet."))
    if c.is_physical and c.location is None:
        step.errors.setdefault("location", _("Choose the branch you would like to visit."))


def advisors_for(step: StepOne) -> list[Employee]:
    """Advisors a customer may prefer: bookable, and working with this meeting type somewhere."""
    c = step.choices
    stmt = (
        select(Employee)
        .join(WeeklySchedule, WeeklySchedule.employee_id == Employee.id)
        .where(Employee.can_be_booked.is_(True), WeeklySchedule.available.is_(True))
        .order_by(Employee.display_name)
        .distinct()
    )
    if c.is_physical and c.location:
        stmt = stmt.where(
            or_(WeeklySchedule.location_id == c.location, WeeklySchedule.location_id.is_(None))
        )
    rows = db.session.scalars(stmt).all()
    return [e for e in rows if any(c.meeting_type in (d.meeting_types or []) for d in e.schedules)]
