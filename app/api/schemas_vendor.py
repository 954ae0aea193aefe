"""Bodies of the vendor's JSON Patch operations on holds and meetings (`PATCH`/`PUT`).

The vendor sends a JSON Patch list, or (its `PUT /bookme/meetings/{id}`) one operation object;
`patch_list` accepts both and refuses anything else with a 400.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from app.api.schemas import Id, Instant
from app.api.schemas import MeetingType as MeetingTypeIn
from app.api.schemas_booking import PatchOperation
from app.booking.errors import InvalidRequest
from app.booking.hold_changes import HoldChanges
from app.booking.meeting_changes import MeetingChanges
from app.booking.meeting_reassign import Reassignment

MAX_OPERATIONS = 20
RELEASED = "released"  # `replace /status Released` releases the hold


def patch_list(data: Any) -> list[Any]:
    """A JSON Patch list, or one operation object taken as a list of one."""
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data or len(data) > MAX_OPERATIONS:
        raise InvalidRequest(
            f"the body must be a JSON Patch operation or a list of 1-{MAX_OPERATIONS} of them"
        )
    return data


class HoldPatchOperation(BaseModel):
    """One operation on a hold: `replace` its status (to release it), times, advisor, room or type."""

    model_config = ConfigDict(extra="ignore")
    op: Literal["replace"]
    path: Literal["/status", "/startDate", "/endDate", "/employeeId", "/roomId", "/meetingType"]
    value: str | None


HOLD_PATCH = TypeAdapter(list[HoldPatchOperation])
_INSTANT, _ID, _TYPE = TypeAdapter(Instant), TypeAdapter(Id), TypeAdapter(MeetingTypeIn)


def hold_changes(data: Any) -> HoldChanges:
    """The changes a PATCH body asks of a hold (400 naming the path for a bad value)."""
    fields: dict[str, Any] = {}
    for operation in HOLD_PATCH.validate_python(patch_list(data)):
        name, value = operation.path.strip("/"), operation.value
        try:
            fields.update(_one_change(name, value))
        except ValueError as exc:
            raise InvalidRequest(f"{name}: {exc}", field=name) from None
    return HoldChanges(**fields)


def _one_change(name: str, value: str | None) -> dict[str, Any]:
    if name == "status":
        if (value or "").lower() != RELEASED:
            raise ValueError("only `Released` can be set (it releases the hold)")
        return {"release": True}
    if name == "roomId" and value is None:
        return {"clear_room": True}
    if value is None:
        raise ValueError("must not be null")
    if name in ("startDate", "endDate"):
        return {"start" if name == "startDate" else "end": _INSTANT.validate_python(value)}
    if name == "meetingType":
        return {"meeting_type": _TYPE.validate_python(value)}
    key = {"employeeId": "employee_id", "roomId": "room_id"}[name]
    return {key: _ID.validate_python(value)}


MEETING_PATCH = TypeAdapter(list[PatchOperation])
_TEXTS = {"title": "title", "description": "description", "timeSlotId": "time_slot_id"}


def meeting_changes(data: Any) -> MeetingChanges:
    """The changes a PATCH/PUT body asks of a meeting (400 naming the path for a bad value)."""
    texts: dict[str, str] = {}
    setup: dict[str, Any] = {}
    for operation in MEETING_PATCH.validate_python(patch_list(data)):
        name, value = operation.path.strip("/"), operation.value
        try:
            if name in _TEXTS:
                if not isinstance(value, str):
                    raise ValueError("must be a string")
                texts[_TEXTS[name]] = value
            else:
                setup.update(_setup_change(name, value))
        except ValueError as exc:
            raise InvalidRequest(f"{name}: {exc}", field=name) from None
    return MeetingChanges(
        title=texts.get("title"),
        description=texts.get("description"),
        time_slot_id=texts.get("time_slot_id"),
        setup=Reassignment(**setup),
    )


def _setup_change(name: str, value: str | list[str] | None) -> dict[str, Any]:
    """One change of the meeting's type, topic, room or advisors, as `Reassignment` fields."""
    if name == "additionalEmployees":
        ids = [] if value is None else value.split(",") if isinstance(value, str) else value
        wanted = (i.strip() for i in ids if i.strip())  # "" and null: no additional advisors
        return {"additional_employee_ids": tuple(_ID.validate_python(i) for i in wanted)}
    if name == "roomId" and value is None:
        return {"clear_room": True}
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if name == "type":
        return {"meeting_type": _TYPE.validate_python(value)}
    key = {"topicId": "topic_id", "themeId": "topic_id", "roomId": "room_id"}.get(name)
    return {key or "employee_id": _ID.validate_python(value)}


JSON_PATCH = "application/json-patch+json"
JSON_PATCH_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["op", "path"],
        "properties": {
            "op": {"type": "string", "enum": ["replace", "add", "remove"]},
            "path": {"type": "string", "description": "`/field` or `/field/sub` (camelCase)"},
            "value": {},
        },
    },
    "description": "the vendor's JSON Patch form of the same change (`remove` sets null)",
}


def patch_to_merge(data: Any) -> dict[str, Any]:
    """A JSON Patch list as the merge object it amounts to: `replace`/`add` set a (nested) field,
    `remove` sets it to null. 400 for anything else."""
    merged: dict[str, Any] = {}
    for operation in patch_list(data):
        if not isinstance(operation, dict) or operation.get("op") not in (
            "replace",
            "add",
            "remove",
        ):
            raise InvalidRequest("each operation must be a `replace`, `add` or `remove`")
        path = operation.get("path")
        parts = path.split("/")[1:] if isinstance(path, str) and path.startswith("/") else []
        if not parts or not all(parts):
            raise InvalidRequest(f"path {path!r} is not a JSON pointer to a field")
        if operation["op"] != "remove" and "value" not in operation:
            raise InvalidRequest(f"{operation['op']} {path} needs a value")
        node = merged
        for part in parts[:-1]:
            node = node.setdefault(_unescape(part), {})
            if not isinstance(node, dict):
                raise InvalidRequest(f"path {path!r} crosses a value set by another operation")
        node[_unescape(parts[-1])] = operation.get("value")
    return merged


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")
