"""The session listener that appends one audit record per changed object, in the same transaction.

After each flush of the app's session (`db.session`), every new, changed or deleted instance of an
audited model (app/audit/fields.py) becomes a record: field by field before and after, the action
named from what changed. The rows are inserted on the flush's own connection, so a rollback takes
them with the change, and a commit keeps both.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask import current_app
from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.base import NO_VALUE

from app.audit.actors import Actor, actor, current_request_id
from app.audit.fields import AUDITED, MOVE_FIELDS, REDACTED, Audited
from app.models import AuditRecord

Changes = dict[str, list[Any]]
# A new or deleted object's empty fields say nothing (False and 0 do).
_EMPTY: tuple[Any, ...] = (None, "", [])


def after_flush(session: Session, flush_context: UOWTransaction) -> None:
    """Insert the records of this flush's changes (nothing when nothing audited changed)."""
    if not current_app.config.get("BOOKME_AUDIT", True):
        return  # only tests of migrations older than 0011 turn it off (no table yet)
    found = [
        *(_entry(obj, "create") for obj in session.new),
        *(_entry(obj, "update") for obj in session.dirty),
        *(_entry(obj, "delete") for obj in session.deleted),
    ]
    entries = [e for e in found if e is not None]
    if not entries:
        return
    rows = [
        row_values(action, entity, ident, changes) for action, entity, ident, changes in entries
    ]
    session.connection().execute(insert(AuditRecord), rows)


def row_values(
    action: str, entity: str, entity_id: str, changes: Changes, who: Actor | None = None
) -> dict[str, Any]:
    """The column values of one record, stamped with the actor, the clock and the request id."""
    from app import clock

    who = who or actor()
    return {
        "at": clock.now(),
        "actor_kind": who.kind,
        "actor_id": who.id,
        "actor_label": who.label,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "changes": changes,
        "request_id": current_request_id(),
        "channel": who.channel,
    }


def _entry(obj: Any, kind: str) -> tuple[str, str, str, Changes] | None:
    spec = AUDITED.get(type(obj))
    if spec is None:
        return None
    changes = _changes(obj, spec, kind)
    if kind == "update" and not changes:
        return None
    return _action(spec, kind, changes), spec.entity, str(obj.id), changes


def _changes(obj: Any, spec: Audited, kind: str) -> Changes:
    state = inspect(obj)
    changes: Changes = {}
    for name in spec.fields + spec.redacted:
        attr = state.attrs[name]
        if kind == "update":
            before, after = _history(attr.history)
        else:
            # what the object holds, without loading anything mid-flush (unset: NO_VALUE)
            loaded = attr.loaded_value
            value = None if loaded is NO_VALUE else _plain(loaded)
            before, after = (value, None) if kind == "delete" else (None, value)
        if before == after or (kind != "update" and before in _EMPTY and after in _EMPTY):
            continue
        if name in spec.redacted:
            before, after = _redact(before), _redact(after)
        changes[name] = [before, after]
    return changes


def _history(history: Any) -> tuple[Any, Any]:
    """Before and after of one attribute in this flush (collections: sorted lists of ids)."""
    if not history.has_changes():
        return None, None
    added, unchanged, deleted = history
    if _is_collection(added, unchanged, deleted):
        before = _plain(list(unchanged) + list(deleted))
        after = _plain(list(unchanged) + list(added))
        return sorted(before), sorted(after)
    return _plain(deleted[0] if deleted else None), _plain(added[0] if added else None)


def _is_collection(*parts: Any) -> bool:
    return any(_is_row(p) for part in parts for p in part)


def _redact(value: Any) -> str | None:
    return None if value in (None, "", []) else REDACTED


def _plain(value: Any) -> Any:
    """A JSON-safe copy: instants and times as ISO text, related objects as their ids."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = [_plain(v) for v in value]
        return sorted(items) if any(_is_row(v) for v in value) else items
    if _is_row(value):
        return str(value.id)
    return value


def _is_row(value: Any) -> bool:
    return hasattr(value, "__table__") and hasattr(value, "id")


def _action(spec: Audited, kind: str, changes: Changes) -> str:
    """The booking action a change stands for; configuration changes keep create/update/delete."""
    if not spec.booking:
        return kind
    status = changes.get("status", [None, None])[1]
    if spec.entity == "reservation":
        if kind == "update":
            return {"Released": "release", "Consumed": "consume"}.get(status, "update")
        return "hold" if kind == "create" else kind
    if kind == "create":
        return "book"
    if status == "Cancelled":
        return "cancel"
    return "move" if kind == "update" and MOVE_FIELDS & changes.keys() else kind
