"""The configuration the slot service reads for the engine: every advisor, week, branch, room,
topic and group, in a fixed number of set-based queries, kept per process by the configuration
version (`app.booking.config_cache`)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Table, select

from app.booking.config_cache import cached
from app.booking.facts import (
    CompetenceGroupFacts,
    EmployeeFacts,
    LocationFacts,
    OrgFacts,
    RoomFacts,
    ScheduleDay,
    ServiceGroupFacts,
    TopicFacts,
)
from app.booking.priority import stored_levels
from app.extensions import db
from app.i18n import zone_name
from app.models import (
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
    competence_group_customer_types,
    competence_group_members,
    competence_group_topics,
    employee_customer_types,
    employee_topics,
    service_group_competence_groups,
    service_group_customer_types,
    service_group_employees,
    service_group_locations,
    service_group_topics,
    topic_customer_types,
)


@dataclass(frozen=True)
class Configuration:
    """Every configuration fact the engine may need, for any query: what the cache keeps.

    Advisors and competence groups carry all their topics and customer types (the engine only
    tests membership); `capped_service_groups` is what a search of the Explicit pool alone uses."""

    org: OrgFacts
    topics: Mapping[str, TopicFacts]
    customer_type_ids: frozenset[str]
    rooms: tuple[RoomFacts, ...]
    locations: tuple[LocationFacts, ...]
    employees: tuple[EmployeeFacts, ...]  # by id, in the database's order
    listed_topic_ids: frozenset[str]  # topics some advisor lists directly
    listed_customer_type_ids: frozenset[str]
    competence_groups: tuple[CompetenceGroupFacts, ...]
    service_groups: tuple[ServiceGroupFacts, ...]
    capped_service_groups: tuple[ServiceGroupFacts, ...]
    closing_days: tuple[date, ...]  # sorted


def configuration() -> Configuration:
    """The configuration for the current configuration version, cached per process."""
    return cached(load_configuration)


def load_configuration() -> Configuration:
    """Read the whole configuration in a fixed number of set-based queries."""
    employees, listed_topics, listed_ctypes = _all_employees()
    service_groups = _service_groups()
    return Configuration(
        org=load_org(),
        topics=_topics(),
        customer_type_ids=frozenset(db.session.scalars(select(CustomerType.id))),
        rooms=_all_rooms(),
        locations=_locations(),
        employees=employees,
        listed_topic_ids=listed_topics,
        listed_customer_type_ids=listed_ctypes,
        competence_groups=_competence_groups(),
        service_groups=service_groups,
        capped_service_groups=tuple(
            ServiceGroupFacts(
                g.id,
                employee_ids=g.employee_ids,
                competence_group_ids=g.competence_group_ids,
                max_meeting_minutes_per_day=g.max_meeting_minutes_per_day,
            )
            for g in service_groups
            if g.max_meeting_minutes_per_day is not None
        ),
        closing_days=tuple(sorted(db.session.scalars(select(ClosingDay.day)))),
    )


def closing_days_between(config: Configuration, first: date, last: date) -> frozenset[date]:
    days = config.closing_days
    return frozenset(days[bisect_left(days, first) : bisect_right(days, last)])


def load_org() -> OrgFacts:
    o = OrganisationSettings
    row = db.session.execute(
        select(
            o.time_zone,
            o.opening_time,
            o.closing_time,
            o.max_days_ahead,
            o.default_meeting_minutes,
            o.buffer_before_minutes,
            o.buffer_after_minutes,
            o.min_notice_minutes,
            o.max_meeting_minutes_per_day,
            o.priority_levels,
        ).where(o.id == 1)
    ).one_or_none()
    if row is None:
        return OrgFacts(time_zone=zone_name(None))
    return OrgFacts(
        time_zone=zone_name(row.time_zone),
        opening_time=row.opening_time,
        closing_time=row.closing_time,
        max_days_ahead=row.max_days_ahead,
        default_meeting_minutes=row.default_meeting_minutes,
        buffer_before_minutes=row.buffer_before_minutes,
        buffer_after_minutes=row.buffer_after_minutes,
        min_notice_minutes=row.min_notice_minutes,
        max_meeting_minutes_per_day=row.max_meeting_minutes_per_day,
        priority_levels=stored_levels(row.priority_levels),
    )


def _topics() -> dict[str, TopicFacts]:
    ctypes = _pairs(topic_customer_types, "topic_id", "customer_type_id")
    rows = db.session.execute(select(Topic.id, Topic.duration_minutes, Topic.meeting_types))
    return {
        ident: TopicFacts(
            id=ident,
            duration_minutes=minutes,
            meeting_types=frozenset(types or ()),
            customer_type_ids=frozenset(ctypes.get(ident, ())),
        )
        for ident, minutes, types in rows
    }


def _all_rooms() -> tuple[RoomFacts, ...]:
    rows = db.session.execute(select(Room.id, Room.location_id, Room.can_be_booked, Room.name))
    return tuple(RoomFacts(r.id, r.location_id, r.can_be_booked, r.name) for r in rows)


def _locations() -> tuple[LocationFacts, ...]:
    rows = db.session.execute(
        select(Location.id, Location.name, Location.areas, Location.require_room)
    ).all()
    return tuple(LocationFacts(r.id, r.name, tuple(r.areas or ()), r.require_room) for r in rows)


def _pairs(table: Table, key: str, value: str) -> dict[str, set[str]]:
    """A link table as key -> set of values."""
    result: dict[str, set[str]] = defaultdict(set)
    for left, right in db.session.execute(select(table.c[key], table.c[value])):
        result[left].add(right)
    return result


def _weeks() -> dict[str, list[ScheduleDay]]:
    """Weekly schedules by advisor; identical days share one value (most weeks look alike)."""
    w = WeeklySchedule
    stmt = select(
        w.employee_id,
        w.weekday,
        w.start_time,
        w.end_time,
        w.meeting_types,
        w.location_id,
        w.available,
    )
    shared: dict[tuple[object, ...], ScheduleDay] = {}
    weeks: dict[str, list[ScheduleDay]] = defaultdict(list)
    for emp, weekday, start, end, types, place, available in db.session.execute(stmt):
        key = (weekday, start, end, tuple(sorted(types or ())), place, available)
        day = shared.get(key)
        if day is None:
            day = shared[key] = ScheduleDay(
                weekday, start, end, frozenset(types or ()), place, available
            )
        weeks[emp].append(day)
    return weeks


def _all_employees() -> tuple[tuple[EmployeeFacts, ...], frozenset[str], frozenset[str]]:
    """Every advisor with all their skills and their week, and the topics / customer types some
    advisor lists (when nobody does, the topic or type is open to everyone)."""
    topics = _pairs(employee_topics, "employee_id", "topic_id")
    ctypes = _pairs(employee_customer_types, "employee_id", "customer_type_id")
    weeks = _weeks()
    e = Employee
    stmt = select(
        e.id, e.can_be_booked, e.only_explicitly_available, e.max_meeting_minutes_per_day
    ).order_by(e.id)
    employees = tuple(
        EmployeeFacts(
            ident,
            bookable,
            explicit_only,
            cap,
            frozenset(topics.get(ident, ())),
            frozenset(ctypes.get(ident, ())),
            tuple(weeks.get(ident, ())),
        )
        for ident, bookable, explicit_only, cap in db.session.execute(stmt)
    )
    listed_topics = frozenset(t for ids in topics.values() for t in ids)
    listed_ctypes = frozenset(c for ids in ctypes.values() for c in ids)
    return employees, listed_topics, listed_ctypes


def _competence_groups() -> tuple[CompetenceGroupFacts, ...]:
    rows = db.session.execute(select(CompetenceGroup.id, CompetenceGroup.parent_id)).all()
    if not rows:
        return ()
    members = _pairs(competence_group_members, "group_id", "employee_id")
    topics = _pairs(competence_group_topics, "group_id", "topic_id")
    ctypes = _pairs(competence_group_customer_types, "group_id", "customer_type_id")
    return tuple(
        CompetenceGroupFacts(
            r.id,
            r.parent_id,
            frozenset(members.get(r.id, ())),
            frozenset(topics.get(r.id, ())),
            frozenset(ctypes.get(r.id, ())),
        )
        for r in rows
    )


def _service_groups() -> tuple[ServiceGroupFacts, ...]:
    """Every service group with all its rules and members."""
    rows = db.session.execute(
        select(
            ServiceGroup.id,
            ServiceGroup.customer_locations,
            ServiceGroup.meeting_types,
            ServiceGroup.max_meeting_minutes_per_day,
            ServiceGroup.label,
        )
    ).all()
    if not rows:
        return ()
    sg = "service_group_id"
    topics = _pairs(service_group_topics, sg, "topic_id")
    ctypes = _pairs(service_group_customer_types, sg, "customer_type_id")
    places = _pairs(service_group_locations, sg, "location_id")
    emps = _pairs(service_group_employees, sg, "employee_id")
    cgroups = _pairs(service_group_competence_groups, sg, "competence_group_id")
    return tuple(
        ServiceGroupFacts(
            r.id,
            frozenset(topics.get(r.id, ())),
            frozenset(ctypes.get(r.id, ())),
            tuple(r.customer_locations or ()),
            frozenset(r.meeting_types or ()),
            frozenset(places.get(r.id, ())),
            frozenset(emps.get(r.id, ())),
            frozenset(cgroups.get(r.id, ())),
            r.max_meeting_minutes_per_day,
            r.label or None,
        )
        for r in rows
    )
