"""Reserving and meetings on the JSON API: parse, call one service, serialise.

Domain exceptions become status codes in `app.api.errors`; nothing here catches them except the
`Idempotency-Key` replay of `POST /bookme/meetings`.
"""

from __future__ import annotations

import json
import time
from typing import Any

from flask import Response, current_app, request, url_for
from pydantic import BaseModel

from app import clock
from app.api import bp
from app.api.auth import caller_client_id, caller_holds, caller_is_admin, require_scope
from app.api.errors import error_response, json_response
from app.api.openapi import REF, Answer, document
from app.api.params import parse_query
from app.api.schemas_booking import (
    CancelIn,
    IcalIn,
    MeetingIn,
    MeetingOut,
    MeetingsQuery,
    PatchOperation,
    ReleaseQuery,
    ReservationOut,
    ReserveIn,
    meeting_out,
    reservation_out,
)
from app.api.schemas_vendor import meeting_changes
from app.booking import meeting_changes as change_service
from app.booking import meeting_create as booking_service
from app.booking import meetings as meeting_service
from app.booking import reservations as reservation_service
from app.booking.errors import InvalidRequest
from app.booking.ics import meeting_ics
from app.booking.idempotency import add_answer, recorded_answer, request_fingerprint
from app.booking.meeting_holds import ReservationUsed

PATCH_ARRAY = {"type": "array", "items": {"$ref": REF.format(model="PatchOperation")}}
REPLAY_WAIT_SECONDS = 2.0
CPR_SCOPE = "bookme.cpr"  # reads carry a meeting's CPR number only for tokens with this scope


def _body(model: type[BaseModel], *, optional: bool = False) -> Any:
    """The JSON body validated against `model` (400 for anything else); `optional`: none at all
    counts as `{}`, but a body that is not JSON is still refused."""
    raw = request.get_data()
    if optional and not raw.strip():
        return model.model_validate({})
    data = request.get_json(force=True, silent=True) if raw else None
    if not isinstance(data, dict):
        raise InvalidRequest("the body must be a JSON object")
    return model.model_validate(data)


def _owner() -> str | None:
    """Whose meetings the caller may see: its own, or everyone's for `bookme.admin`."""
    return None if caller_is_admin() else caller_client_id()


def _hold_owner() -> str:
    """The owner of the caller's reservations: only it may replace, release or book them."""
    return reservation_service.client_owner(caller_client_id())


@bp.post("/bookme/time-slots/reserve")
@require_scope("bookme.book")
@document(
    "Reserve a time slot for 5 minutes",
    tags=["Reserving"],
    body=ReserveIn,
    responses={
        200: Answer(
            "The reservation (the same one again for the same slot and token)", ReservationOut
        )
    },
    errors=(409, 429),
    description="The same token releases its previous reservation in the same transaction. "
    "Tokens are namespaced by the client: another client's token is another session. "
    "429 (with `Retry-After`) when the client already has `BOOKME_MAX_LIVE_HOLDS_PER_CLIENT` "
    "live reservations.",
)
def reserve() -> Response:
    """Hold a slot the engine offers right now; 409 saying why when it does not."""
    body: ReserveIn = _body(ReserveIn)
    if body.existing_meeting_id:  # only a meeting the caller may change can be moved
        meeting_service.get_meeting(body.existing_meeting_id, owner=_owner())
    slot = body.time_slot
    extra = tuple(e for e in dict.fromkeys(slot.employee_ids) if e != slot.employee_id)
    hold_request = reservation_service.HoldRequest(
        token=body.token,
        start=slot.start_date,
        end=slot.end_date,
        employee_id=slot.employee_id,
        additional_employee_ids=extra,
        room_id=slot.room_id,
        meeting_type=slot.meeting_type,
        topic_id=slot.meeting_topic_id,
        customer_type_id=slot.customer_type_id,
        service_group=slot.service_group,
        existing_meeting_id=body.existing_meeting_id,
        is_customer_initiated=body.is_customer_initiated,
        owner=_hold_owner(),
    )
    now = clock.now()
    cap = current_app.config["BOOKME_MAX_LIVE_HOLDS_PER_CLIENT"]
    hold = reservation_service.reserve(hold_request, now=now, max_live_holds=cap)
    return json_response(reservation_out(hold, now))


@bp.get("/bookme/time-slots/<reservation_id>")
@require_scope("bookme.book")
@document(
    "Read a reservation",
    tags=["Reserving"],
    responses={200: ReservationOut},
    description="`status` is the vendor's `Reserved` while the hold lasts and `Booked` once a "
    "meeting was made from it. A released, replaced or expired hold is gone (404), as the "
    "vendor deletes those.",
)
def get_reservation(reservation_id: str) -> Response:
    """A reservation the caller made (any, for `bookme.admin`)."""
    owner = None if caller_is_admin() else _hold_owner()
    now = clock.now()
    hold = reservation_service.get_holding_reservation(reservation_id, owner=owner, now=now)
    return json_response(reservation_out(hold, now))


