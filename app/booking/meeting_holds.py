"""A reservation becoming a meeting, shared by booking a meeting and moving one.

The row locks, whether a reservation is still usable, the meeting type it agrees to, where the
meeting happens, and handing the reservation's claims to the meeting. Called only inside the
caller's write transaction (`app.booking.meeting_create.create_meeting`,
`app.booking.meeting_changes.update_meeting`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import delete, or_, select

from app.booking.claims import add_claims, granted_buffers, resources_for
from app.booking.errors import Conflict, InvalidRequest, NotFound
from app.booking.meeting_reassign import meeting_location
from app.booking.reservations import CONSUMED, EXPIRED, RELEASED, RESERVED
from app.booking.rules import PHYSICAL
from app.extensions import db
from app.models import BookingClaim, Meeting, Reservation

_Row = TypeVar("_Row", Reservation, Meeting)


class ReservationUsed(Conflict):
    """The reservation already became a meeting (409; an idempotent retry may replay instead)."""


def hold_resources(hold: Reservation) -> list[str]:
    """The claim resources a reservation occupies."""
    return resources_for([hold.employee_id, *(hold.additional_employee_ids or [])], hold.room_id)


def locked_row(model: type[_Row], ident: str, kind: str) -> _Row:
    """Re-read a row under a row lock (PostgreSQL `FOR UPDATE`; SQLite holds the whole database)."""
    stmt = select(model).where(model.id == ident).with_for_update()
    row = db.session.scalar(stmt.execution_options(populate_existing=True))
    if row is None:
        raise NotFound(kind, ident)
    return row


def lock_hold(reservation_id: str) -> Reservation:
    """Re-read the reservation under a row lock."""
    return locked_row(Reservation, reservation_id, "timeSlot")


def check_hold_usable(hold: Reservation, now: datetime) -> None:
    """A reservation can become a meeting once, while it is live."""
    if hold.status == CONSUMED:
        raise ReservationUsed("the reservation has already been used for a meeting")
    if hold.status == RELEASED:
        raise Conflict("the reservation was released")
    if hold.status == EXPIRED or hold.expires_at <= now:
        raise Conflict("the reservation has expired; reserve the slot again")
    if hold.status != RESERVED:
        raise Conflict(f"the reservation is {hold.status}")


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


def hold_location(hold: Reservation, meeting_type: str) -> str | None:
    """Where a meeting made from `hold` happens (see `meeting_reassign.meeting_location`)."""
    return meeting_location(hold.employee_id, hold.room_id, hold.start_at, meeting_type)


def swap_claims(meeting: Meeting, hold: Reservation, *, moving: bool = True) -> None:
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
