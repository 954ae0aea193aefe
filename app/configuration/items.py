"""One configuration item at a time, for the admin pages and the API's configuration writes.

`save_item` uses the import's format, validation and upsert (so a form and a file follow the same
rules); `delete_item` removes one item unless booked meetings still depend on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, inspect, or_, select

from app.audit.fields import AUDITED
from app.booking.claims import employee_resource
from app.booking.errors import Conflict, InvalidRequest, NotFound
from app.configuration.document import ConfigurationError, Problem
from app.configuration.importer import check, import_data
from app.configuration.schema import SECTIONS
from app.configuration.validate import KEYED
from app.extensions import db
from app.models import (
    BookingClaim,
    BusyTime,
    ClosingDay,
    CompetenceGroup,
    CustomerType,
    Employee,
    Location,
    Meeting,
    Room,
    ServiceGroup,
    Topic,
    topic_customer_types,
)

MODELS: dict[str, type] = {
    "locations": Location,
    "rooms": Room,
    "customer_types": CustomerType,
    "topics": Topic,
    "employees": Employee,
    "competence_groups": CompetenceGroup,
    "service_groups": ServiceGroup,
    "closing_days": ClosingDay,
    "busy_times": BusyTime,
}


def save_item(section: str, data: dict[str, Any]) -> str:
    """Create or update one item given as in a file (id, else name), commit it; its id.

    Raises `ConfigurationError` whose problem paths are relative to the item (`schedule.monday.to`).
    """
    if section not in SECTIONS:
        raise InvalidRequest(f'unknown kind of configuration "{section}"', field="section")
    try:
        report = import_data({section: [data]})
    except ConfigurationError as exc:
        prefix = f"{section}[0]"
        raise ConfigurationError([_relative(p, prefix) for p in exc.problems]) from None
    return report.ids[section][0]


def check_item(section: str, data: dict[str, Any]) -> list[Problem]:
    """The problems `save_item` would refuse this item for, without writing (paths as there)."""
    if section == "settings":
        _, problems = check({"settings": data})
        return [_relative(p, "settings") for p in problems]
    if section not in SECTIONS:
        raise InvalidRequest(f'unknown kind of configuration "{section}"', field="section")
    _, problems = check({section: [data]})
    return [_relative(p, f"{section}[0]") for p in problems]


def create_item(section: str, data: dict[str, Any]) -> str:
    """Like `save_item`, but only ever creates: an item whose name (e-mail for advisors) is taken
    is refused rather than updating the one that has it, as an import would."""
    if section in KEYED and not data.get("id"):
        model, attr, label = KEYED[section]
        value = str(data.get(attr) or "").strip().lower()
        taken = db.session.scalar(select(model.id).where(func.lower(getattr(model, attr)) == value))
        if value and taken is not None:
            raise ConfigurationError(
                [Problem(attr, f'{attr} "{value}" already belongs to a {label}')]
            )
    return save_item(section, data)


def parse_item(section: str, data: dict[str, Any]) -> tuple[Any, list[Problem]]:
    """Validate one item as `save_item` would, writing nothing; (the parsed item or None, problems
    with paths relative to the item)."""
    if section not in SECTIONS:
        raise InvalidRequest(f'unknown kind of configuration "{section}"', field="section")
    doc, problems = check({section: [data]})
    parsed = doc.items(section)
    item = parsed[0][1] if parsed and not problems else None
    return item, [_relative(p, f"{section}[0]") for p in problems]


def save_settings(data: dict[str, Any]) -> None:
    """Update the organisation's settings with the keys given, commit."""
    try:
        import_data({"settings": data})
    except ConfigurationError as exc:
        raise ConfigurationError([_relative(p, "settings") for p in exc.problems]) from None


def _relative(problem: Problem, prefix: str) -> Problem:
    path = problem.path
    if path == prefix:
        return Problem("", problem.message)
    return Problem(path.removeprefix(prefix + "."), problem.message)


