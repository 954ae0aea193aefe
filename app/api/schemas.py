"""Request and response schemas of the read API: they validate queries, shape answers and feed
`/openapi.json` (see `app.api.openapi.document`).

Reusable query field types for other route modules: `Bool`, `Instant`, `Duration`, `MeetingLength`, `Id`, `IdList`,
`MeetingType`, `MeetingTypeList`, `PoolList`, `Text`; `IdArray` for a list of ids in a JSON body (an
array of strings and nothing else: `true`, `0` or a comma string is a 400 naming the field).
Subclass `ApiModel` for camelCase models.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic.alias_generators import to_camel

from app.api.errors import CODES
from app.api.params import (
    parse_bool,
    parse_duration,
    parse_instant,
    parse_list,
    parse_meeting_type,
    parse_pool,
)
from app.booking.constants import MEETING_TYPES
from app.localized import canonical_tag

MEETING_TYPE_NAMES = list(MEETING_TYPES)
DATE_TIME = {"type": "string", "format": "date-time", "examples": ["2025-10-10T08:00:00.000Z"]}


def _printable(value: str) -> str:
    """Refuse control characters (databases and logs should never see them)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("must not contain control characters")
    return value


Text = Annotated[str, Field(max_length=200), AfterValidator(_printable)]


def _lang(value: str) -> str:
    """`all` or a locale tag (made canonical); anything else is a 400."""
    return "all" if value.strip().lower() == "all" else canonical_tag(value)


Lang = Annotated[Text, AfterValidator(_lang)]
LANG_DOC = (
    "V3: `all` or omitted: `localizedName` holds every enabled locale's name; a tag (`da-DK`, "
    "`en-GB`): only that one, in the organisation's language when none is authored"
)
Id = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_printable)]
Bool = Annotated[
    bool, BeforeValidator(parse_bool), WithJsonSchema({"type": "boolean"}, mode="validation")
]
Instant = Annotated[
    datetime,
    BeforeValidator(parse_instant),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="validation"),
]
_DURATION_DOC = ".NET TimeSpan `d.hh:mm:ss` / `hh:mm:ss`, or ISO 8601 (`P7D`, `PT45M`)"


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(\d{1,4}\.)?([01]\d|2[0-3]):[0-5]\d:[0-5]\d$|^P[1-9]\d{0,2}D$",
            "description": _DURATION_DOC,
            "examples": ["7.00:00:00", "14.00:00:00", "P7D"],
        },
        mode="validation",
    ),
]
MeetingLength = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(0\d|1\d|2[0-3]):[0-5]\d:[0-5]\d$|^PT[1-9]\d{0,2}M$",
            "description": _DURATION_DOC,
            "examples": ["00:45:00", "01:00:00", "PT45M"],
        },
        mode="validation",
    ),
]
_ARRAY_DOC = 'repeat the parameter, send a comma list, or the bracket form `[]` / `["a","b"]`'
IdList = Annotated[
    list[Id],
    BeforeValidator(parse_list),
    Field(max_length=200),
    WithJsonSchema(
        {"type": "array", "items": {"type": "string"}, "description": _ARRAY_DOC},
        mode="validation",
    ),
]
IdArray = Annotated[list[Id], Field(max_length=200)]
MeetingType = Annotated[
    str,
    BeforeValidator(parse_meeting_type),
    WithJsonSchema(
        {"type": "string", "enum": MEETING_TYPE_NAMES, "description": "any case; `phone` too"},
        mode="validation",
    ),
]
MeetingTypeList = Annotated[
    list[str],
    BeforeValidator(lambda v: [parse_meeting_type(x) for x in parse_list(v)]),
    WithJsonSchema(
        {"type": "array", "items": {"type": "string", "enum": MEETING_TYPE_NAMES}},
        mode="validation",
    ),
]
PoolList = Annotated[
    list[str],
    BeforeValidator(lambda v: [parse_pool(x) for x in parse_list(v)]),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "string", "enum": ["Explicit", "Local", "ServiceGroup"]},
        },
        mode="validation",
    ),
]


