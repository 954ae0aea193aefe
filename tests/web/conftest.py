"""Page tests: the catalogues are compiled once, and every test gets the small bank of `data.py`."""

from __future__ import annotations

from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient

from app.i18n import compile_catalogues
from tests.web.data import World, build_world


class BrowserClient(FlaskClient):
    """A test client that behaves like a separate browser although tests share one app context.

    The `app` fixture keeps an app context open, so requests would share `flask.g`, where
    Flask-WTF caches the CSRF token of whichever session asked first, and Flask-Login the account.
    """

    def open(self, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def,override]
        g.pop("csrf_token", None)
        g.pop("_login_user", None)  # and Flask-Login the account it loaded
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@pytest.fixture
def world(app) -> World:  # type: ignore[no-untyped-def]
    app.test_client_class = BrowserClient
    return build_world()


@pytest.fixture
def client(app, world):  # type: ignore[no-untyped-def]
    return app.test_client()
