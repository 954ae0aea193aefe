"""Webhooks: each event POSTed as JSON to the endpoints that want it, signed by the Standard
Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`).

`webhook-id` is the outbox message's id, the same at every attempt, so a receiver can drop a
repeat. The body carries the event (type, channel, actor, the meeting's sequence then, a move's
old time, a cancellation's reason) and the meeting in the API's wire form as it is at delivery.
`webhook-timestamp` is the real time of the attempt (receivers refuse one more than minutes
off), not the injected clock that schedules the attempts. Every attempt is logged per endpoint
(status code or failure kind, duration), never the receiver's answer.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import current_app
from standardwebhooks.webhooks import Webhook

from app.api.schemas_booking import meeting_out, wire_time
from app.clock import system_now
from app.crypto import decrypt, encrypt
from app.extensions import db
from app.models import Meeting
from app.notifications.destinations import allowed_private, resolves_internal
from app.notifications.models import OutboxMessage, WebhookAttempt, WebhookEndpoint

SECRET_PREFIX = "whsec_"
SECRET_PURPOSE = "webhook-secret"  # app/crypto.py's key: the same one as before it was shared


class WebhookFailed(Exception):
    """The receiver did not answer 2xx (or could not be reached)."""


def new_secret() -> str:
    """A fresh signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def seal(secret: str) -> str:
    """The secret as stored (app/crypto.py, the webhook secrets' own key)."""
    return encrypt(SECRET_PURPOSE, secret)


def unseal(stored: str) -> str:
    """The secret from its stored form; `WebhookFailed` (retried, and shown as the reason) when
    it cannot be read, as after SECRET_KEY changed."""
    secret = decrypt(SECRET_PURPOSE, stored)
    if secret is None:
        raise WebhookFailed("the signing secret cannot be read (SECRET_KEY changed?)")
    return secret


def body(row: OutboxMessage, meeting: Meeting) -> str:
    """The JSON body of one webhook message."""
    data = row.payload
    event: dict[str, Any] = {
        "channel": data.get("channel"),
        "actor": data.get("actor"),
        "sequence": data.get("sequence"),
    }
    if data.get("old_start"):
        event["previousStartDate"] = wire_time(datetime.fromisoformat(data["old_start"]))
        event["previousEndDate"] = wire_time(datetime.fromisoformat(data["old_end"]))
    if "reason" in data:
        event["reason"] = data["reason"]
    return json.dumps(
        {
            "type": row.event,
            "timestamp": wire_time(row.created_at),
            "data": {"event": event, "meeting": meeting_out(meeting)},
        },
        separators=(",", ":"),
    )


def deliver_webhook(row: OutboxMessage, *, now: datetime) -> bool:
    """POST the message to its endpoint; False when there is nothing to send any more (the
    endpoint was removed or switched off). Raises `WebhookFailed` unless the answer is 2xx."""
    endpoint = db.session.get(WebhookEndpoint, str(row.payload.get("endpoint_id")))
    meeting = db.session.get(Meeting, row.meeting_id)
    if endpoint is None or not endpoint.enabled or meeting is None:
        return False
    payload = body(row, meeting)
    sent_at = system_now()
    headers = {
        "content-type": "application/json",
        "webhook-id": row.id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(unseal(endpoint.secret)).sign(row.id, sent_at, payload),
    }
    started = time.monotonic()
    status, error = None, None
    try:
        if not allowed_private() and _internal(endpoint.url):
            raise InternalAddress()
        # stream=True: the body is never read (nor stored), only the status line and headers
        with requests.post(
            endpoint.url,
            data=payload.encode(),
            headers=headers,
            timeout=current_app.config["BOOKME_WEBHOOK_TIMEOUT_SECONDS"],
            allow_redirects=False,
            stream=True,
        ) as answer:
            status = answer.status_code
    except (requests.RequestException, InternalAddress) as exc:
        error = type(exc).__name__
    _log_attempt(endpoint.id, row.id, now, status, error, started)
    if status is None or not 200 <= status < 300:
        raise WebhookFailed(error or f"HTTP {status}")
    return True


class InternalAddress(Exception):
    """The endpoint's host resolves into the internal network (docs/notifications.md)."""


def _internal(url: str) -> bool:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return resolves_internal(parts.hostname or "", port)


def _log_attempt(
    endpoint_id: str,
    message_id: str,
    now: datetime,
    status: int | None,
    error: str | None,
    started: float,
) -> None:
    """Record the attempt in the endpoint's delivery log (committed whatever comes next)."""
    db.session.add(
        WebhookAttempt(
            endpoint_id=endpoint_id,
            message_id=message_id,
            attempted_at=now,
            status_code=status,
            error=error,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    )
    db.session.commit()
