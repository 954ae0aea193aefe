"""The vendor's V3 configuration objects built from our rows (reads only; writes go through
`app.configuration.items`). Each builder loads what it needs in a few set-based queries.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.schemas import dump
from app.api.schemas_config_v3 import (
    CompetenceGroupV3Out,
    EmployeeGroupOut,
    EmployeeScheduleOut,
    LocationV3Out,
    ServiceGroupAdvisorsOut,
    ServiceGroupV3Out,
)
from app.booking.timespan import format_timespan
from app.configuration.schema import WEEKDAYS
from app.extensions import db
from app.localized import home_tag, localized_map
from app.models import (
    CompetenceGroup,
    Employee,
    Location,
    Room,
    ServiceGroup,
    WeeklySchedule,
    service_group_competence_groups,
)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
assert len(DAY_NAMES) == len(WEEKDAYS)
ZONE_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def minutes_span(minutes: int | None) -> str | None:
    """Minutes as a TimeSpan string (`04:00:00`), None kept."""
    return None if minutes is None else format_timespan(timedelta(minutes=minutes))


def clock_time(value: time) -> str:
    return value.strftime("%H:%M:%S")


def _ids(rows: list[Any]) -> list[str]:
    return sorted(r.id for r in rows)


def _named(rows: list[Any]) -> list[dict[str, str]]:
    return [{"id": r.id, "name": r.name} for r in sorted(rows, key=lambda r: (r.name, r.id))]


# ---- competence and service groups -----------------------------------------------------------

_CG_OPTIONS = (
    selectinload(CompetenceGroup.members),
    selectinload(CompetenceGroup.topics),
    selectinload(CompetenceGroup.customer_types),
)


def competence_groups(ident: str | None = None) -> list[dict[str, Any]]:
    """Every competence group (or the one with `ident`), with children and service groups."""
    groups = list(db.session.scalars(select(CompetenceGroup).options(*_CG_OPTIONS)))
    links = db.session.execute(select(service_group_competence_groups)).all()
    services: dict[str, list[str]] = {}
    for service_id, group_id in links:
        services.setdefault(group_id, []).append(service_id)
    return [
        dump(
            CompetenceGroupV3Out,
            id=g.id,
            name=g.name,
            child_group_ids=sorted(c.id for c in groups if c.parent_id == g.id),
            parent_group_ids=[g.parent_id] if g.parent_id else [],
            customer_types=_named(g.customer_types),
            employee_ids=_ids(g.members),
            topics=_named(g.topics),
            service_group_ids=sorted(services.get(g.id, [])),
            labels=[],
        )
        for g in sorted(groups, key=lambda g: (g.name, g.id))
        if ident is None or g.id == ident
    ]


def service_group_json(row: ServiceGroup) -> dict[str, Any]:
    return dump(
        ServiceGroupV3Out,
        id=row.id,
        name=row.name,
        membership_email=None,
        employee_ids=_ids(row.employees),
        competence_group_ids=_ids(row.competence_groups),
        labels=[row.label] if row.label else [],
        max_meeting_time_per_day=minutes_span(row.max_meeting_minutes_per_day),
        service_trigger={
            "customer_locations": list(row.customer_locations or []),
            "customer_type_ids": _ids(row.customer_types),
            "topic_ids": _ids(row.topics),
        },
        service_level={
            "meeting_types": list(row.meeting_types or []),
            "location_ids": _ids(row.locations),
        },
    )


SG_OPTIONS = (
    selectinload(ServiceGroup.employees),
    selectinload(ServiceGroup.competence_groups),
    selectinload(ServiceGroup.customer_types),
    selectinload(ServiceGroup.topics),
    selectinload(ServiceGroup.locations),
)


def service_group_advisors(row: ServiceGroup) -> dict[str, Any]:
    """Members assigned directly and through the group's competence groups (and subgroups)."""
    groups = db.session.execute(
        select(CompetenceGroup.id, CompetenceGroup.parent_id).select_from(CompetenceGroup)
    ).all()
    wanted = {g.id for g in row.competence_groups}
    grew = True
    while grew:  # at most one pass per level of nesting
        more = {gid for gid, parent in groups if parent in wanted} - wanted
        wanted |= more
        grew = bool(more)
    members = db.session.scalars(
        select(CompetenceGroup)
        .where(CompetenceGroup.id.in_(wanted))
        .options(selectinload(CompetenceGroup.members))
    )
    through = sorted({m.id for g in members for m in g.members})
    return dump(
        ServiceGroupAdvisorsOut,
        skill_based=[],
        assigned=_ids(row.employees),
        competence_group_advisors=through,
    )


