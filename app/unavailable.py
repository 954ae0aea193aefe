"""A database that cannot be reached: which errors mean that, and how long callers should wait.

The API answers them with 503, `Retry-After` and the JSON error body (`app.api.errors`), the pages
with a branded 503 (`app.wizard.errors`). Booking conflicts are not among them: the write
transactions (`app.booking.locking`) turn overlaps, deadlocks and a busy SQLite into `Conflict`
before anything reaches a handler.
"""

from __future__ import annotations

import logging
import sqlite3

from flask import g, request
from sqlalchemy import exc as sa

log = logging.getLogger("app.unavailable")

RETRY_AFTER_SECONDS = 30
# PostgreSQL: connection exceptions (class 08), the server shutting down, crashed or starting up
# (57P01-57P03), too many connections (53300). psycopg gives no SQLSTATE when it cannot connect.
_PG_STATES = ("08", "57P01", "57P02", "57P03", "53300")
_SQLITE_CODES = {
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_CANTOPEN,
}


def is_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` means the database cannot be reached or used just now (not a bad query)."""
    if isinstance(exc, sa.TimeoutError):  # every pooled connection busy for pool_timeout
        return True
    if not isinstance(exc, sa.DBAPIError):
        return False
    orig = exc.orig
    if exc.connection_invalidated:
        return True
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return isinstance(exc, sa.OperationalError) and (code or 0) & 0xFF in _SQLITE_CODES
    if isinstance(exc, sa.InterfaceError):  # psycopg: the connection is closed or broken
        return True
    if not isinstance(exc, sa.OperationalError):
        return False
    state = getattr(orig, "sqlstate", None)
    if state is None:  # psycopg's own error: unreachable only when no statement got under way
        return exc.statement is None
    return str(state).startswith(_PG_STATES)


def mark_unavailable() -> None:
    """Remember for this request that the database is down, so error pages do not ask it again."""
    g.database_unavailable = True


def database_usable() -> bool:
    """False once this request found the database unreachable."""
    return not g.get("database_unavailable", False)


def log_unavailable(exc: BaseException | None, request_id: str) -> None:
    """One warning per refused request: the route pattern and the driver's error class only
    (never the statement, its parameters or the path, which may hold a private link)."""
    log.disabled = False  # Alembic's fileConfig() disables loggers that exist when it runs
    log.warning(
        "database unavailable request_id=%s %s %s: %s",
        request_id,
        request.method,
        request.url_rule.rule if request.url_rule else "(no route)",
        type(getattr(exc, "orig", None) or exc).__name__,
    )
