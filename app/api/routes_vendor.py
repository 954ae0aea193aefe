"""The vendor's own ways of doing what our other routes do: change or release a hold by JSON Patch,
and the rooms free for a hold.

Parse, call one service, serialise; the rules live in `app.booking.hold_changes` and
`app.booking.room_vacancies`.
"""

from __future__ import annotations

from flask import Response, current_app, request
from pydantic import Field

from app import clock
from app.api import bp
from app.api.auth import caller_client_id, caller_is_admin, require_scope
from app.api.errors import json_response
from app.api.openapi import REF, document
from app.api.params import parse_query
from app.api.routes_config import room_json
from app.api.schemas import ApiModel, Id, RoomOut, Text
from app.api.schemas_booking import ReleaseQuery, ReservationOut, reservation_out
from app.api.schemas_vendor import HoldPatchOperation, hold_changes
from app.booking.hold_changes import change_hold
from app.booking.reservations import client_owner
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
