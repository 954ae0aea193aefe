"""Shared fixtures: every test that touches the database runs on SQLite and, when reachable, PostgreSQL.

Each run creates its own PostgreSQL database (`bookme_test_<random>`) and drops it at the end; SQLite
tests each get a copy of a freshly migrated file. Time comes from `clock`, never the system.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests import routing_cache, template_cache

# Every test builds an app: compile each URL rule's builder and each template once per run.
routing_cache.install()
template_cache.install()

PG_ADMIN_URL = os.environ.get(
    "BOOKME_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = os.environ.get("BOOKME_REQUIRE_POSTGRES") == "1"


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


BACKENDS = ["sqlite"] + (["postgresql"] if REQUIRE_PG or _postgres_reachable() else [])


class FakeClock:
    """A settable clock: `clock.now`, `clock.set(dt)`, `clock.advance(minutes=5)`."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, value: datetime) -> None:
        self.now = value

    def advance(self, **kwargs: float) -> None:
        self.now = self.now + timedelta(**kwargs)


def migrate_database(url: str) -> None:
    """Run the migrations to head on `url`."""
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A freshly migrated SQLite file that each test copies."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    migrate_database(f"sqlite:///{path}")
    return str(path)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A PostgreSQL database created for this run, migrated once, dropped at the end."""
    import psycopg

    name = f"bookme_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except Exception as exc:  # pragma: no cover - only when CI lost its database
        pytest.fail(f"PostgreSQL is required but not reachable at {PG_ADMIN_URL}: {exc}")
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    migrate_database(url)
    yield url
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database this test runs on."""
    return str(request.param)


@pytest.fixture
def database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: os.PathLike[str]
) -> Iterator[str]:
    """A clean, migrated database for one test."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = os.path.join(tmp_path, "bookme.db")
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_database")
    yield url
    _empty_postgres(url)


_USED_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'alembic_version'
"""


def _empty_postgres(url: str) -> None:
    """Empty every table a test wrote to and restart the sequences, as `TRUNCATE ... RESTART
    IDENTITY` of all tables would, at a fraction of its cost: truncating some 40 tables replaces
    their files and took most of a PostgreSQL test's time, while a test writes to a few tables.

    The DELETEs run with triggers and foreign-key checks off (`session_replication_role`), so
    the append-only audit table empties too and the order does not matter: every table that
    holds a row is emptied, so no reference is left dangling."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(_USED_TABLES)]
        probe = " UNION ALL ".join(
            f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables
        )
        used = [row[0] for row in conn.execute(probe)] if tables else []
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
            for table in used:
                conn.execute(f'DELETE FROM "{table}"')
        sequences = conn.execute(
            "SELECT schemaname || '.' || sequencename, start_value FROM pg_sequences "
            "WHERE schemaname = 'public' AND last_value IS NOT NULL"
        ).fetchall()
        for sequence, first in sequences:
            conn.execute("SELECT setval(%s, %s, false)", (sequence, first))


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Staff passwords hash with Argon2's smallest parameters in tests (production: RFC 9106's
    low-memory profile), so signing in costs milliseconds, not a tenth of a second."""
    from argon2 import PasswordHasher

    from app.staff import passwords

    monkeypatch.setattr(
        passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def clock() -> FakeClock:
    """Monday 2026-03-02 07:00 UTC (08:00 in Copenhagen) unless a test moves it."""
    return FakeClock(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))


@pytest.fixture
def app(database_url: str, clock: FakeClock) -> Iterator[Flask]:
    """The app on a clean database, with the fake clock."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "BOOKME_CLOCK": clock,
            "BOOKME_ISSUER": "http://localhost",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses the database with `db`, so `-m db` selects them."""
    for item in items:
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture
def db_session(app: Flask):  # type: ignore[no-untyped-def]
    """The SQLAlchemy session of the test's app."""
    return db.session


def execute(sql: str) -> list[tuple]:  # helper for tests that scan the database directly
    return [tuple(r) for r in db.session.execute(text(sql))]


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    """A real OpenID provider on loopback (tests/oidc): its issuer URL. Skips without node/npm."""
    from tests.oidc import server

    try:
        with server.running() as issuer:
            yield issuer
    except server.Unavailable as missing:
        pytest.skip(str(missing))
