"""Idempotent POSTs: the first answer to a request with an `Idempotency-Key`, replayed on retries.

- `request_fingerprint(body: bytes) -> str`: what a retry must repeat to be a retry.
- `recorded_answer(client_id, key) -> IdempotencyRecord | None`.
- `record_answer(client_id, key, fingerprint, status_code, body, *, now) -> None`: the first
  writer wins; a concurrent duplicate is ignored.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from app.booking.errors import Conflict
from app.booking.locking import write_transaction
from app.extensions import db
from app.models import IdempotencyRecord


def request_fingerprint(body: bytes) -> str:
    """A SHA-256 of the request body."""
    return hashlib.sha256(body).hexdigest()


def recorded_answer(client_id: str, key: str) -> IdempotencyRecord | None:
    """The answer recorded for this client's key, if any."""
    return db.session.get(IdempotencyRecord, (client_id, key), populate_existing=True)


def record_answer(
    client_id: str, key: str, fingerprint: str, status_code: int, body: str, *, now: datetime
) -> None:
    """Keep the first answer to this key (a concurrent duplicate leaves the first in place)."""
    try:
        with write_transaction([f"idempotency:{client_id}:{key}"]):
            if db.session.get(IdempotencyRecord, (client_id, key)) is None:
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
    except Conflict:
        pass
