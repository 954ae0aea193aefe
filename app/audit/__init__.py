"""The audit trail: an append-only record of who changed what, and of every booking action.

Every configuration change (admin pages, admin API, import) and every booking action (hold, book,
move, cancel, release) appends one `AuditRecord` in the transaction that made it, through a listener
on the app's session (`app.audit.listener`), so no write path can forget it. `record(...)` appends
one by hand for a change the session does not see. The database refuses UPDATE and DELETE on the
table (migration 0011). See docs/audit.md.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from app.audit.actors import CLI, Actor, acting, actor, fingerprint
from app.audit.listener import Changes, after_flush, row_values
from app.extensions import db
from app.models import AuditRecord

__all__ = ["CLI", "Actor", "acting", "actor", "fingerprint", "init_app", "record"]


def init_app(app: Flask) -> None:
    """Make the app's session append audit records for every audited change."""
    if not event.contains(db.session, "after_flush", after_flush):
        event.listen(db.session, "after_flush", after_flush)


def record(
    action: str, entity: str, entity_id: str, changes: Changes, *, who: Actor | None = None
) -> AuditRecord:
    """Append one record to the current transaction (committed, or rolled back, with it)."""
    row = AuditRecord(**row_values(action, entity, entity_id, changes, who))
    db.session.add(row)
    return row
