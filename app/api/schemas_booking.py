"""Request and response schemas of reserving and meetings (`/bookme/time-slots/...`, `/bookme/meetings`).

Bodies validate with pydantic (camelCase on the wire, aliases from the published reference);
`reservation_out` and `meeting_out` shape answers with the exact field names of api.md.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from app.api.schemas import DATE_TIME, MEETING_TYPE_NAMES, ApiModel, Bool, Id, IdArray, Instant
from app.api.schemas import MeetingType as MeetingTypeIn
from app.api.schemas import Text as ShortText
from app.booking.contact import is_email
from app.booking.joining import is_web_link
from app.booking.reservations import CONSUMED, RESERVED, live_status
from app.models import Meeting, Reservation

VENDOR_HOLD_STATUS = {
    RESERVED: "Reserved",
    CONSUMED: "Booked",
}  # ours -> the vendor's TimeSlotStatus
CPR_PATTERN = r"^\d{6}-?\d{4}$"
WireTime = Annotated[str, WithJsonSchema(DATE_TIME)]
Token = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
LongText = Annotated[str, Field(max_length=4000)]


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _email(value: str) -> str:
    """Empty, or one plain e-mail address (a list would add a recipient to the e-mails)."""
    if value and not is_email(value):
        raise ValueError("must be one e-mail address such as name@example.com")
    return value.strip()


def _web_link(value: str) -> str:
    """A video link is an http or https address (it ends up in an `href`)."""
    if value and not is_web_link(value):
        raise ValueError("must be an http or https address")
    return value


def wire_time(value: datetime | None) -> str | None:
    """An instant as the API writes it: UTC, milliseconds, `Z`."""
    if value is None:
        return None
    return (
        value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    )


# ---- requests ------------------------------------------------------------------------------


class TimeSlotIn(ApiModel):
    """The slot to hold, as availability offered it (its answer objects can be sent back as-is)."""

    start_date: Instant
    end_date: Instant
    status: str | None = Field("Reserved", description="always `Reserved`")
    employee_id: Id
    employee_ids: IdArray = Field(
        default_factory=list, description="every advisor of a joint meeting (the lead included)"
    )
    room_id: Id | None = None
    meeting_type: MeetingTypeIn | None = None
    service_group: ShortText | None = None
    meeting_topic_id: Id | None = Field(
        None,
        validation_alias=AliasChoices("meetingTopicId", "topicId", "themeId", "topic"),
        description="the topic the slot was searched for (aliases topicId, themeId)",
    )
    customer_type_id: Id | None = Field(
        None, validation_alias=AliasChoices("customerTypeId", "customerCategoryId")
    )


class ReserveIn(ApiModel):
    """`POST /bookme/time-slots/reserve`."""

    time_slot: TimeSlotIn
    token: Token = Field(description="one UUID per customer session; reuse it for every choice")
    existing_meeting_id: Id | None = Field(None, description="the meeting this hold will move")
    is_customer_initiated: Bool = Field(False, description="apply the minimum notice")


class CustomField(ApiModel):
    """One of a portal meeting's custom fields (V2)."""

    key: ShortText
    value: LongText


class ExternalAttendee(ApiModel):
    """Someone outside the bank invited to a portal meeting (V2; personal data)."""

    name: ShortText
    email: ShortText


class MeetingIn(ApiModel):
    """`POST /bookme/meetings`."""

    booked_by: Annotated[Literal["customer", "employee"], BeforeValidator(_lower)] = "customer"
    time_slot_id: Id
    customer_category_id: Id | None = Field(
        None, validation_alias=AliasChoices("customerCategoryId", "customerTypeId")
    )
    type: MeetingTypeIn | None = None
    theme_id: Id | None = Field(None, validation_alias=AliasChoices("themeId", "topicId"))
    room_id: Id | None = None
    employee_id: Id | None = None
    additional_employees: IdArray = Field(default_factory=list)
    customer_id: Annotated[ShortText, Field(max_length=100)] | None = None
    customer_name: ShortText = ""
    customer_email: Annotated[ShortText, AfterValidator(_email)] = ""
    customer_phone: Annotated[ShortText, Field(max_length=50)] = ""
    title: ShortText = ""
    description: LongText = ""
    salesforce_id: Annotated[ShortText, Field(max_length=100)] | None = None
    video_link: Annotated[ShortText, Field(max_length=500), AfterValidator(_web_link)] | None = None
    portal_id: Annotated[ShortText, Field(max_length=100)] | None = None
    custom_fields: Annotated[list[CustomField], Field(max_length=50)] = Field(default_factory=list)
    external_attendees: Annotated[list[ExternalAttendee], Field(max_length=50)] = Field(
        default_factory=list
    )
    cpr: Annotated[str, Field(pattern=CPR_PATTERN)] | None = Field(
        None,
        description="a Danish CPR number (`ddmmyy-xxxx` or ten digits): stored encrypted, read "
        "back only by clients holding `bookme.cpr`",
    )


MeetingPath = Literal[
    "/title",
    "/description",
    "/timeSlotId",
    "/type",
    "/topicId",
    "/themeId",
    "/roomId",
    "/employeeId",
    "/additionalEmployees",
]


class PatchOperation(BaseModel):
    """One JSON Patch operation on a meeting: `replace` on one of its fields."""

    model_config = ConfigDict(extra="ignore")
    op: Literal["replace"]
    path: MeetingPath = Field(
        description="`/title`, `/description`; `/timeSlotId` (a move); `/type`, `/topicId` "
        "(alias `/themeId`), `/roomId` (null: no room), `/employeeId`, `/additionalEmployees` "
        "(a list of ids, or one comma-separated string), each checked by the availability engine"
    )
    value: LongText | IdArray | None


