"""Answers and queries of the vendor's V3 configuration reads under `/bookme/config/...`.

Shapes follow the vendor's prose (`_api/bookme.md`, "Data Models"): durations are .NET TimeSpan
strings (`04:00:00`, `30.00:00:00`), times of day `hh:mm:ss`. Fields the vendor has and we do not
store (labels, membership e-mails, assignment dates) are answered empty so clients keep parsing.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, WithJsonSchema

from app.api.params import parse_list
from app.api.schemas import LANG_DOC, ApiModel, Bool, Id, Lang, Text

TIME_SPAN = "a .NET TimeSpan such as `04:00:00` or `30.00:00:00`"
NOT_STORED = "always empty: not a setting of ours"


class NamedRef(ApiModel):
    id: str
    name: str


class CompetenceGroupV3Out(ApiModel):
    id: str
    name: str
    child_group_ids: list[str]
    parent_group_ids: list[str] = Field(description="ours has at most one parent")
    customer_types: list[NamedRef]
    employee_ids: list[str]
    topics: list[NamedRef]
    service_group_ids: list[str]
    labels: list[str] = Field(description=NOT_STORED)


class ServiceTriggerOut(ApiModel):
    """When the group is activated: all given lists must match (empty: any)."""

    customer_locations: list[str]
    customer_type_ids: list[str]
    topic_ids: list[str]


class ServiceLevelOut(ApiModel):
    """What the group offers once activated."""

    meeting_types: list[str]
    location_ids: list[str]


class ServiceGroupV3Out(ApiModel):
    id: str
    name: str
    membership_email: str | None = Field(description=NOT_STORED)
    employee_ids: list[str]
    competence_group_ids: list[str]
    labels: list[str] = Field(description="the group's label, when it has one")
    max_meeting_time_per_day: str | None = Field(description=TIME_SPAN)
    service_trigger: ServiceTriggerOut
    service_level: ServiceLevelOut


class ServiceGroupAdvisorsOut(ApiModel):
    skill_based: list[str] = Field(description=NOT_STORED + " (skills live in the CRM)")
    assigned: list[str]
    competence_group_advisors: list[str] = Field(
        description="members of the group's competence groups and of their subgroups"
    )


class EmployeeGroupOut(ApiModel):
    """One group an advisor belongs to."""

    id: str
    name: str
    membership_email: str | None = None
    date_assigned: str | None = Field(description="not stored: always null")


class MeetingTypeRef(ApiModel):
    type: str


class WorkdayOut(ApiModel):
    is_available: bool
    day_of_week: str
    from_: str = Field(alias="from")
    to: str
    available_meeting_types: list[MeetingTypeRef]
    location: str | None = Field(description="the day's location name (null: the home location)")


class EmployeeScheduleOut(ApiModel):
    id: str = Field(description="the advisor's id: one schedule per advisor")
    employee_id: str
    is_only_explicitly_available: bool
    can_be_booked: bool
    workdays: list[WorkdayOut]
    max_meeting_time_per_day: str | None = Field(description=TIME_SPAN)


class TimeZoneOut(ApiModel):
    id: str = Field(description="the IANA name, as `identifier`")
    identifier: str
    display_name: str


class OptionOut(ApiModel):
    name: str
    label: str
    order: int


class OrganizationSettingOut(ApiModel):
    id: str
    opening_time: str
    closing_time: str
    max_time_from_booking_to_meeting: str = Field(description=TIME_SPAN)
    max_meeting_time_per_day: str | None = Field(description=TIME_SPAN)
    is_filter_show_times_as_customer_enabled: bool = Field(description="always true")
    meeting_type_labels: list[OptionOut]
    employee_labels: list[OptionOut] = Field(description=NOT_STORED)
    extended_opening_hours_email: str | None = Field(description=NOT_STORED)
    closing_days: list[str]
    i_cal_meeting_title: str | None = Field(alias="iCalMeetingTitle")
    i_cal_meeting_description: str | None = Field(alias="iCalMeetingDescription")
    time_zone_id: str
    time_zone: TimeZoneOut
    minimum_time_before_booking: str = Field(description=TIME_SPAN + " (ours)")
    default_meeting_duration: str = Field(description=TIME_SPAN + " (ours)")


class LocationV3Out(ApiModel):
    id: str
    location: str = Field(description="the name `meetingLocation` takes")
    display_name: str = Field(description="the name in `lang` (default: the stored name)")
    localized_name: dict[str, str] = Field(description="the names per locale tag, as for topics")
    add_rooms_to_booked_meetings: bool = Field(description="true: the location has bookable rooms")
    require_available_room: bool
    areas: list[str] = Field(description="the `customerLocation` values it serves (ours)")


class LangQuery(ApiModel):
    lang: Lang | None = Field(None, description=LANG_DOC)


class LocationsQuery(LangQuery):
    location: Text | None = Field(None, description="only the location with this name")
    search: Text | None = Field(None, description="names containing this text (any case)")


class AllowedOptionsQuery(ApiModel):
    topic_id: Id = Field(description="the topic (id or `uniqueTopicId`)")
    customer_type_id: Id
    location: Text = Field(description="a location name or an area it serves")
    is_customer_initiated: Bool = True


class ClosingDaysQuery(ApiModel):
    closing_days: Annotated[
        list[Text],
        BeforeValidator(parse_list),
        Field(min_length=1, max_length=366),
        WithJsonSchema({"type": "array", "items": {"type": "string", "format": "date-time"}}),
    ] = Field(description="dates or date-times (ISO 8601); repeat it or send a comma list")


class AllowedOptionsOut(ApiModel):
    meeting_types: list[OptionOut]
    advisor_selection: list[OptionOut]
