"""A database that cannot be reached answers 503 with `Retry-After`, never a 500 (issue 9, item 9).

The apps here point at real URLs that fail: PostgreSQL on a loopback port nobody listens on, and an
SQLite file in a folder that does not exist. The shared PostgreSQL server is never stopped.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import psycopg
import pytest
from flask import Flask

from app import create_app
from app.api.oauth import issue_token
from app.extensions import db
from app.unavailable import RETRY_AFTER_SECONDS
from tests.booking.conftest import make_bank

ALL = ("bookme.read", "bookme.book", "bookme.admin")


def refused_url() -> str:
    """A PostgreSQL URL on a loopback port that was free a moment ago (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgresql://postgres@127.0.0.1:{port}/bookme"


@pytest.fixture(params=["postgresql-refused", "sqlite-unopenable"])
def down_app(request, tmp_path, clock) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """The app pointed at a database that cannot be reached."""
    url = (
        refused_url()
        if request.param == "postgresql-refused"
        else f"sqlite:///{tmp_path}/no-such-folder/bookme.db"
    )
    app = create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,  # as in production: an error becomes an answer
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test-secret",
            "BOOKME_CLOCK": clock,
            "BOOKME_ISSUER": "http://localhost",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        yield app


@pytest.fixture
def down_headers(down_app, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": "Bearer " + issue_token("c1", ALL, now=clock.now)}


def assert_503(resp) -> dict:  # type: ignore[no-untyped-def]
    assert resp.status_code == 503, resp.get_data(as_text=True)[:300]
    assert resp.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert resp.is_json
    body = resp.json
    assert body["code"] == "SERVICE_UNAVAILABLE"
    assert body["requestId"] == resp.headers["X-Request-Id"]
    text_ = resp.get_data(as_text=True)
    for leak in ("Traceback", "psycopg", "sqlite", "OperationalError", "127.0.0.1"):
        assert leak not in text_
    return body


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/config/locations", None),
        ("GET", "/bookme/meetings", None),
        ("GET", "/bookme/meetings/m-1", None),
        (
            "POST",
            "/bookme/time-slots/reserve",
            {
                "token": "t1",
                "timeSlot": {
                    "startDate": "2030-01-07T10:00:00Z",
                    "endDate": "2030-01-07T11:00:00Z",
                    "employeeId": "e1",
                },
            },
        ),
    ],
)
def test_an_unreachable_database_is_a_503_with_retry_after(
    down_app, down_headers, method, path, body
):
    resp = down_app.test_client().open(path, method=method, json=body, headers=down_headers)
    assert_503(resp)


def test_an_unknown_api_path_is_still_a_404_without_the_database(down_app):
    resp = down_app.test_client().get("/bookme/no-such-thing")
    assert resp.status_code == 404 and resp.json["code"] == "NOT_FOUND"


@pytest.fixture
def pg_app(app, backend):  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        pytest.skip("terminating server connections is a PostgreSQL test")
    return app


def test_connections_the_server_dropped_are_replaced_without_an_error(pg_app, auth):
    """What a PostgreSQL restart does to pooled connections, done to this test's own database."""
    make_bank()
    db.session.commit()
    client, headers = pg_app.test_client(), auth(*ALL)
    assert client.get("/config/locations", headers=headers).status_code == 200
    db.session.remove()  # our connection back to the pool, where the server will drop it
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as other:  # not from the pool
        killed = other.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert killed is not None and killed[0] >= 1
    assert client.get("/config/locations", headers=headers).status_code == 200
