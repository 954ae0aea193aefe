"""Checks across items: references, duplicates, group trees. Reads the database, never writes it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.configuration.document import Document, Problem
from app.extensions import db
from app.models import CompetenceGroup, CustomerType, Employee, Location, ServiceGroup, Topic

MAX_GROUP_LEVELS = 5

# section -> (model, the attribute that names an item when it has no id, what to call one)
KEYED: dict[str, tuple[Any, str, str]] = {
    "locations": (Location, "name", "location"),
    "customer_types": (CustomerType, "name", "customer type"),
    "topics": (Topic, "name", "topic"),
    "employees": (Employee, "email", "employee"),
    "competence_groups": (CompetenceGroup, "name", "competence group"),
    "service_groups": (ServiceGroup, "name", "service group"),
}


def item_key(section: str, item: Any) -> str:
    """The name an item is known by when it has no id (email for employees), lower-cased."""
    return str(getattr(item, KEYED[section][1])).strip().lower()


class Names:
    """Every id and name of one kind, from the database and the file, mapped to one identity."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.keys: dict[str, str] = {}

    def add(self, identity: str, key: str) -> None:
        self.ids[identity] = identity
        self.keys[key] = identity

    def resolve(self, ref: str) -> str | None:
        """The identity `ref` names: an id first, else a name (any case)."""
        return self.ids.get(ref) or self.keys.get(ref.strip().lower())


def build_names(doc: Document) -> dict[str, Names]:
    """Identities per kind: a file item takes its id, else the id of the row of the same name."""
    names: dict[str, Names] = {}
    for section, (model, attr, _) in KEYED.items():
        known = Names()
        for row_id, key in db.session.execute(select(model.id, getattr(model, attr))):
            known.add(row_id, str(key).lower())
        for index, item in doc.items(section):
            key = item_key(section, item)
            identity = item.id or known.keys.get(key) or f"new:{section}[{index}]"
            known.add(identity, key)
        names[section] = known
    return names


def find_problems(doc: Document) -> list[Problem]:
    """Every cross-item problem of a parsed document."""
    names = build_names(doc)
    check = _Checker(doc, names)
    for section in KEYED:
        check.duplicates(section)
    check.rooms()
    check.topics()
    check.employees()
    check.competence_groups()
    check.service_groups()
    check.closing_days()
    return check.problems


