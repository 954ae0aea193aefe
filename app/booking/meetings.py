"""Meetings: a live reservation becomes a meeting; meetings are read, changed, moved and cancelled.

The only code that writes meetings. Services take plain values and `now`; `owner` is the API
client whose meetings the caller may see (None = every meeting: admins and trusted callers such as
the wizard, which checks its private link itself):

- `create_meeting(request: MeetingRequest, *, now) -> Meeting`: `NotFound` for unknown ids and for
  another owner's reservation (`request.owner`, see `app.booking.reservations`); `Conflict` when
  the reservation expired, was released or used, or does not match the request.
- `get_meeting(meeting_id, *, owner=None) -> Meeting` and
  `list_meetings(*, owner=None, employee_id=None, customer_id=None, time_slot_id=None,
  start_from=None, end_to=None) -> list[Meeting]`.
- `update_meeting(meeting_id, changes: MeetingChanges, *, owner=None, hold_owner=None, now)
  -> Meeting`: title, description, the meeting type, topic, room and advisors (`changes.setup`,
  checked by the engine: `app.booking.meeting_reassign`), or a move to a reservation made with
  `existing_meeting_id` by `hold_owner` (`NotFound` for another owner's).
- `cancel_meeting(meeting_id, *, owner=None, now, cancelled_by=None, reason=None) -> Meeting`.

Every change bumps `sequence` (the ICS SEQUENCE). Started or past meetings are immutable. Each
booking, move and cancellation writes its notifications to the outbox in its own transaction
(`app.notifications.outbox`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, or_, select

from app import crypto
from app.booking import events
from app.booking.claims import add_claims, granted_buffers, resources_for
from app.booking.errors import Conflict, InvalidRequest, NotFound
from app.booking.locking import token_key, write_transaction
from app.booking.meeting_reassign import Reassignment, changed_setup, meeting_location, reassign
from app.booking.reservations import (
    CONSUMED,
    EXPIRED,
    RELEASED,
    RESERVED,
    first_unknown,
    get_reservation,
)
from app.booking.rules import PHYSICAL
from app.extensions import db
from app.models import (
    BookingClaim,
    CustomerType,
    Employee,
    Meeting,
    Reservation,
    Room,
    Topic,
)
from app.notifications import outbox

BOOKED, CANCELLED = "Booked", "Cancelled"
_Row = TypeVar("_Row", Reservation, Meeting)


class ReservationUsed(Conflict):
    """The reservation already became a meeting (409; an idempotent retry may replay instead)."""


BOOKED_BY = ("customer", "employee")
CPR_PURPOSE = "cpr"  # the key of app/crypto.py that encrypts CPR numbers
TITLE_MAX = 300


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


@dataclass(frozen=True)
class MeetingChanges:
    """A PATCH: fields left as None stay as they are."""

    title: str | None = None
    description: str | None = None
    time_slot_id: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    setup: Reassignment = (
        Reassignment()
    )  # type, topic, room, advisors (app.booking.meeting_reassign)


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
    keys = [token_key(hold.owner, hold.token), *_hold_resources(hold)]
    with write_transaction(keys):
        _check_known(request)
        hold = _lock_hold(request.time_slot_id)
        _check_hold_usable(hold, now)
        if hold.existing_meeting_id:
            raise Conflict("this reservation moves another meeting; PATCH that meeting instead")
        meeting_type = _check_matches(hold, request)
        _check_bookable_as_requested(hold, request, meeting_type, now)
        meeting = _new_meeting(hold, request, meeting_type, now)
        db.session.add(meeting)
        db.session.flush()
        _swap_claims(meeting, hold, moving=False)
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


def _hold_resources(hold: Reservation) -> list[str]:
    """The claim resources a reservation occupies."""
    return resources_for([hold.employee_id, *(hold.additional_employee_ids or [])], hold.room_id)


def _locked(model: type[_Row], ident: str, kind: str) -> _Row:
    """Re-read a row under a row lock (PostgreSQL `FOR UPDATE`; SQLite holds the whole database)."""
    stmt = select(model).where(model.id == ident).with_for_update()
    row = db.session.scalar(stmt.execution_options(populate_existing=True))
    if row is None:
        raise NotFound(kind, ident)
    return row


def _lock_hold(reservation_id: str) -> Reservation:
    """Re-read the reservation under a row lock."""
    return _locked(Reservation, reservation_id, "timeSlot")


def _check_hold_usable(hold: Reservation, now: datetime) -> None:
    """A reservation can become a meeting once, while it is live."""
    if hold.status == CONSUMED:
        raise ReservationUsed("the reservation has already been used for a meeting")
    if hold.status == RELEASED:
        raise Conflict("the reservation was released")
    if hold.status == EXPIRED or hold.expires_at <= now:
        raise Conflict("the reservation has expired; reserve the slot again")
    if hold.status != RESERVED:
        raise Conflict(f"the reservation is {hold.status}")


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


def agreed_type(hold: Reservation, wanted: str | None) -> str:
    """The meeting type `hold` can become: its own, else `wanted` (`Conflict` when they differ).

    A room held without a type was offered with a physical slot (other types carry a room only
    when the client names it and the type), so such a hold becomes a Physical meeting or nothing.
    """
    held = hold.meeting_type or (PHYSICAL if hold.room_id else None)
    if wanted and held and wanted != held:
        if hold.meeting_type:
            raise Conflict(f"type does not match the reservation (reserved as {held})")
        raise Conflict(
            f"type {wanted} does not match the reservation: it holds a room without a meeting "
            f"type, which only a {PHYSICAL} meeting may use; reserve with meetingType to book "
            "another type"
        )
    if not (wanted or held):
        raise InvalidRequest("type is required", field="type")
    return wanted or held or ""


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
        location_id=_meeting_location(hold, meeting_type),
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


def meeting_cpr(meeting: Meeting) -> str | None:
    """The meeting's CPR number in clear, for callers allowed to read it (None if none)."""
    return crypto.decrypt(CPR_PURPOSE, meeting.cpr_encrypted)


