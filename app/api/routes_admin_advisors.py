"""Configuration writes for one advisor (`bookme.admin`): the weekly schedule and busy times; and the
organisation's settings. Same rules as `routes_admin`: every write goes through
`app.configuration.items`.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from flask import Response
from sqlalchemy import select

from app import clock
from app.api import bp
from app.api.auth import require_scope
from app.api.errors import json_response
from app.api.openapi import Answer, document
from app.api.routes_admin import ADMIN, READ, TAGS, _body, _hhmm, _invalid, _no_content, _row, _save
from app.api.routes_availability import iso_stamp
from app.api.schemas import dump
from app.api.schemas_admin import (
    BusyTimeBody,
    BusyTimeOut,
    ScheduleBody,
    ScheduleOut,
    SettingsBody,
    SettingsOut,
    file_item,
)
from app.booking.errors import Conflict, NotFound
from app.booking.priority import levels_json, stored_levels
from app.configuration.document import ConfigurationError
from app.configuration.export import SETTINGS_FIELDS
from app.configuration.items import delete_item, save_settings
from app.configuration.schema import WEEKDAYS
from app.extensions import db
from app.models import BusyTime, Employee, OrganisationSettings


def schedule_json(row: Employee) -> dict[str, Any]:
    days = {
        WEEKDAYS[s.weekday]: {
            "available": s.available,
            "from": _hhmm(s.start_time),
            "to": _hhmm(s.end_time),
            "meeting_types": list(s.meeting_types or []),
            "location_id": s.location_id,
        }
        for s in row.schedules
    }
    return dump(ScheduleOut, **days)


def busy_time_json(row: BusyTime) -> dict[str, Any]:
    start, end = iso_stamp(row.start_at), iso_stamp(row.end_at)
    return dump(BusyTimeOut, id=row.id, start=start, end=end, kind=row.kind, note=row.note)


# ---- an advisor's week and busy times --------------------------------------------------------


def _employee(ident: str) -> Employee:
    return _row(Employee, "employee", ident)


def _employee_item(row: Employee, **extra: Any) -> dict[str, Any]:
    names = {"first_name": row.first_name, "last_name": row.last_name}
    return {"id": row.id, "email": row.email, **names, **extra}


@bp.get("/config/employees/<ident>/schedule")
@require_scope(READ)
@document("Get an advisor's weekly schedule", tags=TAGS, responses={200: ScheduleOut})
def get_schedule(ident: str) -> Response:
    """The advisor's week; a weekday that is null is a day off."""
    return json_response(schedule_json(_employee(ident)))


@bp.put("/config/employees/<ident>/schedule")
@require_scope(ADMIN)
@document(
    "Replace an advisor's weekly schedule",
    tags=TAGS,
    body=ScheduleBody,
    responses={200: ScheduleOut},
    description="The whole week at once: a weekday left out or null is a day off. Each day "
    "needs `from`, `to` (local `HH:MM`) and `meetingTypes`; `location` (id or name) defaults "
    "to the advisor's home location.",
)
def put_schedule(ident: str) -> Response:
    """Replace the week."""
    row = _employee(ident)
    week = file_item(_body(ScheduleBody))
    _save("employees", _employee_item(row, schedule=week), strip="schedule")
    return json_response(schedule_json(_employee(ident)))


@bp.get("/config/employees/<ident>/busy-times")
@require_scope(READ)
@document("List an advisor's busy times", tags=TAGS, responses={200: list[BusyTimeOut]})
def list_busy_times(ident: str) -> Response:
    """Every busy time of the advisor, earliest first."""
    row = _employee(ident)
    query = select(BusyTime).where(BusyTime.employee_id == row.id)
    rows = db.session.scalars(query.order_by(BusyTime.start_at, BusyTime.id))
    return json_response([busy_time_json(b) for b in rows])


@bp.post("/config/employees/<ident>/busy-times")
@require_scope(ADMIN)
@document(
    "Add a busy time",
    tags=TAGS,
    body=BusyTimeBody,
    responses={201: Answer("The busy time", BusyTimeOut, headers={"Location": "its URL"})},
    errors=(409,),
    description="`start` and `end` are required; times without an offset are the "
    "organisation's local time. `kind` is absence (default), external or elsewhere. "
    "409 when the advisor already has the same busy time.",
)
def add_busy_time(ident: str) -> Response:
    """Add one busy time."""
    row = _employee(ident)
    before = set(db.session.scalars(select(BusyTime.id).where(BusyTime.employee_id == row.id)))
    busy = file_item(_body(BusyTimeBody))
    _save("employees", _employee_item(row, busy_times=[busy]), strip="busy_times[0]")
    after = db.session.scalars(select(BusyTime).where(BusyTime.employee_id == ident))
    added = [b for b in after if b.id not in before]
    if not added:
        raise Conflict("the advisor already has this busy time")
    url = f"/config/employees/{ident}/busy-times/{added[0].id}"
    return json_response(busy_time_json(added[0]), 201, {"Location": url})


@bp.delete("/config/employees/<ident>/busy-times/<busy_id>")
@require_scope(ADMIN)
@document("Remove a busy time", tags=TAGS, responses={204: Answer("Removed")})
def delete_busy_time(ident: str, busy_id: str) -> Response:
    """Remove one busy time of this advisor."""
    _employee(ident)
    busy = _row(BusyTime, "busy time", busy_id)
    if busy.employee_id != ident:
        raise NotFound("busy time", busy_id)
    delete_item("busy_times", busy_id, now=clock.now())
    return _no_content()


# ---- settings ------------------------------------------------------------------------------


def settings_json() -> dict[str, Any]:
    """The organisation's settings (the defaults until any are stored)."""
    row = db.session.get(OrganisationSettings, 1)
    columns = OrganisationSettings.__table__.columns
    values = {}
    for name in SETTINGS_FIELDS:
        value = getattr(row, name) if row is not None else None
        if value is None and columns[name].default is not None:
            value = columns[name].default.arg
        values[name] = _hhmm(value) if isinstance(value, time) else value
    values["priority_levels"] = levels_json(stored_levels(values["priority_levels"]))
    return dump(SettingsOut, **values)


@bp.get("/config/settings")
@require_scope(ADMIN)
@document("Get the organisation's settings", tags=TAGS, responses={200: SettingsOut})
def get_settings() -> Response:
    """Opening hours, booking horizon, buffers and the rest."""
    return json_response(settings_json())


@bp.patch("/config/settings")
@require_scope(ADMIN)
@document(
    "Change the organisation's settings",
    tags=TAGS,
    body=SettingsBody,
    json_patch=True,
    responses={200: SettingsOut},
    description="Only the fields given change. Times are local `HH:MM`; `openingTime` must be "
    "before `closingTime`.",
)
def patch_settings() -> Response:
    """Change the settings given."""
    body = file_item(_body(SettingsBody))
    stored = settings_json()
    hours = {"opening_time": stored["openingTime"], "closing_time": stored["closingTime"]}
    try:
        save_settings({**hours, **body})
    except ConfigurationError as exc:
        raise _invalid(exc) from None
    return json_response(settings_json())
