"""The vendor's own ways of doing what our other routes do: change or release a hold by JSON Patch,
the rooms free for a hold, and its time slots (list the calendar; hold a slot or add a busy time).

Parse, call one service, serialise; the rules live in `app.booking.hold_changes`,
`app.booking.room_vacancies` and `app.booking.time_slots`.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, current_app, request
from pydantic import Field

from app import clock
from app.api import bp
from app.api.auth import caller_client_id, caller_is_admin, require_scope
from app.api.errors import json_response
from app.api.openapi import REF, Answer, document
from app.api.params import parse_query
from app.api.routes_config import room_json
from app.api.schemas import ApiModel, Id, RoomOut, Text
from app.api.schemas_booking import ReleaseQuery, ReservationOut, reservation_out
from app.api.schemas_time_slots import (
    CreateTimeSlotIn,
    TimeSlotsQuery,
    VendorTimeSlotOut,
    time_slot_out,
)
from app.api.schemas_vendor import HoldPatchOperation, hold_changes
from app.booking import time_slots
from app.booking.errors import Forbidden, InvalidRequest
from app.booking.hold_changes import change_hold
from app.booking.reservations import HoldRequest, client_owner, reserve
from app.booking.room_vacancies import vacant_rooms

HOLD_PATCH_BODY = {
    "oneOf": [
        {"$ref": REF.format(model="HoldPatchOperation")},
        {"type": "array", "items": {"$ref": REF.format(model="HoldPatchOperation")}},
    ]
}


@bp.patch("/bookme/time-slots/<reservation_id>")
@require_scope("bookme.book")
@document(
    "Change or release a reservation (JSON Patch)",
    tags=["Reserving"],
    query=ReleaseQuery,
    body=HOLD_PATCH_BODY,
    models=(HoldPatchOperation,),
    responses={200: ReservationOut, 204: None},
    errors=(409, 429),
    description="The vendor's way to update or release a hold. `replace` on `/status` with "
    "`Released` releases it (204, as `DELETE`). `replace` on `/startDate`, `/endDate`, "
    "`/employeeId`, `/roomId` or `/meetingType` holds the changed slot with the same token, "
    "checked as any reservation (409 saying why; the old hold then stays as it was), and "
    "answers the new reservation (a new `id`; the old one is gone). `reservationToken` must be "
    "the reservation's token (403 otherwise).",
)
def patch_reservation(reservation_id: str) -> Response:
    """Release the hold (204) or replace it by the changed one (200)."""
    token = parse_query(ReleaseQuery, request.args).reservation_token
    changes = hold_changes(request.get_json(force=True, silent=True))
    now = clock.now()
    cap = current_app.config["BOOKME_MAX_LIVE_HOLDS_PER_CLIENT"]
    hold = change_hold(
        reservation_id,
        token,
        changes,
        owner=client_owner(caller_client_id()),
        now=now,
        max_live_holds=cap,
    )
    if hold is None:
        return Response(status=204)
    return json_response(reservation_out(hold, now))


class RoomVacancyQuery(ApiModel):
    """`GET /bookme/room-vacancies`."""

    location: Text = Field(description="the location's name or id (any case)")
    time_slot_id: Id = Field(description="a reservation the caller holds")


@bp.get("/bookme/room-vacancies")
@require_scope("bookme.book")
@document(
    "Rooms free for a reservation",
    tags=["Reserving"],
    query=RoomVacancyQuery,
    responses={200: list[RoomOut]},
    description="The bookable rooms of `location` free for the whole time of the reservation "
    "`timeSlotId` (the caller's own; its own room claim does not count). 404 for an unknown "
    "location or reservation.",
)
def room_vacancies() -> Response:
    """Rooms of a location free during one of the caller's holds."""
    query = parse_query(RoomVacancyQuery, request.args)
    owner = None if caller_is_admin() else client_owner(caller_client_id())
    rooms = vacant_rooms(query.location, query.time_slot_id, owner=owner, now=clock.now())
    return json_response([room_json(r) for r in rooms])


