"""The slot service: validates ids, loads the facts in a fixed number of set-based queries, asks
the pure engine (`app.booking.availability`) for slots, and checks one proposed slot for the
reservation service.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select

from app.booking.availability import SlotRows, available_rows, build_context
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
from app.booking.query import SlotQuery
from app.booking.rules import MEETING_TYPES
from app.extensions import db
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
    with gc_paused():
        facts = load_facts(query, now)
        return available_rows(query, facts, now)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a long search allocates tens of thousands of acyclic
    tuples, and the collections they trigger cost a third of its time (measured, bench/README.md).

    A caller that also serialises the answer pauses around both and drops the answer before the
    end: objects freed while paused are uncounted, so no collection follows either."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    now: datetime,
) -> None:
    """Raise Conflict(reason) unless the engine would offer exactly this slot right now.

    `meeting_type=None` accepts any meeting type the slot is offered as.
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
    )
    facts = load_facts(query, now)
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


def load_facts(query: SlotQuery, now: datetime) -> Facts:
    """Validate the query's ids and load every fact the engine needs for its window."""
    org = _org()
    topic = _topic(query.topic_id)
    if query.customer_type_id and db.session.get(CustomerType, query.customer_type_id) is None:
        raise NotFound("customerType", query.customer_type_id)
    rooms = _rooms(query.specific_room_ids)
    lo, hi = _window(query, org, now)
    groups = _competence_groups(query)
    only = _only_explicit(query)
    employees, topic_listed, customer_type_listed = _employees(query, only)
    return Facts(
        org=org,
        employees=employees,
        topic_listed=topic_listed,
        customer_type_listed=customer_type_listed,
        locations=_locations(),
        rooms=rooms,
        topic=topic,
        competence_groups=groups,
        service_groups=_service_groups(caps_only=only is not None),
        closing_days=frozenset(
            db.session.scalars(
                select(ClosingDay.day).where(
                    # from today: minimum notice counts working days before the window too
                    ClosingDay.day >= min(lo, now).date() - timedelta(days=1),
                    ClosingDay.day <= hi.date() + timedelta(days=1),
                )
            )
        ),
        busy=load_busy(lo, hi, only),
        claims=load_claims(lo, hi, now, only, query.specific_room_ids),
    )


def _window(query: SlotQuery, org: OrgFacts, now: datetime) -> tuple[datetime, datetime]:
    """The instants whose facts matter: the search window widened to whole days and buffers."""
    start = max(query.start or now, now)
    look = query.look_forward if query.look_forward is not None else timedelta(days=7)
    hi = max(min((query.start or now) + look, now + timedelta(days=org.max_days_ahead)), start)
    zone = ZoneInfo(org.time_zone)
    first, last = start.astimezone(zone).date(), hi.astimezone(zone).date() + timedelta(days=1)
    lo_day = datetime.combine(first, time(0), tzinfo=zone)
    hi_day = datetime.combine(last, time(0), tzinfo=zone)
    return (
        lo_day - timedelta(minutes=org.buffer_after_minutes + 1),
        hi_day + timedelta(minutes=org.buffer_before_minutes + 1),
    )


def _org() -> OrgFacts:
    row = db.session.get(OrganisationSettings, 1)
    if row is None:
        return OrgFacts()
    return OrgFacts(
        time_zone=row.time_zone,
        opening_time=row.opening_time,
        closing_time=row.closing_time,
        max_days_ahead=row.max_days_ahead,
        default_meeting_minutes=row.default_meeting_minutes,
        buffer_before_minutes=row.buffer_before_minutes,
        buffer_after_minutes=row.buffer_after_minutes,
        min_notice_minutes=row.min_notice_minutes,
        max_meeting_minutes_per_day=row.max_meeting_minutes_per_day,
    )


def _topic(topic_id: str | None) -> TopicFacts | None:
    if not topic_id:
        return None
    row = db.session.get(Topic, topic_id)
    if row is None:
        raise NotFound("topic", topic_id)
    ctypes = db.session.scalars(
        select(topic_customer_types.c.customer_type_id).where(
            topic_customer_types.c.topic_id == topic_id
        )
    )
    return TopicFacts(
        id=row.id,
        duration_minutes=row.duration_minutes,
        meeting_types=frozenset(row.meeting_types or ()),
        customer_type_ids=frozenset(ctypes),
    )