def employee_groups(employee: Employee, model: Any) -> list[dict[str, Any]]:
    """The competence (or service) groups the advisor is a direct member of."""
    link = CompetenceGroup.members if model is CompetenceGroup else ServiceGroup.employees
    rows = db.session.scalars(select(model).where(link.any(Employee.id == employee.id)))
    return [
        dump(EmployeeGroupOut, id=r.id, name=r.name, date_assigned=None)
        for r in sorted(rows, key=lambda r: (r.name, r.id))
    ]


# ---- schedules -------------------------------------------------------------------------------

EMPLOYEE_OPTIONS = (
    selectinload(Employee.schedules).selectinload(WeeklySchedule.location),
    selectinload(Employee.home_location),
)


def employee_schedule(row: Employee, actual: bool = False) -> dict[str, Any]:
    """The advisor's schedule; `actual`: all seven days, each with its location resolved."""
    days = {s.weekday: s for s in row.schedules}
    home = row.home_location.name if row.home_location else None
    workdays = []
    for weekday, name in enumerate(DAY_NAMES):
        day = days.get(weekday)
        if day is None:
            if actual:
                workdays.append(_day_off(name))
            continue
        place = day.location.name if day.location else (home if actual else None)
        workdays.append(
            {
                "is_available": day.available,
                "day_of_week": name,
                "from": clock_time(day.start_time),
                "to": clock_time(day.end_time),
                "available_meeting_types": [{"type": t} for t in day.meeting_types or []],
                "location": place,
            }
        )
    return dump(
        EmployeeScheduleOut,
        id=row.id,
        employee_id=row.id,
        is_only_explicitly_available=row.only_explicitly_available,
        can_be_booked=row.can_be_booked,
        workdays=workdays,
        max_meeting_time_per_day=minutes_span(row.max_meeting_minutes_per_day),
    )


def _day_off(name: str) -> dict[str, Any]:
    off = clock_time(time(0, 0))
    values: dict[str, Any] = {"from": off, "to": off, "available_meeting_types": []}
    return {"is_available": False, "day_of_week": name, "location": None, **values}


# ---- locations and time zones ----------------------------------------------------------------


def locations(
    name: str | None = None, search: str | None = None, lang: str | None = None
) -> list[dict[str, Any]]:
    """Locations, by exact name or a text in the name (any case), in `lang`."""
    rows = list(db.session.scalars(select(Location).order_by(Location.name, Location.id)))
    with_rooms = set(db.session.scalars(select(Room.location_id).where(Room.can_be_booked)))
    if name is not None:
        rows = [r for r in rows if r.name == name]
    if search is not None:
        rows = [r for r in rows if search.casefold() in r.name.casefold()]
    return [location_json(r, r.id in with_rooms, lang) for r in rows]


def location_json(row: Location, has_rooms: bool, lang: str | None) -> dict[str, Any]:
    names = localized_map(row.localized_names, row.name, lang, home_tag())
    shown = next(iter(names.values())) if lang and lang.lower() != "all" else row.name
    return dump(
        LocationV3Out,
        id=row.id,
        location=row.name,
        display_name=shown,
        localized_name=names,
        add_rooms_to_booked_meetings=has_rooms,
        require_available_room=row.require_room,
        areas=list(row.areas or []),
    )


def time_zone_json(name: str, now: datetime, offset: timedelta | None = None) -> dict[str, Any]:
    """One zone; its display name carries the offset at `now`."""
    if offset is None:
        offset = _offset(name, now)
    sign, total = ("-" if offset < timedelta(0) else "+"), abs(offset)
    hours, minutes = divmod(int(total.total_seconds()) // 60, 60)
    label = f"(UTC{sign}{hours:02d}:{minutes:02d}) {name.replace('_', ' ')}"
    return {"id": name, "identifier": name, "displayName": label}  # TimeZoneOut's wire names


@cache
def zone_names() -> tuple[str, ...]:
    """The IANA zones a location or the organisation may use (Area/City names, no aliases)."""
    areas = ZONE_AREAS
    return tuple(sorted(n for n in available_timezones() if n.split("/")[0] in areas) + ["UTC"])


def time_zones(now: datetime) -> list[dict[str, Any]]:
    """Every zone, west to east, as the vendor lists them."""
    offsets = sorted((_offset(name, now), name) for name in zone_names())
    return [time_zone_json(name, now, offset) for offset, name in offsets]


def _offset(name: str, now: datetime) -> timedelta:
    return now.astimezone(ZoneInfo(name)).utcoffset() or timedelta(0)
