"""Write transactions that serialise every writer touching the same advisors, rooms or hold token.

`write_transaction(keys)` is the only way the booking services write:

- PostgreSQL: one `pg_advisory_xact_lock` per key, taken in sorted order (so two writers can never
  wait on each other in a cycle), released by the database at commit or rollback.
- SQLite: the transaction starts with `BEGIN IMMEDIATE`, which takes the database's single write
  lock up front, so everything read inside the block is current until the commit. pysqlite would
  otherwise start a deferred transaction only at the first INSERT; the documented SQLAlchemy
  recipe (isolation_level=None on the DBAPI connection plus our own BEGIN in the `begin` event) is
  applied only to the transactions opened here, every other transaction keeps pysqlite's default.

Either way the database's own overlap guard on `booking_claims` stays the last word: an overlap
error (SQLSTATE 23P01, the SQLite trigger's `booking_claims_overlap`, or a unique violation on the
live-hold/one-meeting-per-reservation indexes) becomes `Conflict`, never a 500.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from app.booking.errors import Conflict
from app.extensions import db

_IMMEDIATE: contextvars.ContextVar[bool] = contextvars.ContextVar("bookme_immediate", default=False)
_TAKEN_OVER = "bookme_begin_immediate"
_OVERLAP_MARKERS = ("booking_claims_overlap", "ex_booking_claims_no_overlap")
_UNIQUE_MARKERS = ("uq_reservations_live_owner_token", "time_slot_id", "uq_meetings_time_slot_id")


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Connection) -> None:
    """SQLite: `BEGIN IMMEDIATE` inside `write_transaction`, pysqlite's own behaviour elsewhere."""
    if conn.dialect.name != "sqlite":
        return
    record = conn.connection
    dbapi = record.dbapi_connection
    if _IMMEDIATE.get():
        dbapi.isolation_level = None  # type: ignore[union-attr]
        record.info[_TAKEN_OVER] = True
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif record.info.pop(_TAKEN_OVER, False):
        dbapi.isolation_level = ""  # type: ignore[union-attr]  # back to pysqlite's default


def token_key(owner: str, token: str) -> str:
    """The lock key that serialises the reservations of one hold token of one owner."""
    return f"token:{owner}:{token}"


def owner_key(owner: str) -> str:
    """The lock key that serialises counting and adding one owner's live holds."""
    return f"owner:{owner}"


def lock_more(keys: Iterable[str]) -> None:
    """Inside `write_transaction`, lock further keys until the commit (PostgreSQL; SQLite holds all).

    Only for a key taken after every other lock and followed by nothing that waits on another
    writer's lock, so that no cycle can form (see `reserve`'s hold cap).
    """
    _advisory_locks(db.session.connection(), keys)


@contextmanager
def write_transaction(keys: Iterable[str]) -> Iterator[None]:
    """Run the block in one transaction holding the write locks for `keys`; commit, else roll back.

    Objects written in the block stay loaded after the commit (no reload to serialise them).
    """
    session = db.session()
    if session.in_transaction():
        session.commit()  # end the read transaction so the next BEGIN is ours
    reset = _IMMEDIATE.set(True)
    try:
        conn = session.connection()
    finally:
        _IMMEDIATE.reset(reset)
    try:
        _advisory_locks(conn, keys)
        yield
        _commit_keeping_state()
    except (IntegrityError, OperationalError) as exc:
        session.rollback()
        conflict = _as_conflict(exc)
        if conflict is None:
            raise
        raise conflict from exc
    except BaseException:
        session.rollback()
        raise


def _advisory_locks(conn: Connection, keys: Iterable[str]) -> None:
    """PostgreSQL: lock every key in sorted order, in one round trip (left-to-right evaluation)."""
    if conn.dialect.name != "postgresql":
        return
    ordered = sorted(set(keys))
    if not ordered:
        return
    calls = ", ".join(
        f"pg_advisory_xact_lock(hashtextextended(:k{i}, 0))" for i in range(len(ordered))
    )
    conn.execute(text(f"SELECT {calls}"), {f"k{i}": key for i, key in enumerate(ordered)})


def _commit_keeping_state() -> None:
    """Commit without expiring what the transaction just wrote (it is exactly what was committed)."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def _as_conflict(exc: IntegrityError | OperationalError) -> Conflict | None:
    """The domain meaning of a database refusal: overlaps and double use are conflicts."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    message = str(exc.orig)
    if sqlstate == "23P01" or any(m in message for m in _OVERLAP_MARKERS):
        return Conflict(
            "the time is taken, or too close to another booking, for this advisor or room"
        )
    if sqlstate == "23505" or (
        "UNIQUE constraint failed" in message or any(m in message for m in _UNIQUE_MARKERS)
    ):
        return Conflict("the reservation was changed by a concurrent request; try again")
    if sqlstate in ("40P01", "40001") or "database is locked" in message:
        return Conflict("the calendar is busy; try again")
    return None