@bp.delete("/bookme/time-slots/<reservation_id>")
@require_scope("bookme.book")
@document(
    "Release a reservation",
    tags=["Reserving"],
    query=ReleaseQuery,
    responses={204: None},
    errors=(409,),
    description="`reservationToken` must be the reservation's token (403 otherwise); "
    "another client's reservation is 404.",
)
def release_reservation(reservation_id: str) -> Response:
    """Release a hold at once with its token (204; 403 for another token)."""
    token = parse_query(ReleaseQuery, request.args).reservation_token
    reservation_service.release(reservation_id, token, owner=_hold_owner(), now=clock.now())
    return Response(status=204)


@bp.post("/bookme/meetings")
@require_scope("bookme.book")
@document(
    "Create a meeting from a reservation",
    tags=["Meetings"],
    body=MeetingIn,
    responses={201: Answer("The meeting", MeetingOut, headers={"Location": "the meeting's URL"})},
    errors=(409, 422),
    headers={
        "Idempotency-Key": "up to 200 characters; a retry with the same key and body returns the "
        "first answer (with `Idempotent-Replayed: true`), the same key with another body is a 422"
    },
    description="An `Idempotency-Key` header makes a retry return the first answer.",
)
def create_meeting() -> Response:
    """Turn a live reservation into a meeting (201 + Location)."""
    key = request.headers.get("Idempotency-Key", "").strip()[:200]
    fingerprint = request_fingerprint(request.get_data())
    if key and (replay := _replay(key, fingerprint)) is not None:
        return replay
    body: MeetingIn = _body(MeetingIn)
    now = clock.now()
    answer: dict[str, Any] = {}

    def remember(meeting: Any) -> None:  # inside the meeting's transaction
        answer.update(meeting_out(meeting))
        if key:
            add_answer(caller_client_id(), key, fingerprint, 201, json.dumps(answer), now=now)

    try:
        meeting = booking_service.create_meeting(
            _meeting_request(body), now=now, on_created=remember
        )
    except ReservationUsed:
        if key and (replay := _replay(key, fingerprint, wait=REPLAY_WAIT_SECONDS)) is not None:
            return replay
        raise
    return json_response(answer, 201, headers={"Location": _meeting_url(meeting.id)})


def _meeting_request(body: MeetingIn) -> booking_service.MeetingRequest:
    """The service's view of a create-meeting body."""
    return booking_service.MeetingRequest(
        time_slot_id=body.time_slot_id,
        booked_by=body.booked_by,
        meeting_type=body.type,
        topic_id=body.theme_id,
        customer_type_id=body.customer_category_id,
        employee_id=body.employee_id,
        room_id=body.room_id,
        additional_employee_ids=tuple(
            e for e in body.additional_employees if e != body.employee_id
        ),
        customer_id=body.customer_id,
        customer_name=body.customer_name,
        customer_email=body.customer_email,
        customer_phone=body.customer_phone,
        title=body.title,
        description=body.description,
        client_id=caller_client_id(),
        owner=_hold_owner(),
        vendor=booking_service.VendorFields(
            salesforce_id=body.salesforce_id,
            video_link=body.video_link,
            portal_id=body.portal_id,
            custom_fields=tuple((f.key, f.value) for f in body.custom_fields),
            external_attendees=tuple((a.name, a.email) for a in body.external_attendees),
            cpr=body.cpr,
        ),
    )


def _meeting_url(meeting_id: str) -> str:
    return url_for("api.get_meeting", meeting_id=meeting_id)


def _replay(key: str, fingerprint: str, *, wait: float = 0.0) -> Response | None:
    """The recorded first answer to this key (422 when the key came with another body)."""
    from app.extensions import db

    deadline = time.monotonic() + wait
    while True:
        record = recorded_answer(caller_client_id(), key)
        if record is not None or time.monotonic() >= deadline:
            break
        db.session.rollback()
        time.sleep(0.05)
    if record is None:
        return None
    if record.request_hash != fingerprint:
        return error_response(422, "this Idempotency-Key was used with a different request")
    data = json.loads(record.body)
    headers = {"Idempotent-Replayed": "true", "Location": _meeting_url(data["id"])}
    return json_response(data, record.status_code, headers=headers)


