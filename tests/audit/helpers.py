"""Reading the audit trail back in tests."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from app.models import AuditRecord


def records(**where: str) -> list[AuditRecord]:
    """Every record matching the column values, oldest first."""
    db.session.expire_all()
    q = select(AuditRecord).order_by(AuditRecord.id)
    for column, value in where.items():
        q = q.where(getattr(AuditRecord, column) == value)
    return list(db.session.scalars(q))


def all_text() -> str:
    """Every record's columns as one text, to search for what must never be there."""
    return "\n".join(
        json.dumps([r.actor_label, r.actor_id, r.entity_id, r.changes], default=str)
        for r in records()
    )
