"""The reference's rules about people and places, read off docs/availability.md and
/work/shared/spec/domain.md and written as plainly as possible, one advisor at a time.

Nothing here imports the engine: only its input and output values (`Facts`, `SlotQuery`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.booking.facts import EmployeeFacts, Facts, ServiceGroupFacts
from app.booking.query import SlotQuery

ALL_TYPES = ("Physical", "Online", "Telephone", "OffSite")


@dataclass(frozen=True)
class Ask:
    """What the request asks, resolved: meeting types, meeting places, pools, joint advisors."""

    meeting_types: tuple[str, ...]
    places: frozenset[str]  # location ids; empty: none resolved
    pools: frozenset[str]
    joint: tuple[str, ...]  # non-empty: one joint meeting of exactly these advisors


def resolve(q: SlotQuery, f: Facts) -> Ask:
    """The request's meeting types, places, pools and joint advisors."""
    topic_types = f.topic.meeting_types if f.topic and f.topic.meeting_types else ALL_TYPES
    wanted = q.meeting_types or topic_types
    types = tuple(t for t in ALL_TYPES if t in topic_types and t in wanted)
    if q.require_employee_participation and q.explicit_employee_ids:
        pools, joint = frozenset({"Explicit"}), tuple(dict.fromkeys(q.explicit_employee_ids))
    elif q.require_employee_participation:
        pools, joint = frozenset({"Local", "ServiceGroup"}), ()
    else:
        pools, joint = frozenset(q.employee_types), ()
    return Ask(types, _places(q, f), pools, joint)


def _places(q: SlotQuery, f: Facts) -> frozenset[str]:
    if q.meeting_location:
        name = q.meeting_location.casefold()
        return frozenset(
            loc.id for loc in f.locations if name in (loc.name.casefold(), loc.id.casefold())
        )
    if q.customer_location:
        area = q.customer_location.casefold()
        return frozenset(
            loc.id
            for loc in f.locations
            if area == loc.name.casefold() or area in [a.casefold() for a in loc.areas]
        )
    return frozenset()


def _groups_under(f: Facts, roots: set[str]) -> set[str]:
    """`roots` and all their subgroups, however deep."""
    found = set(roots)
    while True:
        more = {g.id for g in f.competence_groups if g.parent_id in found} - found
        if not more:
            return found
        found |= more


def _members_of_groups(f: Facts, roots: set[str]) -> set[str]:
    under = _groups_under(f, roots)
    return {m for g in f.competence_groups if g.id in under for m in g.member_ids}


def _skilled(
    f: Facts, emp: EmployeeFacts, wanted: str | None, attr: str, listed: bool | None
) -> bool:
    """Skilled for one topic or customer type: open when nobody lists it."""
    if wanted is None:
        return True
    direct = [e.id for e in f.employees if wanted in getattr(e, attr)]
    roots = {g.id for g in f.competence_groups if wanted in getattr(g, attr)}
    if not direct and not roots and not listed:
        return True
    return emp.id in direct or emp.id in _members_of_groups(f, roots)


def qualified(f: Facts, q: SlotQuery, emp: EmployeeFacts) -> bool:
    """Bookable, and skilled for the topic and the customer type."""
    return (
        emp.can_be_booked
        and _skilled(f, emp, q.topic_id, "topic_ids", f.topic_listed)
        and _skilled(f, emp, q.customer_type_id, "customer_type_ids", f.customer_type_listed)
    )


def _activated(group: ServiceGroupFacts, q: SlotQuery) -> bool:
    if group.topic_ids and q.topic_id and q.topic_id not in group.topic_ids:
        return False
    ctype = q.customer_type_id
    if group.customer_type_ids and ctype and ctype not in group.customer_type_ids:
        return False
    if group.customer_locations and q.customer_location:
        wanted = q.customer_location.casefold()
        return wanted in [p.casefold() for p in group.customer_locations]
    return True


def group_members(f: Facts, group: ServiceGroupFacts) -> set[str]:
    """A service group's advisors: listed, or members of its competence groups (and subgroups)."""
    return set(group.employee_ids) | _members_of_groups(f, set(group.competence_group_ids))


def _service_groups_of(
    f: Facts, q: SlotQuery, ask: Ask, emp: str, place: str | None, mt: str
) -> list[ServiceGroupFacts]:
    """The activated service groups that bring the advisor in for this day and meeting type."""
    found = []
    for group in f.service_groups:
        if not _activated(group, q) or mt not in group.meeting_types:
            continue
        if emp not in group_members(f, group):
            continue
        places = group.location_ids & ask.places if ask.places else group.location_ids
        if mt != "Physical" or place in places:
            found.append(group)
    return found


def pool(
    f: Facts, q: SlotQuery, ask: Ask, emp: EmployeeFacts, place: str | None, mt: str
) -> int | None:
    """The advisor's priority for a day at `place` and meeting type `mt`: the number of the
    first of the organisation's priority levels they match (after every level when they match
    none), None when they are in none of the request's pools (advisor-priority-rules.md)."""
    explicit = "Explicit" in ask.pools and emp.id in q.explicit_employee_ids
    local, groups = False, []
    if not emp.only_explicitly_available:
        local = "Local" in ask.pools and bool(ask.places) and place in ask.places
        if "ServiceGroup" in ask.pools:
            groups = _service_groups_of(f, q, ask, emp.id, place, mt)
    if not explicit and not local and not groups:
        return None
    levels = f.org.priority_levels
    for number, level in enumerate(levels):
        if level.kind == "Explicit" and explicit:
            return number
        if level.kind == "Local" and local:
            return number
        if level.kind == "ServiceGroup":
            for group in groups:
                if level.label is None or (group.label or "").lower() == level.label.lower():
                    return number
    return len(levels)


def daily_cap(f: Facts, emp: EmployeeFacts) -> int | None:
    """The advisor's own cap, else the largest of all their service groups', else the org's."""
    if emp.max_meeting_minutes_per_day is not None:
        return emp.max_meeting_minutes_per_day
    caps = [
        g.max_meeting_minutes_per_day
        for g in f.service_groups
        if g.max_meeting_minutes_per_day is not None and emp.id in group_members(f, g)
    ]
    return max(caps) if caps else f.org.max_meeting_minutes_per_day


def rooms_for(f: Facts, q: SlotQuery, mt: str, place: str | None) -> tuple[list[str], bool]:
    """The candidate rooms in the order tried, and whether a room is required. A branch that
    requires a room requires one for every Physical meeting there (docs/availability.md): asked
    for no room, it offers none, so no time."""
    branch = mt == "Physical" and any(loc.require_room for loc in f.locations if loc.id == place)
    if q.specific_room_ids:
        bookable = {r.id for r in f.rooms if r.can_be_booked}
        wanted = [r for r in q.specific_room_ids if r in bookable]
        return wanted, q.require_room is not False or branch
    if mt != "Physical":
        return [], False
    if branch and q.require_room is False:
        return [], True
    here = sorted((r.name, r.id) for r in f.rooms if r.location_id == place and r.can_be_booked)
    return [r for _, r in here], branch if q.require_room is None else q.require_room
