"""Schemas of the vendor's `GET`/`POST /bookme/time-slots` (shapes from its OpenAPI: `TimeSlot`,
`CreateTimeSlotRequest`, `TimeSlotStatus`)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

from app.api.params import parse_list
from app.api.schemas import ApiModel, Bool, Id, Instant
from app.api.schemas import MeetingType as MeetingTypeIn
from app.api.schemas import Text as ShortText
from app.api.schemas_booking import Token, WireTime, wire_time
from app.booking.time_slots import TimeSlotEntry

# The vendor's TimeSlotStatus, in its order. We list and create only some (see docs/api.md).
TIME_SLOT_STATUSES = (
    "Reserved",
    "Booked",
    "Busy",
    "ExtraOpen",
    "WorkingFromElsewhere",
    "AvailableForWork",
    "BusyAppointmentInstance",
    "BusyAppointmentOccurence",
    "BusyEventInstance",
    "BusyEventOccurence",
    "PreProcessing",
    "PostProcessing",
    "TravelTime",
)
_BY_LOWER = {s.lower(): s for s in TIME_SLOT_STATUSES}
_STATUS_SCHEMA = {"type": "string", "enum": list(TIME_SLOT_STATUSES)}


def _status(value: Any) -> str:
    """A vendor TimeSlotStatus in any case, spelled as the vendor does."""
    found = _BY_LOWER.get(value.strip().lower()) if isinstance(value, str) else None
    if found is None:
        raise ValueError(f"must be one of {', '.join(TIME_SLOT_STATUSES)}")
    return found


Status = Annotated[str, BeforeValidator(_status), WithJsonSchema(_STATUS_SCHEMA)]
StatusList = Annotated[
    list[str],
    BeforeValidator(lambda v: [_status(x) for x in parse_list(v)]),
    WithJsonSchema({"type": "array", "items": _STATUS_SCHEMA}, mode="validation"),
]


class TimeSlotsQuery(ApiModel):
    """`GET /bookme/time-slots`."""

    employee_id: Id | None = Field(None, description="entries naming this advisor")
    room_id: Id | None = Field(None, description="entries holding this room")
    start_date: Instant = Field(description="entries ending after this instant")
    end_date: Instant = Field(description="entries starting before this instant (≤ 62 days on)")
    status: StatusList = Field(default_factory=list, description="any of these statuses")


class CreateTimeSlotIn(ApiModel):
    """`POST /bookme/time-slots`: a hold (`Reserved`) or a busy time (`Busy*`,
    `WorkingFromElsewhere`)."""

    ignore_time_slot_conflicts: Bool = Field(
        False, description="busy times only: add it even where the advisor has meetings"
    )
    start_date: Instant
    end_date: Instant
    status: Status
    room_id: Id | None = None
    employee_id: Id = Field(description="the advisor (the vendor: optional; we need one)")
    service_group: ShortText | None = None
    token: Token | None = Field(
        None, description="ours, `Reserved` only: the hold token (a new one when left out)"
    )
    meeting_type: MeetingTypeIn | None = Field(None, description="ours, `Reserved` only")
    meeting_topic_id: Id | None = Field(None, description="ours, `Reserved` only")


class VendorTimeSlotOut(ApiModel):
    """The vendor's TimeSlot, with the advisors of a joint meeting and the meeting type."""

    id: str
    date_created: WireTime | None
    date_modified: WireTime | None
    start_date: WireTime
    end_date: WireTime
    status: str = Field(json_schema_extra={"enum": list(TIME_SLOT_STATUSES)})
    room_id: str | None
    employee_id: str
    employee_ids: list[str]
    service_group: str | None
    meeting_type: str | None
    meeting_id: str | None = Field(description="ours: the meeting of a `Booked` entry")


def time_slot_out(entry: TimeSlotEntry) -> dict[str, Any]:
    """The wire form of a calendar entry."""
    return {
        "id": entry.id,
        "dateCreated": wire_time(entry.created_at),
        "dateModified": wire_time(entry.modified_at),
        "startDate": wire_time(entry.start),
        "endDate": wire_time(entry.end),
        "status": entry.status,
        "roomId": entry.room_id,
        "employeeId": entry.employee_ids[0],
        "employeeIds": list(entry.employee_ids),
        "serviceGroup": entry.service_group,
        "meetingType": entry.meeting_type,
        "meetingId": entry.meeting_id,
    }
