"""The current hold as the pages show it, and re-taking a hold that ran out before confirming."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.booking.errors import DomainError, NotFound
from app.booking.reservations import (
    CONSUMED,
    RESERVED,
    HoldRequest,
    get_reservation,
    live_status,
    reserve,
    wizard_owner,
)
from app.extensions import db
from app.localized import localized_name
from app.models import Employee, Location, Reservation, Room, Topic
from app.wizard import state
from app.wizard.choices import Choices


@dataclass
class HoldView:
    """A hold with the names a customer needs: when, with whom, where, and until when."""

    reservation: Reservation
    status: str
    choices: Choices
    week: str
    advisor: str
    topic: str
    place: str
    now: datetime

    @property
    def live(self) -> bool:
        """Whether the hold still keeps the time for the customer."""
        return self.status == RESERVED

    @property
    def expires_at(self) -> datetime:
        return self.reservation.expires_at

    @property
    def seconds_left(self) -> int:
        """Seconds until the hold runs out, for the countdown (0 once it has)."""
        return max(0, int((self.reservation.expires_at - self.now).total_seconds()))


def _place(reservation: Reservation, choices: Choices) -> str:
    """The branch (and room) for a physical meeting, else nothing."""
    if reservation.meeting_type != "Physical":
        return ""
    location = db.session.get(Location, choices.location) if choices.location else None
    room = db.session.get(Room, reservation.room_id) if reservation.room_id else None
    parts = [
        p
        for p in (
            localized_name(location) if location else "",
            location.address if location else "",
        )
        if p
    ]
    if room is not None:
        parts.append(room.name)
    return ", ".join(parts)


def hold_view(now: datetime) -> HoldView | None:
    """The remembered hold of this browser, unless it is gone (released, used or unknown)."""
    remembered = state.current_hold()
    if remembered is None:
        return None
    try:
        reservation = get_reservation(remembered["id"], owner=state.hold_owner())
    except NotFound:
        state.forget_hold()
        return None
    status = live_status(reservation, now)
    if status not in (RESERVED, "Expired"):
        return None
    choices = Choices.from_args(remembered.get("choices") or {})
    employee = db.session.get(Employee, reservation.employee_id)
    topic = db.session.get(Topic, reservation.topic_id) if reservation.topic_id else None
    return HoldView(
        reservation=reservation,
        status=status,
        choices=choices,
        week=str(remembered.get("week") or ""),
        advisor=employee.display_name if employee else "",
        topic=localized_name(topic) if topic else "",
        place=_place(reservation, choices),
        now=now,
    )


def retake(view: HoldView, now: datetime) -> Reservation | None:
    """Hold the same time again after the first hold ran out; None when it has been taken since."""
    token = state.hold_token()
    fresh = hold_again(
        view.reservation,
        token=token,
        owner=wizard_owner(token),
        customer_type_id=view.choices.customer_type,
        is_customer_initiated=True,
        now=now,
    )
    if fresh is not None:
        state.remember_hold(fresh, view.choices, view.week)
    return fresh


def hold_again(
    old: Reservation,
    *,
    token: str,
    owner: str,
    customer_type_id: str | None,
    is_customer_initiated: bool = True,
    rule: Callable[[HoldRequest], HoldRequest] | None = None,
    now: datetime,
) -> Reservation | None:
    """The same time, advisors and room as `old` held again for `owner`; None when taken since.
    `rule` shapes the request (a staff search's rule: app.booking.staff_rule)."""
    request = HoldRequest(
        token=token,
        start=old.start_at,
        end=old.end_at,
        employee_id=old.employee_id,
        additional_employee_ids=tuple(old.additional_employee_ids or ()),
        room_id=old.room_id,
        meeting_type=old.meeting_type,
        topic_id=old.topic_id,
        customer_type_id=customer_type_id,
        existing_meeting_id=old.existing_meeting_id,
        is_customer_initiated=is_customer_initiated,
        owner=owner,
    )
    try:
        return reserve(rule(request) if rule else request, now=now)
    except DomainError:
        db.session.rollback()
        return None


def consumed_meeting_id(reservation_id: str) -> str | None:
    """The meeting this browser's hold already became (a double submit), if it did."""
    try:
        reservation = get_reservation(reservation_id, owner=state.hold_owner())
    except NotFound:
        return None
    if reservation.status != CONSUMED:
        return None
    return reservation.meeting_id
