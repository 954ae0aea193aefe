"""Busy times and live claims of a window, loaded with epoch minutes: two integers per row instead
of two parsed, timezone-converted datetimes (a 30-day search of 200 advisors reads 13 000 claims).
PostgreSQL computes them in SQL; SQLite's stored text is converted once per distinct value."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, overload

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
from app.booking.facts import BusyFacts, ClaimRow
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


def minutes_from_text(rows: list[tuple[Any, ...]]) -> Sequence[tuple[Any, ...]]:
    """Rows whose 2nd and 3rd values are SQLite's stored naive-UTC text `YYYY-MM-DD
    HH:MM:SS.ffffff`, read with those as epoch minutes (start floored, end ceiled)."""
    return MinuteRows(rows) if rows else rows


class MinuteRows(Sequence[tuple[Any, ...]]):
    """`minutes_from_text` without building a list of converted rows: the rows are kept as columns,
    each distinct text is converted once (meetings share their start and end times), and every
    iteration zips the columns back with the minutes looked up, all in C loops. The minute is
    `YYYY-MM-DD HH:MM` alone, so no fraction is ever rounded."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._first, starts, ends, *self._rest = zip(*rows, strict=True)
        self._starts, self._ends = starts, ends
        self._floors = {text: _text_minute(text) for text in set(starts)}
        # seconds or a fraction into the minute: the next one
        self._ceils = {text: _text_minute(text) + (text[17:] > "00.000000") for text in set(ends)}

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return zip(
            self._first,
            map(self._floors.__getitem__, self._starts),
            map(self._ceils.__getitem__, self._ends),
            *self._rest,
            strict=True,
        )

    def __len__(self) -> int:
        return len(self._first)

    @overload
    def __getitem__(self, index: int) -> tuple[Any, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]: ...
    def __getitem__(self, index: int | slice) -> tuple[Any, ...] | list[tuple[Any, ...]]:
        if isinstance(index, slice):
            return list(self)[index]
        start, end = self._starts[index], self._ends[index]
        rest = (column[index] for column in self._rest)
        return (self._first[index], self._floors[start], self._ceils[end], *rest)


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


def fetch_rows(stmt: Select[Any]) -> Sequence[tuple[Any, ...]]:
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
) -> Sequence[ClaimRow]:
    """Live claims overlapping [lo, hi) with epoch-minute bounds (see `claims_statement`), as
    plain tuples in `ClaimFacts` order: building 13 000 named tuples costs more than reading them."""
    return fetch_rows(claims_statement(lo, hi, now, only, rooms))


def _dialect() -> str:
    """The session's database dialect name (`sqlite`, `postgresql`)."""
    return db.session.get_bind().dialect.name
