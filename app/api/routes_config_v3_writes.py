"""The vendor's V3 configuration writes under `/bookme/config/...` (scope `bookme.admin`, as every
`/config` write). Bodies are the vendor's: JSON Patch lists, or lists of group ids. Every write
goes through `app.configuration` (the import's validation, audit and cache invalidation).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Response, request
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select

from app import clock
from app.api import bp
from app.api.auth import require_scope
from app.api.config_v3_options import SETTINGS_ID, organization_setting
from app.api.config_v3_read import employee_groups, service_group_json
from app.api.errors import RequestValidationError, json_response
from app.api.openapi import document
from app.api.params import parse_query
from app.api.routes_admin import ADMIN, _invalid
from app.api.routes_config_v3 import BASE, TAGS, _employee, _service_group
from app.api.schemas import IdArray
from app.api.schemas_config_v3 import (
    ClosingDaysQuery,
    EmployeeGroupOut,
    OrganizationSettingOut,
    ServiceGroupV3Out,
)
from app.api.schemas_vendor import JSON_PATCH_SCHEMA, patch_to_merge
from app.booking.errors import InvalidRequest, NotFound
from app.booking.timespan import parse_timespan
from app.configuration.document import ConfigurationError
from app.configuration.importer import import_data
from app.configuration.items import save_item, save_settings
from app.configuration.memberships import change_memberships
from app.extensions import db
from app.models import ClosingDay, CompetenceGroup, ServiceGroup

GROUP_IDS = TypeAdapter(IdArray)
# The vendor's JSON Patch paths on a service group's trigger and level -> the file's keys.
TRIGGER_FIELDS = {
    "customerLocations": "customer_locations",
    "customerTypeIds": "customer_types",
    "topicIds": "topics",
}
LEVEL_FIELDS = {"meetingTypes": "meeting_types", "locationIds": "locations"}
# The vendor's settings -> ours, and how a value is read (TimeSpans become minutes or days).
SETTING_FIELDS = {
    "openingTime": "opening_time",
    "closingTime": "closing_time",
    "timeZoneId": "time_zone",
    "iCalMeetingTitle": "meeting_title_template",
    "iCalMeetingDescription": "meeting_description_template",
    "maxTimeFromBookingToMeeting": "max_days_ahead",
    "maxMeetingTimePerDay": "max_meeting_minutes_per_day",
    "minimumTimeBeforeBooking": "min_notice_minutes",
    "defaultMeetingDuration": "default_meeting_minutes",
}
_IN_DAYS = {"max_days_ahead"}
_IN_MINUTES = {"max_meeting_minutes_per_day", "min_notice_minutes", "default_meeting_minutes"}


def _group_ids() -> list[str]:
    """The body: a JSON array of 1-200 group ids (400 otherwise)."""
    try:
        ids = GROUP_IDS.validate_python(request.get_json(silent=True))
    except ValidationError:
        raise InvalidRequest("the body must be a JSON array of group ids", field="body") from None
    if not ids:
        raise InvalidRequest("the body must name at least one group", field="body")
    return list(dict.fromkeys(ids))


def _memberships(section: str, model: Any, ident: str, join: bool) -> Response:
    employee = _employee(ident)
    try:
        change_memberships(section, employee.id, _group_ids(), join)
    except ConfigurationError as exc:
        raise _invalid(exc) from None
    return json_response(employee_groups(employee, model))


def _membership_route(section: str, model: Any, path: str, join: bool) -> None:
    kind = section.removesuffix("s").replace("_", " ")
    verb = "Add an advisor to" if join else "Remove an advisor from"

    @require_scope(ADMIN)
    @document(
        f"{verb} {kind}s (V3)",
        tags=TAGS,
        body={"type": "array", "items": {"type": "string"}, "description": f"{kind} ids"},
        responses={200: list[EmployeeGroupOut]},
        description=f"All or nothing: an unknown {kind} id is a 400 naming its index. Answers "
        f"the advisor's {kind}s afterwards.",
    )
    def view(ident: str) -> Response:
        return _memberships(section, model, ident, join)

    action = "add" if join else "remove"
    endpoint = f"v3_{action}_{section.removesuffix('s')}_member"
    bp.add_url_rule(f"{BASE}/{path}/employee/<ident>/{action}", endpoint, view, methods=["PATCH"])


for _join in (True, False):
    _membership_route("competence_groups", CompetenceGroup, "competence-groups", _join)
    _membership_route("service_groups", ServiceGroup, "service-groups", _join)


# ---- a service group's trigger and level ---------------------------------------------------


def _patched(fields: dict[str, str], removed: Any = ()) -> dict[str, Any]:
    """The JSON Patch body as file keys (`remove` sets `removed`); 400 for another path."""
    merged = patch_to_merge(request.get_json(silent=True))
    unknown = sorted(set(merged) - set(fields))
    if unknown:
        allowed = ", ".join(f"/{f}" for f in fields)
        raise InvalidRequest(
            f"/{unknown[0]} cannot be changed here (only {allowed})", field=unknown[0]
        )
    empty = list(removed) if isinstance(removed, tuple) else removed
    return {fields[k]: empty if v is None else v for k, v in merged.items()}


def _group_part(ident: str, fields: dict[str, str]) -> Response:
    group = _service_group(ident)
    try:
        save_item("service_groups", {"id": group.id, "name": group.name, **_patched(fields)})
    except ConfigurationError as exc:
        raise _invalid(exc) from None
    return json_response(service_group_json(_service_group(ident)))


def _part_doc(what: str, fields: dict[str, str]) -> Any:
    paths = ", ".join(f"`/{f}`" for f in fields)
    return document(
        f"Change a service group's {what} (V3)",
        tags=TAGS,
        body=JSON_PATCH_SCHEMA,
        responses={200: ServiceGroupV3Out},
        description=f"JSON Patch `replace`/`add`/`remove` on {paths} (lists of ids, or of "
        "areas and location names for `customerLocations`); `remove` empties the list.",
    )


@bp.patch(f"{BASE}/service-groups/<ident>/service-trigger")
@require_scope(ADMIN)
@_part_doc("activation rules", TRIGGER_FIELDS)
def v3_patch_service_trigger(ident: str) -> Response:
    """When the group is activated: customer locations, customer types, topics."""
    return _group_part(ident, TRIGGER_FIELDS)


@bp.patch(f"{BASE}/service-groups/<ident>/service-level")
@require_scope(ADMIN)
@_part_doc("service level", LEVEL_FIELDS)
def v3_patch_service_level(ident: str) -> Response:
    """What the group offers: meeting types and locations."""
    return _group_part(ident, LEVEL_FIELDS)


# ---- organisation settings -------------------------------------------------------------------


def _settings_id(ident: str) -> None:
    if ident != SETTINGS_ID:
        raise NotFound("organization settings", ident)


def _setting_value(name: str, value: Any) -> Any:
    """A vendor value as the file takes it: TimeSpans as whole days or minutes."""
    if value is None or not (name in _IN_DAYS or name in _IN_MINUTES):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a TimeSpan string such as 04:00:00")
    span = parse_timespan(value)
    unit = timedelta(days=1) if name in _IN_DAYS else timedelta(minutes=1)
    if span % unit:
        raise ValueError(f"must be whole {'days' if name in _IN_DAYS else 'minutes'}")
    return span // unit


def _settings_patch() -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, value in _patched(SETTING_FIELDS, removed=None).items():
        vendor = _vendor_name(key)
        try:
            changes[key] = _setting_value(key, value)
        except ValueError as exc:
            raise InvalidRequest(f"{vendor}: {exc}", field=vendor) from None
    return changes


@bp.patch(f"{BASE}/organization-settings/<ident>")
@require_scope(ADMIN)
@document(
    "Change the organisation's settings (V3)",
    tags=TAGS,
    body=JSON_PATCH_SCHEMA,
    responses={200: OrganizationSettingOut},
    description="JSON Patch `replace` on " + ", ".join(f"`/{k}`" for k in SETTING_FIELDS) + ". "
    "TimeSpans: `maxTimeFromBookingToMeeting` in whole days, the others in whole minutes. The "
    "id is the one `GET` answers; closing days have their own operation.",
)
def v3_patch_organization_settings(ident: str) -> Response:
    """Change the settings given (all or nothing)."""
    _settings_id(ident)
    changes = _settings_patch()
    stored = organization_setting(clock.now())
    hours = {"opening_time": stored["openingTime"], "closing_time": stored["closingTime"]}
    try:
        save_settings({**hours, **changes})
    except ConfigurationError as exc:
        raise RequestValidationError(
            [{"field": _vendor_name(p.path), "message": p.message} for p in exc.problems]
        ) from None
    return json_response(organization_setting(clock.now()))


def _vendor_name(path: str) -> str:
    return next((k for k, v in SETTING_FIELDS.items() if v == path), path or "body")


@bp.post(f"{BASE}/organization-settings/<ident>/closing-days")
@require_scope(ADMIN)
@document(
    "Add closing days (V3)",
    tags=TAGS,
    responses={200: OrganizationSettingOut},
    query=ClosingDaysQuery,
    description="Each date's day (as written, whatever the offset) is closed; a day already "
    "closed is kept as it is.",
)
def v3_add_closing_days(ident: str) -> Response:
    """Close the organisation on these days (one write)."""
    _settings_id(ident)
    days = _closing_days()
    taken = set(db.session.scalars(select(ClosingDay.day).where(ClosingDay.day.in_(days))))
    items = [{"date": d.isoformat()} for d in days if d not in taken]
    if items:
        try:
            import_data({"closing_days": items})
        except ConfigurationError as exc:
            raise _invalid(exc) from None
    return json_response(organization_setting(clock.now()))


def _closing_days() -> list[date]:
    raw = parse_query(ClosingDaysQuery, request.args).closing_days
    try:
        return sorted({_day(v) for v in raw})
    except ValueError as exc:
        raise InvalidRequest(f"closingDays: {exc}", field="closingDays") from None


def _day(text: str) -> date:
    """`2025-12-25` or `2025-12-25T00:00:00Z`: the date as written."""
    if len(text) > 10:
        datetime.fromisoformat(text.replace("Z", "+00:00"))  # refuses what is no date-time
    return date.fromisoformat(text[:10])
