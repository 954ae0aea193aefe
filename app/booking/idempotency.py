"""Idempotent POSTs: the first answer to a request with an `Idempotency-Key`, replayed on retries.

- `request_fingerprint(body: bytes) -> str`: what a retry must repeat to be a retry.
- `recorded_answer(client_id, key) -> IdempotencyRecord | None`.
- `add_answer(client_id, key, fingerprint, status_code, body, *, now) -> None`: inside the
  caller's write transaction (the meeting's own), so the answer commits with what it answers.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from app.extensions import db
from app.models import IdempotencyRecord


def request_fingerprint(body: bytes) -> str:
    """A SHA-256 of the request body."""
    return hashlib.sha256(body).hexdigest()


def recorded_answer(client_id: str, key: str) -> IdempotencyRecord | None:
    """The answer recorded for this client's key, if any."""
    return db.session.get(IdempotencyRecord, (client_id, key), populate_existing=True)


def add_answer(
    client_id: str, key: str, fingerprint: str, status_code: int, body: str, *, now: datetime
) -> None:
    """Record the answer to this key in the caller's transaction. A concurrent request with the
    same key used the same reservation and lost it (then replays this answer), or used another
    and its whole transaction fails on this row's primary key (409)."""
    db.session.add(
        IdempotencyRecord(
            client_id=client_id,
            key=key,
            request_hash=fingerprint,
            status_code=status_code,
            body=body,
            created_at=now,
        )
    )
