"""An independent check of the guarantee: no two live commitments overlap on one advisor or room."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from itertools import combinations

from sqlalchemy import select, text

from app.extensions import db
from app.models import Meeting, OrganisationSettings, Reservation


def live_overlaps(now: datetime) -> list[str]:
    """Every pair of live commitments (booked meetings, unexpired holds) of one resource that
    overlap or come closer than the organisation's buffers (one's after plus the other's before)."""
    db.session.rollback()
    db.session.expire_all()
    before, after = _buffers()
    spans: dict[str, list[tuple[datetime, datetime, str, str | None]]] = defaultdict(list)
    for m in db.session.scalars(select(Meeting).where(Meeting.status == "Booked")):
        for resource in _resources(m.employee_id, m.additional_employee_ids, m.room_id):
            spans[resource].append((m.start_at, m.end_at, f"meeting {m.id}", m.id))
    holds = select(Reservation).where(
        Reservation.status == "Reserved", Reservation.expires_at > now
    )
    for r in db.session.scalars(holds):
        for resource in _resources(r.employee_id, r.additional_employee_ids, r.room_id):
            spans[resource].append((r.start_at, r.end_at, f"hold {r.id}", r.existing_meeting_id))
    found = []
    for resource, items in spans.items():
        for a, b in combinations(items, 2):
            moving = a[3] is not None and a[3] == b[3]  # a move hold may overlap its own meeting
            if a[0] - before < b[1] + after and b[0] - before < a[1] + after and not moving:
                found.append(f"{resource}: {a[2]} overlaps or is too close to {b[2]}")
    return found + _claim_overlaps(now)


def _buffers() -> tuple[timedelta, timedelta]:
    """The organisation's buffers before and after every commitment."""
    row = db.session.execute(
        select(
            OrganisationSettings.buffer_before_minutes, OrganisationSettings.buffer_after_minutes
        )
    ).first()
    before, after = (row[0] or 0, row[1] or 0) if row else (0, 0)
    return timedelta(minutes=before), timedelta(minutes=after)


def _resources(employee_id: str, extra: list[str] | None, room_id: str | None) -> list[str]:
    keys = [f"employee:{e}" for e in dict.fromkeys([employee_id, *(extra or [])])]
    return keys + ([f"room:{room_id}"] if room_id else [])


def _claim_overlaps(now: datetime) -> list[str]:
    """Live rows of `booking_claims` whose blocked spans overlap (the database makes it impossible)."""
    rows = db.session.execute(
        text(
            "SELECT a.id, b.id, a.resource FROM booking_claims a JOIN booking_claims b "
            "ON a.resource = b.resource AND a.id < b.id "
            "AND a.blocked_from < b.blocked_until AND b.blocked_from < a.blocked_until "
            "WHERE (a.expires_at IS NULL OR a.expires_at > :now) "
            "AND (b.expires_at IS NULL OR b.expires_at > :now)"
        ),
        {"now": now.replace(tzinfo=None) if db.engine.dialect.name == "sqlite" else now},
    )
    return [f"{res}: claims {a} and {b} overlap" for a, b, res in rows]
