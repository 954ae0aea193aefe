"""The only code that writes configuration: upserts by id, else by name, reporting what changed.

An item that exists is updated with the keys the file gives (keys left out keep their values); lists
of references given in the file replace the stored ones. Busy times are added when no identical one
exists and never deleted here. Nothing commits: the caller owns the transaction.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.configuration.document import ConfigurationError, Problem
from app.configuration.schema import (
    ClosingDayIn,
    CompetenceGroupIn,
    EmployeeIn,
    Item,
    LocationIn,
    RoomIn,
    ServiceGroupIn,
    SettingsIn,
    TopicIn,
)
from app.configuration.validate import KEYED, item_key
from app.db_types import new_id
from app.extensions import db
from app.i18n import zone_name
from app.models import (
    BusyTime,
    ClosingDay,
    CompetenceGroup,
    CustomerType,
    Employee,
    Location,
    OrganisationSettings,
    Room,
    ServiceGroup,
    Topic,
    WeeklySchedule,
)


def assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; whether any did."""
    changed = False
    for attr, value in values.items():
        if getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed = True
    return changed


def assign_related(obj: Any, attr: str, targets: list[Any]) -> bool:
    """Replace a many-to-many list when its members differ; whether they did."""
    unique = list({t.id: t for t in targets}.values())
    if {t.id for t in getattr(obj, attr)} == {t.id for t in unique}:
        return False
    setattr(obj, attr, unique)
    return True


class Registry:
    """Every configuration object by id and by name, loaded once; new objects join as created."""

    def __init__(self) -> None:
        self.by_id: dict[str, dict[str, Any]] = {section: {} for section in KEYED}
        self.by_key: dict[str, dict[str, Any]] = {section: {} for section in KEYED}
        for section, (model, attr, _) in KEYED.items():
            for obj in db.session.scalars(select(model)):
                self.add(section, obj, str(getattr(obj, attr)).lower())

    def add(self, section: str, obj: Any, key: str) -> None:
        self.by_id[section][obj.id] = obj
        self.by_key[section][key] = obj

    def find(self, section: str, item: Item) -> Any | None:
        """The stored object an item updates: by its id when given, else by its name."""
        item_id = getattr(item, "id", None)
        if item_id:
            return self.by_id[section].get(item_id)
        return self.by_key[section].get(item_key(section, item))

    def get(self, section: str, ref: str) -> Any:
        """The object a (validated) reference names: id first, then name in any case."""
        found = self.by_id[section].get(ref) or self.by_key[section].get(ref.strip().lower())
        if found is None:
            raise LookupError(f"{section}: {ref}")
        return found

    def many(self, section: str, refs: list[str]) -> list[Any]:
        return [self.get(section, ref) for ref in refs]


