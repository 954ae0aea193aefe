"""Dead messages (the worker gave up on them): the listing and the retry that `bookme outbox-dead`,
`bookme outbox-retry` and the admin page /staff/admin/outbox share."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, select, update

from app.extensions import db
from app.notifications.models import OutboxMessage


def _dead() -> ColumnElement[bool]:
    return and_(OutboxMessage.dead_at.is_not(None), OutboxMessage.delivered_at.is_(None))


def dead_messages() -> list[OutboxMessage]:
    """Every dead, undelivered message, oldest death first."""
    stmt = select(OutboxMessage).where(_dead()).order_by(OutboxMessage.dead_at, OutboxMessage.id)
    return list(db.session.scalars(stmt))


def retry_dead(message_id: str | None, *, now: datetime) -> int:
    """Give one dead message (or, with None, every one) a fresh set of attempts, due `now`;
    how many were given."""
    stmt = update(OutboxMessage).where(_dead())
    if message_id is not None:
        stmt = stmt.where(OutboxMessage.id == message_id)
    result = db.session.execute(
        stmt.values(dead_at=None, attempts=0, available_at=now, locked_until=None)
    )
    db.session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]
