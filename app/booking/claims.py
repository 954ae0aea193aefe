"""Claims: the rows the database uses to refuse commitments of one advisor or room that overlap or
come closer than the buffers.

A claim keeps two spans: `start_at`/`end_at`, the commitment itself, and `blocked_from`/
`blocked_until`, the commitment widened by the organisation's buffers in force when it was written
(`buffer_before_minutes` before it, `buffer_after_minutes` after it). The database refuses two claims
of one resource whose *blocked* spans overlap, so two commitments of an advisor (or a room) are
always at least one's buffer after plus the other's buffer before apart, whichever came first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.booking.facts import employee_resource, room_resource
from app.extensions import db
from app.models import BookingClaim, OrganisationSettings, Reservation

__all__ = [
    "Buffers",
    "add_claims",
    "employee_resource",
    "granted_buffers",
    "organisation_buffers",
    "resources_for",
    "room_resource",
]


@dataclass(frozen=True)
class Buffers:
    """The time kept free before and after every commitment."""

    before: timedelta = timedelta(0)
    after: timedelta = timedelta(0)

    def around(self, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """The span a commitment at [start, end) keeps from every other commitment."""
        return start - self.before, end + self.after

    @property
    def minutes(self) -> tuple[int, int]:
        """Before and after in whole minutes (as the settings store them)."""
        return self.before // timedelta(minutes=1), self.after // timedelta(minutes=1)

    @classmethod
    def of_minutes(cls, before: int, after: int) -> Buffers:
        """Buffers from minutes before and after."""
        return cls(timedelta(minutes=before), timedelta(minutes=after))


def organisation_buffers() -> Buffers:
    """The buffers in force now (the organisation's settings; none when there are no settings)."""
    row = db.session.execute(
        select(
            OrganisationSettings.buffer_before_minutes, OrganisationSettings.buffer_after_minutes
        ).where(OrganisationSettings.id == 1)
    ).one_or_none()
    if row is None:
        return Buffers()
    return Buffers.of_minutes(row[0] or 0, row[1] or 0)


def granted_buffers(hold: Reservation) -> Buffers:
    """The buffers a hold was granted under, which its meeting keeps (else those in force now)."""
    if hold.buffer_before_minutes is None or hold.buffer_after_minutes is None:
        return organisation_buffers()
    return Buffers.of_minutes(hold.buffer_before_minutes, hold.buffer_after_minutes)


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
    buffers: Buffers | None = None,
    blocked: tuple[datetime, datetime] | None = None,
) -> list[BookingClaim]:
    """Stage one claim per resource in the current transaction (the flush is where a clash fails).

    The blocked span is `blocked` when given (a move's piece), else [start, end) widened by
    `buffers` (default: the organisation's buffers now).
    """
    if blocked is None:
        blocked = (buffers or organisation_buffers()).around(start, end)
    claims = [
        BookingClaim(
            resource=r,
            start_at=start,
            end_at=end,
            blocked_from=blocked[0],
            blocked_until=blocked[1],
            expires_at=expires_at,
            meeting_id=meeting_id,
            reservation_id=reservation_id,
        )
        for r in resources
    ]
    db.session.add_all(claims)
    return claims
