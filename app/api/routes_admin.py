"""Configuration writes (`bookme.admin`): create, change and delete configuration items, advisors'
weekly schedules and busy times, and the organisation's settings.

Every write goes through `app.configuration.items` (the import's validation and upsert); this module
only translates camelCase bodies to file items (`schemas_admin.file_item`) and problems back to
camelCase fields. Also the reads of the collections `routes_config` does not serve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from flask import Response, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.api import bp
from app.api.auth import require_scope
from app.api.errors import RequestValidationError, json_response
from app.api.openapi import Answer, document
from app.api.routes_config import (
    customer_type_json,
    employee_json,
    location_json,
    room_json,
    topic_json,
)
from app.api.schemas import (
    ApiModel,
    CustomerTypeOut,
    EmployeeOut,
    LocationOut,
    RoomOut,
    TopicOut,
    dump,
)
from app.api.schemas_admin import (
    Body,
    ClosingDayBody,
    ClosingDayOut,
    CompetenceGroupBody,
    CompetenceGroupOut,
    CustomerTypeBody,
    EmployeeBody,
    LocationBody,
    RoomBody,
    ServiceGroupBody,
    ServiceGroupOut,
    TopicBody,
    api_field,
    file_item,
)
from app.api.schemas_vendor import JSON_PATCH, patch_to_merge
from app.booking.errors import Conflict, InvalidRequest, NotFound
from app.configuration.document import ConfigurationError
from app.configuration.items import delete_item, save_item
from app.db_types import new_id
from app.extensions import db
from app.models import (
    ClosingDay,
    CompetenceGroup,
    CustomerType,
    Employee,
    Location,
    Room,
    ServiceGroup,
    Topic,
)

ADMIN = "bookme.admin"
READ = "bookme.read"
TAGS = ["Configuration"]


def _ids(rows: list[Any]) -> list[str]:
    return sorted(r.id for r in rows)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def closing_day_json(row: ClosingDay) -> dict[str, Any]:
    return dump(ClosingDayOut, id=row.id, date=row.day.isoformat(), name=row.name)


def competence_group_json(row: CompetenceGroup) -> dict[str, Any]:
    return dump(
        CompetenceGroupOut,
        id=row.id,
        name=row.name,
        parent_id=row.parent_id,
        member_ids=_ids(row.members),
        topic_ids=_ids(row.topics),
        customer_type_ids=_ids(row.customer_types),
    )


def service_group_json(row: ServiceGroup) -> dict[str, Any]:
    return dump(
        ServiceGroupOut,
        id=row.id,
        name=row.name,
        label=row.label,
        topic_ids=_ids(row.topics),
        customer_type_ids=_ids(row.customer_types),
        customer_locations=list(row.customer_locations or []),
        meeting_types=list(row.meeting_types or []),
        location_ids=_ids(row.locations),
        employee_ids=_ids(row.employees),
        competence_group_ids=_ids(row.competence_groups),
        max_meeting_minutes_per_day=row.max_meeting_minutes_per_day,
    )


@dataclass(frozen=True)
class Collection:
    """One configuration collection under `/config/<path>` and its section of the file."""

    path: str
    section: str
    model: Any
    kind: str
    body: type[Body]
    out: type[ApiModel]
    to_json: Callable[[Any], dict[str, Any]]
    keep: Callable[[Any], dict[str, Any]]  # the file keys an update must repeat (required ones)
    serves_reads: bool = False  # whether this module also serves its GETs


def _named(row: Any) -> dict[str, Any]:
    return {"name": row.name}


COLLECTIONS = (
    Collection(
        "customer-types",
        "customer_types",
        CustomerType,
        "customer type",
        CustomerTypeBody,
        CustomerTypeOut,
        customer_type_json,
        _named,
    ),
    Collection(
        "employees",
        "employees",
        Employee,
        "employee",
        EmployeeBody,
        EmployeeOut,
        employee_json,
        lambda r: {"email": r.email, "first_name": r.first_name, "last_name": r.last_name},
    ),
    Collection(
        "rooms",
        "rooms",
        Room,
        "room",
        RoomBody,
        RoomOut,
        room_json,
        lambda r: {"name": r.name, "location": r.location_id},
    ),
    Collection(
        "locations",
        "locations",
        Location,
        "location",
        LocationBody,
        LocationOut,
        location_json,
        _named,
    ),
    Collection(
        "meeting-topics", "topics", Topic, "topic", TopicBody, TopicOut, topic_json, _named, True
    ),
    Collection(
        "closing-days",
        "closing_days",
        ClosingDay,
        "closing day",
        ClosingDayBody,
        ClosingDayOut,
        closing_day_json,
        lambda r: {"date": r.day.isoformat(), "name": r.name},
        True,
    ),
    Collection(
        "competence-groups",
        "competence_groups",
        CompetenceGroup,
        "competence group",
        CompetenceGroupBody,
        CompetenceGroupOut,
        competence_group_json,
        _named,
        True,
    ),
    Collection(
        "service-groups",
        "service_groups",
        ServiceGroup,
        "service group",
        ServiceGroupBody,
        ServiceGroupOut,
        service_group_json,
        _named,
        True,
    ),
)


# ---- helpers -------------------------------------------------------------------------------


def _row(model: type, kind: str, ident: str) -> Any:
    """The row with this id, or a 404 naming it (ids no database could hold are simply unknown)."""
    sane = 0 < len(ident) <= 100 and all(32 <= ord(c) != 127 for c in ident)
    row = db.session.get(model, ident) if sane else None
    if row is None:
        raise NotFound(kind, ident)
    return row


def _body(model: type[Body]) -> Any:
    """The JSON object body validated by `model` (a bad field gives 400 naming it)."""
    data = request.get_json(silent=True)
    if request.mimetype == JSON_PATCH and not isinstance(data, list):
        raise InvalidRequest("a JSON Patch body must be a list of operations", field="body")
    if isinstance(data, list) and request.method == "PATCH":  # the vendor's JSON Patch form
        data = patch_to_merge(data)
    if not isinstance(data, dict):
        raise InvalidRequest("the body must be a JSON object", field="body")
    return model.model_validate(data)


def _save(section: str, item: dict[str, Any], strip: str = "") -> str:
    """`save_item`, its problems as a 400 with camelCase field names."""
    try:
        return save_item(section, item)
    except ConfigurationError as exc:
        raise _invalid(exc, strip) from None


def _invalid(exc: ConfigurationError, strip: str = "") -> RequestValidationError:
    return RequestValidationError(
        [{"field": api_field(p.path, strip), "message": p.message} for p in exc.problems]
    )


def _no_content() -> Response:
    return Response(status=204)


# ---- collections ---------------------------------------------------------------------------


def _create(c: Collection) -> Response:
    item = file_item(_body(c.body))
    if c.section == "closing_days":
        _refuse_taken_date(item.get("date"), None)
    else:
        item["id"] = new_id()
    ident = _save(c.section, item)
    answer = c.to_json(_row(c.model, c.kind, ident))
    return json_response(answer, 201, {"Location": f"/config/{c.path}/{ident}"})


def _update(c: Collection, ident: str) -> Response:
    row = _row(c.model, c.kind, ident)
    item = {**c.keep(row), **file_item(_body(c.body))}
    if c.section == "closing_days":
        if item.get("date") != row.day.isoformat():
            message = "a closing day keeps its date: delete it and create another"
            raise InvalidRequest(message, field="date")
        _save(c.section, item)
    else:
        _save(c.section, {**item, "id": row.id})
    return json_response(c.to_json(_row(c.model, c.kind, ident)))


def _refuse_taken_date(value: Any, ident: str | None) -> None:
    """409 when another closing day already has this date."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return
    taken = db.session.scalar(select(ClosingDay.id).where(ClosingDay.day == day)) if day else None
    if taken is not None and taken != ident:
        raise Conflict(f"closing day {taken} already has the date {value}")


