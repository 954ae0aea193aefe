"""Booking a meeting: a live reservation becomes a meeting, in one transaction.

`create_meeting(request: MeetingRequest, *, now) -> Meeting`: `NotFound` for unknown ids and for
another owner's reservation (`request.owner`, see `app.booking.reservations`); `Conflict` when the
reservation expired, was released or used (`meeting_holds.ReservationUsed`), or does not match
the request. The booking writes its notifications to the outbox in the same transaction
(`app.notifications.outbox`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app import crypto
from app.booking import events
from app.booking.claims import granted_buffers
from app.booking.errors import Conflict, InvalidRequest, NotFound
from app.booking.locking import token_key, write_transaction
from app.booking.meeting_holds import (
    agreed_type,
    check_hold_usable,
    hold_location,
    hold_resources,
    lock_hold,
    swap_claims,
)
from app.booking.meetings import BOOKED, CPR_PURPOSE
from app.booking.reservations import first_unknown, get_reservation
from app.extensions import db
from app.models import CustomerType, Employee, Meeting, Reservation, Room, Topic
from app.notifications import outbox

BOOKED_BY = ("customer", "employee")


@dataclass(frozen=True)
class VendorFields:
    """The vendor's V2 meeting fields, stored and returned as sent; `cpr` only ever encrypted."""

    salesforce_id: str | None = None
    video_link: str | None = None
    portal_id: str | None = None
    custom_fields: tuple[tuple[str, str], ...] = ()
    external_attendees: tuple[tuple[str, str], ...] = ()
    cpr: str | None = field(default=None, repr=False)  # never in a repr, a log or a trace


@dataclass(frozen=True)
class MeetingRequest:
    """Everything needed to turn a reservation into a meeting."""

    time_slot_id: str
    booked_by: str = "customer"
    meeting_type: str | None = None
    topic_id: str | None = None
    customer_type_id: str | None = None
    employee_id: str | None = None
    room_id: str | None = None
    additional_employee_ids: tuple[str, ...] = ()
    customer_id: str | None = None
    customer_name: str = ""
    customer_email: str = ""
    customer_phone: str = ""
    customer_address: str = ""  # where an OffSite meeting is held
    customer_address_note: str = ""  # how to get in: door code, floor, parking
    title: str = ""
    description: str = ""
    client_id: str | None = None
    booked_by_user_id: str | None = None
    locale: str | None = None
    manage_token: str | None = None
    owner: str | None = None  # whose reservation it must be; None only for trusted callers
    vendor: VendorFields = VendorFields()


def create_meeting(
    request: MeetingRequest,
    *,
    now: datetime,
    on_created: Callable[[Meeting], None] | None = None,
) -> Meeting:
    """Turn the live reservation `request.time_slot_id` into a meeting, in one transaction.

    `on_created(meeting)` runs inside that transaction, so what it writes (the API's idempotency
    record) commits with the meeting or not at all."""
    _validate_request(request)
    hold = get_reservation(request.time_slot_id, owner=request.owner)
    keys = [token_key(hold.owner, hold.token), *hold_resources(hold)]
    with write_transaction(keys):
        _check_known(request)
        hold = lock_hold(request.time_slot_id)
        check_hold_usable(hold, now)
        if hold.existing_meeting_id:
            raise Conflict("this reservation moves another meeting; PATCH that meeting instead")
        meeting_type = _check_matches(hold, request)
        _check_bookable_as_requested(hold, request, meeting_type, now)
        meeting = _new_meeting(hold, request, meeting_type, now)
        db.session.add(meeting)
        db.session.flush()
        swap_claims(meeting, hold, moving=False)
        outbox.record_booked(meeting, actor=request.owner, now=now)
        if on_created is not None:
            on_created(meeting)
    events.announce(events.meeting_booked, meeting)
    return meeting


def _validate_request(request: MeetingRequest) -> None:
    """Refuse a malformed request before touching the database."""
    if request.booked_by not in BOOKED_BY:
        raise InvalidRequest("bookedBy must be 'customer' or 'employee'", field="bookedBy")


