"""The outbox worker: claims due messages, delivers them, retries with backoff, buries the hopeless.

Claiming takes a lease (`locked_by`, `locked_until`) in one short transaction: PostgreSQL skips
rows another worker has locked (`FOR UPDATE SKIP LOCKED`), SQLite lets one writer at a time in
(`BEGIN IMMEDIATE`, via `write_transaction`). Each claim counts as an attempt, so a message that
crashes its worker cannot loop for ever. A worker that dies keeps nobody waiting longer than the
lease: its rows are claimable again once `locked_until` passes. A message is marked delivered
only after the mail server accepted it, so delivery is at least once; the Message-ID made from the
row's id lets receivers drop a repeat.
"""

from __future__ import annotations

import logging
import os
import random
import smtplib
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Exists, or_, select, update
from sqlalchemy.orm import aliased

from app.booking.errors import Conflict
from app.booking.locking import write_transaction
from app.extensions import db
from app.notifications.mail import InvalidRecipient, build_message
from app.notifications.models import OutboxMessage
from app.notifications.outbox import WEBHOOK
from app.notifications.transport import Transport, Unreachable
from app.notifications.webhooks import WebhookFailed, deliver_webhook

log = logging.getLogger("bookme.outbox")
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class PassResult:
    """What one pass did: messages delivered, failed (to be retried) and given up (dead)."""

    delivered: int = 0
    failed: int = 0
    dead: int = 0

    @property
    def handled(self) -> int:
        return self.delivered + self.failed + self.dead


def new_worker_id() -> str:
    """A name for this worker in `locked_by`: host, process and a random part."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def backoff_seconds(attempts: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(attempts-1))]."""
    return rng.uniform(0, min(cap, base * 2 ** max(attempts - 1, 0)))


def claim(worker_id: str, now: datetime) -> list[str]:
    """Lease up to a batch of due messages to this worker; their ids, oldest first."""
    config = current_app.config
    lease = timedelta(seconds=config["BOOKME_OUTBOX_LEASE_SECONDS"])
    max_attempts = config["BOOKME_OUTBOX_MAX_ATTEMPTS"]
    due = (
        OutboxMessage.delivered_at.is_(None),
        OutboxMessage.dead_at.is_(None),
        OutboxMessage.available_at <= now,
        or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until <= now),
        or_(OutboxMessage.stream.is_(None), ~_earlier_owed()),
    )
    stmt = (
        select(OutboxMessage.id, OutboxMessage.attempts)
        .where(*due)
        .order_by(OutboxMessage.available_at, OutboxMessage.created_at, OutboxMessage.id)
        .limit(config["BOOKME_OUTBOX_BATCH"])
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )
    try:
        with write_transaction([]):
            rows = db.session.execute(stmt).all()
            spent = [r.id for r in rows if r.attempts >= max_attempts]  # its worker died each time
            ids = [r.id for r in rows if r.attempts < max_attempts]
            if spent:
                _mark(spent, dead_at=now, last_error="worker stopped during delivery")
            if ids:
                _mark(
                    ids,
                    locked_by=worker_id,
                    locked_until=now + lease,
                    attempts=OutboxMessage.attempts + 1,
                )
    except Conflict:  # SQLite busy past its timeout: nothing claimed, try next pass
        return []
    return ids


def _earlier_owed() -> Exists:
    """An earlier message of the same stream and meeting is still owed: this one waits for it."""
    earlier = aliased(OutboxMessage)
    return (
        select(earlier.id)
        .where(
            earlier.stream == OutboxMessage.stream,
            earlier.meeting_id == OutboxMessage.meeting_id,
            earlier.position < OutboxMessage.position,
            earlier.delivered_at.is_(None),
            earlier.dead_at.is_(None),
        )
        .exists()
    )


def _mark(ids: list[str], **values: object) -> None:
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(**values))