class Writer:
    """Applies parsed items and counts created/updated/unchanged per section."""

    def __init__(self, time_zone: str | None = None) -> None:
        self.registry = Registry()
        self.counts: dict[str, Counter[str]] = {}
        self.ids: dict[str, list[str]] = {}
        stored = db.session.get(OrganisationSettings, 1)
        self.closing_days = {c.day: c for c in db.session.scalars(select(ClosingDay))}
        self.time_zone = ZoneInfo(time_zone or zone_name(stored.time_zone if stored else None))

    def count(self, section: str, obj: Any, created: bool, changed: bool) -> None:
        """Record one item's outcome and its id (in file order)."""
        self.ids.setdefault(section, []).append(str(obj.id))
        outcome = "created" if created else ("updated" if changed else "unchanged")
        self.counts.setdefault(section, Counter())[outcome] += 1

    def _upsert(
        self, section: str, model: type, item: Item, scalars: tuple[str, ...]
    ) -> tuple[Any, bool, set[str], bool]:
        """Find or create, set plain fields; (object, created, fields given, changed)."""
        obj = self.registry.find(section, item)
        created = obj is None
        if created:
            obj = model(id=getattr(item, "id", None) or new_id())
            db.session.add(obj)
        given = set(type(item).model_fields) if created else set(item.model_fields_set)
        changed = assign(obj, {f: getattr(item, f) for f in scalars if f in given})
        if section in KEYED:
            self.registry.add(section, obj, item_key(section, item))
        return obj, created, given, changed

    def settings(self, item: SettingsIn) -> None:
        """Update the organisation's one row with the keys given."""
        row = db.session.get(OrganisationSettings, 1)
        created = row is None
        if row is None:
            row = OrganisationSettings(id=1)
            db.session.add(row)
        changed = assign(row, {f: getattr(item, f) for f in item.model_fields_set})
        self.count("settings", row, created, changed)

    def location(self, item: LocationIn) -> Location:
        """Create or update a branch."""
        scalars = ("name", "localized_names", "areas", "address", "time_zone", "require_room")
        obj, created, _, changed = self._upsert("locations", Location, item, scalars)
        self.count("locations", obj, created, changed)
        return obj

    def customer_type(self, item: Item) -> CustomerType:
        """Create or update a customer category."""
        obj, created, _, changed = self._upsert(
            "customer_types", CustomerType, item, ("name", "localized_names", "order")
        )
        self.count("customer_types", obj, created, changed)
        return obj

    def room(self, item: RoomIn) -> Room:
        """Create or update a room, known by id or else by its name at its branch."""
        location = self.registry.get("locations", item.location)
        obj = db.session.get(Room, item.id) if item.id else _room_named(location.id, item.name)
        created = obj is None
        if obj is None:
            obj = Room(id=item.id or new_id())
            db.session.add(obj)
        given = set(type(item).model_fields) if created else set(item.model_fields_set)
        values = {f: getattr(item, f) for f in ("name", "email", "capacity", "can_be_booked")}
        values = {f: v for f, v in values.items() if f in given}
        changed = assign(obj, {**values, "location_id": location.id})
        self.count("rooms", obj, created, changed)
        return obj

    def topic(self, item: TopicIn) -> tuple[Topic, bool, bool]:
        """Create or update a topic, all but its parent (see `topic_parent`)."""
        scalars = (
            "name",
            "localized_names",
            "description",
            "duration_minutes",
            "meeting_types",
            "is_customer",
            "order",
        )
        obj, created, given, changed = self._upsert("topics", Topic, item, scalars)
        changed |= _set_unique_topic_id(obj, item.unique_topic_id or (obj.id if created else None))
        if "customer_types" in given:
            targets = self.registry.many("customer_types", item.customer_types)
            changed |= assign_related(obj, "customer_types", targets)
        return obj, created, changed

    def topic_parent(self, obj: Topic, item: TopicIn, given: bool) -> bool:
        """Set a topic's parent once every topic exists."""
        if not given:
            return False
        parent = self.registry.get("topics", item.parent) if item.parent else None
        return assign(obj, {"parent_id": parent.id if parent else None})

    def employee(self, item: EmployeeIn) -> Employee:
        """Create or update an advisor with skills, weekly schedule and busy times."""
        scalars = EMPLOYEE_FIELDS
        obj, created, given, changed = self._upsert("employees", Employee, item, scalars)
        home = self.registry.get("locations", item.home_location) if item.home_location else None
        changed |= assign(obj, _employee_names(item, created, given))
        if created or "home_location" in given:
            changed |= assign(obj, {"home_location_id": home.id if home else None})
        if created or "skills" in given:
            changed |= self._skills(obj, item)
        if created or "schedule" in given:
            changed |= self._schedule(obj, item)
        changed |= self._busy_times(obj, item)
        self.count("employees", obj, created, changed)
        return obj

    def _skills(self, obj: Employee, item: EmployeeIn) -> bool:
        topics = self.registry.many("topics", item.skills.topics)
        kinds = self.registry.many("customer_types", item.skills.customer_types)
        changed = assign_related(obj, "topics", topics)
        return assign_related(obj, "customer_types", kinds) or changed

    def _schedule(self, obj: Employee, item: EmployeeIn) -> bool:
        """Make the stored week equal the file's: days left out are days off."""
        existing = {row.weekday: row for row in obj.schedules}
        wanted = {n: day for n, _, day in item.schedule.days()}
        changed = False
        for weekday, row in existing.items():
            if weekday not in wanted:
                obj.schedules.remove(row)
                changed = True
        for weekday, day in wanted.items():
            location = self.registry.get("locations", day.location) if day.location else None
            stored = existing.get(weekday)
            row = stored or WeeklySchedule(id=new_id(), weekday=weekday)
            if stored is None:
                obj.schedules.append(row)
                changed = True
            changed |= assign(
                row, _day_values(day, location.id if location else obj.home_location_id)
            )
        return changed

    def _busy_times(self, obj: Employee, item: EmployeeIn) -> bool:
        """Add the busy times not already stored (same start, end and kind)."""
        if not item.busy_times:
            return False
        rows = db.session.scalars(select(BusyTime).where(BusyTime.employee_id == obj.id))
        stored = {(b.start_at, b.end_at, b.kind) for b in rows}
        added = False
        for busy in item.busy_times:
            start, end = self.instant(busy.start), self.instant(busy.end)
            if (start, end, busy.kind) not in stored:
                db.session.add(
                    BusyTime(
                        id=new_id(),
                        employee_id=obj.id,
                        start_at=start,
                        end_at=end,
                        kind=busy.kind,
                        note=busy.note,
                    )
                )
                stored.add((start, end, busy.kind))
                added = True
        return added

    def instant(self, value: datetime) -> datetime:
        """A file time as aware UTC: without an offset it is the organisation's wall-clock time."""
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.time_zone)
        return value.astimezone(ZoneInfo("UTC"))

    def competence_group(self, item: CompetenceGroupIn) -> tuple[CompetenceGroup, bool, bool]:
        """Create or update a competence group, all but its parent (see `group_parent`)."""
        obj, created, given, changed = self._upsert(
            "competence_groups", CompetenceGroup, item, ("name",)
        )
        for attr, section in (
            ("members", "employees"),
            ("topics", "topics"),
            ("customer_types", "customer_types"),
        ):
            if attr in given:
                changed |= assign_related(
                    obj, attr, self.registry.many(section, getattr(item, attr))
                )
        return obj, created, changed

    def group_parent(self, obj: CompetenceGroup, item: CompetenceGroupIn, given: bool) -> bool:
        """Set a competence group's parent once every group exists."""
        if not given:
            return False
        parent = self.registry.get("competence_groups", item.parent) if item.parent else None
        return assign(obj, {"parent_id": parent.id if parent else None})

    def service_group(self, item: ServiceGroupIn) -> ServiceGroup:
        """Create or update a service group and its members and activation rules."""
        scalars = (
            "name",
            "label",
            "customer_locations",
            "meeting_types",
            "max_meeting_minutes_per_day",
        )
        obj, created, given, changed = self._upsert("service_groups", ServiceGroup, item, scalars)
        for attr, section in SERVICE_GROUP_LINKS:
            if attr in given:
                changed |= assign_related(
                    obj, attr, self.registry.many(section, getattr(item, attr))
                )
        self.count("service_groups", obj, created, changed)
        return obj

    def closing_day(self, item: ClosingDayIn) -> ClosingDay:
        """Create or rename the closing day on a date."""
        obj = self.closing_days.get(item.day)
        created = obj is None
        if obj is None:
            obj = self.closing_days[item.day] = ClosingDay(id=new_id(), day=item.day)
            db.session.add(obj)
        changed = assign(obj, {"name": item.name})
        self.count("closing_days", obj, created, changed)
        return obj


