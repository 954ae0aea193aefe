"""The stored configuration in the import file's format: items with ids, references by name."""

from __future__ import annotations

import json
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.configuration.schema import WEEKDAYS, SettingsIn
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
)

EMPLOYEE_LINKS = ("topics", "customer_types", "schedules")
SETTINGS_FIELDS = tuple(SettingsIn.model_fields)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _names(rows: list[Any]) -> list[str]:
    return sorted(r.name for r in rows)


def export_configuration() -> dict[str, Any]:
    """Every configuration item as plain data that `import_data` reads back unchanged."""
    org = db.session.get(OrganisationSettings, 1)
    zone = ZoneInfo(zone_name(org.time_zone if org else None))
    doc: dict[str, Any] = {}
    if org is not None:
        values = {f: getattr(org, f) for f in SETTINGS_FIELDS}
        doc["settings"] = {
            k: _hhmm(v) if isinstance(v, time) else v for k, v in values.items() if v is not None
        }
    locations = {loc.id: loc.name for loc in db.session.scalars(select(Location))}
    doc["locations"] = [_location(row) for row in db.session.scalars(select(Location))]
    doc["rooms"] = [_room(row, locations) for row in db.session.scalars(select(Room))]
    doc["customer_types"] = [
        {"id": c.id, "name": c.name, **_names_in(c), "order": c.order}
        for c in db.session.scalars(select(CustomerType))
    ]
    topics = {t.id: t.name for t in db.session.scalars(select(Topic))}
    doc["topics"] = [_topic(row, topics) for row in db.session.scalars(select(Topic))]
    employees = db.session.scalars(
        select(Employee)
        .options(*(selectinload(getattr(Employee, a)) for a in EMPLOYEE_LINKS))
        .order_by(Employee.email)
    ).all()
    busy: dict[str, list[BusyTime]] = {}
    for b in db.session.scalars(select(BusyTime).order_by(BusyTime.start_at)):
        busy.setdefault(b.employee_id, []).append(b)
    doc["employees"] = [_employee(row, locations, busy.get(row.id, []), zone) for row in employees]
    groups = {g.id: g.name for g in db.session.scalars(select(CompetenceGroup))}
    doc["competence_groups"] = [
        _group(row, groups) for row in db.session.scalars(select(CompetenceGroup))
    ]
    doc["service_groups"] = [
        _service_group(row) for row in db.session.scalars(select(ServiceGroup))
    ]
    days = db.session.scalars(select(ClosingDay).order_by(ClosingDay.day))
    doc["closing_days"] = [{"date": d.day.isoformat(), "name": d.name} for d in days]
    return doc


def _names_in(row: CustomerType | Location | Topic) -> dict[str, Any]:
    """The row's names per language, when it has any."""
    return {"localized_names": dict(row.localized_names)} if row.localized_names else {}


def _location(row: Location) -> dict[str, Any]:
    item: dict[str, Any] = {"id": row.id, "name": row.name, **_names_in(row)}
    item["areas"] = list(row.areas or [])
    item |= {"address": row.address, "require_room": row.require_room}
    return item | ({"time_zone": row.time_zone} if row.time_zone else {})


def _room(row: Room, locations: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "location": locations[row.location_id],
        "email": row.email,
        "capacity": row.capacity,
        "can_be_booked": row.can_be_booked,
    }


def _topic(row: Topic, topics: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        **_names_in(row),
        "description": row.description,
        "duration_minutes": row.duration_minutes,
        "meeting_types": list(row.meeting_types or []),
        "customer_types": _names(row.customer_types),
        "is_customer": row.is_customer,
        "parent": topics.get(row.parent_id) if row.parent_id else None,
        "order": row.order,
        "unique_topic_id": row.unique_topic_id,
    }


def _employee(
    row: Employee, locations: dict[str, str], busy: list[BusyTime], zone: ZoneInfo
) -> dict[str, Any]:
    item: dict[str, Any] = {"id": row.id, "email": row.email}
    item |= {"first_name": row.first_name, "last_name": row.last_name}
    item |= {"display_name": row.display_name, "initials": row.initials}
    item |= {
        "external_id": row.external_id,
        "home_location": locations.get(row.home_location_id or ""),
    }
    item |= {"can_be_booked": row.can_be_booked}
    item |= {"only_explicitly_available": row.only_explicitly_available}
    item |= {"max_meeting_minutes_per_day": row.max_meeting_minutes_per_day}
    item["skills"] = {"topics": _names(row.topics), "customer_types": _names(row.customer_types)}
    item["schedule"] = {
        WEEKDAYS[s.weekday]: {
            "available": s.available,
            "from": _hhmm(s.start_time),
            "to": _hhmm(s.end_time),
            "meeting_types": list(s.meeting_types or []),
            "location": locations.get(s.location_id or ""),
        }
        for s in row.schedules
    }
    item["busy_times"] = [
        {
            "start": b.start_at.astimezone(zone).isoformat(),
            "end": b.end_at.astimezone(zone).isoformat(),
            "kind": b.kind,
            "note": b.note,
        }
        for b in busy
    ]
    return item


def _group(row: CompetenceGroup, groups: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "parent": groups.get(row.parent_id) if row.parent_id else None,
        "members": sorted(m.email for m in row.members),
        "topics": _names(row.topics),
        "customer_types": _names(row.customer_types),
    }


def _service_group(row: ServiceGroup) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "label": row.label,
        "topics": _names(row.topics),
        "customer_types": _names(row.customer_types),
        "customer_locations": list(row.customer_locations or []),
        "meeting_types": list(row.meeting_types or []),
        "locations": _names(row.locations),
        "employees": sorted(e.email for e in row.employees),
        "competence_groups": _names(row.competence_groups),
        "max_meeting_minutes_per_day": row.max_meeting_minutes_per_day,
    }


def dump(doc: dict[str, Any], fmt: str) -> str:
    """The document as `json` or `yaml` text."""
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