def _delete(c: Collection, ident: str) -> Response:
    _row(c.model, c.kind, ident)
    try:
        delete_item(c.section, ident, now=clock.now())
    except IntegrityError:
        db.session.rollback()
        raise Conflict(f"other data still refers to this {c.kind}") from None
    return _no_content()


def _register(c: Collection) -> None:
    """POST, PATCH and DELETE routes (and for some, the GETs) of one collection."""
    single, base = c.section.removesuffix("s"), f"/config/{c.path}"
    item_url = base + "/<ident>"
    creates = f"Fields follow the configuration file (docs/configuration.md) in camelCase; references take an id or a name. Unknown references and invalid fields give 400 naming the field. The answer is the item as `GET {base}/{{id}}` shows it."

    @require_scope(ADMIN)
    @document(
        f"Create a {c.kind}",
        tags=TAGS,
        body=c.body,
        responses={201: Answer(f"The new {c.kind}", c.out, headers={"Location": "its URL"})},
        errors=(409,),
        description=creates,
    )
    def create() -> Response:
        return _create(c)

    @require_scope(ADMIN)
    @document(
        f"Change a {c.kind}",
        tags=TAGS,
        body=c.body,
        json_patch=True,
        responses={200: c.out},
        errors=(409,),
        description="Only the fields given change; lists given replace the stored ones. A JSON "
        "Patch list (`application/json-patch+json`) is taken too: `replace`/`add` on `/field`, "
        "`remove` sets it to null.",
    )
    def update(ident: str) -> Response:
        return _update(c, ident)

    @require_scope(ADMIN)
    @document(
        f"Delete a {c.kind}",
        tags=TAGS,
        responses={204: Answer("Deleted")},
        errors=(409,),
        description="409 while booked meetings depend on it (an advisor with any meetings is "
        "kept: set `canBeBooked` to false instead).",
    )
    def delete(ident: str) -> Response:
        return _delete(c, ident)

    bp.add_url_rule(base, f"create_{single}", create, methods=["POST"])
    bp.add_url_rule(item_url, f"update_{single}", update, methods=["PATCH"])
    bp.add_url_rule(item_url, f"delete_{single}", delete, methods=["DELETE"])
    if c.serves_reads:
        _register_reads(c, single, base)


def _register_reads(c: Collection, single: str, base: str) -> None:
    @require_scope(READ)
    @document(f"List {c.kind}s", tags=TAGS, responses={200: list[c.out]})  # type: ignore[name-defined]
    def list_all() -> Response:
        rows = db.session.scalars(select(c.model).order_by(c.model.id))
        return json_response(sorted((c.to_json(r) for r in rows), key=_order))

    @require_scope(READ)
    @document(f"Get a {c.kind}", tags=TAGS, responses={200: c.out})
    def get_one(ident: str) -> Response:
        return json_response(c.to_json(_row(c.model, c.kind, ident)))

    bp.add_url_rule(base, f"list_all_{single}s", list_all, methods=["GET"])
    bp.add_url_rule(base + "/<ident>", f"get_{single}", get_one, methods=["GET"])


def _order(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item.get("order", 0), item.get("date", ""), item.get("name", ""), item["id"])


for _collection in COLLECTIONS:
    _register(_collection)


from app.api import routes_admin_advisors  # noqa: E402, F401 (its routes)