EMPLOYEE_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "external_id",
    "can_be_booked",
    "only_explicitly_available",
    "max_meeting_minutes_per_day",
)
SERVICE_GROUP_LINKS = (
    ("topics", "topics"),
    ("customer_types", "customer_types"),
    ("locations", "locations"),
    ("employees", "employees"),
    ("competence_groups", "competence_groups"),
)


def _room_named(location_id: str, name: str) -> Room | None:
    rows = db.session.scalars(select(Room).where(Room.location_id == location_id))
    return next((r for r in rows if r.name.strip().lower() == name.strip().lower()), None)


def _employee_names(item: EmployeeIn, created: bool, given: set[str]) -> dict[str, str]:
    """Display name and initials when new or given, derived from the names when left empty."""
    values = {}
    if created or "display_name" in given:
        values["display_name"] = item.display_name or f"{item.first_name} {item.last_name}"
    if created or "initials" in given:
        values["initials"] = item.initials or (item.first_name[:1] + item.last_name[:1]).upper()
    return values


def _day_values(day: Any, location_id: str | None) -> dict[str, Any]:
    return {
        "available": day.available,
        "start_time": day.from_,
        "end_time": day.to,
        "meeting_types": list(day.meeting_types),
        "location_id": location_id,
    }


def _set_unique_topic_id(topic: Topic, wanted: str | None) -> bool:
    """Give the topic the vendor's unique key `wanted` (None: keep); refuse one another topic has."""
    if wanted is None or wanted == topic.unique_topic_id:
        return False
    with db.session.no_autoflush:
        taken = db.session.scalar(
            select(Topic.id).where(Topic.unique_topic_id == wanted, Topic.id != topic.id)
        )
    if taken is not None:
        raise ConfigurationError(
            [Problem("topics.unique_topic_id", f"{wanted!r} is already another topic's key")]
        )
    topic.unique_topic_id = wanted
    return True
