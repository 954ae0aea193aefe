"""The slot service: validates ids, loads the facts in a fixed number of set-based queries, asks
the pure engine (`app.booking.availability`) for slots, and checks one proposed slot for the
reservation service.
"""

from __future__ import annotations

import gc
import threading
import time as time_module
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select

from app.booking import events
from app.booking.availability import SlotRows, available_rows, build_context
from app.booking.config_cache import cached
from app.booking.constants import DEFAULT_LOOK_FORWARD
from app.booking.errors import Conflict, InvalidRequest, NotFound
from app.booking.explain import check_query, verdict
from app.booking.facts import (
    CompetenceGroupFacts,
    EmployeeFacts,
    Facts,
    LocationFacts,
    OrgFacts,
    RoomFacts,
    ScheduleDay,
    ServiceGroupFacts,
    TopicFacts,
)
from app.booking.minutes import load_busy, load_claims
from app.booking.priority import stored_levels
from app.booking.query import SlotQuery
from app.booking.rules import MEETING_TYPES, requested_pools
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


def find_slots(query: SlotQuery, now: datetime) -> SlotRows:
    """The slots offered for `query` at `now`, sorted (raises NotFound for unknown ids).

    A sequence of `Slot`; the API serialises its rows without building the `Slot` objects.
    """
    started = time_module.perf_counter()
    with gc_paused():
        facts = load_facts(query, now)
        rows = available_rows(query, facts, now)
    duration = time_module.perf_counter() - started
    events.announce(events.slots_searched, query, duration_seconds=duration, slot_count=len(rows))
    return rows


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a long search allocates tens of thousands of acyclic
    tuples, and the collections they trigger cost a third of its time (measured, bench/README.md).

    A caller that also serialises the answer pauses around both and drops the answer before the
    end: objects freed while paused are uncounted, so no collection follows either. The collector
    is process-wide: pauses are counted across threads (gthread workers) and nested calls, and the
    collector resumes when the last one ends, if it was running when the first one began. Under
    load, searches can overlap without end: then a search that ends while others still run collects
    once, outside its own work, whenever the collector has been off for `MAX_PAUSE` seconds."""
    global _pauses, _resume, _paused_at
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            _paused_at = _monotonic()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        collect = False
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0:
                if _resume:
                    gc.enable()
            elif _resume and _monotonic() - _paused_at >= MAX_PAUSE:
                _paused_at, collect = _monotonic(), True
        if collect:
            gc.collect()


MAX_PAUSE = 1.0  # seconds the collector may stay off while searches keep overlapping
_monotonic = time_module.monotonic
_pause_lock = threading.Lock()
_pauses = 0  # searches in progress that paused the collector
_resume = False  # whether the collector was running before the first of them
_paused_at = 0.0  # when the collector last stopped or last collected while paused


def check_slot(
    *,
    employee_ids: Iterable[str],
    room_id: str | None,
    start: datetime,
    end: datetime,
    meeting_type: str | None,
    topic_id: str | None,
    customer_type_id: str | None,
    is_customer_initiated: bool,
    ignore_meeting_ids: Iterable[str] = (),
    ignore_reservation_ids: Iterable[str] = (),
    buffers: tuple[int, int] | None = None,
    ignore_minimum_notice: bool = False,
    now: datetime,
) -> None:
    """Raise Conflict(reason) unless the engine would offer exactly this slot right now.

    `meeting_type=None` accepts any meeting type the slot is offered as. `buffers` (minutes
    before, after): the slot's own buffers when they are not the organisation's now (a hold's).
    """
    ids = tuple(dict.fromkeys(employee_ids))
    _check_shape(ids, start, end, meeting_type)
    query = check_query(
        ids,
        start,
        end,
        meeting_type,
        room_id,
        topic_id,
        customer_type_id,
        is_customer_initiated,
        tuple(ignore_meeting_ids),
        ignore_minimum_notice,
    )
    facts = load_facts(query, now, buffers)
    known = {e.id for e in facts.employees}
    for ident in ids:
        if ident not in known:
            raise NotFound("employee", ident)
    reason = verdict(build_context(query, facts, now, frozenset(ignore_reservation_ids)), room_id)
    if reason is not None:
        raise Conflict(reason)


def _check_shape(ids: tuple[str, ...], start: datetime, end: datetime, mtype: str | None) -> None:
    """A proposed slot names an advisor, a known meeting type and a positive length."""
    if not ids:
        raise InvalidRequest("an advisor is required", field="employeeId")
    if mtype is not None and mtype not in MEETING_TYPES:
        raise InvalidRequest(f"unknown meeting type {mtype!r}", field="meetingType")
    if end <= start:
        raise InvalidRequest("the slot must end after it starts", field="endDate")


def load_facts(query: SlotQuery, now: datetime, buffers: tuple[int, int] | None = None) -> Facts:
    """Validate the query's ids and load every fact the engine needs for its window.

    The configuration comes from the per-process cache (one query for its version when current,
    see `app.booking.config_cache`); busy times and claims are read fresh every time. `buffers`
    (minutes before, after) replace the organisation's for the slots asked about."""
    config = _config()
    org = config.org
    if buffers is not None:
        org = replace(org, buffer_before_minutes=buffers[0], buffer_after_minutes=buffers[1])
    topic = _topic(config, query.topic_id)
    if query.customer_type_id and query.customer_type_id not in config.customer_type_ids:
        raise NotFound("customerType", query.customer_type_id)
    rooms = _rooms(config, query.specific_room_ids)
    lo, hi = _window(query, org, now)
    only = _only_explicit(query)
    return Facts(
        org=org,
        employees=_employees(config, only),
        topic_listed=bool(query.topic_id) and query.topic_id in config.listed_topic_ids,
        customer_type_listed=bool(query.customer_type_id)
        and query.customer_type_id in config.listed_customer_type_ids,
        locations=config.locations,
        rooms=rooms,
        topic=topic,
        competence_groups=config.competence_groups,
        service_groups=config.capped_service_groups if only is not None else config.service_groups,
        # from today: minimum notice counts working days before the window too
        closing_days=_closing_days(
            config, min(lo, now).date() - timedelta(days=1), hi.date() + timedelta(days=1)
        ),
        busy=load_busy(lo, hi, only),
        claims=load_claims(lo, hi, now, only, query.specific_room_ids),
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


def _config() -> Configuration:
    """The configuration for the current configuration version, cached per process."""
    return cached(_load_configuration)


def _load_configuration() -> Configuration:
    """Read the whole configuration in a fixed number of set-based queries."""
    employees, listed_topics, listed_ctypes = _all_employees()
    service_groups = _service_groups()
    return Configuration(
        org=_load_org(),
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


def _closing_days(config: Configuration, first: date, last: date) -> frozenset[date]:
    days = config.closing_days
    return frozenset(days[bisect_left(days, first) : bisect_right(days, last)])


def _window(query: SlotQuery, org: OrgFacts, now: datetime) -> tuple[datetime, datetime]:
    """The instants whose facts matter: the search window widened to whole days and buffers."""
    start = max(query.start or now, now)
    look = query.look_forward if query.look_forward is not None else DEFAULT_LOOK_FORWARD
    hi = max(min((query.start or now) + look, now + timedelta(days=org.max_days_ahead)), start)
    zone = ZoneInfo(org.time_zone)
    first, last = start.astimezone(zone).date(), hi.astimezone(zone).date() + timedelta(days=1)
    lo_day = datetime.combine(first, time(0), tzinfo=zone)
    hi_day = datetime.combine(last, time(0), tzinfo=zone)
    return (
        lo_day - timedelta(minutes=org.buffer_before_minutes + 1),
        hi_day + timedelta(minutes=org.buffer_after_minutes + 1),
    )


def _org() -> OrgFacts:
    """The organisation's settings (from the configuration cache)."""
    return _config().org


def _load_org() -> OrgFacts:
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


def _topic(config: Configuration, topic_id: str | None) -> TopicFacts | None:
    if not topic_id:
        return None
    topic = config.topics.get(topic_id)
    if topic is None:
        raise NotFound("topic", topic_id)
    return topic


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


def _rooms(config: Configuration, specific: tuple[str, ...]) -> tuple[RoomFacts, ...]:
    """Every room, or only the named ones (the engine then considers no other)."""
    if not specific:
        return config.rooms
    wanted = set(specific)
    rooms = tuple(r for r in config.rooms if r.id in wanted)
    known = {r.id for r in rooms}
    for ident in specific:
        if ident not in known:
            raise NotFound("room", ident)
    return rooms


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


def _only_explicit(query: SlotQuery) -> tuple[str, ...] | None:
    """The advisors a search can offer when it only looks at the Explicit pool, else None."""
    if not query.explicit_employee_ids:
        return None
    pools, _ = requested_pools(query)
    return tuple(dict.fromkeys(query.explicit_employee_ids)) if pools == {"Explicit"} else None


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


def _employees(config: Configuration, only: tuple[str, ...] | None) -> tuple[EmployeeFacts, ...]:
    """The advisors to consider: all, or only the named ones (in the same order)."""
    if only is None:
        return config.employees
    wanted = set(only)
    return tuple(e for e in config.employees if e.id in wanted)


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
