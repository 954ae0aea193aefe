"""API test helpers: tokens minted with the app's own key, and headers that carry them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from app import clock as app_clock
from tests import factories

ALL_SCOPES = ("bookme.read", "bookme.book", "bookme.admin")


@pytest.fixture
def make_token(app: Flask) -> Callable[..., str]:
    """`make_token("bookme.read", client_id="c1")`: a valid access token with those scopes."""

    def make(*scopes: str, client_id: str = "test-client", lifetime: int | None = None) -> str:
        return factories.token(client_id, scopes, now=app_clock.now(), lifetime=lifetime)

    return make


@pytest.fixture
def auth(make_token: Callable[..., str]) -> Callable[..., dict[str, str]]:
    """`auth("bookme.read")`: request headers with a bearer token carrying those scopes."""

    def headers(*scopes: str, client_id: str = "test-client") -> dict[str, str]:
        return {"Authorization": "Bearer " + make_token(*scopes, client_id=client_id)}

    return headers


@pytest.fixture
def read_headers(auth: Callable[..., dict[str, str]]) -> dict[str, str]:
    """Headers of a client holding `bookme.read`."""
    return auth("bookme.read")


@pytest.fixture
def nodb_app(clock) -> Flask:  # type: ignore[no-untyped-def]
    """An app for tests that never touch the database (token checks, parsing, documents) but the
    API clients' table, where every bearer token's client is checked for revocation."""
    from app import create_app

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "test-secret",
            "BOOKME_CLOCK": clock,
            "BOOKME_ISSUER": "http://localhost",
        }
    )
    with app.app_context():
        from app.extensions import db
        from app.models import ApiClient

        ApiClient.__table__.create(db.engine)  # type: ignore[attr-defined]
        yield app
