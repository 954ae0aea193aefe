"""Request and response schemas of the configuration writes (`bookme.admin`), and the one mapping
between the API's camelCase bodies and the configuration file's snake_case items.

Bodies only check types and sizes; the configuration's own validation (`app.configuration`) decides
what is required and whether references resolve. Every field is optional so that one model serves
both `POST` (create) and `PATCH` (the keys given change, the rest keep their values).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AliasChoices, ConfigDict, Field, Strict
from pydantic.alias_generators import to_camel, to_snake

from app.api.schemas import ApiModel, MeetingType


def _clean(value: str) -> str:
    """Refuse control characters other than tab and line breaks."""
    if any((ord(c) < 32 and c not in "\t\r\n") or ord(c) == 127 for c in value):
        raise ValueError("must not contain control characters")
    return value


def _sane_year(value: Any) -> Any:
    if not 1900 <= value.year <= 9000:
        raise ValueError("the year must be between 1900 and 9000")
    return value


Str = Annotated[str, Field(max_length=200), AfterValidator(_clean)]
LongStr = Annotated[str, Field(max_length=4000), AfterValidator(_clean)]
Ref = Annotated[str, Field(max_length=200, description="an id or a name"), AfterValidator(_clean)]
Refs = Annotated[list[Ref], Field(max_length=500)]
WallTime = Annotated[str, Field(max_length=8, examples=["09:00"], description="HH:MM")]
Zone = Annotated[
    str, Field(max_length=64, pattern=r"^[A-Za-z0-9_+\-/]+$", examples=["Europe/Copenhagen"])
]
# Strict: a JSON true, false or "30" is not a number of minutes, nor 0 or 1 a yes or no
Int = Annotated[int, Strict(), Field(ge=-1_000_000, le=1_000_000)]
Flag = Annotated[bool, Strict()]
Day = Annotated[date, AfterValidator(_sane_year)]
Moment = Annotated[
    datetime,
    AfterValidator(_sane_year),
    Field(description="ISO 8601; without an offset it is the organisation's local time"),
]


class Body(ApiModel):
    """A write body: camelCase keys; an unknown key is an error (typos are reported, not ignored)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class CustomerTypeBody(Body):
    name: Str | None = None


class LocationBody(Body):
    name: Str | None = None
    areas: Refs | None = None
    address: LongStr | None = None
    time_zone: Zone | None = None
    require_room: Flag | None = None


class RoomBody(Body):
    name: Str | None = None
    location: Ref | None = Field(None, description="the room's location: id or name")
    email: Str | None = None
    capacity: Int | None = None
    can_be_booked: Flag | None = None


class TopicBody(Body):
    name: Str | None = None
    description: LongStr | None = None
    duration_minutes: Int | None = None
    meeting_types: list[MeetingType] | None = None
    customer_types: Refs | None = Field(None, description="customer types (ids or names)")
    is_customer: Flag | None = None
    parent: Ref | None = Field(None, description="the parent topic (id or name)")
    order: Int | None = None
    unique_topic_id: Str | None = Field(None, description="the vendor's unique topic key")


class ScheduleDayBody(Body):
    available: Flag | None = None
    from_: WallTime | None = Field(None, alias="from")
    to: WallTime | None = None
    meeting_types: list[MeetingType] | None = None
    location: Ref | None = Field(None, description="where the advisor works that day")


class ScheduleBody(Body):
    """The whole week: a weekday left out (or null) is a day off."""

    monday: ScheduleDayBody | None = None
    tuesday: ScheduleDayBody | None = None
    wednesday: ScheduleDayBody | None = None
    thursday: ScheduleDayBody | None = None
    friday: ScheduleDayBody | None = None
    saturday: ScheduleDayBody | None = None
    sunday: ScheduleDayBody | None = None


class SkillsBody(Body):
    topics: Refs | None = None
    customer_types: Refs | None = None


class EmployeeBody(Body):
    email: Str | None = None
    first_name: Str | None = None
    last_name: Str | None = None
    display_name: Str | None = None
    initials: Str | None = None
    external_id: Str | None = None
    home_location: Ref | None = Field(None, description="home location (id or name)")
    can_be_booked: Flag | None = None
    only_explicitly_available: Flag | None = None
    max_meeting_minutes_per_day: Int | None = None
    skills: SkillsBody | None = None
    schedule: ScheduleBody | None = None


class CompetenceGroupBody(Body):
    name: Str | None = None
    parent: Ref | None = None
    members: Refs | None = Field(None, description="employees (ids or emails)")
    topics: Refs | None = None
    customer_types: Refs | None = None


class ServiceGroupBody(Body):
    name: Str | None = None
    label: Str | None = None
    topics: Refs | None = None
    customer_types: Refs | None = None
    customer_locations: Refs | None = Field(None, description="areas or location names")
    meeting_types: list[MeetingType] | None = None
    locations: Refs | None = None
    employees: Refs | None = Field(None, description="employees (ids or emails)")
    competence_groups: Refs | None = None
    max_meeting_minutes_per_day: Int | None = None


class ClosingDayBody(Body):
    date: Day | None = None
    name: Str | None = None


