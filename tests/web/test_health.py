"""/healthz and /readyz: public, cheap, no personal data, no cookie; readiness fails, by check name,
when the database is unreachable or gone, when its schema is not at the migrations' head, and when
a configured Redis does not answer; the pages then answer 503 with Retry-After."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text

from app.config import PG_POOL_RECYCLE_SECONDS
from app.extensions import db
from app.unavailable import RETRY_AFTER_SECONDS
from tests.conftest import BACKENDS, PG_ADMIN_URL, migrate_database
from tests.web.health_helpers import app_for, free_port


def assert_not_ready(resp, *failed: str) -> None:  # type: ignore[no-untyped-def]
    assert resp.status_code == 503, resp.data
    assert resp.json["status"] == "unavailable"
    assert resp.json["failed"] == sorted(failed)
    for check in failed:
        assert resp.json["checks"][check] == "failed"
    body = resp.get_data(as_text=True)
    for leak in ("127.0.0.1", "psycopg", "sqlite", "Error", "0008", "0007", "bookme_"):
        assert leak not in body


def assert_page_503(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/book")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_healthz_answers_ok_without_a_cookie_or_a_cache(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json == {"status": "ok"}
    assert resp.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in resp.headers


def test_readyz_on_a_migrated_database_names_each_passing_check(client):
    resp = client.get("/readyz")
    assert resp.status_code == 200, resp.json
    assert resp.json == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "redis": "skipped"},
    }
    assert "Set-Cookie" not in resp.headers


@pytest.fixture
def stamped_behind(app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The database says it is one migration behind (restored after: PostgreSQL's test database
    is shared by the whole run)."""
    head = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    db.session.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    db.session.commit()
    yield
    db.session.rollback()
    db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    db.session.commit()


def test_readyz_fails_the_migrations_check_on_a_database_behind_the_head(client, stamped_behind):
    resp = client.get("/readyz")
    assert_not_ready(resp, "migrations")
    assert resp.json["checks"]["database"] == "ok"


def test_readyz_fails_the_migrations_check_on_a_database_never_migrated(tmp_path, clock):
    app = app_for(f"sqlite:///{tmp_path}/empty.db", clock)
    with app.app_context():
        resp = app.test_client().get("/readyz")
    assert_not_ready(resp, "migrations")
    assert resp.json["checks"]["database"] == "ok"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:{port}/bookme",
        "sqlite:///{tmp}/no-such-folder/bookme.db",
    ],
)
def test_an_unreachable_database_fails_readiness_and_the_pages_answer_503(url, tmp_path, clock):
    app = app_for(url.format(port=free_port(), tmp=tmp_path), clock)
    with app.app_context():
        client = app.test_client()
        assert_not_ready(client.get("/readyz"), "database", "migrations")
        assert client.get("/healthz").status_code == 200  # alive, just not ready
        assert_page_503(client)


@pytest.fixture
def doomed_postgres() -> Iterator[str]:
    """A migrated PostgreSQL database of its own, which the test drops."""
    if "postgresql" not in BACKENDS:
        pytest.skip("PostgreSQL is not reachable")
    name = f"bookme_doomed_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    migrate_database(url)
    yield url
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_postgres_database_that_goes_away_fails_readiness(doomed_postgres, clock):
    app = app_for(doomed_postgres, clock)
    with app.app_context():
        client = app.test_client()
        assert client.get("/readyz").status_code == 200  # a pooled connection is now open
        name = doomed_postgres.rsplit("/", 1)[1]
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        assert_not_ready(client.get("/readyz"), "database", "migrations")
        assert_page_503(client)
        db.engine.dispose()


def test_postgres_connections_are_checked_before_use_and_recycled(clock):
    app = app_for(f"postgresql://postgres@127.0.0.1:{free_port()}/bookme", clock)
    with app.app_context():
        pool = db.engine.pool
        assert pool._pre_ping is True  # noqa: SLF001 - the pool keeps its options private
        assert pool._recycle == PG_POOL_RECYCLE_SECONDS  # noqa: SLF001


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("reachable", [True, False])
def test_readyz_pings_redis_when_the_rate_limits_are_counted_there(database_url, clock, reachable):
    if reachable and not _redis_reachable():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    port = 6379 if reachable else free_port()
    app = app_for(
        database_url,
        clock,
        BOOKME_RATELIMIT_STORAGE=f"redis://127.0.0.1:{port}/0",
        BOOKME_RATELIMIT_KEY_PREFIX=f"bookme-test-{uuid.uuid4().hex[:8]}",
    )
    with app.app_context():
        resp = app.test_client().get("/readyz")
        db.engine.dispose()
    if reachable:
        assert resp.status_code == 200, resp.json
        assert resp.json["checks"]["redis"] == "ok"
    else:
        assert_not_ready(resp, "redis")


def test_probes_are_never_rate_limited(database_url, clock):
    app = app_for(database_url, clock, RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
    with app.app_context():
        client = app.test_client()
        answers = [client.get(path).status_code for path in ("/healthz", "/readyz") * 4]
        limited = [client.get("/language/en").status_code for _ in range(4)]
        db.engine.dispose()
    assert set(answers) == {200}
    assert 429 in limited  # the default limit does apply to other routes
