"""Changing a hold, the vendor's `PATCH /bookme/time-slots/{id}?reservationToken=`: release it, or
hold another time, advisor, room or meeting type with the same token.

A change is a new hold made with the hold's own token, so `reservations.reserve` checks it against
the engine exactly as a first hold and replaces the old one in the same transaction (nothing is
half-changed: a refused change leaves the old hold as it was).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.booking.errors import Conflict, Forbidden
from app.booking.reservations import (
    CONSUMED,
    HoldRequest,
    get_holding_reservation,
    release,
    reserve,
)
from app.models import Reservation


@dataclass(frozen=True)
class HoldChanges:
    """What a PATCH asks: release the hold, or the fields to change (None: keep)."""

    release: bool = False
    start: datetime | None = None
    end: datetime | None = None
    employee_id: str | None = None
    room_id: str | None = None
    clear_room: bool = False
    meeting_type: str | None = None


def change_hold(
    reservation_id: str,
    token: str,
    changes: HoldChanges,
    *,
    owner: str,
    now: datetime,
    max_live_holds: int | None = None,
) -> Reservation | None:
    """Release the caller's hold (None) or replace it by the changed one (the new hold)."""
    hold = get_holding_reservation(reservation_id, owner=owner, now=now)
    if hold.token != token:
        raise Forbidden("the reservation token does not match")
    if hold.status == CONSUMED:
        raise Conflict("the reservation became a meeting; change the meeting instead")
    if changes.release:
        release(reservation_id, token, owner=owner, now=now)
        return None
    return reserve(_changed(hold, changes), now=now, max_live_holds=max_live_holds)


def _changed(hold: Reservation, changes: HoldChanges) -> HoldRequest:
    """The hold request of the changed hold: the old one's fields, with the changes applied."""
    room = None if changes.clear_room else (changes.room_id or hold.room_id)
    return HoldRequest(
        token=hold.token,
        start=changes.start or hold.start_at,
        end=changes.end or hold.end_at,
        employee_id=changes.employee_id or hold.employee_id,
        additional_employee_ids=tuple(hold.additional_employee_ids or ()),
        room_id=room,
        meeting_type=changes.meeting_type or hold.meeting_type,
        topic_id=hold.topic_id,
        service_group=hold.service_group,
        existing_meeting_id=hold.existing_meeting_id,
        owner=hold.owner,
    )
