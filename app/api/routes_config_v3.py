"""The vendor's V3 configuration reads under `/bookme/config/...` (scope `bookme.read`; the
organisation's settings `bookme.admin`, as `/config/settings`). Shapes: `schemas_config_v3`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from sqlalchemy import select

from app import clock
from app.api import bp
from app.api.auth import require_scope
from app.api.config_v3_options import allowed_options, organization_setting
from app.api.config_v3_read import (
    EMPLOYEE_OPTIONS,
    SG_OPTIONS,
    competence_groups,
    employee_groups,
    employee_schedule,
    locations,
    service_group_advisors,
    service_group_json,
    time_zones,
)
from app.api.errors import json_response
from app.api.openapi import document
from app.api.params import parse_query
from app.api.routes_admin import ADMIN, READ, _row
from app.api.schemas_config_v3 import (
    AllowedOptionsOut,
    AllowedOptionsQuery,
    CompetenceGroupV3Out,
    EmployeeGroupOut,
    EmployeeScheduleOut,
    LangQuery,
    LocationsQuery,
    LocationV3Out,
    OrganizationSettingOut,
    ServiceGroupAdvisorsOut,
    ServiceGroupV3Out,
    TimeZoneOut,
)
from app.extensions import db
from app.models import CompetenceGroup, Employee, Location, ServiceGroup

TAGS = ["Configuration (V3)"]
BASE = "/bookme/config"


def _loaded(model: Any, kind: str, ident: str, *options: Any) -> Any:
    """The row with this id and its relations loaded, or a 404 naming it."""
    _row(model, kind, ident)  # refuses ids no database could hold
    return db.session.scalar(select(model).where(model.id == ident).options(*options))


def _employee(ident: str) -> Employee:
    row: Employee = _row(Employee, "employee", ident)
    return row


def _service_group(ident: str) -> ServiceGroup:
    row: ServiceGroup = _loaded(ServiceGroup, "service group", ident, *SG_OPTIONS)
    return row


# ---- competence groups -----------------------------------------------------------------------


@bp.get(f"{BASE}/competence-groups")
@require_scope(READ)
@document("List competence groups (V3)", tags=TAGS, responses={200: list[CompetenceGroupV3Out]})
def v3_list_competence_groups() -> Response:
    """Every competence group, by name."""
    return json_response(competence_groups())


@bp.get(f"{BASE}/competence-groups/<ident>")
@require_scope(READ)
@document("Get a competence group (V3)", tags=TAGS, responses={200: CompetenceGroupV3Out})
def v3_get_competence_group(ident: str) -> Response:
    """One competence group."""
    found = competence_groups(_row(CompetenceGroup, "competence group", ident).id)
    return json_response(found[0])


@bp.get(f"{BASE}/competence-groups/employee/<ident>")
@require_scope(READ)
@document("An advisor's competence groups (V3)", tags=TAGS, responses={200: list[EmployeeGroupOut]})
def v3_employee_competence_groups(ident: str) -> Response:
    """The competence groups the advisor is a direct member of."""
    return json_response(employee_groups(_employee(ident), CompetenceGroup))


# ---- service groups --------------------------------------------------------------------------


@bp.get(f"{BASE}/service-groups")
@require_scope(READ)
@document("List service groups (V3)", tags=TAGS, responses={200: list[ServiceGroupV3Out]})
def v3_list_service_groups() -> Response:
    """Every service group, by name."""
    rows = db.session.scalars(
        select(ServiceGroup).options(*SG_OPTIONS).order_by(ServiceGroup.name, ServiceGroup.id)
    )
    return json_response([service_group_json(r) for r in rows])


@bp.get(f"{BASE}/service-groups/<ident>")
@require_scope(READ)
@document("Get a service group (V3)", tags=TAGS, responses={200: ServiceGroupV3Out})
def v3_get_service_group(ident: str) -> Response:
    """One service group."""
    return json_response(service_group_json(_service_group(ident)))


@bp.get(f"{BASE}/service-groups/<ident>/advisors")
@require_scope(READ)
@document(
    "A service group's advisors (V3)",
    tags=TAGS,
    responses={200: ServiceGroupAdvisorsOut},
    description="`assigned`: members listed on the group; `competenceGroupAdvisors`: members of "
    "its competence groups and their subgroups. The engine offers both.",
)
def v3_service_group_advisors(ident: str) -> Response:
    """Who the group brings in, by source."""
    return json_response(service_group_advisors(_service_group(ident)))


@bp.get(f"{BASE}/service-groups/employee/<ident>")
@require_scope(READ)
@document("An advisor's service groups (V3)", tags=TAGS, responses={200: list[EmployeeGroupOut]})
def v3_employee_service_groups(ident: str) -> Response:
    """The service groups that list the advisor directly."""
    return json_response(employee_groups(_employee(ident), ServiceGroup))


# ---- employee schedules ----------------------------------------------------------------------


def _scheduled(ident: str) -> Employee:
    row: Employee = _loaded(Employee, "employee schedule", ident, *EMPLOYEE_OPTIONS)
    return row


@bp.get(f"{BASE}/employee-schedules")
@require_scope(READ)
@document("List employee schedules (V3)", tags=TAGS, responses={200: list[EmployeeScheduleOut]})
def v3_list_employee_schedules() -> Response:
    """Every advisor's schedule (its id is the advisor's id)."""
    rows = db.session.scalars(
        select(Employee).options(*EMPLOYEE_OPTIONS).order_by(Employee.display_name, Employee.id)
    )
    return json_response([employee_schedule(r) for r in rows])


@bp.get(f"{BASE}/employee-schedules/<ident>")
@require_scope(READ)
@document(
    "Get an employee schedule (V3)",
    tags=TAGS,
    responses={200: EmployeeScheduleOut},
    description="The days as configured; a day's `location` is null when it is the home one.",
)
def v3_get_employee_schedule(ident: str) -> Response:
    """One advisor's schedule."""
    return json_response(employee_schedule(_scheduled(ident)))


