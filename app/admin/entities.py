"""The configuration items with list-and-form pages: what each form asks and each list shows."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock
from app.admin.crud import Column, Entity, Field, register
from app.booking.constants import MEETING_TYPES
from app.configuration import affected
from app.configuration.affected import AffectedMeeting
from app.extensions import db
from app.models import CompetenceGroup, CustomerType, Employee, Location, Room, ServiceGroup, Topic
from app.wizard.choices import MEETING_TYPE_LABELS

# ---- choices -------------------------------------------------------------------------------------


def _named(model: Any) -> list[tuple[str, str]]:
    return [(r.id, r.name) for r in db.session.scalars(select(model).order_by(model.name))]


def meeting_types() -> list[tuple[str, str]]:
    return [(t, str(MEETING_TYPE_LABELS[t])) for t in MEETING_TYPES]


def customer_types() -> list[tuple[str, str]]:
    return _named(CustomerType)


def locations() -> list[tuple[str, str]]:
    return _named(Location)


def topics() -> list[tuple[str, str]]:
    return [(r.id, "— " * depth + r.name) for r, depth in topic_rows()]


def groups() -> list[tuple[str, str]]:
    return [(r.id, "— " * depth + r.name) for r, depth in group_rows()]


def advisors() -> list[tuple[str, str]]:
    rows = db.session.scalars(select(Employee).order_by(Employee.display_name))
    return [(r.id, r.display_name) for r in rows]


def areas() -> list[tuple[str, str]]:
    """Every branch and area name a customer may give as where they live."""
    found: dict[str, str] = {}
    for location in db.session.scalars(select(Location)):
        for name in [location.name, *(location.areas or [])]:
            found.setdefault(name.lower(), name)
    return sorted(((v, v) for v in found.values()), key=lambda c: c[1].lower())


# ---- trees ---------------------------------------------------------------------------------------


def tree(rows: list[Any], key: Any) -> list[tuple[Any, int]]:
    """Rows depth first under their parents (orphans and cycles at the top level), with depth."""
    ids = {r.id for r in rows}
    children: dict[str | None, list[Any]] = {}
    for r in sorted(rows, key=key):
        parent = r.parent_id if r.parent_id in ids else None
        children.setdefault(parent, []).append(r)
    out: list[tuple[Any, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for r in children.get(parent, []):
            if r.id not in seen:
                seen.add(r.id)
                out.append((r, depth))
                walk(r.id, depth + 1)

    walk(None, 0)
    out += [(r, 0) for r in rows if r.id not in seen]  # a cycle in old data still shows
    return out


# A list's loader names the relationships its columns show (`options`), so that they come in one
# query for all rows instead of one per row.


def topic_rows(*options: Any) -> list[tuple[Topic, int]]:
    rows = db.session.scalars(select(Topic).options(*options))
    return tree(list(rows), lambda t: (t.order, t.name.lower()))


def group_rows(*options: Any) -> list[tuple[CompetenceGroup, int]]:
    rows = db.session.scalars(select(CompetenceGroup).options(*options))
    return tree(list(rows), lambda g: g.name.lower())


def flat(model: Any, order: Any, *options: Any) -> Any:
    return lambda: [
        (r, 0) for r in db.session.scalars(select(model).options(*options).order_by(*order))
    ]


def _ids(rows: list[Any]) -> list[str]:
    return [r.id for r in rows]


def _names(rows: list[Any]) -> str:
    return ", ".join(sorted(r.name for r in rows))


def _types(values: list[str] | None) -> str:
    return ", ".join(str(MEETING_TYPE_LABELS.get(t, t)) for t in values or [])


def _yes(value: bool) -> str:
    return str(_l("Yes") if value else _l("No"))


# ---- topics --------------------------------------------------------------------------------------

# A topic's name fields: the second language's name joins here as one more line (issue 14).
TOPIC_NAME_FIELDS = (Field("name", _l("Name"), required=True),)


def topic_affected(row: Topic | None, item: dict[str, Any]) -> list[AffectedMeeting]:
    """Booked meetings of a meeting type the topic would stop offering."""
    if row is None or set(item.get("meeting_types") or []) >= set(row.meeting_types or []):
        return []
    return affected.without_meeting_types(row.id, item["meeting_types"], now=clock.now())


TOPICS = Entity(
    name="topics",
    section="topics",
    model=Topic,
    title=_l("Topics"),
    singular=_l("topic"),
    about=_l("What customers and staff can book. A topic under another is shown beneath it."),
    fields=(
        *TOPIC_NAME_FIELDS,
        Field("description", _l("Description"), "textarea"),
        Field(
            "duration_minutes",
            _l("Duration in minutes"),
            "number",
            hint=_l("Leave empty to use the organisation's default length."),
        ),
        Field("meeting_types", _l("Meeting types"), "checks", meeting_types),
        Field(
            "customer_types",
            _l("Customer types"),
            "checks",
            customer_types,
            hint=_l("None chosen: every customer type."),
        ),
        Field(
            "is_customer", _l("Customers can book it (else staff only)"), "checkbox", default=True
        ),
        Field("parent", _l("Under topic"), "select", topics),
        Field("order", _l("Order"), "number", hint=_l("Lower numbers come first."), default="0"),
    ),
    values=lambda r: {
        "name": r.name,
        "description": r.description,
        "duration_minutes": "" if r.duration_minutes is None else str(r.duration_minutes),
        "meeting_types": list(r.meeting_types or []),
        "customer_types": _ids(r.customer_types),
        "is_customer": r.is_customer,
        "parent": r.parent_id or "",
        "order": str(r.order),
    },
    columns=(
        Column(_l("Duration"), lambda r: f"{r.duration_minutes} min" if r.duration_minutes else ""),
        Column(_l("Meeting types"), lambda r: _types(r.meeting_types)),
        Column(_l("Customer types"), lambda r: _names(r.customer_types) or str(_l("All"))),
        Column(_l("Staff only"), lambda r: _yes(not r.is_customer)),
    ),
    rows=lambda: topic_rows(selectinload(Topic.customer_types)),
    affected=topic_affected,
)

CUSTOMER_TYPES = Entity(
    name="customer_types",
    section="customer_types",
    model=CustomerType,
    title=_l("Customer types"),
    singular=_l("customer type"),
    about=_l("The kinds of customer a topic or an advisor serves."),
    fields=(Field("name", _l("Name"), required=True),),
    values=lambda r: {"name": r.name},
    columns=(),
    rows=flat(CustomerType, (CustomerType.name,)),
)

LOCATIONS = Entity(
    name="locations",
    section="locations",
    model=Location,
    title=_l("Branches and areas"),
    singular=_l("branch"),
    about=_l("Branches with their address, and the towns and areas each one serves."),
    fields=(
        Field("name", _l("Name"), required=True),
        Field("address", _l("Address"), "textarea"),
        Field(
            "areas",
            _l("Areas served"),
            "lines",
            hint=_l("One town or area per line (or separated by commas)."),
        ),
        Field(
            "time_zone",
            _l("Time zone"),
            hint=_l("Empty: the organisation's time zone."),
            nullable=True,
        ),
        Field("require_room", _l("Physical meetings need a room"), "checkbox"),
    ),
    values=lambda r: {
        "name": r.name,
        "address": r.address,
        "areas": "\n".join(r.areas or []),
        "time_zone": r.time_zone or "",
        "require_room": r.require_room,
    },
    columns=(
        Column(_l("Address"), lambda r: r.address),
        Column(_l("Areas served"), lambda r: ", ".join(r.areas or [])),
    ),
    rows=flat(Location, (Location.name,)),
)


def room_affected(row: Room | None, item: dict[str, Any]) -> list[AffectedMeeting]:
    """Booked meetings in a room that would stop being bookable."""
    if row is None or item.get("can_be_booked") or not row.can_be_booked:
        return []
    return affected.in_room(row.id, now=clock.now())


ROOMS = Entity(
    name="rooms",
    section="rooms",
    model=Room,
    title=_l("Rooms"),
    singular=_l("room"),
    about=_l("Meeting rooms at each branch. A room that is not bookable keeps its meetings."),
    fields=(
        Field("name", _l("Name"), required=True),
        Field("location", _l("Branch"), "select", locations, required=True),
        Field("capacity", _l("Seats"), "number", required=True, default="4"),
        Field("email", _l("Calendar e-mail address"), hint=_l("Optional.")),
        Field("can_be_booked", _l("Bookable"), "checkbox", default=True),
    ),
    values=lambda r: {
        "name": r.name,
        "location": r.location_id,
        "capacity": str(r.capacity),
        "email": r.email,
        "can_be_booked": r.can_be_booked,
    },
    columns=(
        Column(_l("Branch"), lambda r: r.location.name if r.location else ""),
        Column(_l("Seats"), lambda r: str(r.capacity)),
        Column(_l("Bookable"), lambda r: _yes(r.can_be_booked)),
    ),
    rows=flat(Room, (Room.name,), selectinload(Room.location)),
    affected=room_affected,
)

COMPETENCE_GROUPS = Entity(
    name="competence_groups",
    section="competence_groups",
    model=CompetenceGroup,
    title=_l("Competence groups"),
    singular=_l("competence group"),
    about=_l("A tree of skills: members of a group can take its topics and customer types."),
    fields=(
        Field("name", _l("Name"), required=True),
        Field("parent", _l("Under group"), "select", groups),
        Field("members", _l("Members"), "checks", advisors),
        Field("topics", _l("Topics"), "checks", topics),
        Field("customer_types", _l("Customer types"), "checks", customer_types),
    ),
    values=lambda r: {
        "name": r.name,
        "parent": r.parent_id or "",
        "members": _ids(r.members),
        "topics": _ids(r.topics),
        "customer_types": _ids(r.customer_types),
    },
    columns=(
        Column(_l("Members"), lambda r: ", ".join(sorted(m.display_name for m in r.members))),
        Column(_l("Topics"), lambda r: _names(r.topics)),
    ),
    rows=lambda: group_rows(
        selectinload(CompetenceGroup.members), selectinload(CompetenceGroup.topics)
    ),
)

SERVICE_GROUPS = Entity(
    name="service_groups",
    section="service_groups",
    model=ServiceGroup,
    title=_l("Service groups"),
    singular=_l("service group"),
    about=_l(
        "Pools of advisors. A group is used when a booking matches its rules; an empty rule "
        "matches everything."
    ),
    fields=(
        Field("name", _l("Name"), required=True),
        Field("label", _l("Label shown to customers"), hint=_l("Optional.")),
        Field("employees", _l("Advisors"), "checks", advisors, heading=_l("Members")),
        Field("competence_groups", _l("Competence groups"), "checks", groups),
        Field(
            "topics",
            _l("Active for topics"),
            "checks",
            topics,
            heading=_l("When the group is used"),
            hint=_l("None chosen: every topic."),
        ),
        Field("customer_types", _l("Active for customer types"), "checks", customer_types),
        Field("meeting_types", _l("Active for meeting types"), "checks", meeting_types),
        Field("customer_locations", _l("Active where the customer lives"), "checks", areas),
        Field("locations", _l("Meets at branches"), "checks", locations),
        Field("max_meeting_minutes_per_day", _l("Daily cap in minutes per advisor"), "number"),
    ),
    values=lambda r: {
        "name": r.name,
        "label": r.label,
        "employees": _ids(r.employees),
        "competence_groups": _ids(r.competence_groups),
        "topics": _ids(r.topics),
        "customer_types": _ids(r.customer_types),
        "meeting_types": list(r.meeting_types or []),
        "customer_locations": list(r.customer_locations or []),
        "locations": _ids(r.locations),
        "max_meeting_minutes_per_day": str(r.max_meeting_minutes_per_day or ""),
    },
    columns=(
        Column(_l("Label"), lambda r: r.label),
        Column(_l("Advisors"), lambda r: str(len(r.employees))),
        Column(_l("Meeting types"), lambda r: _types(r.meeting_types) or str(_l("All"))),
    ),
    rows=flat(ServiceGroup, (ServiceGroup.name,), selectinload(ServiceGroup.employees)),
)

ENTITIES = (TOPICS, CUSTOMER_TYPES, LOCATIONS, ROOMS, COMPETENCE_GROUPS, SERVICE_GROUPS)

for _entity in ENTITIES:
    register(_entity)
