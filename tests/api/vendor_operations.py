"""The vendor's public BookMe API, operation by operation, and how ours differs on purpose.

Written by hand from the vendor's files in the public repository `andmoneyaps/docs`:
`files/bookme-api.yaml` (OpenAPI, "yaml" below; the same operations as `files/openapi.1.0.0.yaml`)
and the prose page `_api/bookme.md` ("prose"), whose V3 operations the OpenAPI files lack. The
vendor's `/present/...` operations belong to another product (slide decks) and are left out.

Where the vendor contradicts itself, its OpenAPI decides shapes and its prose behaviour.
`tests/api/test_vendor_conformance.py` holds our OpenAPI document to this list: every vendor
operation we serve must document every vendor field, unless `gaps` names the field with the reason;
every operation we lack is `missing` with the reason. `python -m tests.api.vendor_operations`
prints the table of docs/api.md ("Vendor conformance").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["same", "different", "missing"]

MEETING = (
    "id",
    "salesforceId",
    "bookedBy",
    "customerTypeId",
    "timeSlotId",
    "dateCreated",
    "dateModified",
    "title",
    "description",
    "videoLink",
    "additionalEmployees",
    "roomId",
    "startDate",
    "endDate",
    "type",
    "topicId",
    "employeeId",
    "customerId",
)
CREATE_MEETING = (
    "bookedBy",
    "salesforceId",
    "customerTypeId",
    "timeSlotId",
    "title",
    "description",
    "additionalEmployees",
    "roomId",
    "type",
    "topicId",
    "employeeId",
    "customerId",
)
V2_MEETING = ("portalId", "cpr", "customFields", "externalAttendees", "videoLink")
TIME_SLOT = (
    "id",
    "dateCreated",
    "dateModified",
    "startDate",
    "endDate",
    "status",
    "roomId",
    "employeeId",
    "serviceGroup",
)
CREATE_TIME_SLOT = (
    "ignoreTimeSlotConflicts",
    "startDate",
    "endDate",
    "status",
    "roomId",
    "employeeId",
    "serviceGroup",
)
PATCH_OPERATION = ("op", "path", "value", "from")
EMPLOYEE = ("displayName", "id", "firstName", "lastName", "email", "initials", "location")
ROOM = ("id", "location", "email", "name", "canBeBooked")
TOPIC = ("id", "name", "uniqueTopicId", "parentId", "order")
AVAILABLE_QUERY = (
    "requireEmployeeParticipation",
    "explicitEmployeeIds",
    "startDate",
    "lookForwardTime",
    "topic",
    "customerTypeId",
    "meetingTypes",
    "customerLocation",
    "meetingLocation",
    "ignoreMeetingIds",
    "requireRoom",
    "specificRooms",
    "meetingDuration",
    "isCustomerInitiated",
    "ignoreMinimumTimeBeforeBooking",
    "getBestTimeSlots",
)

COMPETENCE_GROUP = (
    "id",
    "name",
    "childGroupIds",
    "parentGroupIds",
    "customerTypes",
    "employeeIds",
    "topics",
    "serviceGroupIds",
    "labels",
)
SERVICE_GROUP = (
    "id",
    "name",
    "membershipEmail",
    "employeeIds",
    "competenceGroupIds",
    "labels",
    "maxMeetingTimePerDay",
)
EMPLOYEE_GROUP = ("id", "name", "dateAssigned")
EMPLOYEE_SCHEDULE = (
    "id",
    "employeeId",
    "isOnlyExplicitlyAvailable",
    "canBeBooked",
    "workdays",
    "maxMeetingTimePerDay",
)
ORGANIZATION_SETTING = (
    "id",
    "openingTime",
    "closingTime",
    "maxTimeFromBookingToMeeting",
    "maxMeetingTimePerDay",
    "isFilterShowTimesAsCustomerEnabled",
    "meetingTypeLabels",
    "employeeLabels",
    "extendedOpeningHoursEmail",
    "closingDays",
    "iCalMeetingTitle",
    "iCalMeetingDescription",
    "timeZoneId",
    "timeZone",
)
LOCATION_V3 = ("id", "location", "displayName", "addRoomsToBookedMeetings", "requireAvailableRoom")
NO_LABELS = "labels are a vendor product we do not offer: the field is always empty"
NO_FROM = "`move`/`copy` are refused: no field is copied from another"
ONE_PARENT = "a group has at most one parent; `labels` always empty"
NO_DATE_ASSIGNED = "direct memberships only; `dateAssigned` always null (not stored)"
MEMBERSHIP_WRITE = (
    "answers the advisor's groups (the vendor: an empty 200); an unknown group id is a 400 "
    "naming its index and nothing is written"
)
SERVICE_GROUP_WHY = (
    "`membershipEmail` always null; `labels` holds the group's one label; adds `serviceTrigger` "
    "and `serviceLevel`"
)
ONE_SCHEDULE = "one schedule per advisor: its `id` is the advisor's"
LOCATION_WHY = (
    "`location` is the name `meetingLocation` takes; `displayName` follows `lang`; adds "
    "`localizedName` and `areas`; `addRoomsToBookedMeetings` is true where bookable rooms are"
)
ALIAS_TYPE = "accepted as an alias of the seed's `customerCategoryId`, documented under that name"
ALIAS_TOPIC = "accepted as an alias of the seed's `themeId`, documented under that name"
MEETING_PATCH = (
    "only `replace`: on `/title`, `/description`, `/timeSlotId` (a move, alone), and `/type`, "
    "`/topicId`, `/roomId`, `/employeeId`, `/additionalEmployees`, each checked by the engine "
    "(409 saying why), all or nothing"
)
NOT_OURS = "a vendor product we do not offer (portals, labels): no bank moving to us uses it"


@dataclass(frozen=True)
class VendorOperation:
    """One vendor operation, the fields it names, and what differs in ours (field: why)."""

    method: str
    path: str
    source: str
    query: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    answer: tuple[str, ...] = ()
    status: Status = "same"
    why: str = ""
    gaps: dict[str, str] = field(default_factory=dict)


def _op(method: str, path: str, source: str = "yaml", **kw: object) -> VendorOperation:
    return VendorOperation(method, path, source, **kw)  # type: ignore[arg-type]


OPERATIONS: tuple[VendorOperation, ...] = (
    # ---- meetings ----
    _op(
        "GET",
        "/bookme/meetings",
        query=("timeSlotId", "employeeId", "startDateModified", "endDateModified"),
        answer=MEETING,
        status="different",
        why="also `customerId`, meetings inside `startDate`-`endDate` and overlapping `from`-`to`",
    ),
    _op(
        "POST",
        "/bookme/meetings",
        body=CREATE_MEETING + V2_MEETING,
        answer=MEETING,
        status="different",
        why="answers 201 with `Location` (the vendor: 200); `Idempotency-Key` makes retries safe; "
        "`bookedBy` is `customer` or `employee` (no portal roles); `cpr` is stored encrypted and "
        "read back only with scope `bookme.cpr`, never in this answer",
        gaps={
            "customerTypeId": ALIAS_TYPE,
            "topicId": ALIAS_TOPIC,
        },
    ),
    _op(
        "GET",
        "/bookme/meetings/{id}",
        answer=MEETING,
        status="different",
        why="adds `status`, the seed's aliases and `bookedByUserId`; `cpr` with scope `bookme.cpr`",
    ),
    _op(
        "PUT",
        "/bookme/meetings/{id}",
        body=PATCH_OPERATION,
        answer=MEETING,
        status="different",
        why=f"{MEETING_PATCH}; a list is taken too",
        gaps={
            "from": "`move`/`copy` are refused: no meeting field is copied from another",
        },
    ),
    _op(
        "PATCH",
        "/bookme/meetings/{id}",
        "prose",
        body=PATCH_OPERATION,
        answer=MEETING,
        status="different",
        why=f"{MEETING_PATCH}; one object is taken too",
        gaps={
            "from": "`move`/`copy` are refused: no meeting field is copied from another",
        },
    ),
    _op(
        "DELETE",
        "/bookme/meetings/{id}",
        status="different",
        why="answers 204 (the prose's answer; the yaml says 200); optional body `{reason}`",
    ),
    _op("POST", "/bookme/meetings/{id}/ical", body=("title", "description", "location")),
    # ---- time slots ----
    _op(
        "GET",
        "/bookme/time-slots",
        "prose",
        query=("employeeId", "roomId", "startDate", "endDate", "status"),
        answer=TIME_SLOT,
        status="different",
        why="the OpenAPI's TimeSlot, not the prose's (`startTime`, `available`); `startDate` and "
        "`endDate` are required (at most 62 days apart); scope `bookme.book`; a client sees its "
        "own holds (`Reserved`) and meetings (`Booked`), `bookme.admin` everyone's and the busy "
        "times; adds `employeeIds`, `meetingType`, `meetingId`",
    ),
    _op(
        "POST",
        "/bookme/time-slots",
        body=CREATE_TIME_SLOT,
        answer=TIME_SLOT,
        status="different",
        why="`Reserved` holds the slot as `/reserve` does (optional `token`, a new one when left "
        "out; answers the reservation); `Busy*` and `WorkingFromElsewhere` add a busy time "
        "(`bookme.admin`; `ignoreTimeSlotConflicts` lets it overlap meetings); other statuses "
        "400; `employeeId` is required",
    ),
    _op(
        "GET",
        "/bookme/time-slots/available",
        query=AVAILABLE_QUERY,
        answer=("startDate", "endDate", "meetingType", "roomId", "employeeId", "meetingTopicId"),
        status="different",
        why="also `employeeTypes` (V2) and `employeeIds` for joint meetings; best slots by "
        "default but ties go to the least booked advisor, not at random; `meetingLocation` free "
        "text defaults to `customerLocation`",
    ),
    _op(
        "POST",
        "/bookme/time-slots/reserve",
        body=("timeSlot", "token", "existingMeetingId"),
        answer=TIME_SLOT,
        status="different",
        why="the answer adds `token`, `expiresAt`, `employeeIds`; also `isCustomerInitiated`",
    ),
    _op(
        "GET",
        "/bookme/time-slots/{id}",
        answer=TIME_SLOT,
        status="different",
        why="`status` is `Reserved` or `Booked`; a released, replaced or expired hold is 404 "
        "(the vendor deletes it); the answer adds `token`, `expiresAt`, `employeeIds`",
    ),
    _op(
        "PATCH",
        "/bookme/time-slots/{id}",
        query=("reservationToken",),
        body=PATCH_OPERATION,
        status="different",
        why="`replace` on `/status` (`Released`: releases, 204), `/startDate`, `/endDate`, "
        "`/employeeId`, `/roomId`, `/meetingType` (holds the changed slot: a new id, 200); "
        "`DELETE` releases too",
        gaps={"from": "`move`/`copy` are refused: no hold field is copied from another"},
    ),
    _op(
        "GET",
        "/bookme/room-vacancies",
        query=("location", "timeSlotId"),
        answer=ROOM,
        status="different",
        why="`timeSlotId` is a reservation the caller holds (scope `bookme.book`); the answer "
        "adds `locationId`, `capacity`",
    ),
    # ---- topics ----
    _op(
        "GET",
        "/bookme/meeting-topics",
        query=("isCustomer", "customerTypeId", "lang"),
        answer=(*TOPIC, "localizedName"),
        status="different",
        why="topics also carry duration, meeting types and customer types; `lang` falls back to "
        "the organisation's language (the vendor: Danish); enabled locales `da-DK`, `en-GB`",
        gaps={"customerTypeId": ALIAS_TYPE},
    ),
    _op(
        "POST",
        "/bookme/meeting-topics",
        body=(*TOPIC[1:], "localizedName"),
        answer=(*TOPIC, "localizedName"),
        status="different",
        why="scope `bookme.admin`; answers 201 with `Location` (the vendor: 200); `uniqueTopicId` "
        "defaults to the topic's id",
    ),
    _op(
        "GET",
        "/bookme/meeting-topics/{id}",
        query=("lang",),
        answer=(*TOPIC, "localizedName"),
        status="different",
        why="also found by `uniqueTopicId`",
    ),
    _op(
        "PATCH",
        "/bookme/meeting-topics/{id}",
        body=PATCH_OPERATION,
        status="different",
        why="`replace` on `/name`, `/uniqueTopicId`, `/parentId`, `/order`, `/localizedName` "
        "(merged); answers the topic",
        gaps={"from": "`move`/`copy` are refused: no topic field is copied from another"},
    ),
    # ---- configuration (v1/v2) ----
    _op(
        "GET",
        "/config/employees",
        answer=(*EMPLOYEE, "externalId"),
        status="different",
        why="also `locationId`, `canBeBooked`, `meetingTypes`",
    ),
    _op(
        "GET",
        "/config/employees/{id}",
        answer=(*EMPLOYEE, "externalId"),
        status="different",
        why="as the list",
    ),
    _op(
        "GET", "/config/rooms", answer=ROOM, status="different", why="also `locationId`, `capacity`"
    ),
    _op("GET", "/config/rooms/{id}", answer=ROOM, status="different", why="as the list"),
    _op("GET", "/config/customer-types", answer=("id", "name")),
    _op(
        "POST",
        "/config/customer-types",
        body=("name",),
        answer=("id", "name"),
        status="different",
        why="answers 201 with `Location` (the vendor: 200)",
    ),
    _op("GET", "/config/customer-types/{id}", answer=("id", "name")),
    _op(
        "PATCH",
        "/config/customer-types/{id}",
        body=PATCH_OPERATION,
        status="different",
        why="takes a JSON merge object `{name}` as well as a JSON Patch list "
        "(`application/json-patch+json`)",
        gaps={"from": "`move`/`copy` are refused: no field is copied from another"},
    ),
    _op("DELETE", "/config/customer-types/{id}", "prose"),
    _op(
        "GET",
        "/bookme/rooms",
        "prose",
        answer=ROOM,
        status="different",
        why="the same view as `/config/rooms` (the OpenAPI's path): also `locationId`, `capacity`",
    ),
    _op("GET", "/bookme/rooms/{id}", "prose", answer=ROOM, status="different", why="as the list"),
    _op(
        "GET",
        "/bookme/employees",
        "prose",
        answer=(*EMPLOYEE, "externalId"),
        status="different",
        why="the same view as `/config/employees` (the OpenAPI's path): also `locationId`, "
        "`canBeBooked`, `meetingTypes`",
    ),
    _op(
        "GET",
        "/bookme/employees/{id}",
        "prose",
        answer=(*EMPLOYEE, "externalId"),
        status="different",
        why="as the list",
    ),
    # ---- V3 configuration (prose only) ----
    _op(
        "GET",
        "/bookme/config/competence-groups",
        "prose",
        query=("labels",),
        answer=COMPETENCE_GROUP,
        status="different",
        why=ONE_PARENT,
        gaps={"labels": NO_LABELS},
    ),
    _op(
        "GET",
        "/bookme/config/competence-groups/{id}",
        "prose",
        answer=COMPETENCE_GROUP,
        status="different",
        why=ONE_PARENT,
    ),
    _op(
        "GET",
        "/bookme/config/competence-groups/employee/{id}",
        "prose",
        answer=EMPLOYEE_GROUP,
        status="different",
        why=NO_DATE_ASSIGNED,
    ),
    *(
        _op("PATCH", p, "prose", status="different", why=MEMBERSHIP_WRITE)
        for p in (
            "/bookme/config/competence-groups/employee/{id}/add",
            "/bookme/config/competence-groups/employee/{id}/remove",
        )
    ),
    _op(
        "GET",
        "/bookme/config/service-groups",
        "prose",
        query=("labels",),
        answer=SERVICE_GROUP,
        status="different",
        why=SERVICE_GROUP_WHY,
        gaps={"labels": NO_LABELS},
    ),
    _op(
        "GET",
        "/bookme/config/service-groups/{id}",
        "prose",
        answer=SERVICE_GROUP,
        status="different",
        why=SERVICE_GROUP_WHY,
    ),
    _op(
        "GET",
        "/bookme/config/service-groups/{id}/advisors",
        "prose",
        answer=("skillBased", "assigned", "competenceGroupAdvisors"),
        status="different",
        why="`skillBased` is always empty (skills live in the CRM); `competenceGroupAdvisors` "
        "includes the subgroups' members, as the engine does",
    ),
    _op(
        "PATCH",
        "/bookme/config/service-groups/{id}/service-trigger",
        "prose",
        body=PATCH_OPERATION,
        status="different",
        why="`replace`/`add`/`remove` on `/customerLocations`, `/customerTypeIds`, `/topicIds` "
        "(the activation rules); answers the group",
        gaps={"from": NO_FROM},
    ),
    _op(
        "PATCH",
        "/bookme/config/service-groups/{id}/service-level",
        "prose",
        body=PATCH_OPERATION,
        status="different",
        why="`replace`/`add`/`remove` on `/meetingTypes`, `/locationIds`; answers the group",
        gaps={"from": NO_FROM},
    ),
    _op(
        "GET",
        "/bookme/config/service-groups/employee/{id}",
        "prose",
        answer=(*EMPLOYEE_GROUP, "membershipEmail"),
        status="different",
        why=NO_DATE_ASSIGNED + "; `membershipEmail` always null (not stored)",
    ),
    *(
        _op("PATCH", p, "prose", status="different", why=MEMBERSHIP_WRITE)
        for p in (
            "/bookme/config/service-groups/employee/{id}/add",
            "/bookme/config/service-groups/employee/{id}/remove",
        )
    ),
    _op(
        "GET",
        "/bookme/config/employee-schedules",
        "prose",
        answer=EMPLOYEE_SCHEDULE,
        status="different",
        why=ONE_SCHEDULE,
    ),
    _op(
        "GET",
        "/bookme/config/employee-schedules/{id}",
        "prose",
        answer=EMPLOYEE_SCHEDULE,
        status="different",
        why=ONE_SCHEDULE + "; a day's `location` is null when it is the home location",
    ),
    _op(
        "GET",
        "/bookme/config/employee-schedules/{id}/actual",
        "prose",
        answer=EMPLOYEE_SCHEDULE,
        status="different",
        why=ONE_SCHEDULE + "; all seven days (one not configured is unavailable)",
    ),
    _op(
        "GET",
        "/bookme/config/organization-settings",
        "prose",
        answer=ORGANIZATION_SETTING,
        status="different",
        why="scope `bookme.admin`, as `/config/settings`; `id` is `1`; `timeZoneId` is the IANA "
        "name; `employeeLabels` empty, `extendedOpeningHoursEmail` null, "
        "`isFilterShowTimesAsCustomerEnabled` true (not settings of ours); adds "
        "`minimumTimeBeforeBooking`, `defaultMeetingDuration`",
    ),
    _op(
        "PATCH",
        "/bookme/config/organization-settings/{id}",
        "prose",
        body=PATCH_OPERATION,
        answer=ORGANIZATION_SETTING,
        status="different",
        why="`replace` on the settings we keep (times, TimeSpans in whole days or minutes, "
        "`iCal...` templates, `timeZoneId`); the others are a 400; answers the settings",
        gaps={"from": NO_FROM},
    ),
    _op(
        "POST",
        "/bookme/config/organization-settings/{id}/closing-days",
        "prose",
        query=("closingDays",),
        status="different",
        why="each date as written is closed (a day already closed is kept); answers the settings",
    ),
    _op(
        "GET",
        "/bookme/config/locations",
        "prose",
        query=("location", "search"),
        answer=LOCATION_V3,
        status="different",
        why=LOCATION_WHY,
    ),
    _op(
        "GET",
        "/bookme/config/locations/{id}",
        "prose",
        answer=LOCATION_V3,
        status="different",
        why=LOCATION_WHY,
    ),
    _op(
        "GET",
        "/bookme/config/timezones",
        "prose",
        answer=("id", "identifier", "displayName"),
        status="different",
        why="IANA names (`Europe/Copenhagen`), not Windows ones; `id` is the name",
    ),
    _op(
        "GET",
        "/bookme/config/allowed-options",
        "prose",
        query=("topicId", "customerTypeId", "location", "isCustomerInitiated"),
        answer=("meetingTypes", "advisorSelection"),
        status="different",
        why="`topicId` takes a `uniqueTopicId` too; labels in the organisation's language; "
        "`location` must be known (404) but does not narrow the options",
    ),
    *(
        _op(m, p, "prose", status="missing", why=NOT_OURS)
        for m, p in (
            ("GET", "/bookme/config/portals"),
            ("GET", "/bookme/config/portals/{id}"),
            ("GET", "/config/labels"),
            ("GET", "/config/labels/{id}"),
            ("GET", "/config/labels/search"),
            ("GET", "/config/labels/suggest"),
        )
    ),
)


def table() -> str:
    """The Markdown table of docs/api.md: each vendor operation, same / different / missing."""
    lines = ["| vendor operation | source | ours | why |", "|---|---|---|---|"]
    for op in OPERATIONS:
        reasons = [op.why] if op.why else []
        reasons += [f"`{name}`: {why}" for name, why in op.gaps.items()]
        text = "; ".join(reasons).replace("|", "\\|")
        lines.append(f"| `{op.method} {op.path}` | {op.source} | {op.status} | {text} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
