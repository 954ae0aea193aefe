"""The outbox table: one row per message to deliver, written in the transaction of its change."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, new_id
from app.extensions import Base, db

if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

_PENDING = text("delivered_at IS NULL AND dead_at IS NULL")


class OutboxMessage(Model):
    """A message owed to someone because a meeting changed: an e-mail now, a webhook later.

    `id` is the message's stable identity (the e-mail's Message-ID is made from it), so a
    receiver can drop a repeat of an at-least-once delivery. `payload` holds ids and what the
    change alone knows (old time, cancellation reason); the message is rendered at delivery.
    `last_error` names the failure's kind and code only, never an address or a name.
    """

    __tablename__ = "outbox_messages"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(20))
    event: Mapped[str] = mapped_column(String(40))
    meeting_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    locked_by: Mapped[str | None] = mapped_column(String(64))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set for messages a periodic job owes (a reminder): a second worker's insert is refused.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # Messages of one stream (a webhook endpoint) go out in order per meeting: none is claimed
    # while one of the same stream and meeting with a lower `position` (the meeting's sequence
    # at the change) is still owed.
    stream: Mapped[str | None] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        Index(
            "ix_outbox_messages_pending",
            "available_at",
            postgresql_where=_PENDING,
            sqlite_where=_PENDING,
        ),
    )


class WorkerJob(Model):
    """A periodic job of the worker: whoever moves `next_run_at` on first runs it this tick."""

    __tablename__ = "worker_jobs"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_worker: Mapped[str | None] = mapped_column(String(64))


class WebhookEndpoint(Model):
    """A receiver in the bank's other systems: its URL, the events it wants, its signing secret.

    The secret (Standard Webhooks, `whsec_...`) is stored encrypted with a key derived from
    SECRET_KEY (app/notifications/webhooks.py)."""

    __tablename__ = "webhook_endpoints"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(500))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookAttempt(Model):
    """One POST to an endpoint: the delivery log (status or error kind, never the answer's body)."""

    __tablename__ = "webhook_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    endpoint_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("outbox_messages.id", ondelete="CASCADE")
    )
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(200))
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
