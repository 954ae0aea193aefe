"""Who qualifies for a request: skills, competence groups, pools, service groups, daily caps. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.booking.constants import MEETING_TYPES, PHYSICAL
from app.booking.errors import InvalidRequest
from app.booking.facts import (
    CompetenceGroupFacts,
    EmployeeFacts,
    Facts,
    LocationFacts,
    ServiceGroupFacts,
)
from app.booking.priority import (
    DEFAULT_PRIORITY_LEVELS,
    AdvisorPools,
    PriorityLevel,
    advisor_priority,
)
from app.booking.query import SlotQuery

EXPLICIT = 0  # a joint meeting's priority (one candidate per start: nothing to choose)
# Per meeting type, advisor -> one (Physical places, label) per service group bringing them in.
ServiceMembers = dict[str, dict[str, tuple[tuple[frozenset[str], str | None], ...]]]


@dataclass(frozen=True)
class Plan:
    """The request resolved against the facts: who may be offered, for which meeting types, where."""

    meeting_types: tuple[str, ...]
    meeting_location_ids: frozenset[str]  # empty: no meeting location resolved
    joint: tuple[str, ...]  # non-empty: a joint meeting of exactly these advisors
    explicit_ids: frozenset[str]  # the Explicit pool (when requested)
    local: bool  # the Local pool is requested
    service_members: ServiceMembers
    skilled: frozenset[str] | None  # None: the topic and customer type are open to everyone
    priority_levels: tuple[PriorityLevel, ...] = (
        DEFAULT_PRIORITY_LEVELS  # the organisation's advisor priority rules
    )


def resolve_meeting_locations(
    query: SlotQuery, locations: Iterable[LocationFacts]
) -> frozenset[str]:
    """The branches `meetingLocation` names (a branch's name or id, else an area it serves), else
    those serving `customerLocation`, case-insensitive.

    `meetingLocation` is free text in the vendor's API, defaulting to `customerLocation`: text no
    branch knows counts as not given, not as an unknown id.
    """
    locations = tuple(locations)
    if query.meeting_location:
        wanted = query.meeting_location.casefold()
        named = {loc.id for loc in locations if wanted in (loc.name.casefold(), loc.id.casefold())}
        found = named or _serving(wanted, locations)
        if found:
            return frozenset(found)
    if query.customer_location:
        return frozenset(_serving(query.customer_location.casefold(), locations))
    return frozenset()


def _serving(wanted: str, locations: tuple[LocationFacts, ...]) -> set[str]:
    """The branches named `wanted` or serving the area `wanted` (casefolded)."""
    return {
        loc.id
        for loc in locations
        if wanted == loc.name.casefold() or wanted in {a.casefold() for a in loc.areas}
    }


def topic_meeting_types(listed: Iterable[str] | None) -> tuple[str, ...]:
    """The meeting types a topic allows: the ones it lists, every type when it lists none."""
    chosen = set(listed or ())
    return tuple(t for t in MEETING_TYPES if not chosen or t in chosen)


def resolve_meeting_types(query: SlotQuery, facts: Facts) -> tuple[str, ...]:
    """The requested meeting types, else the topic's, else all; never one the topic disallows."""
    allowed = topic_meeting_types(facts.topic.meeting_types if facts.topic else None)
    wanted = set(query.meeting_types or allowed)
    return tuple(t for t in allowed if t in wanted)


def _descendants(groups: Iterable[CompetenceGroupFacts], roots: Iterable[str]) -> set[str]:
    """The ids of `roots` and every subgroup below them (cycle-safe)."""
    children: dict[str, list[str]] = {}
    for group in groups:
        if group.parent_id:
            children.setdefault(group.parent_id, []).append(group.id)
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        gid = stack.pop()
        if gid not in seen:
            seen.add(gid)
            stack.extend(children.get(gid, ()))
    return seen


def _group_members(groups: tuple[CompetenceGroupFacts, ...], roots: Iterable[str]) -> set[str]:
    """Members of the groups `roots` and of all their subgroups."""
    ids = _descendants(groups, roots)
    return {m for g in groups if g.id in ids for m in g.member_ids}


def _skilled_for(
    facts: Facts, wanted: str | None, attr: str, listed: bool | None
) -> set[str] | None:
    """Advisors skilled for one topic/customer type; None when nobody lists it (open to all)."""
    if wanted is None:
        return None
    direct = {e.id for e in facts.employees if wanted in getattr(e, attr)}
    roots = [g.id for g in facts.competence_groups if wanted in getattr(g, attr)]
    if not direct and not roots and not listed:
        return None
    return direct | _group_members(facts.competence_groups, roots)


def skilled_employees(
    facts: Facts, topic_id: str | None, customer_type_id: str | None
) -> frozenset[str] | None:
    """Advisors skilled for both the topic and the customer type (None: everyone is)."""
    by_topic = _skilled_for(facts, topic_id, "topic_ids", facts.topic_listed)
    by_type = _skilled_for(facts, customer_type_id, "customer_type_ids", facts.customer_type_listed)
    if by_topic is None:
        return None if by_type is None else frozenset(by_type)
    return frozenset(by_topic if by_type is None else by_topic & by_type)


def _activated(group: ServiceGroupFacts, query: SlotQuery) -> bool:
    """A service group's activation rules match the request; an empty rule matches anything."""
    if group.topic_ids and query.topic_id and query.topic_id not in group.topic_ids:
        return False
    if (
        group.customer_type_ids
        and query.customer_type_id
        and query.customer_type_id not in group.customer_type_ids
    ):
        return False
    places = {p.casefold() for p in group.customer_locations}
    return not (places and query.customer_location) or query.customer_location.casefold() in places


def service_group_members(facts: Facts, group: ServiceGroupFacts) -> set[str]:
    """Advisors of a service group: listed directly or through its competence groups."""
    return set(group.employee_ids) | _group_members(
        facts.competence_groups, group.competence_group_ids
    )


def _service_members(
    facts: Facts, query: SlotQuery, types: tuple[str, ...], meeting_locations: frozenset[str]
) -> ServiceMembers:
    """Per meeting type, the members of activated service groups offering it, with each group's
    Physical places and label."""
    result: ServiceMembers = {t: {} for t in types}
    for group in facts.service_groups:
        if not _activated(group, query):
            continue
        places = group.location_ids & meeting_locations if meeting_locations else group.location_ids
        members = service_group_members(facts, group)
        for mtype in types:
            if mtype not in group.meeting_types or (mtype == PHYSICAL and not places):
                continue
            bucket = result[mtype]
            for emp in members:
                bucket[emp] = (*bucket.get(emp, ()), (places, group.label or None))
    return result


def requested_pools(query: SlotQuery) -> tuple[set[str], tuple[str, ...]]:
    """The pools a request searches, and the advisors of the joint meeting it asks for (if any).

    `employeeTypes` chooses the pools whenever it names more than `Explicit`, with participation
    required or not: the vendor's "specific employee with fallback" (Example 2) and its
    service-group guide send it with `requireEmployeeParticipation=true`. Otherwise participation
    required means the listed advisors together (a joint meeting), or Local and ServiceGroup
    when none are listed.
    """
    named = set(query.employee_types)
    if named and (named != {"Explicit"} or not query.require_employee_participation):
        return named, ()
    if not query.require_employee_participation:
        raise InvalidRequest(
            "at least one employee type is required when participation is not required",
            field="employeeTypes",
        )
    if query.explicit_employee_ids:
        return {"Explicit"}, tuple(dict.fromkeys(query.explicit_employee_ids))
    return {"Local", "ServiceGroup"}, ()


def plan_request(query: SlotQuery, facts: Facts) -> Plan:
    """Resolve pools, meeting types, meeting location and skills for one request."""
    pools, joint = requested_pools(query)
    types = resolve_meeting_types(query, facts)
    locations = resolve_meeting_locations(query, facts.locations)
    explicit = frozenset(query.explicit_employee_ids) if "Explicit" in pools else frozenset()
    services = _service_members(facts, query, types, locations) if "ServiceGroup" in pools else {}
    return Plan(
        meeting_types=types,
        meeting_location_ids=locations,
        joint=joint,
        explicit_ids=explicit,
        local="Local" in pools and bool(locations),
        service_members=services,
        skilled=skilled_employees(facts, query.topic_id, query.customer_type_id),
        priority_levels=facts.org.priority_levels,
    )


def qualified(employee: EmployeeFacts, plan: Plan) -> bool:
    """Rules 1 and 2: bookable and skilled for the topic and customer type."""
    return employee.can_be_booked and (plan.skilled is None or employee.id in plan.skilled)


def pool_priority(
    employee: EmployeeFacts, plan: Plan, day_location: str | None, meeting_type: str
) -> int | None:
    """The advisor's priority level for one day and meeting type (lower wins a best slot), or
    None when in none of the request's pools."""
    return advisor_priority(
        plan.priority_levels, advisor_pools(employee, plan, day_location, meeting_type)
    )


def advisor_pools(
    employee: EmployeeFacts, plan: Plan, day_location: str | None, meeting_type: str
) -> AdvisorPools:
    """The request's pools this advisor is in for one day and meeting type: named, local at the
    meeting location, and the labels of the service groups that bring them in (for Physical,
    only groups serving the day's branch). An advisor bookable only by name is in no other."""
    explicit = employee.id in plan.explicit_ids
    if employee.only_explicitly_available:
        return AdvisorPools(explicit=explicit)
    local = plan.local and day_location in plan.meeting_location_ids
    groups = plan.service_members.get(meeting_type, {}).get(employee.id, ())
    labels = tuple(
        label for places, label in groups if meeting_type != PHYSICAL or day_location in places
    )
    return AdvisorPools(explicit, local, labels)


def physical_place_ok(plan: Plan, day_location: str | None) -> bool:
    """Physical needs the day's location to be the meeting location (any branch when none given)."""
    if day_location is None:
        return False
    return not plan.meeting_location_ids or day_location in plan.meeting_location_ids


def daily_caps(facts: Facts) -> dict[str, int | None]:
    """Each advisor's daily cap: their own, else the most generous of their groups', else the org's."""
    group_caps: dict[str, int] = {}
    for group in facts.service_groups:
        cap = group.max_meeting_minutes_per_day
        if cap is None:
            continue
        for emp in service_group_members(facts, group):
            group_caps[emp] = max(group_caps.get(emp, cap), cap)
    org = facts.org.max_meeting_minutes_per_day
    return {
        e.id: e.max_meeting_minutes_per_day
        if e.max_meeting_minutes_per_day is not None
        else group_caps.get(e.id, org)
        for e in facts.employees
    }
