"""Which database errors mean "cannot reach the database" (503) and which are a failed statement."""

from __future__ import annotations

import psycopg
from sqlalchemy import exc as sa

from app.unavailable import is_unavailable


def _operational(orig: Exception, statement: str | None) -> sa.OperationalError:
    return sa.OperationalError(statement, {}, orig)


def test_failing_to_connect_to_postgresql_is_unavailable():
    refused = psycopg.OperationalError("connection failed: Connection refused")
    assert is_unavailable(_operational(refused, None))


def test_a_statement_the_driver_refuses_itself_is_not_an_outage():
    """psycopg's own errors carry no SQLSTATE; with a statement under way and the connection
    intact, they are a bad request of ours, not a database that is down."""
    refused = psycopg.OperationalError("number of parameters must be between 0 and 65535")
    assert not is_unavailable(_operational(refused, "SELECT 1"))


def test_a_connection_lost_during_a_statement_is_unavailable():
    lost = _operational(psycopg.OperationalError("server closed the connection"), "SELECT 1")
    lost.connection_invalidated = True
    assert is_unavailable(lost)