class IcalIn(ApiModel):
    """`POST /bookme/meetings/{id}/ical`: every field optional."""

    title: ShortText | None = None
    description: LongText | None = None
    location: ShortText | None = None


class CancelIn(ApiModel):
    """Optional body of `DELETE /bookme/meetings/{id}`."""

    reason: LongText | None = None


class ReleaseQuery(ApiModel):
    """`DELETE /bookme/time-slots/{id}`: the reservation's own token."""

    reservation_token: Token = Field(description="the token the reservation was made with")


class MeetingsQuery(ApiModel):
    """`GET /bookme/meetings` filters; `from`/`to` select meetings overlapping the window, the
    vendor's `startDate`/`endDate` meetings inside it."""

    employee_id: Id | None = None
    customer_id: ShortText | None = None
    time_slot_id: Id | None = None
    from_: Instant | None = Field(None, alias="from")
    to: Instant | None = None
    start_date_modified: Instant | None = Field(
        None, description="changed (or created) at or after this instant"
    )
    end_date_modified: Instant | None = Field(
        None, description="changed (or created) at or before this instant"
    )
    start_date: Instant | None = Field(None, description="starting at or after this instant")
    end_date: Instant | None = Field(None, description="ending at or before this instant")


# ---- answers -------------------------------------------------------------------------------


class ReservationOut(ApiModel):
    """A reservation (the API's "time slot")."""

    id: str
    token: str
    date_created: WireTime
    date_modified: WireTime
    start_date: WireTime
    end_date: WireTime
    status: str = Field(
        json_schema_extra={"enum": list(VENDOR_HOLD_STATUS.values())},
        description="the vendor's TimeSlotStatus: `Reserved`, or `Booked` once a meeting is made",
    )
    employee_id: str
    employee_ids: list[str]
    room_id: str | None
    meeting_type: str | None
    meeting_topic_id: str | None
    service_group: str | None
    expires_at: WireTime
    existing_meeting_id: str | None


class MeetingOut(ApiModel):
    """A meeting, with the seed's names and the published aliases."""

    id: str
    time_slot_id: str | None
    booked_by: str
    booked_by_user_id: str | None = Field(
        description="the staff account that booked the meeting for the customer (bookedBy "
        "`employee` from the staff pages); null for bookings by customers and API clients"
    )
    booked_by_employee_id: str | None = Field(
        description="the advisor linked to that staff account, when it is linked to one"
    )
    customer_category_id: str | None
    customer_type_id: str | None
    theme_id: str | None
    topic_id: str | None
    type: str = Field(json_schema_extra={"enum": list(MEETING_TYPE_NAMES)})
    employee_id: str
    additional_employees: list[str]
    room_id: str | None
    customer_id: str | None
    title: str
    description: str
    start_date: WireTime
    end_date: WireTime
    status: str = Field(json_schema_extra={"enum": ["Booked", "Cancelled"]})
    date_created: WireTime
    date_modified: WireTime
    salesforce_id: str | None
    video_link: str | None
    portal_id: str | None
    custom_fields: list[CustomField]
    external_attendees: list[ExternalAttendee]
    cpr: str | None = Field(
        None, description="only in reads by clients holding `bookme.cpr`; otherwise left out"
    )


def reservation_out(hold: Reservation, now: datetime) -> dict[str, Any]:
    """The wire form of a reservation."""
    return {
        "id": hold.id,
        "token": hold.token,
        "dateCreated": wire_time(hold.created_at),
        "dateModified": wire_time(hold.modified_at),
        "startDate": wire_time(hold.start_at),
        "endDate": wire_time(hold.end_at),
        # only live and booked holds are answered (a released or expired one is a 404)
        "status": VENDOR_HOLD_STATUS[live_status(hold, now)],
        "employeeId": hold.employee_id,
        "employeeIds": [hold.employee_id, *(hold.additional_employee_ids or [])],
        "roomId": hold.room_id,
        "meetingType": hold.meeting_type,
        "meetingTopicId": hold.topic_id,
        "serviceGroup": hold.service_group,
        "expiresAt": wire_time(hold.expires_at),
        "existingMeetingId": hold.existing_meeting_id,
    }


def meeting_out(meeting: Meeting, *, cpr: str | None = None) -> dict[str, Any]:
    """The wire form of a meeting; `cpr` (in clear) only for a caller allowed to read it."""
    return {
        "id": meeting.id,
        "timeSlotId": meeting.time_slot_id,
        "bookedBy": meeting.booked_by,
        "bookedByUserId": meeting.booked_by_user_id,
        "bookedByEmployeeId": user.employee_id if (user := meeting.booked_by_user) else None,
        "customerCategoryId": meeting.customer_type_id,
        "customerTypeId": meeting.customer_type_id,
        "themeId": meeting.topic_id,
        "topicId": meeting.topic_id,
        "type": meeting.meeting_type,
        "employeeId": meeting.employee_id,
        "additionalEmployees": list(meeting.additional_employee_ids or []),
        "roomId": meeting.room_id,
        "customerId": meeting.customer_id,
        "title": meeting.title,
        "description": meeting.description,
        "startDate": wire_time(meeting.start_at),
        "endDate": wire_time(meeting.end_at),
        "status": meeting.status,
        "dateCreated": wire_time(meeting.created_at),
        "dateModified": wire_time(meeting.modified_at),
        "salesforceId": meeting.salesforce_id,
        "videoLink": meeting.video_link,
        "portalId": meeting.portal_id,
        "customFields": list(meeting.custom_fields or []),
        "externalAttendees": list(meeting.external_attendees or []),
        **({"cpr": cpr} if cpr is not None else {}),
    }