@bp.get("/bookme/time-slots")
@require_scope("bookme.book")
@document(
    "List time slots",
    tags=["Reserving"],
    query=TimeSlotsQuery,
    responses={200: list[VendorTimeSlotOut]},
    description="What occupies advisors' and rooms' calendars between `startDate` and `endDate` "
    "(both required, at most 62 days apart), by start: the caller's live reservations "
    "(`Reserved`) and meetings (`Booked`, `id` the meeting's `timeSlotId`); with `bookme.admin` "
    "every client's, and the advisors' busy times (`Busy`, `WorkingFromElsewhere`). Released, "
    "replaced and expired reservations and cancelled meetings are not listed.",
)
def list_time_slots() -> Response:
    """The calendar entries of the window the caller may see."""
    query = parse_query(TimeSlotsQuery, request.args)
    admin = caller_is_admin()
    window = time_slots.SlotWindow(
        start=query.start_date,
        end=query.end_date,
        employee_id=query.employee_id,
        room_id=query.room_id,
        statuses=frozenset(query.status),
    )
    entries = time_slots.list_time_slots(
        window,
        owner=None if admin else client_owner(caller_client_id()),
        meeting_owner=None if admin else caller_client_id(),
        with_busy=admin,
        now=clock.now(),
    )
    return json_response([time_slot_out(e) for e in entries])


CREATED_SLOT = {
    "oneOf": [
        {"$ref": REF.format(model="ReservationOut")},
        {"$ref": REF.format(model="VendorTimeSlotOut")},
    ]
}


@bp.post("/bookme/time-slots")
@require_scope("bookme.book")
@document(
    "Create a time slot: hold a slot, or add a busy time",
    tags=["Reserving"],
    body=CreateTimeSlotIn,
    responses={200: Answer("The reservation, or the busy time", CREATED_SLOT)},
    errors=(409, 429),
    description="`status` `Reserved` holds the slot exactly as `POST /bookme/time-slots/reserve` "
    "does (checked by the engine, 5 minutes, the client's live-hold cap; the same `token` "
    "replaces its previous hold, and a new token is made when none is sent) and answers the "
    "reservation. `Busy` (and the vendor's `Busy*` kinds) or `WorkingFromElsewhere` adds a busy "
    "time of `employeeId` (scope `bookme.admin`): 409 where the advisor has a meeting or a "
    "live reservation, unless `ignoreTimeSlotConflicts` (they then stay booked); the same busy "
    "time again answers the stored one. Other statuses are 400: `Booked` comes from "
    "`POST /bookme/meetings`, buffers and travel time from the settings, and we keep no extra "
    "opening hours.",
)
def create_time_slot() -> Response:
    """Hold a slot (`Reserved`) or add a busy time; 400 for the other statuses."""
    body = CreateTimeSlotIn.model_validate(_json_object())
    if body.status == time_slots.VENDOR_RESERVED:
        return _hold_time_slot(body)
    if body.status not in time_slots.BUSY_KIND_OF:
        raise InvalidRequest(
            f"status {body.status} cannot be created: send Reserved (a hold) or Busy / "
            "WorkingFromElsewhere (a busy time); meetings come from POST /bookme/meetings",
            field="status",
        )
    if not caller_is_admin():
        raise Forbidden("adding a busy time needs the bookme.admin scope")
    request_ = time_slots.BusyRequest(
        employee_id=body.employee_id,
        start=body.start_date,
        end=body.end_date,
        status=body.status,
        ignore_conflicts=body.ignore_time_slot_conflicts,
    )
    return json_response(time_slot_out(time_slots.add_busy_time(request_, now=clock.now())))


def _json_object() -> dict[str, Any]:
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        raise InvalidRequest("the body must be a JSON object")
    return data


def _hold_time_slot(body: CreateTimeSlotIn) -> Response:
    """Hold the slot as `/reserve` would (our time slot is a reservation)."""
    if body.ignore_time_slot_conflicts:
        raise InvalidRequest(
            "a reservation is always checked; ignoreTimeSlotConflicts is for busy times",
            field="ignoreTimeSlotConflicts",
        )
    hold_request = HoldRequest(
        token=body.token or str(uuid.uuid4()),
        start=body.start_date,
        end=body.end_date,
        employee_id=body.employee_id,
        room_id=body.room_id,
        meeting_type=body.meeting_type,
        topic_id=body.meeting_topic_id,
        service_group=body.service_group,
        owner=client_owner(caller_client_id()),
    )
    now = clock.now()
    cap = current_app.config["BOOKME_MAX_LIVE_HOLDS_PER_CLIENT"]
    hold = reserve(hold_request, now=now, max_live_holds=cap)
    return json_response(reservation_out(hold, now))
