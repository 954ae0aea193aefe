"""The vendor's meeting-topic operations under `/bookme/meeting-topics`: create, read one, and
change by JSON Patch, each topic with the vendor's required `uniqueTopicId`.

Writes go through the configuration service (`save_item`), as `/config/meeting-topics` does.
"""

from __future__ import annotations

from typing import Any, Literal

from flask import Response, request
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.auth import require_scope
from app.api.errors import RequestValidationError, json_response
from app.api.openapi import REF, document
from app.api.params import parse_query
from app.api.routes_config import topic_json
from app.api.schemas import ApiModel, Id, Text, TopicOut
from app.api.schemas_admin import api_field
from app.api.schemas_config_v3 import LangQuery
from app.api.schemas_vendor import patch_list
from app.booking.errors import InvalidRequest, NotFound
from app.configuration.document import ConfigurationError
from app.configuration.items import save_item
from app.db_types import new_id
from app.extensions import db
from app.localized import canonical_tag, home_tag
from app.models import Topic

TAGS = ["Configuration"]


class TopicCreateIn(ApiModel):
    """`POST /bookme/meeting-topics`: the vendor's `CreateTopicRequest`."""

    name: Text
    unique_topic_id: Text | None = Field(None, description="default: the new topic's id")
    parent_id: Id | None = None
    order: int = Field(0, ge=0, le=10_000)
    localized_name: dict[str, str] | None = Field(
        None, description="V3: names per locale tag; the organisation's language wins over `name`"
    )


class TopicPatchOperation(BaseModel):
    """One `replace` on a topic's `/name`, `/uniqueTopicId`, `/parentId`, `/order` or (V3)
    `/localizedName` (merged into the stored names)."""

    model_config = ConfigDict(extra="ignore")
    op: Literal["replace"]
    path: Literal["/name", "/uniqueTopicId", "/parentId", "/order", "/localizedName"]
    value: str | int | dict[str, str] | None


TOPIC_PATCH = TypeAdapter(list[TopicPatchOperation])
PATCH_FIELDS = {"/name": "name", "/uniqueTopicId": "unique_topic_id", "/parentId": "parent"}


def _topic(ident: str) -> Topic:
    """The topic with this id or `uniqueTopicId`; 404 naming it otherwise."""
    found = db.session.scalar(
        select(Topic)
        .where(or_(Topic.id == ident, Topic.unique_topic_id == ident))
        .options(selectinload(Topic.customer_types))
    )
    if found is None:
        raise NotFound("topic", ident)
    return found


def _save(item: dict[str, Any]) -> str:
    """Write the topic through the configuration service; its problems as a 400."""
    try:
        return save_item("topics", item)
    except ConfigurationError as exc:
        raise RequestValidationError(
            [{"field": api_field(p.path, "topics"), "message": p.message} for p in exc.problems]
        ) from None


@bp.post("/bookme/meeting-topics")
@require_scope("bookme.admin")
@document(
    "Create a meeting topic (the vendor's form)",
    tags=TAGS,
    body=TopicCreateIn,
    responses={201: TopicOut},
    description="`uniqueTopicId` must be unused (400 otherwise); `/config/meeting-topics` takes "
    "every topic field.",
)
def create_vendor_topic() -> Response:
    """A new topic with the vendor's fields (201 + Location)."""
    body = TopicCreateIn.model_validate(_json_object())
    item = {"id": new_id(), "name": body.name, "order": body.order, "parent": body.parent_id}
    if body.unique_topic_id:
        item["unique_topic_id"] = body.unique_topic_id
    if body.localized_name is not None:
        item.update(_with_names(body.name, {}, body.localized_name))
    ident = _save(item)
    return json_response(
        topic_json(_topic(ident)), 201, {"Location": f"/bookme/meeting-topics/{ident}"}
    )


@bp.get("/bookme/meeting-topics/<ident>")
@require_scope("bookme.read")
@document("Read a meeting topic", tags=TAGS, query=LangQuery, responses={200: TopicOut})
def get_vendor_topic(ident: str) -> Response:
    """One topic, by id or `uniqueTopicId`; `lang` shapes its `localizedName`."""
    lang = parse_query(LangQuery, request.args).lang
    return json_response(topic_json(_topic(ident), lang))


@bp.patch("/bookme/meeting-topics/<ident>")
@require_scope("bookme.admin")
@document(
    "Change a meeting topic (JSON Patch)",
    tags=TAGS,
    body={
        "oneOf": [
            {"$ref": REF.format(model="TopicPatchOperation")},
            {"type": "array", "items": {"$ref": REF.format(model="TopicPatchOperation")}},
        ]
    },
    models=(TopicPatchOperation,),
    responses={200: TopicOut},
    description="`replace` on `/name`, `/uniqueTopicId`, `/parentId`, `/order` or `/localizedName` "
    "(merged into the stored names: a client that knows one language patches only its own; "
    "the organisation's language's entry becomes `name`).",
)
def patch_vendor_topic(ident: str) -> Response:
    """Apply the operations in one write (all or nothing)."""
    topic = _topic(ident)
    item: dict[str, Any] = {"id": topic.id, "name": topic.name}
    for operation in TOPIC_PATCH.validate_python(patch_list(request.get_json(silent=True))):
        if operation.path == "/localizedName":
            if not isinstance(operation.value, dict):
                raise InvalidRequest("/localizedName takes a map of locale tag to name")
            stored = item.get("localized_names", topic.localized_names or {})
            item.update(_with_names(str(item["name"]), stored, operation.value))
        else:
            item[PATCH_FIELDS.get(operation.path, "order")] = operation.value
    _save(item)
    return json_response(topic_json(_topic(topic.id)))


def _with_names(name: str, stored: dict[str, str], given: dict[str, str]) -> dict[str, Any]:
    """`localized_names` merged (tags made canonical), and `name` mirrored from the
    organisation's language when the map has it (the vendor's rule for its `da-DK`)."""
    try:
        names = {**stored, **{canonical_tag(str(tag)): text for tag, text in given.items()}}
    except ValueError as exc:
        raise InvalidRequest(str(exc), field="localizedName") from None
    home = names.get(home_tag())
    return {"localized_names": names, "name": home if isinstance(home, str) else name}


def _json_object() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidRequest("the body must be a JSON object", field="body")
    return data