@bp.get(f"{BASE}/employee-schedules/<ident>/actual")
@require_scope(READ)
@document(
    "Get an employee's actual schedule (V3)",
    tags=TAGS,
    responses={200: EmployeeScheduleOut},
    description="All seven days (a day not configured is unavailable), each with its location "
    "resolved (the day's own, else the advisor's home location).",
)
def v3_get_actual_schedule(ident: str) -> Response:
    """One advisor's schedule with locations filled in."""
    return json_response(employee_schedule(_scheduled(ident), actual=True))


# ---- organisation, locations, time zones, options ---------------------------------------------


@bp.get(f"{BASE}/organization-settings")
@require_scope(ADMIN)
@document(
    "Get the organisation's settings (V3)",
    tags=TAGS,
    responses={200: OrganizationSettingOut},
    description="`/config/settings` in the vendor's shape: durations as TimeSpan strings.",
)
def v3_organization_settings() -> Response:
    """The settings (their defaults while none are stored)."""
    return json_response(organization_setting(clock.now()))


@bp.get(f"{BASE}/locations")
@require_scope(READ)
@document(
    "List locations (V3)",
    tags=TAGS,
    query=LocationsQuery,
    responses={200: list[LocationV3Out]},
    description="`lang` shapes `localizedName` as on topics and picks `displayName`.",
)
def v3_list_locations() -> Response:
    """Locations, optionally one by name or those whose name contains `search`."""
    query = parse_query(LocationsQuery, request.args)
    return json_response(locations(query.location, query.search, query.lang))


@bp.get(f"{BASE}/locations/<ident>")
@require_scope(READ)
@document("Get a location (V3)", tags=TAGS, query=LangQuery, responses={200: LocationV3Out})
def v3_get_location(ident: str) -> Response:
    """One location."""
    query = parse_query(LangQuery, request.args)
    row = _row(Location, "location", ident)
    return json_response(locations(row.name, None, query.lang)[0])  # names are unique


@bp.get(f"{BASE}/timezones")
@require_scope(READ)
@document("List time zones (V3)", tags=TAGS, responses={200: list[TimeZoneOut]})
def v3_time_zones() -> Response:
    """The IANA zones a location or the organisation may use, west to east."""
    return json_response(time_zones(clock.now()))


@bp.get(f"{BASE}/allowed-options")
@require_scope(READ)
@document(
    "Allowed options for a topic (V3)",
    tags=TAGS,
    query=AllowedOptionsQuery,
    responses={200: AllowedOptionsOut},
    description="The topic's meeting types (all when it lists none) and the advisor choices, "
    "labelled in the organisation's language. A topic closed to the customer type, or a "
    "staff-only topic when `isCustomerInitiated` (default true), offers none. Unknown topic, "
    "customer type or location (a name or an area) is 404.",
)
def v3_allowed_options() -> Response:
    """What a portal may offer for this topic."""
    q = parse_query(AllowedOptionsQuery, request.args)
    options = allowed_options(q.topic_id, q.customer_type_id, q.location, q.is_customer_initiated)
    return json_response(options)
