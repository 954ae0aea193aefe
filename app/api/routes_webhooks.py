"""Webhook endpoints (`bookme.admin`): register the bank's receivers, list them, switch one off,
read its delivery log. Every write goes through `app.notifications.endpoints`; what is sent and
how it is signed: docs/notifications.md.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import Response
from pydantic import Field

from app import clock
from app.api import bp
from app.api.auth import require_scope
from app.api.errors import json_response
from app.api.openapi import Answer, document
from app.api.routes_admin import ADMIN, _body
from app.api.schemas import ApiModel, dump
from app.api.schemas_admin import Body, Str
from app.api.schemas_booking import wire_time
from app.notifications import endpoints
from app.notifications.models import WebhookAttempt, WebhookEndpoint

TAGS = ["Webhooks"]
Event = Literal["meeting.booked", "meeting.moved", "meeting.cancelled"]


class WebhookBody(Body):
    """`POST /config/webhooks`."""

    url: Annotated[str, Field(max_length=endpoints.URL_MAX, examples=["https://crm.example/hooks"])]
    events: list[Event] | None = Field(None, max_length=3, description="default: all three")
    name: Str = ""


class WebhookOut(ApiModel):
    """A registered receiver (its secret is never shown again)."""

    id: str
    name: str
    url: str
    events: list[str]
    enabled: bool
    created_at: str


class WebhookCreated(WebhookOut):
    """A new receiver with its signing secret: shown only in this answer."""

    secret: str = Field(description="`whsec_...`: verify `webhook-signature` with it")


class AttemptOut(ApiModel):
    """One POST to the receiver."""

    message_id: str = Field(description="the `webhook-id` sent")
    attempted_at: str
    status_code: int | None
    error: str | None = Field(description="the failure's kind when there was no answer")
    duration_ms: int


def _json(
    row: WebhookEndpoint, model: type[WebhookOut] = WebhookOut, **extra: Any
) -> dict[str, Any]:
    return dump(
        model,
        id=row.id,
        name=row.name,
        url=row.url,
        events=list(row.events),
        enabled=row.enabled,
        created_at=wire_time(row.created_at),
        **extra,
    )


def _attempt_json(row: WebhookAttempt) -> dict[str, Any]:
    return dump(
        AttemptOut,
        message_id=row.message_id,
        attempted_at=wire_time(row.attempted_at),
        status_code=row.status_code,
        error=row.error,
        duration_ms=row.duration_ms,
    )


@bp.get("/config/webhooks")
@require_scope(ADMIN)
@document("List webhook receivers", tags=TAGS, responses={200: list[WebhookOut]})
def list_webhooks() -> Response:
    """Every receiver, oldest first."""
    return json_response([_json(e) for e in endpoints.list_endpoints()])


@bp.post("/config/webhooks")
@require_scope(ADMIN)
@document(
    "Register a webhook receiver",
    tags=TAGS,
    body=WebhookBody,
    responses={201: Answer("The receiver", WebhookCreated, headers={"Location": "its URL"})},
    description="Every booking, move and cancellation is POSTed to `url` as JSON signed by the "
    "Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with "
    "the `secret` of this answer, which is not shown again. Retried with backoff until the "
    "receiver answers 2xx; in order per meeting.",
)
def add_webhook() -> Response:
    """Register one receiver."""
    body: WebhookBody = _body(WebhookBody)
    endpoint, secret = endpoints.add_endpoint(
        body.url, list(body.events or []), name=body.name, now=clock.now()
    )
    url = f"/config/webhooks/{endpoint.id}"
    return json_response(_json(endpoint, WebhookCreated, secret=secret), 201, {"Location": url})


@bp.delete("/config/webhooks/<endpoint_id>")
@require_scope(ADMIN)
@document("Switch a webhook receiver off", tags=TAGS, responses={204: Answer("Switched off")})
def delete_webhook(endpoint_id: str) -> Response:
    """Nothing more is sent to it; its delivery log is kept."""
    endpoints.switch_off(endpoint_id)
    return Response(status=204)


@bp.get("/config/webhooks/<endpoint_id>/attempts")
@require_scope(ADMIN)
@document("Read a webhook receiver's delivery log", tags=TAGS, responses={200: list[AttemptOut]})
def webhook_attempts(endpoint_id: str) -> Response:
    """The last 100 attempts, newest first: HTTP status or failure kind, duration."""
    return json_response([_attempt_json(a) for a in endpoints.attempts(endpoint_id)])