@bp.get("/bookme/meetings")
@require_scope("bookme.read")
@document(
    "List meetings", tags=["Meetings"], query=MeetingsQuery, responses={200: list[MeetingOut]}
)
def list_meetings() -> Response:
    """The caller's meetings (every meeting for `bookme.admin`), filtered."""
    query = parse_query(MeetingsQuery, request.args)
    found = meeting_service.list_meetings(
        owner=_owner(),
        employee_id=query.employee_id,
        customer_id=query.customer_id,
        time_slot_id=query.time_slot_id,
        start_from=query.from_,
        end_to=query.to,
        window=meeting_service.MeetingWindow(
            modified_from=query.start_date_modified,
            modified_to=query.end_date_modified,
            starts_from=query.start_date,
            ends_by=query.end_date,
        ),
    )
    return json_response([_read_out(m) for m in found])


@bp.get("/bookme/meetings/<meeting_id>")
@require_scope("bookme.read")
@document("Read a meeting", tags=["Meetings"], responses={200: MeetingOut})
def get_meeting(meeting_id: str) -> Response:
    """One meeting the caller created (any, for `bookme.admin`)."""
    return json_response(_read_out(meeting_service.get_meeting(meeting_id, owner=_owner())))


def _read_out(meeting: Any) -> dict[str, Any]:
    """A meeting as a read answers it: with the CPR number for callers holding `bookme.cpr`.

    Only reads carry it: the create answer is stored for `Idempotency-Key` replays, and a CPR
    number must not be stored in clear anywhere."""
    cpr = meeting_service.meeting_cpr(meeting) if caller_holds(CPR_SCOPE) else None
    return meeting_out(meeting, cpr=cpr)


@bp.patch("/bookme/meetings/<meeting_id>")
@require_scope("bookme.book")
@document(
    "Change or move a meeting (JSON Patch)",
    tags=["Meetings"],
    body={"oneOf": [{"$ref": REF.format(model="PatchOperation")}, PATCH_ARRAY]},
    models=(PatchOperation,),
    responses={200: MeetingOut},
    errors=(409,),
    description="A JSON Patch list, or one operation object: `replace` on `/title`, "
    "`/description`, `/timeSlotId` (a reservation made with `existingMeetingId`, which moves "
    "the meeting there), or on `/type`, `/topicId`, `/roomId`, `/employeeId`, "
    "`/additionalEmployees`: the meeting keeps its time, and the changed meeting must be one "
    "the availability engine offers for its advisors and room at that time, with buffers (409 "
    "saying why otherwise). All operations apply or none; a move goes alone.",
)
def patch_meeting(meeting_id: str) -> Response:
    """Apply `replace` operations; 409 once the meeting has started."""
    return _apply_patch(meeting_id)


@bp.put("/bookme/meetings/<meeting_id>")
@require_scope("bookme.book")
@document(
    "Change or move a meeting (one JSON Patch operation)",
    tags=["Meetings"],
    body=PatchOperation,
    responses={200: MeetingOut},
    errors=(409,),
    description="The vendor's form of the PATCH: one operation object (a list is taken too).",
)
def put_meeting(meeting_id: str) -> Response:
    """The vendor's PUT: its one operation applied as the PATCH applies it."""
    return _apply_patch(meeting_id)


def _apply_patch(meeting_id: str) -> Response:
    """Validate the operations, change the meeting in one service call, answer it."""
    updated = change_service.update_meeting(
        meeting_id,
        meeting_changes(request.get_json(force=True, silent=True)),
        owner=_owner(),
        hold_owner=_hold_owner(),
        now=clock.now(),
    )
    return json_response(meeting_out(updated))


@bp.delete("/bookme/meetings/<meeting_id>")
@require_scope("bookme.book")
@document(
    "Cancel a meeting",
    tags=["Meetings"],
    body=CancelIn,
    body_required=False,
    responses={204: None},
    errors=(409,),
)
def cancel_meeting(meeting_id: str) -> Response:
    """Cancel and free the time at once (204); 409 once the meeting has started."""
    body: CancelIn = _body(CancelIn, optional=True)
    change_service.cancel_meeting(
        meeting_id,
        owner=_owner(),
        now=clock.now(),
        cancelled_by=f"client:{caller_client_id()}",
        reason=body.reason,
    )
    return Response(status=204)


@bp.post("/bookme/meetings/<meeting_id>/ical")
@require_scope("bookme.book")
@document(
    "Download the meeting as an iCalendar file",
    tags=["Meetings"],
    body=IcalIn,
    body_required=False,
    responses={200: Answer("One VEVENT", {"type": "string"}, media_type="text/calendar")},
)
def meeting_ical(meeting_id: str) -> Response:
    """The meeting as `text/calendar`, as an attachment named `meeting-<id>.ics`."""
    body: IcalIn = _body(IcalIn, optional=True)
    meeting = meeting_service.get_meeting(meeting_id, owner=_owner())
    data = meeting_ics(
        meeting,
        now=clock.now(),
        title=body.title,
        description=body.description,
        location=body.location,
    )
    response = Response(data, status=200, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{meeting.id}.ics"'
    return response
