"""An advisor's group memberships changed from the advisor's side: join or leave several
competence or service groups in one write (all or nothing), through the import's validation,
audit and cache invalidation like every other configuration write.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.configuration.document import ConfigurationError, Problem
from app.configuration.importer import import_data
from app.extensions import db
from app.models import CompetenceGroup, ServiceGroup

# section: (model, its member list, what a group is called)
GROUPS: dict[str, tuple[Any, str, str]] = {
    "competence_groups": (CompetenceGroup, "members", "competence group"),
    "service_groups": (ServiceGroup, "employees", "service group"),
}


def change_memberships(section: str, employee_id: str, group_ids: list[str], join: bool) -> None:
    """Add the advisor to (`join`) or remove them from each group; an unknown group is a problem
    at `[index]` and nothing is written. A group that already has (or lacks) them is unchanged."""
    model, field, kind = GROUPS[section]
    relation = getattr(model, field)
    query = select(model).where(model.id.in_(group_ids)).options(selectinload(relation))
    groups = {g.id: g for g in db.session.scalars(query)}
    unknown = [
        Problem(f"[{i}]", f"unknown {kind} '{ident}'")
        for i, ident in enumerate(group_ids)
        if ident not in groups
    ]
    if unknown:
        raise ConfigurationError(unknown)
    items = []
    for group in groups.values():
        members = [m.id for m in getattr(group, field)]
        if join and employee_id not in members:
            members.append(employee_id)
        elif not join and employee_id in members:
            members.remove(employee_id)
        else:
            continue
        items.append({"id": group.id, "name": group.name, field: members})
    if items:
        import_data({section: items})
