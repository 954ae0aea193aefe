"""The configuration file's shape (pydantic): one model per kind of item, validated item by item."""

from __future__ import annotations

import datetime as dt
import re
from datetime import datetime, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.booking.constants import canonical_meeting_type as meeting_type_named
from app.booking.priority import levels_json, parse_levels
from app.localized import canonical_tag

# The farthest horizon, in days; the minimum notice cannot exceed it either (a longer one would
# shut every slot, and overflow the database's integer).
MAX_HORIZON_DAYS = 3650
# Where a topic or customer type is listed: bounded to fit the database's integer.
Order = Annotated[int, Field(ge=-1_000_000, le=1_000_000)]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def canonical_meeting_type(value: object) -> str:
    """A meeting type in any case (`phone` too) -> `Physical`/`Online`/`Telephone`/`OffSite`."""
    canonical = meeting_type_named(value)
    if canonical is None:
        raise ValueError(
            f'unknown meeting type "{value}" (expected Physical, Online, Telephone or OffSite)'
        )
    return canonical


def parse_time(value: object) -> time:
    """A wall-clock time written `HH:MM` (or `HH:MM:SS`); anything else is refused by name."""
    if isinstance(value, time):
        return value
    match = _TIME.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f'invalid time "{value}" (expected HH:MM)')
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f'invalid time "{value}"')
    return time(hour, minute, second)


def check_time_zone(value: object) -> str:
    """An IANA time zone name such as `Europe/Copenhagen`."""
    try:
        ZoneInfo(str(value))
    except (KeyError, ValueError):
        raise ValueError(f'unknown time zone "{value}"') from None
    return str(value)


MeetingType = Annotated[str, BeforeValidator(canonical_meeting_type)]
MeetingTypes = Annotated[list[MeetingType], AfterValidator(lambda v: list(dict.fromkeys(v)))]
WallTime = Annotated[time, BeforeValidator(parse_time)]
TimeZoneName = Annotated[str, BeforeValidator(check_time_zone)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Ref = Annotated[str, Field(min_length=1, max_length=200)]
Ident = Annotated[str, Field(min_length=1, max_length=36)]
Minutes = Annotated[int, Field(gt=0, le=24 * 60)]


def check_localized_names(value: object) -> dict[str, str]:
    """`{locale tag: name}` (the API's `localizedName`): tags made canonical, names not blank."""
    if not isinstance(value, dict):
        raise ValueError("expected a map of locale tag to name, such as {da-DK: ..., en-GB: ...}")
    names: dict[str, str] = {}
    for tag, text in value.items():
        if not isinstance(text, str) or not text.strip() or len(text) > 200:
            raise ValueError(f'the name for "{tag}" must be 1-200 characters of text')
        names[canonical_tag(str(tag))] = text.strip()
    return names


LocalizedNames = Annotated[dict[str, str], BeforeValidator(check_localized_names)]


class Item(BaseModel):
    """Every item: unknown keys are errors, so typos are reported rather than ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


NULLABLE_SETTINGS = frozenset(
    {
        "max_meeting_minutes_per_day",
        "meeting_title_template",
        "meeting_description_template",
        "priority_levels",  # null: the default Explicit > Local > ServiceGroup
    }
)
# Advisor priority levels, checked by the vendor's rules and stored as `[{type, label, description}]`.
PriorityLevels = Annotated[
    list[dict[str, Any]], BeforeValidator(lambda v: levels_json(parse_levels(v)))
]


class SettingsIn(Item):
    """The organisation's settings; keys left out keep their current value."""

    name: Name | None = None
    time_zone: TimeZoneName | None = None
    opening_time: WallTime | None = None
    closing_time: WallTime | None = None
    max_days_ahead: Annotated[int, Field(gt=0, le=MAX_HORIZON_DAYS)] | None = None
    default_meeting_minutes: Minutes | None = None
    buffer_before_minutes: Annotated[int, Field(ge=0, le=240)] | None = None
    buffer_after_minutes: Annotated[int, Field(ge=0, le=240)] | None = None
    min_notice_minutes: Annotated[int, Field(ge=0, le=MAX_HORIZON_DAYS * 24 * 60)] | None = None
    max_meeting_minutes_per_day: Minutes | None = None
    meeting_title_template: Annotated[str, Field(max_length=200)] | None = None
    meeting_description_template: Annotated[str, Field(max_length=1000)] | None = None
    staff_mfa_required: bool | None = None  # every staff account needs a second factor
    priority_levels: PriorityLevels | None = None  # which advisor a best slot goes to

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        """Leaving a setting out keeps it; an explicit null may clear only the optional ones."""
        if value is None and info.field_name not in NULLABLE_SETTINGS:
            raise ValueError("may not be null; leave the key out to keep the current value")
        return value

    @model_validator(mode="after")
    def _opening_before_closing(self) -> SettingsIn:
        if self.opening_time and self.closing_time and self.opening_time >= self.closing_time:
            raise ValueError("opening_time must be before closing_time")
        return self


class LocationIn(Item):
    """A branch and the city/area names it serves."""

    id: Ident | None = None
    name: Name
    localized_names: LocalizedNames | None = None
    areas: list[Name] = []
    address: Annotated[str, Field(max_length=400)] = ""
    time_zone: TimeZoneName | None = None
    require_room: bool = False


class RoomIn(Item):
    """A meeting room; `location` names its branch."""

    id: Ident | None = None
    name: Name
    location: Ref
    email: Annotated[str, Field(max_length=200)] = ""
    capacity: Annotated[int, Field(gt=0, le=1000)] = 4
    can_be_booked: bool = True


class CustomerTypeIn(Item):
    """A customer category; `order` is where the wizard lists it."""

    id: Ident | None = None
    name: Name
    localized_names: LocalizedNames | None = None
    order: Order = 0


class TopicIn(Item):
    """A meeting topic; an empty `customer_types` list serves every customer type."""

    id: Ident | None = None
    name: Name
    localized_names: LocalizedNames | None = None
    description: str = ""
    duration_minutes: Minutes | None = None
    meeting_types: MeetingTypes = []
    customer_types: list[Ref] = []
    is_customer: bool = True
    parent: Ref | None = None
    order: Order = 0
    unique_topic_id: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="the vendor's unique topic key (default: the topic's id)"
    )


