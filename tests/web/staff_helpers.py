"""Staff accounts and sign-in for the page tests."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.testing import FlaskClient

from app.configuration.accounts import create_staff_user
from tests.web.helpers import csrf_from

PASSWORD = "correct horse battery"
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def make_staff(email: str, *, employee_id: str | None = None, admin: bool = False):  # type: ignore[no-untyped-def]
    """A staff account with `PASSWORD`."""
    return create_staff_user(email, PASSWORD, now=NOW, employee_id=employee_id, admin=admin)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **environ: str):  # type: ignore[no-untyped-def]
    """Open /login and send the form (the CSRF token taken from the page)."""
    page = client.get("/login", environ_base=environ).get_data(as_text=True)
    data = {"email": email, "password": password, "csrf_token": csrf_from(page)}
    return client.post("/login", data=data, environ_base=environ)


def sign_out(client: FlaskClient):  # type: ignore[no-untyped-def]
    """Press "Sign out" on the landing page."""
    page = client.get("/staff").get_data(as_text=True)
    return client.post("/logout", data={"csrf_token": csrf_from(page)})