class _Checker:
    """Collects problems; each method checks one section."""

    def __init__(self, doc: Document, names: dict[str, Names]) -> None:
        self.doc, self.names = doc, names
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def ref(self, path: str, section: str, ref: str | None) -> str | None:
        """Resolve a reference, reporting it when nothing of that kind has that id or name."""
        if ref is None:
            return None
        identity = self.names[section].resolve(ref)
        if identity is None:
            self.add(path, f'unknown {KEYED[section][2]} "{ref}"')
        return identity

    def refs(self, path: str, section: str, refs: list[str]) -> list[str]:
        found = [self.ref(f"{path}[{i}]", section, r) for i, r in enumerate(refs)]
        return [f for f in found if f is not None]

    def duplicates(self, section: str) -> None:
        model, attr, label = KEYED[section]
        seen_ids: dict[str, int] = {}
        seen_keys: dict[str, int] = {}
        for index, item in self.doc.items(section):
            path, key = f"{section}[{index}]", item_key(section, item)
            if item.id and item.id in seen_ids:
                self.add(
                    f"{path}.id", f'duplicate id "{item.id}" (also {section}[{seen_ids[item.id]}])'
                )
            if key in seen_keys:
                shown = getattr(item, attr)
                self.add(
                    f"{path}.{attr}",
                    f'duplicate {attr} "{shown}" (also {section}[{seen_keys[key]}])',
                )
            seen_ids.setdefault(item.id or "", index)
            seen_keys.setdefault(key, index)
            self._clash_with_database(path, section, item)

    def _clash_with_database(self, path: str, section: str, item: Any) -> None:
        model, attr, label = KEYED[section]
        if not item.id:
            return
        value = getattr(item, attr)
        owner = db.session.scalar(
            select(model.id).where(db.func.lower(getattr(model, attr)) == value.strip().lower())
        )
        if owner is not None and owner != item.id:
            self.add(f"{path}.{attr}", f'{attr} "{value}" already belongs to {label} {owner}')

    def rooms(self) -> None:
        seen: dict[tuple[str, str], int] = {}
        for index, item in self.doc.items("rooms"):
            path = f"rooms[{index}]"
            location = self.ref(f"{path}.location", "locations", item.location)
            key = (location or item.location, item.name.strip().lower())
            if key in seen and not item.id:
                self.add(
                    f"{path}.name",
                    f'duplicate room "{item.name}" at this location (also rooms[{seen[key]}])',
                )
            seen.setdefault(key, index)

    def topics(self) -> None:
        parents: dict[str, str | None] = {}
        for index, item in self.doc.items("topics"):
            path = f"topics[{index}]"
            self.refs(f"{path}.customer_types", "customer_types", item.customer_types)
            me = self.names["topics"].resolve(item.id or item.name)
            parents[str(me)] = self.ref(f"{path}.parent", "topics", item.parent)
        for index, item in self.doc.items("topics"):
            me = str(self.names["topics"].resolve(item.id or item.name))
            if _cycle_from(me, parents):
                self.add(f"topics[{index}].parent", "topic parents form a cycle")

    def employees(self) -> None:
        for index, item in self.doc.items("employees"):
            path = f"employees[{index}]"
            self.ref(f"{path}.home_location", "locations", item.home_location)
            self.refs(f"{path}.skills.topics", "topics", item.skills.topics)
            self.refs(f"{path}.skills.customer_types", "customer_types", item.skills.customer_types)
            for _, day_name, day in item.schedule.days():
                self.ref(f"{path}.schedule.{day_name}.location", "locations", day.location)

    def competence_groups(self) -> None:
        parents = _stored_group_parents()
        for index, item in self.doc.items("competence_groups"):
            path = f"competence_groups[{index}]"
            self.refs(f"{path}.members", "employees", item.members)
            self.refs(f"{path}.topics", "topics", item.topics)
            self.refs(f"{path}.customer_types", "customer_types", item.customer_types)
            me = str(self.names["competence_groups"].resolve(item.id or item.name))
            parents[me] = self.ref(f"{path}.parent", "competence_groups", item.parent)
        for index, item in self.doc.items("competence_groups"):
            me = str(self.names["competence_groups"].resolve(item.id or item.name))
            self._group_depth(f"competence_groups[{index}].parent", me, parents)

    def _group_depth(self, path: str, node: str, parents: dict[str, str | None]) -> None:
        if _cycle_from(node, parents):
            self.add(path, "the competence group tree has a cycle")
            return
        depth, current = 1, parents.get(node)
        while current is not None:
            depth, current = depth + 1, parents.get(current)
        if depth > MAX_GROUP_LEVELS:
            self.add(
                path, f"the group would be at level {depth}; at most {MAX_GROUP_LEVELS} levels"
            )

    def service_groups(self) -> None:
        areas = self._known_areas()
        for index, item in self.doc.items("service_groups"):
            path = f"service_groups[{index}]"
            self.refs(f"{path}.topics", "topics", item.topics)
            self.refs(f"{path}.customer_types", "customer_types", item.customer_types)
            self.refs(f"{path}.locations", "locations", item.locations)
            self.refs(f"{path}.employees", "employees", item.employees)
            self.refs(f"{path}.competence_groups", "competence_groups", item.competence_groups)
            for i, area in enumerate(item.customer_locations):
                if area.strip().lower() not in areas:
                    self.add(
                        f"{path}.customer_locations[{i}]", f'unknown customer location "{area}"'
                    )

    def _known_areas(self) -> set[str]:
        """Every area and branch name a customer location may be, stored or in the file."""
        known: set[str] = set()
        for name, areas in db.session.execute(select(Location.name, Location.areas)):
            known |= {name.lower(), *(a.lower() for a in areas or [])}
        for _, item in self.doc.items("locations"):
            known |= {item.name.lower(), *(a.lower() for a in item.areas)}
        return known

    def closing_days(self) -> None:
        seen: dict[Any, int] = {}
        for index, item in self.doc.items("closing_days"):
            if item.day in seen:
                self.add(
                    f"closing_days[{index}].date",
                    f"duplicate date {item.day} (also closing_days[{seen[item.day]}])",
                )
            seen.setdefault(item.day, index)


def _stored_group_parents() -> dict[str, str | None]:
    rows = db.session.execute(select(CompetenceGroup.id, CompetenceGroup.parent_id))
    return {row_id: parent for row_id, parent in rows}


def _cycle_from(node: str, parents: dict[str, str | None]) -> bool:
    """Whether following parents from `node` comes back to a node already passed."""
    seen: set[str] = set()
    current: str | None = node
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False
