"""Migration 0004 gives existing reservations their owner and keeps every claim (both databases)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.extensions import db
from tests import factories
from tests.conftest import PG_ADMIN_URL

START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def empty_url(backend: str, tmp_path: os.PathLike[str]) -> Iterator[str]:
    """A database with no tables yet, on this test's backend."""
    if backend == "sqlite":
        yield f"sqlite:///{os.path.join(tmp_path, 'migrate.db')}"
        return
    import psycopg

    name = f"bookme_mig_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _stored(instant: datetime) -> datetime:
    """An instant as the app stores it (`UTCDateTime`: naive UTC text on SQLite)."""
    return instant.replace(tzinfo=None) if db.engine.dialect.name == "sqlite" else instant


def _insert_hold(token: str, client_id: str | None, employee_id: str) -> str:
    ident = str(uuid.uuid4())
    db.session.execute(
        text(
            "INSERT INTO reservations (id, token, start_at, end_at, employee_id, "
            "additional_employee_ids, status, created_at, modified_at, expires_at, client_id) "
            "VALUES (:id, :token, :start, :end, :emp, '[]', 'Reserved', :start, :start, :exp, "
            ":client)"
        ),
        {
            "id": ident,
            "token": token,
            "start": _stored(START),
            "end": _stored(START + timedelta(hours=1)),
            "emp": employee_id,
            "exp": _stored(START + timedelta(days=3650)),
            "client": client_id,
        },
    )
    db.session.execute(
        text(
            "INSERT INTO booking_claims (resource, start_at, end_at, expires_at, reservation_id) "
            "VALUES (:res, :start, :end, :exp, :id)"
        ),
        {
            "res": f"employee:{employee_id}:{token}",
            "start": _stored(START),
            "end": _stored(START + timedelta(hours=1)),
            "exp": _stored(START + timedelta(days=3650)),
            "id": ident,
        },
    )
    return ident


def _owners() -> dict[str, str]:
    rows = list(db.session.execute(text("SELECT token, owner FROM reservations")))
    db.session.commit()  # the migrations need the tables unlocked (PostgreSQL)
    return {token: owner for token, owner in rows}


def _claims() -> int:
    count = int(db.session.scalar(text("SELECT count(*) FROM booking_claims")) or 0)
    db.session.commit()
    return count


def test_existing_holds_get_their_owner_and_keep_their_claims(empty_url, clock):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": empty_url,
            "SECRET_KEY": "x",
            "BOOKME_AUDIT": False,
        }
    )
    with app.app_context():
        upgrade(revision="0002")
        advisor = factories.employee(factories.location("Branch-North", ["Copenhagen"]))
        db.session.commit()
        _insert_hold("api-token", "bank-web", advisor.id)
        _insert_hold("browser-token", None, advisor.id)
        db.session.commit()
        upgrade(revision="0004")
        assert _owners() == {
            "api-token": "client:bank-web",
            "browser-token": "wizard:browser-token",
        }
        assert _claims() == 2
        db.session.remove()
        indexes = {
            i["name"]: i["column_names"] for i in inspect(db.engine).get_indexes("reservations")
        }
        assert indexes["uq_reservations_live_owner_token"] == ["owner", "token"]
        assert "uq_reservations_live_token" not in indexes
        downgrade(revision="0002")
        assert "owner" not in {c["name"] for c in inspect(db.engine).get_columns("reservations")}
        assert _claims() == 2
        db.session.remove()
        db.engine.dispose()