class ApiModel(BaseModel):
    """camelCase on the wire, snake_case in Python; unknown input keys are ignored."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


# ---- queries -------------------------------------------------------------------------------


class TopicsQuery(ApiModel):
    """`GET /bookme/meeting-topics`."""

    is_customer: Bool = Field(description="true: only topics customers may book")
    customer_category_id: Id | None = Field(
        None,
        validation_alias=AliasChoices("customerCategoryId", "customerTypeId"),
        description="only topics for this customer type (alias `customerTypeId`)",
    )
    lang: Lang | None = Field(None, description=LANG_DOC)


class AvailabilityQuery(ApiModel):
    """`GET /bookme/time-slots/available`: the seed's table plus the published reference's extras."""

    require_employee_participation: Bool = Field(
        description="true: every listed employee must be free; false: at least one of the pools"
    )
    explicit_employee_ids: IdList = Field(default_factory=list)
    employee_types: PoolList = Field(
        default_factory=list,
        description="pools (Explicit, Local, ServiceGroup); only used with "
        "requireEmployeeParticipation=false",
    )
    start_date: Instant | None = Field(None, description="window start (default now)")
    look_forward_time: Duration | None = Field(None, description="window length (default 7 days)")
    topic: Id | None = Field(
        None, validation_alias=AliasChoices("topic", "topicId", "themeId"), description="topic id"
    )
    customer_type_id: Id | None = Field(
        None,
        validation_alias=AliasChoices("customerTypeId", "customerCategoryId"),
        description="customer type (category) id",
    )
    meeting_types: MeetingTypeList = Field(default_factory=list)
    customer_location: Text | None = Field(None, description="an area a location serves")
    meeting_location: Text | None = Field(None, description="a location name")
    require_room: Bool | None = None
    specific_rooms: IdList = Field(default_factory=list)
    ignore_meeting_ids: IdList = Field(default_factory=list)
    meeting_duration: MeetingLength | None = Field(
        None, description="slot length (default: topic's)"
    )
    is_customer_initiated: Bool = False
    ignore_minimum_time_before_booking: Bool = False
    get_best_time_slots: Bool | None = Field(
        None, description="one advisor per start and meeting type (default: true)"
    )


# ---- answers -------------------------------------------------------------------------------


class FieldError(BaseModel):
    """One invalid input."""

    field: str | None
    message: str


class ErrorOut(BaseModel):
    """Every error answer."""

    code: str = Field(json_schema_extra={"enum": list(dict.fromkeys(CODES.values()))})
    message: str
    errors: list[FieldError] | None = None
    requestId: str | None = None  # noqa: N815 - wire name


class CustomerTypeOut(ApiModel):
    id: str
    name: str


class EmployeeOut(ApiModel):
    id: str
    display_name: str
    first_name: str
    last_name: str
    initials: str
    email: str
    location: str | None = Field(description="home location name")
    location_id: str | None
    external_id: str | None
    can_be_booked: bool
    meeting_types: list[str]


class RoomOut(ApiModel):
    id: str
    name: str
    location: str | None = Field(description="location name")
    location_id: str
    email: str
    capacity: int
    can_be_booked: bool


class LocationOut(ApiModel):
    id: str
    name: str
    areas: list[str]
    address: str
    time_zone: str | None
    require_room: bool


class TopicOut(ApiModel):
    id: str
    name: str
    description: str
    duration_minutes: int | None
    meeting_types: list[str]
    customer_category_ids: list[str]
    customer_type_ids: list[str] = Field(description="alias of customerCategoryIds")
    is_customer: bool
    parent_id: str | None
    order: int
    unique_topic_id: str = Field(description="the vendor's unique topic key")
    localized_name: dict[str, str] = Field(
        description="V3: the name per locale tag (`da-DK`, `en-GB`), shaped by `lang`"
    )


class TimeSlotOut(ApiModel):
    start_date: Annotated[str, WithJsonSchema(DATE_TIME)]
    end_date: Annotated[str, WithJsonSchema(DATE_TIME)]
    meeting_type: str = Field(json_schema_extra={"enum": list(MEETING_TYPES)})
    employee_id: str
    employee_ids: list[str]
    room_id: str | None
    meeting_topic_id: str | None


class TokenOut(BaseModel):
    """`POST /oauth/token` answer."""

    access_token: str
    token_type: str
    expires_in: int
    scope: str


def dump(model: type[ApiModel], **values: Any) -> dict[str, Any]:
    """Build and serialise one answer object by its wire names."""
    return model(**values).model_dump(mode="json", by_alias=True)