class ScheduleDayIn(Item):
    """One weekday of an advisor's week, in local time."""

    available: bool = True
    from_: WallTime = Field(alias="from")
    to: WallTime
    meeting_types: MeetingTypes = Field(min_length=1)
    location: Ref | None = None

    @model_validator(mode="after")
    def _from_before_to(self) -> ScheduleDayIn:
        if self.from_ >= self.to:
            raise ValueError(f"from ({self.from_:%H:%M}) must be before to ({self.to:%H:%M})")
        return self


class ScheduleIn(Item):
    """The weekly schedule: a weekday left out is a day off."""

    monday: ScheduleDayIn | None = None
    tuesday: ScheduleDayIn | None = None
    wednesday: ScheduleDayIn | None = None
    thursday: ScheduleDayIn | None = None
    friday: ScheduleDayIn | None = None
    saturday: ScheduleDayIn | None = None
    sunday: ScheduleDayIn | None = None

    def days(self) -> list[tuple[int, str, ScheduleDayIn]]:
        """(weekday number, weekday name, day) for every day given, Monday = 0."""
        found = [(n, name, getattr(self, name)) for n, name in enumerate(WEEKDAYS)]
        return [(n, name, day) for n, name, day in found if day is not None]


class BusyTimeIn(Item):
    """Time the advisor cannot be booked; times without an offset are in the organisation's zone."""

    start: datetime
    end: datetime
    kind: Literal["absence", "external", "elsewhere"] = "absence"
    note: Annotated[str, Field(max_length=400)] = ""

    @model_validator(mode="after")
    def _start_before_end(self) -> BusyTimeIn:
        if _comparable(self.start) >= _comparable(self.end):
            raise ValueError("start must be before end")
        return self


def _comparable(value: datetime) -> Any:
    return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(None)


class SkillsIn(Item):
    """What an advisor is skilled for directly (competence groups add more)."""

    topics: list[Ref] = []
    customer_types: list[Ref] = []


class EmployeeIn(Item):
    """An advisor, known by `id` or else by `email`."""

    id: Ident | None = None
    email: Annotated[str, Field(min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")]
    first_name: Annotated[str, Field(min_length=1, max_length=100)]
    last_name: Annotated[str, Field(min_length=1, max_length=100)]
    display_name: Annotated[str, Field(max_length=200)] | None = None
    initials: Annotated[str, Field(max_length=10)] | None = None
    external_id: Annotated[str, Field(max_length=100)] | None = None
    home_location: Ref | None = None
    can_be_booked: bool = True
    only_explicitly_available: bool = False
    max_meeting_minutes_per_day: Minutes | None = None
    skills: SkillsIn = SkillsIn()
    schedule: ScheduleIn = ScheduleIn()
    busy_times: list[BusyTimeIn] = []


class CompetenceGroupIn(Item):
    """A skill group in a tree of at most five levels."""

    id: Ident | None = None
    name: Name
    parent: Ref | None = None
    members: list[Ref] = []
    topics: list[Ref] = []
    customer_types: list[Ref] = []


class ServiceGroupIn(Item):
    """A pool of advisors activated by topic, customer type and customer location (empty = any)."""

    id: Ident | None = None
    name: Name
    label: Annotated[str, Field(max_length=200)] = ""
    topics: list[Ref] = []
    customer_types: list[Ref] = []
    customer_locations: list[Name] = []
    meeting_types: MeetingTypes = []
    locations: list[Ref] = []
    employees: list[Ref] = []
    competence_groups: list[Ref] = []
    max_meeting_minutes_per_day: Minutes | None = None


class ClosingDayIn(Item):
    """A whole day nobody can be booked."""

    day: dt.date = Field(alias="date")
    name: Annotated[str, Field(max_length=200)] = ""


SECTIONS: dict[str, type[Item]] = {
    "locations": LocationIn,
    "rooms": RoomIn,
    "customer_types": CustomerTypeIn,
    "topics": TopicIn,
    "employees": EmployeeIn,
    "competence_groups": CompetenceGroupIn,
    "service_groups": ServiceGroupIn,
    "closing_days": ClosingDayIn,
}