class BusyTimeBody(Body):
    start: Moment | None = None
    end: Moment | None = None
    kind: Literal["absence", "external", "elsewhere"] | None = None
    note: LongStr | None = None


class PriorityLevelBody(Body):
    type: Literal["Explicit", "Local", "ServiceGroup"]
    label: Str | None = Field(
        None, description="ServiceGroup only: just the service groups with this label"
    )
    description: Annotated[str, Field(max_length=500)] | None = None


class SettingsBody(Body):
    name: Str | None = None
    time_zone: Zone | None = None
    opening_time: WallTime | None = None
    closing_time: WallTime | None = None
    max_days_ahead: Int | None = None
    default_meeting_minutes: Int | None = None
    buffer_before_minutes: Int | None = None
    buffer_after_minutes: Int | None = None
    min_notice_minutes: Int | None = None
    max_meeting_minutes_per_day: Int | None = None
    meeting_title_template: Str | None = Field(
        None,
        validation_alias=AliasChoices("meetingTitleTemplate", "iCalMeetingTitle"),
        description="the calendar file's title: `{{employee}}`, `{{topic}}`, `{{organisation}}`, "
        "`{{meetingType}}` (or `{advisor}`-style) placeholders; alias `iCalMeetingTitle`",
    )
    meeting_description_template: (
        Annotated[str, Field(max_length=1000), AfterValidator(_clean)] | None
    ) = Field(
        None,
        validation_alias=AliasChoices("meetingDescriptionTemplate", "iCalMeetingDescription"),
        description="the calendar file's description, same placeholders; alias "
        "`iCalMeetingDescription`",
    )
    priority_levels: list[PriorityLevelBody] | None = Field(
        None,
        description="advisor priority rules, highest first: which advisor a best slot goes to; "
        "at most one Explicit and one Local level; null restores the default "
        "Explicit > Local > ServiceGroup",
    )


# ---- answers -------------------------------------------------------------------------------


class ClosingDayOut(ApiModel):
    id: str
    date: str = Field(json_schema_extra={"format": "date"})
    name: str


class CompetenceGroupOut(ApiModel):
    id: str
    name: str
    parent_id: str | None
    member_ids: list[str]
    topic_ids: list[str]
    customer_type_ids: list[str]


class ServiceGroupOut(ApiModel):
    id: str
    name: str
    label: str
    topic_ids: list[str]
    customer_type_ids: list[str]
    customer_locations: list[str]
    meeting_types: list[str]
    location_ids: list[str]
    employee_ids: list[str]
    competence_group_ids: list[str]
    max_meeting_minutes_per_day: int | None


class ScheduleDayOut(ApiModel):
    available: bool
    from_: str = Field(alias="from")
    to: str
    meeting_types: list[str]
    location_id: str | None


class ScheduleOut(ApiModel):
    monday: ScheduleDayOut | None = None
    tuesday: ScheduleDayOut | None = None
    wednesday: ScheduleDayOut | None = None
    thursday: ScheduleDayOut | None = None
    friday: ScheduleDayOut | None = None
    saturday: ScheduleDayOut | None = None
    sunday: ScheduleDayOut | None = None


class BusyTimeOut(ApiModel):
    id: str
    start: str = Field(json_schema_extra={"format": "date-time"})
    end: str = Field(json_schema_extra={"format": "date-time"})
    kind: str
    note: str


class PriorityLevelOut(ApiModel):
    type: str
    label: str | None
    description: str


class SettingsOut(ApiModel):
    name: str
    time_zone: str
    opening_time: str
    closing_time: str
    max_days_ahead: int
    default_meeting_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    min_notice_minutes: int
    max_meeting_minutes_per_day: int | None
    meeting_title_template: str | None
    meeting_description_template: str | None
    staff_mfa_required: bool
    priority_levels: list[PriorityLevelOut]


# ---- the mapping ---------------------------------------------------------------------------

_SEGMENT = re.compile(r"^([^\[]*)(.*)$")


def file_item(body: Body) -> dict[str, Any]:
    """The keys a body gives, as the configuration file spells them (`meetingTypes` -> `meeting_types`)."""

    def snake(value: Any) -> Any:
        if isinstance(value, dict):
            return {to_snake(k): snake(v) for k, v in value.items()}
        if isinstance(value, list):
            return [snake(v) for v in value]
        return value

    return snake(body.model_dump(mode="json", by_alias=True, exclude_unset=True))


def api_field(path: str, strip: str = "") -> str:
    """A file problem path as the API names it: `schedule.monday.meeting_types[0]` ->
    `schedule.monday.meetingTypes[0]`; `strip` removes a leading segment first."""
    if strip and (path == strip or path.startswith(strip + ".") or path.startswith(strip + "[")):
        path = path.removeprefix(strip).removeprefix(".")
    parts = []
    for segment in path.split(".") if path else []:
        match = _SEGMENT.match(segment)
        name, rest = (match[1], match[2]) if match else (segment, "")
        parts.append(("date" if name == "day" else to_camel(name)) + rest)
    return ".".join(parts) or "body"
