"""Bodies of the vendor's JSON Patch operations on holds and meetings (`PATCH`/`PUT`).

The vendor sends a JSON Patch list, or (its `PUT /bookme/meetings/{id}`) one operation object;
`patch_list` accepts both and refuses anything else with a 400.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from app.api.schemas import Id, Instant
from app.api.schemas import MeetingType as MeetingTypeIn
from app.booking.errors import InvalidRequest
from app.booking.hold_changes import HoldChanges

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
