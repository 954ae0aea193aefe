"""The outbox's state for the metrics (`bookme_outbox_*` gauges): one query at each scrape."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.ops.metrics import OutboxState, register_outbox_probe

_WAITING = OutboxMessage.delivered_at.is_(None) & OutboxMessage.dead_at.is_(None)
_DEAD = OutboxMessage.dead_at.is_not(None)


def outbox_state() -> OutboxState:
    """Messages still owed, the age of the oldest of them (0 when none), and dead messages."""
    backlog, oldest, dead = db.session.execute(
        select(
            func.count().filter(_WAITING),
            func.min(OutboxMessage.created_at).filter(_WAITING),
            func.count().filter(_DEAD),
        ).select_from(OutboxMessage)
    ).one()
    age = max(0.0, (clock.now() - oldest).total_seconds()) if oldest is not None else 0.0
    return OutboxState(backlog=int(backlog or 0), oldest_age_seconds=age, dead=int(dead or 0))


def init_outbox_probe(app: Flask) -> None:
    """Report the outbox at every scrape of /metrics (the probe runs in the scraping request)."""
    register_outbox_probe(outbox_state)
