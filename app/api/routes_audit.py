"""`GET /config/audit` (`bookme.admin`): the audit trail for the bank's systems, filtered, newest
first, a page at a time. The same filters as the admin page (app/audit/trail.py)."""

from __future__ import annotations

from typing import Any, Literal

from flask import Response, request
from pydantic import Field

from app.api import bp
from app.api.auth import require_scope
from app.api.errors import json_response
from app.api.openapi import document
from app.api.params import parse_query
from app.api.routes_availability import iso_stamp
from app.api.schemas import ApiModel, Id, Instant
from app.audit.actors import ACTOR_KINDS, CHANNELS
from app.audit.fields import ENTITIES
from app.audit.trail import ACTIONS, AuditFilter, find
from app.models import AuditRecord

MAX_PAGE_SIZE = 200


class AuditQuery(ApiModel):
    """`GET /config/audit` filters: every one given must hold."""

    entity: Literal[ENTITIES] | None = None  # type: ignore[valid-type]
    entity_id: Id | None = None
    actor_kind: Literal[ACTOR_KINDS] | None = None  # type: ignore[valid-type]
    actor_id: Id | None = Field(None, description="staff account id, API client id or link id")
    action: Literal[ACTIONS] | None = None  # type: ignore[valid-type]
    from_: Instant | None = Field(None, alias="from", description="records at or after")
    to: Instant | None = Field(None, description="records before")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class AuditActorOut(ApiModel):
    """Who acted."""

    kind: Literal[ACTOR_KINDS]  # type: ignore[valid-type]
    id: str | None
    label: str


class AuditRecordOut(ApiModel):
    """One audit record: `changes` maps each field to `[before, after]`."""

    id: int
    at: str = Field(json_schema_extra={"format": "date-time"})
    actor: AuditActorOut
    channel: Literal[CHANNELS]  # type: ignore[valid-type]
    action: str
    entity: str
    entity_id: str
    changes: dict[str, list[Any]]
    request_id: str | None


class AuditPageOut(ApiModel):
    """A page of audit records, newest first."""

    records: list[AuditRecordOut]
    page: int
    has_next: bool


def record_json(r: AuditRecord) -> dict[str, Any]:
    """One record as the API shows it."""
    return AuditRecordOut(
        id=r.id,
        at=iso_stamp(r.at),
        actor=AuditActorOut(kind=r.actor_kind, id=r.actor_id, label=r.actor_label),
        channel=r.channel,
        action=r.action,
        entity=r.entity,
        entity_id=r.entity_id,
        changes=r.changes or {},
        request_id=r.request_id,
    ).model_dump(mode="json", by_alias=True)


@bp.get("/config/audit")
@require_scope("bookme.admin")
@document(
    "Read the audit trail",
    tags=["Audit"],
    query=AuditQuery,
    responses={200: AuditPageOut},
    description="Every configuration change and booking action, newest first. Configuration "
    "records hold no personal data beyond ids (names, e-mails and secrets show as `[redacted]` "
    "when they changed); booking records name the customer by customer id only.",
)
def audit_trail() -> Response:
    """A page of the audit trail."""
    q = parse_query(AuditQuery, request.args)
    found = AuditFilter(
        entity=q.entity,
        entity_id=q.entity_id,
        actor_kind=q.actor_kind,
        actor_id=q.actor_id,
        action=q.action,
        since=q.from_,
        until=q.to,
    )
    page = find(found, page=q.page, size=q.page_size)
    body = {"records": [record_json(r) for r in page.records], "page": page.number}
    return json_response({**body, "hasNext": page.has_next})
