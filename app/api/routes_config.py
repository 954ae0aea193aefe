"""Configuration reads (`bookme.read`): customer types, employees, rooms, locations, meeting topics."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.auth import require_scope
from app.api.errors import json_response
from app.api.openapi import document
from app.api.params import parse_query
from app.api.schemas import (
    CustomerTypeOut,
    EmployeeOut,
    LocationOut,
    RoomOut,
    TopicOut,
    TopicsQuery,
    dump,
)
from app.booking.constants import MEETING_TYPES
from app.booking.errors import NotFound
from app.extensions import db
from app.localized import home_tag, localized_map
from app.models import CustomerType, Employee, Location, Room, Topic

READ = "bookme.read"
TAGS = ["Configuration"]


def _get(model: Any, kind: str, ident: str, *options: Any) -> Any:
    """One row by id or a 404 naming the id."""
    row = db.session.scalar(select(model).where(model.id == ident).options(*options))
    if row is None:
        raise NotFound(kind, ident)
    return row


def customer_type_json(row: CustomerType) -> dict[str, Any]:
    return dump(CustomerTypeOut, id=row.id, name=row.name)


def employee_json(row: Employee) -> dict[str, Any]:
    offered = {t for s in row.schedules if s.available for t in s.meeting_types}
    return dump(
        EmployeeOut,
        id=row.id,
        display_name=row.display_name,
        first_name=row.first_name,
        last_name=row.last_name,
        initials=row.initials,
        email=row.email,
        location=row.home_location.name if row.home_location else None,
        location_id=row.home_location_id,
        external_id=row.external_id,
        can_be_booked=row.can_be_booked,
        meeting_types=[t for t in MEETING_TYPES if t in offered],
    )


def room_json(row: Room) -> dict[str, Any]:
    return dump(
        RoomOut,
        id=row.id,
        name=row.name,
        location=row.location.name if row.location else None,
        location_id=row.location_id,
        email=row.email,
        capacity=row.capacity,
        can_be_booked=row.can_be_booked,
    )


def location_json(row: Location) -> dict[str, Any]:
    return dump(
        LocationOut,
        id=row.id,
        name=row.name,
        areas=list(row.areas or []),
        address=row.address,
        time_zone=row.time_zone,
        require_room=row.require_room,
    )


def topic_json(row: Topic, lang: str | None = None) -> dict[str, Any]:
    """A topic; `lang` shapes its V3 `localizedName` (`app.localized.localized_map`)."""
    ids = sorted(ct.id for ct in row.customer_types)
    return dump(
        TopicOut,
        id=row.id,
        name=row.name,
        description=row.description,
        duration_minutes=row.duration_minutes,
        meeting_types=list(row.meeting_types or []),
        customer_category_ids=ids,
        customer_type_ids=ids,
        is_customer=row.is_customer,
        parent_id=row.parent_id,
        order=row.order,
        unique_topic_id=row.unique_topic_id,
        localized_name=localized_map(row.localized_names, row.name, lang, home_tag()),
    )


_EMPLOYEE_OPTIONS = (selectinload(Employee.schedules), selectinload(Employee.home_location))


@bp.get("/config/customer-types")
@require_scope(READ)
@document("List customer types", tags=TAGS, responses={200: list[CustomerTypeOut]})
def list_customer_types():  # type: ignore[no-untyped-def]
    """Every customer type (category)."""
    rows = db.session.scalars(select(CustomerType).order_by(CustomerType.name, CustomerType.id))
    return json_response([customer_type_json(r) for r in rows])


@bp.get("/config/customer-types/<ident>")
@require_scope(READ)
@document("Get a customer type", tags=TAGS, responses={200: CustomerTypeOut})
def get_customer_type(ident: str):  # type: ignore[no-untyped-def]
    """One customer type."""
    return json_response(customer_type_json(_get(CustomerType, "customer type", ident)))


@bp.get("/config/employees")
@require_scope(READ)
@document("List employees", tags=TAGS, responses={200: list[EmployeeOut]})
def list_employees():  # type: ignore[no-untyped-def]
    """Every employee (advisor), bookable or not."""
    query = select(Employee).options(*_EMPLOYEE_OPTIONS)
    rows = db.session.scalars(query.order_by(Employee.display_name, Employee.id))
    return json_response([employee_json(r) for r in rows])


@bp.get("/config/employees/<ident>")
@require_scope(READ)
@document("Get an employee", tags=TAGS, responses={200: EmployeeOut})
def get_employee(ident: str):  # type: ignore[no-untyped-def]
    """One employee."""
    return json_response(employee_json(_get(Employee, "employee", ident, *_EMPLOYEE_OPTIONS)))


@bp.get("/config/rooms")
@require_scope(READ)
@document("List rooms", tags=TAGS, responses={200: list[RoomOut]})
def list_rooms():  # type: ignore[no-untyped-def]
    """Every meeting room."""
    query = select(Room).options(selectinload(Room.location)).order_by(Room.name, Room.id)
    return json_response([room_json(r) for r in db.session.scalars(query)])


@bp.get("/config/rooms/<ident>")
@require_scope(READ)
@document("Get a room", tags=TAGS, responses={200: RoomOut})
def get_room(ident: str):  # type: ignore[no-untyped-def]
    """One room."""
    return json_response(room_json(_get(Room, "room", ident, selectinload(Room.location))))


@bp.get("/config/locations")
@require_scope(READ)
@document(
    "List locations",
    tags=TAGS,
    responses={200: list[LocationOut]},
    description="Valid `customerLocation` values are a location's `areas`; valid "
    "`meetingLocation` values are location names.",
)
def list_locations():  # type: ignore[no-untyped-def]
    """Every location (branch)."""
    rows = db.session.scalars(select(Location).order_by(Location.name, Location.id))
    return json_response([location_json(r) for r in rows])


@bp.get("/config/locations/<ident>")
@require_scope(READ)
@document("Get a location", tags=TAGS, responses={200: LocationOut})
def get_location(ident: str):  # type: ignore[no-untyped-def]
    """One location."""
    return json_response(location_json(_get(Location, "location", ident)))


@bp.get("/bookme/meeting-topics")
@require_scope(READ)
@document(
    "List meeting topics",
    tags=TAGS,
    query=TopicsQuery,
    responses={200: list[TopicOut]},
    errors=(404,),
    description="`isCustomer` is required: `true` lists only topics customers may book, `false` "
    "every topic. `customerCategoryId` (alias `customerTypeId`) keeps the topics open to that "
    "customer type (a topic with no customer types is open to all); unknown ids give 404. "
    "`name` is always the stored name; `lang` shapes `localizedName` (the vendor's V3).",
)
def list_topics():  # type: ignore[no-untyped-def]
    """Meeting topics for a customer or a staff member, optionally for one customer type."""
    query = parse_query(TopicsQuery, request.args)
    stmt = select(Topic).options(selectinload(Topic.customer_types))
    if query.is_customer:
        stmt = stmt.where(Topic.is_customer.is_(True))
    rows = list(db.session.scalars(stmt.order_by(Topic.order, Topic.name, Topic.id)))
    if query.customer_category_id is not None:
        category = _get(CustomerType, "customer type", query.customer_category_id)
        rows = [r for r in rows if not r.customer_types or category in r.customer_types]
    return json_response([topic_json(r, query.lang) for r in rows])


# The vendor's prose reads employees and rooms under /bookme, its OpenAPI under /config: a bank's
# code may call either, so both paths serve the same views (each its own operation id).
for _path, _view in (
    ("/bookme/employees", list_employees),
    ("/bookme/employees/<ident>", get_employee),
    ("/bookme/rooms", list_rooms),
    ("/bookme/rooms/<ident>", get_room),
):
    bp.add_url_rule(_path, endpoint=f"vendor_{_view.__name__}", view_func=_view, methods=["GET"])