def _rooms(specific: tuple[str, ...]) -> tuple[RoomFacts, ...]:
    """Every room, or only the named ones (the engine then considers no other)."""
    stmt = select(Room.id, Room.location_id, Room.can_be_booked, Room.name)
    if specific:
        stmt = stmt.where(Room.id.in_(specific))
    rows = db.session.execute(stmt).all()
    rooms = tuple(RoomFacts(r.id, r.location_id, r.can_be_booked, r.name) for r in rows)
    known = {r.id for r in rooms}
    for ident in specific:
        if ident not in known:
            raise NotFound("room", ident)
    return rooms


def _locations() -> tuple[LocationFacts, ...]:
    rows = db.session.execute(
        select(Location.id, Location.name, Location.areas, Location.require_room)
    ).all()
    return tuple(LocationFacts(r.id, r.name, tuple(r.areas or ()), r.require_room) for r in rows)


def _pairs(table: Table, key: str, value: str, only: str | None = None) -> dict[str, set[str]]:
    """A link table as key -> set of values, optionally only rows whose value is `only`
    (`only=""`: the caller wants nothing, so nothing is asked)."""
    if only == "":
        return {}
    stmt = select(table.c[key], table.c[value])
    if only is not None:
        stmt = stmt.where(table.c[value] == only)
    result: dict[str, set[str]] = defaultdict(set)
    for left, right in db.session.execute(stmt):
        result[left].add(right)
    return result


def _only_explicit(query: SlotQuery) -> tuple[str, ...] | None:
    """The advisors a search can offer when it only looks at the Explicit pool, else None."""
    if not query.explicit_employee_ids:
        return None
    if query.require_employee_participation or set(query.employee_types) <= {"Explicit"}:
        return tuple(dict.fromkeys(query.explicit_employee_ids))
    return None


def _weeks(only: tuple[str, ...] | None) -> dict[str, list[ScheduleDay]]:
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
    if only is not None:
        stmt = stmt.where(w.employee_id.in_(only))
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


def _employees(
    query: SlotQuery, only: tuple[str, ...] | None
) -> tuple[tuple[EmployeeFacts, ...], bool, bool]:
    """The advisors to consider with their skills and week, and whether anyone at all lists the
    topic / the customer type (when nobody does, it is open to everyone)."""
    topics = _pairs(employee_topics, "employee_id", "topic_id", query.topic_id or "")
    ctypes = _pairs(
        employee_customer_types, "employee_id", "customer_type_id", query.customer_type_id or ""
    )
    weeks = _weeks(only)
    e = Employee
    stmt = select(
        e.id, e.can_be_booked, e.only_explicitly_available, e.max_meeting_minutes_per_day
    ).order_by(e.id)
    if only is not None:
        stmt = stmt.where(e.id.in_(only))
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
    return employees, bool(topics), bool(ctypes)


def _competence_groups(query: SlotQuery) -> tuple[CompetenceGroupFacts, ...]:
    rows = db.session.execute(select(CompetenceGroup.id, CompetenceGroup.parent_id)).all()
    if not rows:
        return ()
    members = _pairs(competence_group_members, "group_id", "employee_id")
    topics = _pairs(competence_group_topics, "group_id", "topic_id", query.topic_id or "")
    ctypes = _pairs(
        competence_group_customer_types,
        "group_id",
        "customer_type_id",
        query.customer_type_id or "",
    )
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


def _service_groups(caps_only: bool) -> tuple[ServiceGroupFacts, ...]:
    """Every service group; with `caps_only` (a search of the Explicit pool alone, such as a
    reservation's check) only the groups with a daily cap and their members, all the engine uses
    of them then (`daily_caps`)."""
    cols = (
        ServiceGroup.id,
        ServiceGroup.customer_locations,
        ServiceGroup.meeting_types,
        ServiceGroup.max_meeting_minutes_per_day,
    )
    stmt = select(*cols)
    if caps_only:
        stmt = stmt.where(ServiceGroup.max_meeting_minutes_per_day.is_not(None))
    rows = db.session.execute(stmt).all()
    if not rows:
        return ()
    sg = "service_group_id"
    skip = "" if caps_only else None  # `_pairs(..., only="")` asks nothing
    topics = _pairs(service_group_topics, sg, "topic_id", skip)
    ctypes = _pairs(service_group_customer_types, sg, "customer_type_id", skip)
    places = _pairs(service_group_locations, sg, "location_id", skip)
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
        )
        for r in rows
    )
