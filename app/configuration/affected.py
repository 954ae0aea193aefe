"""Booked meetings a configuration change would leave outside the rules. Reads only.

The admin pages list them before saving and ask for an explicit confirmation; nothing here (or
anywhere in configuration) moves or cancels a meeting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from app.extensions import db
from app.i18n import org_zone
from app.models import Employee, Meeting, Topic


@dataclass(frozen=True)
class AffectedMeeting:
    """A booked meeting named by its time, advisor and topic (no customer data)."""

    id: str
    start_at: datetime
    end_at: datetime
    advisor: str
    topic: str
    meeting_type: str


def _upcoming(now: datetime) -> Select[Meeting]:
    return (
        select(Meeting)
        .where(Meeting.status == "Booked", Meeting.end_at > now)
        .order_by(Meeting.start_at, Meeting.id)
    )


def _describe(meetings: Iterable[Meeting]) -> list[AffectedMeeting]:
    """Name each meeting's advisor and topic in two queries."""
    rows = list(meetings)
    advisors = {e.id: e.display_name for e in _by_ids(Employee, {m.employee_id for m in rows})}
    topics = {t.id: t.name for t in _by_ids(Topic, {m.topic_id for m in rows if m.topic_id})}
    return [
        AffectedMeeting(
            m.id,
            m.start_at,
            m.end_at,
            advisors.get(m.employee_id, ""),
            topics.get(m.topic_id or "", ""),
            m.meeting_type,
        )
        for m in rows
    ]


def _by_ids(model: Any, ids: set[str]) -> list[Any]:
    return list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []


def in_room(room_id: str, *, now: datetime) -> list[AffectedMeeting]:
    """Upcoming booked meetings in a room (when it stops being bookable)."""
    return _describe(db.session.scalars(_upcoming(now).where(Meeting.room_id == room_id)))


def on_days(days: Iterable[date], *, now: datetime) -> list[AffectedMeeting]:
    """Upcoming booked meetings on any of these local days (when they become closing days)."""
    wanted = set(days)
    if not wanted:
        return []
    zone = org_zone()
    start = datetime.combine(min(wanted), time(0), zone)
    end = datetime.combine(max(wanted) + timedelta(days=1), time(0), zone)
    query = _upcoming(now).where(Meeting.start_at < end, Meeting.end_at > start)
    hits = [m for m in db.session.scalars(query) if _local_days(m, zone) & wanted]
    return _describe(hits)


def _local_days(meeting: Meeting, zone: ZoneInfo) -> set[date]:
    first = meeting.start_at.astimezone(zone).date()
    last = (meeting.end_at - timedelta(microseconds=1)).astimezone(zone).date()
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def outside_hours(opening: time, closing: time, *, now: datetime) -> list[AffectedMeeting]:
    """Upcoming booked meetings that start before `opening` or end after `closing` (local)."""
    zone = org_zone()
    hits = []
    for m in db.session.scalars(_upcoming(now)):
        start, end = m.start_at.astimezone(zone), m.end_at.astimezone(zone)
        ends_late = end.date() > start.date() or end.time() > closing
        if start.time() < opening or ends_late:
            hits.append(m)
    return _describe(hits)


def without_meeting_types(
    topic_id: str, kept: Iterable[str], *, now: datetime
) -> list[AffectedMeeting]:
    """Upcoming booked meetings of a topic whose meeting type the topic would no longer offer."""
    query = _upcoming(now).where(Meeting.topic_id == topic_id)
    kept_types = set(kept)
    return _describe(m for m in db.session.scalars(query) if m.meeting_type not in kept_types)
