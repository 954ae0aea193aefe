"""Busy times and live claims of a window, loaded with epoch minutes: two integers per row instead
of two parsed, timezone-converted datetimes (a 30-day search of 200 advisors reads 13 000 claims).
PostgreSQL computes them in SQL; SQLite's stored text is converted once per distinct value."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    FromClause,
    Select,
    cast,
    extract,
    func,
    null,
    or_,
    select,
)

from app.booking.claims import employee_resource, room_resource
from app.booking.facts import BusyFacts, ClaimFacts
from app.extensions import db
from app.models import BookingClaim, BusyTime

Sql = ColumnElement[Any]


def epoch_minutes(table: FromClause, dialect: str) -> tuple[Sql, Sql]:
    """The columns to select for `start_at` and `end_at`: on PostgreSQL whole minutes since
    1970-01-01 UTC computed in SQL (`extract` gives exact numeric seconds), the start floored and
    the end ceiled; on SQLite the stored text itself, converted by `minutes_from_text`."""
    start, end = table.c.start_at, table.c.end_at
    if dialect == "sqlite":  # raw text: `fetch_rows` skips the column type's datetime parsing
        return start.label("start"), end.label("end")
    return (
        cast(func.floor(extract("epoch", start) / 60), BigInteger).label("start"),
        cast(func.ceil(extract("epoch", end) / 60), BigInteger).label("end"),
    )


def minutes_from_text(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows whose 2nd and 3rd values are SQLite's stored naive-UTC text `YYYY-MM-DD
    HH:MM:SS.ffffff`, with those as epoch minutes (start floored, end ceiled).

    Each distinct text is converted once (meetings share their start and end times); the
    minute is `YYYY-MM-DD HH:MM` alone, so no fraction is ever rounded.
    """
    floors: dict[str, int] = {}
    ceils: dict[str, int] = {}
    out: list[tuple[Any, ...]] = []
    append = out.append
    for row in rows:
        start, end = row[1], row[2]
        lo = floors.get(start)
        if lo is None:
            lo = floors[start] = _text_minute(start)
        hi = ceils.get(end)
        if hi is None:  # seconds or a fraction into the minute: the next one
            hi = ceils[end] = _text_minute(end) + (end[17:] > "00.000000")
        append((row[0], lo, hi, *row[3:]))
    return out


def _text_minute(text: str) -> int:
    return int(datetime.fromisoformat(text[:16]).replace(tzinfo=UTC).timestamp()) // 60


def busy_statement(lo: datetime, hi: datetime, only: tuple[str, ...] | None) -> Select[Any]:
    """Busy times overlapping [lo, hi) as `BusyFacts` rows (of these advisors when given)."""
    b = BusyTime.__table__.c
    start, end = epoch_minutes(BusyTime.__table__, _dialect())
    stmt = select(b.employee_id, start, end, b.kind).where(b.start_at < hi, b.end_at > lo)
    if only is not None:
        stmt = stmt.where(b.employee_id.in_(only))
    return stmt


def claims_statement(
    lo: datetime,
    hi: datetime,
    now: datetime,
    only: tuple[str, ...] | None,
    rooms: tuple[str, ...] = (),
) -> Select[Any]:
    """Live claims (meetings, unexpired holds) overlapping [lo, hi) as `ClaimFacts` rows: of these
    advisors and of every room (of these `rooms` when named) when `only` is given. The expiry is
    left out (None): the query already keeps only the claims live at `now`."""
    c = BookingClaim.__table__.c
    start, end = epoch_minutes(BookingClaim.__table__, _dialect())
    live = null().label("expires_at")
    stmt = select(c.resource, start, end, c.meeting_id, c.reservation_id, live).where(
        c.start_at < hi, c.end_at > lo, or_(c.expires_at.is_(None), c.expires_at > now)
    )
    if only is not None:
        mine = [employee_resource(e) for e in only]
        if rooms:
            stmt = stmt.where(c.resource.in_(mine + [room_resource(r) for r in rooms]))
        else:
            stmt = stmt.where(or_(c.resource.in_(mine), c.resource.like("room:%")))
    return stmt


def fetch_raw(stmt: Select[Any]) -> list[tuple[Any, ...]]:
    """The driver's own row tuples (ints and strs): SQLAlchemy's `Row` objects and result
    processing cost more than the query itself. On SQLite the instants are still text."""
    result = db.session.execute(stmt)
    try:
        return list(result.cursor.fetchall())  # type: ignore[attr-defined]
    finally:
        result.close()


def fetch_rows(stmt: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of a busy or claims statement with epoch-minute bounds."""
    rows = fetch_raw(stmt)
    return minutes_from_text(rows) if _dialect() == "sqlite" else rows


def load_busy(lo: datetime, hi: datetime, only: tuple[str, ...] | None) -> tuple[BusyFacts, ...]:
    """Busy times overlapping [lo, hi) with epoch-minute bounds (of these advisors when given)."""
    return tuple(map(BusyFacts._make, fetch_rows(busy_statement(lo, hi, only))))


def load_claims(
    lo: datetime,
    hi: datetime,
    now: datetime,
    only: tuple[str, ...] | None,
    rooms: tuple[str, ...] = (),
) -> tuple[ClaimFacts, ...]:
    """Live claims overlapping [lo, hi) with epoch-minute bounds (see `claims_statement`)."""
    stmt = claims_statement(lo, hi, now, only, rooms)
    return tuple(map(ClaimFacts._make, fetch_rows(stmt)))


def _dialect() -> str:
    """The session's database dialect name (`sqlite`, `postgresql`)."""
    return db.session.get_bind().dialect.name
