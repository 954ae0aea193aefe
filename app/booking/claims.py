"""Claims: the rows the database uses to refuse overlapping commitments of one advisor or room."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.booking.facts import employee_resource, room_resource
from app.extensions import db
from app.models import BookingClaim

__all__ = ["add_claims", "employee_resource", "resources_for", "room_resource"]


def resources_for(employee_ids: Iterable[str], room_id: str | None) -> list[str]:
    """Every resource a commitment of these advisors (and room) occupies."""
    keys = [employee_resource(e) for e in dict.fromkeys(employee_ids)]
    if room_id:
        keys.append(room_resource(room_id))
    return keys


def add_claims(
    resources: Iterable[str],
    start: datetime,
    end: datetime,
    *,
    meeting_id: str | None = None,
    reservation_id: str | None = None,
    expires_at: datetime | None = None,
) -> list[BookingClaim]:
    """Stage one claim per resource in the current transaction (the flush is where overlap fails)."""
    claims = [
        BookingClaim(
            resource=r,
            start_at=start,
            end_at=end,
            expires_at=expires_at,
            meeting_id=meeting_id,
            reservation_id=reservation_id,
        )
        for r in resources
    ]
    db.session.add_all(claims)
    return claims