def _check_known(request: MeetingRequest) -> None:
    """404 for an unknown topic, customer type, advisor or room (one round trip)."""
    unknown = first_unknown(
        [
            ("topic", Topic, request.topic_id),
            ("customerType", CustomerType, request.customer_type_id),
            ("employee", Employee, request.employee_id),
            ("room", Room, request.room_id),
            *[("employee", Employee, e) for e in request.additional_employee_ids],
        ]
    )
    if unknown is not None:
        raise NotFound(*unknown)


def _check_matches(hold: Reservation, request: MeetingRequest) -> str:
    """The body must describe the reserved slot: same advisor, room and meeting type (returned)."""
    if request.employee_id and request.employee_id != hold.employee_id:
        raise Conflict("employeeId does not match the reservation")
    if request.room_id and request.room_id != hold.room_id:
        raise Conflict("roomId does not match the reservation")
    meeting_type = agreed_type(hold, request.meeting_type)
    if request.topic_id and hold.topic_id and request.topic_id != hold.topic_id:
        raise Conflict("themeId does not match the reservation")
    extra = set(request.additional_employee_ids)
    if extra and extra != set(hold.additional_employee_ids or ()):
        raise Conflict("additionalEmployees do not match the reservation")
    return meeting_type


def _check_bookable_as_requested(
    hold: Reservation, request: MeetingRequest, meeting_type: str, now: datetime
) -> None:
    """The meeting's type, topic and customer type must be ones availability offers in the held slot.

    The seed's reserve body records no meeting type or customer type, so the engine decides here,
    with the hold's own claims ignored; minimum notice and daily caps were checked when reserving.
    """
    from app.booking.slots import check_slot

    try:
        check_slot(
            employee_ids=(hold.employee_id, *(hold.additional_employee_ids or ())),
            room_id=hold.room_id,
            start=hold.start_at,
            end=hold.end_at,
            meeting_type=meeting_type,
            topic_id=request.topic_id or hold.topic_id,
            customer_type_id=request.customer_type_id,
            is_customer_initiated=False,
            ignore_reservation_ids=(hold.id,),
            buffers=granted_buffers(hold).minutes,
            now=now,
        )
    except Conflict as exc:
        raise Conflict(f"the meeting does not match the reserved slot: {exc.message}") from None


def _new_meeting(
    hold: Reservation, request: MeetingRequest, meeting_type: str, now: datetime
) -> Meeting:
    """The meeting row for a usable reservation, of the type agreed with it."""
    return Meeting(
        time_slot_id=hold.id,
        start_at=hold.start_at,
        end_at=hold.end_at,
        meeting_type=meeting_type,
        topic_id=request.topic_id or hold.topic_id,
        customer_type_id=request.customer_type_id,
        employee_id=hold.employee_id,
        additional_employee_ids=list(hold.additional_employee_ids or []),
        room_id=hold.room_id,
        location_id=hold_location(hold, meeting_type),
        customer_id=request.customer_id,
        customer_name=request.customer_name,
        customer_email=request.customer_email,
        customer_phone=request.customer_phone,
        customer_address=request.customer_address,
        customer_address_note=request.customer_address_note,
        booked_by=request.booked_by,
        booked_by_user_id=request.booked_by_user_id,
        client_id=request.client_id,
        title=request.title,
        description=request.description,
        **_vendor_columns(request.vendor),
        status=BOOKED,
        sequence=0,
        manage_token=request.manage_token,
        locale=request.locale,
        created_at=now,
        modified_at=now,
    )


def _vendor_columns(vendor: VendorFields) -> dict[str, Any]:
    """The meeting columns of the V2 fields; the CPR number encrypted (app/crypto.py)."""
    return {
        "salesforce_id": vendor.salesforce_id,
        "video_link": vendor.video_link,
        "portal_id": vendor.portal_id,
        "custom_fields": [{"key": k, "value": v} for k, v in vendor.custom_fields] or None,
        "external_attendees": [{"name": n, "email": e} for n, e in vendor.external_attendees]
        or None,
        "cpr_encrypted": crypto.encrypt(CPR_PURPOSE, vendor.cpr) if vendor.cpr else None,
    }
