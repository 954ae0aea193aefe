"""Room vacancies, the vendor's `GET /bookme/room-vacancies`: the rooms of a location that are
free for the whole time of a reservation the caller holds (its own claim aside)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.booking.errors import NotFound
from app.booking.facts import room_resource
from app.booking.reservations import get_holding_reservation
from app.extensions import db
from app.models import BookingClaim, Location, Room


def vacant_rooms(
    location: str, reservation_id: str, *, owner: str | None, now: datetime
) -> list[Room]:
    """Bookable rooms of `location` (name or id, any case) free during the reservation's time."""
    hold = get_holding_reservation(reservation_id, owner=owner, now=now)
    place = _location(location)
    rooms = list(
        db.session.scalars(
            select(Room)
            .where(Room.location_id == place.id, Room.can_be_booked.is_(True))
            .options(selectinload(Room.location))
            .order_by(Room.name, Room.id)
        )
    )
    taken = set(
        db.session.scalars(
            select(BookingClaim.resource).where(
                BookingClaim.resource.in_([room_resource(r.id) for r in rooms]),
                BookingClaim.blocked_from < hold.end_at,
                BookingClaim.blocked_until > hold.start_at,
                or_(BookingClaim.expires_at.is_(None), BookingClaim.expires_at > now),
                or_(BookingClaim.reservation_id.is_(None), BookingClaim.reservation_id != hold.id),
            )
        )
    )
    return [r for r in rooms if room_resource(r.id) not in taken]


def _location(text: str) -> Location:
    """The location named or identified by `text` (any case); 404 when none is."""
    wanted = text.strip().casefold()
    found = db.session.scalar(
        select(Location).where(
            or_(func.lower(Location.name) == wanted, Location.id == text.strip())
        )
    )
    if found is None:
        raise NotFound("location", text)
    return found
