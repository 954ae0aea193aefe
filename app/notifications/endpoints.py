"""Webhook endpoints: the only code that writes them (the admin API and the commands call it)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select

from app.booking.errors import InvalidRequest, NotFound
from app.extensions import db
from app.notifications.destinations import allowed_private, internal_literal
from app.notifications.models import WebhookAttempt, WebhookEndpoint
from app.notifications.outbox import BOOKED, CANCELLED, MOVED
from app.notifications.webhooks import new_secret, seal

WEBHOOK_EVENTS = (BOOKED, MOVED, CANCELLED)
URL_MAX = 2000


def add_endpoint(
    url: str, events: list[str] | None, *, name: str = "", now: datetime
) -> tuple[WebhookEndpoint, str]:
    """Register a receiver; the endpoint and its signing secret (shown to the caller only now)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > URL_MAX:
        raise InvalidRequest("url must be an absolute http(s) URL", field="url")
    if not allowed_private() and internal_literal(parts.hostname):
        raise InvalidRequest("url must not point into the internal network", field="url")
    unknown = sorted(set(events or ()) - set(WEBHOOK_EVENTS))
    if unknown:
        raise InvalidRequest(f"unknown event {unknown[0]}", field="events")
    secret = new_secret()
    endpoint = WebhookEndpoint(
        name=name,
        url=url,
        events=[e for e in WEBHOOK_EVENTS if e in (events or WEBHOOK_EVENTS)],
        secret=seal(secret),
        enabled=True,
        created_at=now,
    )
    db.session.add(endpoint)
    db.session.commit()
    return endpoint, secret


def get_endpoint(endpoint_id: str) -> WebhookEndpoint:
    """The endpoint with this id (`NotFound` otherwise)."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id) if len(endpoint_id) <= 36 else None
    if endpoint is None:
        raise NotFound("webhook", endpoint_id)
    return endpoint


def list_endpoints() -> list[WebhookEndpoint]:
    """Every endpoint, oldest first."""
    stmt = select(WebhookEndpoint).order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    return list(db.session.scalars(stmt))


def switch_off(endpoint_id: str) -> WebhookEndpoint:
    """Send nothing more to the endpoint (messages owed to it are dropped; its log is kept)."""
    endpoint = get_endpoint(endpoint_id)
    endpoint.enabled = False
    db.session.commit()
    return endpoint


def attempts(endpoint_id: str, last: int = 100) -> list[WebhookAttempt]:
    """The endpoint's delivery log, newest first."""
    get_endpoint(endpoint_id)
    stmt = (
        select(WebhookAttempt)
        .where(WebhookAttempt.endpoint_id == endpoint_id)
        .order_by(WebhookAttempt.id.desc())
        .limit(last)
    )
    return list(db.session.scalars(stmt))
