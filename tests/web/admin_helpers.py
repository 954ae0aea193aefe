"""An admin signed in (with the second factor) for the admin page tests, and form helpers."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.web.helpers import csrf_from
from tests.web.staff_helpers import make_staff, sign_in

ADMIN = "boss@nordbank.example"


def admin_client(app: Flask) -> FlaskClient:
    """A browser signed in as an admin with two-step sign-in."""
    make_staff(ADMIN, admin=True)
    client = app.test_client()
    assert sign_in(client, ADMIN).status_code == 302
    return client


def post_form(client: FlaskClient, page: str, action: str, data: dict[str, Any]) -> Any:
    """Open `page`, then post `data` with its CSRF token to `action`."""
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(action, data={**data, "csrf_token": token})