def _meeting_location(hold: Reservation, meeting_type: str) -> str | None:
    """Where a meeting made from `hold` happens (see `meeting_reassign.meeting_location`)."""
    return meeting_location(hold.employee_id, hold.room_id, hold.start_at, meeting_type)


def _swap_claims(meeting: Meeting, hold: Reservation, *, moving: bool = True) -> None:
    """Move the hold's claims to the meeting: the hold is consumed, the meeting claims for good,
    with the buffers the hold was granted under."""
    owners = [BookingClaim.reservation_id == hold.id]
    if moving:
        owners.append(BookingClaim.meeting_id == meeting.id)
    db.session.execute(delete(BookingClaim).where(or_(*owners)))
    db.session.flush()
    resources = resources_for(
        [meeting.employee_id, *meeting.additional_employee_ids], meeting.room_id
    )
    buffers = granted_buffers(hold)  # the hold's span, which `reserve` cleared of expired claims
    add_claims(resources, meeting.start_at, meeting.end_at, meeting_id=meeting.id, buffers=buffers)
    hold.status = CONSUMED
    hold.meeting_id = meeting.id
    hold.modified_at = meeting.modified_at
    db.session.flush()


def get_meeting(meeting_id: str, *, owner: str | None = None) -> Meeting:
    """The meeting with this id, if `owner` (a client id, None = anyone) may see it."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or (owner is not None and meeting.client_id != owner):
        raise NotFound("meeting", meeting_id)
    return meeting


def list_meetings(
    *,
    owner: str | None = None,
    employee_id: str | None = None,
    customer_id: str | None = None,
    time_slot_id: str | None = None,
    start_from: datetime | None = None,
    end_to: datetime | None = None,
    window: MeetingWindow | None = None,
) -> list[Meeting]:
    """Meetings matching every given filter, by start time; `from`/`to` select overlapping ones,
    `window` those inside it (the vendor's filters)."""
    stmt = select(Meeting).order_by(Meeting.start_at, Meeting.id)
    if owner is not None:
        stmt = stmt.where(Meeting.client_id == owner)
    if employee_id:
        stmt = stmt.where(Meeting.employee_id == employee_id)
    if customer_id:
        stmt = stmt.where(Meeting.customer_id == customer_id)
    if time_slot_id:
        stmt = stmt.where(Meeting.time_slot_id == time_slot_id)
    if start_from is not None:
        stmt = stmt.where(Meeting.end_at > start_from)
    if end_to is not None:
        stmt = stmt.where(Meeting.start_at < end_to)
    if window is not None:
        stmt = stmt.where(*window.conditions())
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class MeetingWindow:
    """The vendor's meeting filters: last changed within, starts at or after, ends at or before."""

    modified_from: datetime | None = None
    modified_to: datetime | None = None
    starts_from: datetime | None = None
    ends_by: datetime | None = None

    def conditions(self) -> list[Any]:
        """The SQL conditions for the bounds that are given."""
        found: list[Any] = []
        if self.modified_from is not None:
            found.append(Meeting.modified_at >= self.modified_from)
        if self.modified_to is not None:
            found.append(Meeting.modified_at <= self.modified_to)
        if self.starts_from is not None:
            found.append(Meeting.start_at >= self.starts_from)
        if self.ends_by is not None:
            found.append(Meeting.end_at <= self.ends_by)
        return found


def update_meeting(
    meeting_id: str,
    changes: MeetingChanges,
    *,
    owner: str | None = None,
    hold_owner: str | None = None,
    now: datetime,
) -> Meeting:
    """Change title/description, the type/topic/room/advisors (checked by the engine), or move
    the meeting to a reservation `hold_owner` made for it; all of it or nothing."""
    _validate_changes(changes)
    meeting = get_meeting(meeting_id, owner=owner)
    keys = [*_meeting_resources(meeting)]
    if changes.setup.asks():
        keys += changed_setup(meeting, changes.setup).resources
    if changes.time_slot_id:
        hold = get_reservation(changes.time_slot_id, owner=hold_owner)
        keys += [token_key(hold.owner, hold.token), *_hold_resources(hold)]
    moved = False
    with write_transaction(keys):
        meeting = _lock_meeting(meeting_id)
        _check_changeable(meeting, now)
        before = outbox.snapshot(meeting)
        if changes.title is not None:
            meeting.title = changes.title
        if changes.description is not None:
            meeting.description = changes.description
        if changes.time_slot_id and changes.time_slot_id != meeting.time_slot_id:
            _move(meeting, changes.time_slot_id, now)
            moved = True
        moved = reassign(meeting, changes.setup, now=now) or moved
        meeting.sequence += 1
        meeting.modified_at = now
        outbox.record_changed(meeting, before, actor=hold_owner or owner, now=now)
    if moved:
        events.announce(events.meeting_moved, meeting)
    return meeting


def _validate_changes(changes: MeetingChanges) -> None:
    """Refuse a malformed change before touching the database."""
    if changes.title is not None and len(changes.title) > TITLE_MAX:
        raise InvalidRequest(f"title must be at most {TITLE_MAX} characters", field="title")
    if changes.time_slot_id and changes.setup.asks():
        raise InvalidRequest(
            "a move (/timeSlotId) takes its advisor, room and type from the reservation: "
            "change them in a separate request",
            field="timeSlotId",
        )


def _meeting_resources(meeting: Meeting) -> list[str]:
    """The claim resources a meeting occupies."""
    return resources_for(
        [meeting.employee_id, *(meeting.additional_employee_ids or [])], meeting.room_id
    )


def _lock_meeting(meeting_id: str) -> Meeting:
    """Re-read the meeting under a row lock."""
    return _locked(Meeting, meeting_id, "meeting")


def _check_changeable(meeting: Meeting, now: datetime) -> None:
    """Cancelled, started and past meetings cannot change."""
    if meeting.status == CANCELLED:
        raise Conflict("the meeting is cancelled")
    if meeting.start_at <= now:
        raise Conflict("the meeting has started or is past and can no longer be changed")


def _move(meeting: Meeting, reservation_id: str, now: datetime) -> None:
    """Take over the time, advisor and room of a live reservation made for this meeting."""
    hold = _lock_hold(reservation_id)
    _check_hold_usable(hold, now)
    if hold.existing_meeting_id != meeting.id:
        raise Conflict("the reservation was not made to move this meeting (existingMeetingId)")
    meeting_type = agreed_type(hold, None if hold.meeting_type else meeting.meeting_type)
    meeting.time_slot_id = hold.id
    meeting.start_at, meeting.end_at = hold.start_at, hold.end_at
    meeting.employee_id = hold.employee_id
    meeting.additional_employee_ids = list(hold.additional_employee_ids or [])
    meeting.room_id = hold.room_id
    meeting.meeting_type = meeting_type
    meeting.location_id = _meeting_location(hold, meeting.meeting_type)
    meeting.modified_at = now
    db.session.flush()
    _swap_claims(meeting, hold)


def cancel_meeting(
    meeting_id: str,
    *,
    owner: str | None = None,
    now: datetime,
    cancelled_by: str | None = None,
    reason: str | None = None,
) -> Meeting:
    """Cancel the meeting and free its time at once (cancelling twice changes nothing)."""
    meeting = get_meeting(meeting_id, owner=owner)
    with write_transaction(_meeting_resources(meeting)):
        meeting = _lock_meeting(meeting_id)
        if meeting.status == CANCELLED:
            return meeting
        _check_changeable(meeting, now)
        db.session.execute(delete(BookingClaim).where(BookingClaim.meeting_id == meeting.id))
        meeting.status = CANCELLED
        meeting.cancelled_at = now
        meeting.cancelled_by = cancelled_by
        meeting.cancel_reason = reason
        meeting.sequence += 1
        meeting.modified_at = now
        outbox.record_cancelled(meeting, actor=cancelled_by or owner, reason=reason, now=now)
    events.announce(events.meeting_cancelled, meeting)
    return meeting