def run_once(
    transport: Transport,
    *,
    worker_id: str,
    clock: Clock,
    rng: random.Random | None = None,
) -> PassResult:
    """Claim what is due and deliver it through `transport`; one pass, no sleeping."""
    ids = claim(worker_id, clock())
    counts = {"delivered": 0, "failed": 0, "dead": 0, "lost": 0}
    if not ids:
        return PassResult()
    rng = rng or random.Random()
    with transport:
        for n, message_id in enumerate(ids):
            try:
                outcome = _deliver(message_id, transport, worker_id, clock, rng)
            except Unreachable as down:  # the rest would fail alike: retry them all later
                for waiting in ids[n:]:
                    counts[_failed(waiting, worker_id, down, clock(), rng)] += 1
                break
            counts[outcome] += 1
    return PassResult(counts["delivered"], counts["failed"], counts["dead"])


def _deliver(
    message_id: str, transport: Transport, worker_id: str, clock: Clock, rng: random.Random
) -> str:
    """Send one leased message and record the outcome: 'delivered', 'failed', 'dead', or 'lost'
    (the lease ran out: another worker has the message now, or may claim it)."""
    db.session.rollback()  # a fresh read: render from the database as it is now
    row = db.session.get(OutboxMessage, message_id)
    if row is None or row.locked_by != worker_id or _expired(row.locked_until, clock()):
        return "lost"  # a slow pass outlived the lease: another worker may be sending it
    try:
        sent = _send(row, transport, clock())
    except Unreachable:
        db.session.rollback()
        raise
    except Exception as exc:  # any failure: retried later, and never the message's content
        db.session.rollback()
        return _failed(message_id, worker_id, exc, clock(), rng)
    note = None if sent else "nothing to send: no address or endpoint, or cancelled since"
    _finish(message_id, worker_id, delivered_at=clock(), last_error=note)
    log.info("outbox message %s delivered", message_id)
    return "delivered"


def _expired(until: datetime | None, now: datetime) -> bool:
    return until is None or until <= now


def _send(row: OutboxMessage, transport: Transport, now: datetime) -> bool:
    """Deliver one message by its kind; False when there was nothing to send any more."""
    if row.kind == WEBHOOK:
        return deliver_webhook(row, now=now)
    email = build_message(row, now=now)
    if email is None:
        return False
    transport.send(email)
    return True


def _failed(
    message_id: str, worker_id: str, exc: Exception, now: datetime, rng: random.Random
) -> str:
    """Schedule a retry with backoff, or give up after the last attempt or a permanent refusal."""
    config = current_app.config
    row = db.session.get(OutboxMessage, message_id)
    attempts = row.attempts if row else 0
    error = describe(exc)
    if attempts >= config["BOOKME_OUTBOX_MAX_ATTEMPTS"] or is_permanent(exc):
        _finish(message_id, worker_id, dead_at=now, last_error=error)
        log.warning("outbox message %s dead after %d attempts: %s", message_id, attempts, error)
        return "dead"
    delay = backoff_seconds(
        attempts,
        base=config["BOOKME_OUTBOX_BACKOFF_BASE_SECONDS"],
        cap=config["BOOKME_OUTBOX_BACKOFF_MAX_SECONDS"],
        rng=rng,
    )
    _finish(message_id, worker_id, available_at=now + timedelta(seconds=delay), last_error=error)
    log.info("outbox message %s failed (%s); retry in %.0f s", message_id, error, delay)
    return "failed"


def _finish(message_id: str, worker_id: str, **values: object) -> None:
    """Release our lease with the outcome (only if the lease is still ours), and commit."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.locked_by == worker_id)
        .values(locked_by=None, locked_until=None, **values)
    )
    db.session.commit()


def describe(exc: Exception) -> str:
    """The failure's kind and SMTP code: never its text, which may name an address."""
    if isinstance(exc, Unreachable | WebhookFailed) and exc.args:
        return f"{type(exc).__name__} {exc.args[0]}"[:200]
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({c for c, _ in exc.recipients.values()})
        code = ",".join(str(c) for c in codes)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:200]


def is_permanent(exc: Exception) -> bool:
    """A 5xx refusal of this message's recipient or content will not change by retrying.

    A refused sign-in or sender is the installation's fault, not the message's: retried."""
    if isinstance(exc, InvalidRecipient):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(500 <= c < 600 for c, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600
    return False