def delete_item(section: str, item_id: str, *, now: datetime) -> None:
    """Delete one item and commit; `Conflict` while booked meetings from `now` on depend on it.

    An advisor with any meetings, past or future, is kept for the record: set `can_be_booked`
    to false instead.
    """
    model = MODELS.get(section)
    if model is None:
        raise InvalidRequest(f'unknown kind of configuration "{section}"', field="section")
    obj = db.session.get(model, item_id)
    if obj is None:
        raise NotFound(section.rstrip("s").replace("_", " "), item_id)
    _check_unused(obj, now)
    _detach(obj)
    db.session.delete(obj)
    db.session.commit()


def _detach(obj: Any) -> None:
    """Make through the session the changes the database would make on its own when `obj` goes
    (ON DELETE CASCADE / SET NULL on audited rows, links in association tables), so the audit
    listener records each of them rather than the database making them unseen."""
    table, kind = obj.__table__, type(obj)
    for model in AUDITED:
        mapper = inspect(model)
        for column in mapper.local_table.columns:
            rule = next(
                (fk.ondelete for fk in column.foreign_keys if fk.column.table is table), None
            )
            if rule not in ("CASCADE", "SET NULL") or model is kind and column.primary_key:
                continue
            key = mapper.get_property_by_column(column).key
            for row in db.session.scalars(select(model).where(column == obj.id)):
                if row is obj:
                    continue
                if rule == "CASCADE":
                    db.session.delete(row)
                else:
                    setattr(row, key, None)
        for rel in mapper.relationships:
            if rel.secondary is None or rel.mapper.class_ is not kind:
                continue
            holders = select(model).where(getattr(model, rel.key).any(kind.id == obj.id))
            for holder in db.session.scalars(holders):
                if holder is not obj:
                    getattr(holder, rel.key).remove(obj)


# A service group's rules that match everything when empty: deleting the only item one holds would
# silently open the group to every request.
_SERVICE_GROUP_RULES: dict[type, str] = {
    Topic: "topics",
    CustomerType: "customer_types",
    Location: "locations",
}


def _check_no_rule_widens(obj: Any) -> None:
    rule = _SERVICE_GROUP_RULES.get(type(obj))
    if rule is None:
        return
    column = getattr(ServiceGroup, rule)
    holders = select(ServiceGroup).where(column.any(id=obj.id)).order_by(ServiceGroup.name)
    for group in db.session.scalars(holders):
        if len(getattr(group, rule)) == 1:
            raise Conflict(
                f'service group "{group.name}" is limited to it alone; change the group first'
            )


def _check_unused(obj: Any, now: datetime) -> None:
    """Refuse to delete what booked meetings still rely on."""
    _check_no_rule_widens(obj)
    booked = select(func.count()).select_from(Meeting).where(Meeting.status == "Booked")
    upcoming = booked.where(Meeting.end_at > now)
    if isinstance(obj, Employee):
        joint = select(BookingClaim.meeting_id).where(
            BookingClaim.resource == employee_resource(obj.id), BookingClaim.meeting_id.is_not(None)
        )
        mine = or_(Meeting.employee_id == obj.id, Meeting.id.in_(joint))
        if db.session.scalar(select(func.count()).select_from(Meeting).where(mine)):
            raise Conflict("this advisor has meetings; set can_be_booked to false instead")
    elif isinstance(obj, Room):
        if db.session.scalar(upcoming.where(Meeting.room_id == obj.id)):
            raise Conflict("booked meetings use this room; move or cancel them first")
    elif isinstance(obj, CustomerType):
        link = topic_customer_types.c.customer_type_id == obj.id
        if db.session.scalar(select(func.count()).select_from(topic_customer_types).where(link)):
            # deleting it would open those topics to every customer type
            raise Conflict("topics are limited to this customer type; change them first")
    elif isinstance(obj, Topic):
        if db.session.scalar(upcoming.where(Meeting.topic_id == obj.id)):
            raise Conflict("booked meetings have this topic; move or cancel them first")
    elif isinstance(obj, Location):
        rooms = select(Room.id).where(Room.location_id == obj.id)
        here = or_(Meeting.location_id == obj.id, Meeting.room_id.in_(rooms))
        if db.session.scalar(upcoming.where(here)):
            raise Conflict("booked meetings take place at this branch; move or cancel them first")
        if db.session.scalar(
            select(func.count()).select_from(Room).where(Room.location_id == obj.id)
        ):
            raise Conflict("this branch still has rooms; delete them or move them first")
