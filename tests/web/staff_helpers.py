"""Staff accounts and sign-in for the page tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from app.configuration.accounts import create_staff_user
from tests.web.helpers import csrf_from

PASSWORD = "correct horse battery"
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


SECRETS: dict[str, str] = {}  # e-mail -> TOTP secret of the accounts made with a second factor


def make_staff(  # type: ignore[no-untyped-def]
    email: str, *, employee_id: str | None = None, admin: bool = False, mfa: bool | None = None
):
    """A staff account with `PASSWORD`; an admin has a second factor unless `mfa=False`."""
    user = create_staff_user(email, PASSWORD, now=NOW, employee_id=employee_id, admin=admin)
    if admin if mfa is None else mfa:
        from app.staff import mfa as second_factor

        secret = second_factor.new_secret()
        second_factor.start_enrolment(user, secret)
        code = second_factor.totp(secret).at(NOW - timedelta(minutes=1))
        second_factor.confirm_enrolment(user, code, now=NOW - timedelta(minutes=1))
        SECRETS[user.email] = secret
    return user


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **environ: str):  # type: ignore[no-untyped-def]
    """Open /login and send the form (the CSRF token taken from the page)."""
    page = client.get("/login", environ_base=environ).get_data(as_text=True)
    data = {"email": email, "password": password, "csrf_token": csrf_from(page)}
    response = client.post("/login", data=data, environ_base=environ)
    secret = SECRETS.get(email.strip().lower())
    if response.status_code != 302 or not response.location.startswith("/login/code") or not secret:
        return response
    from app import clock
    from app.staff import mfa as second_factor

    page = client.get(response.location, environ_base=environ).get_data(as_text=True)
    code = second_factor.totp(secret).at(clock.now())
    data = {"code": code, "csrf_token": csrf_from(page)}
    return client.post(response.location, data=data, environ_base=environ)


def sign_out(client: FlaskClient):  # type: ignore[no-untyped-def]
    """Press "Sign out" on the landing page."""
    page = client.get("/staff").get_data(as_text=True)
    return client.post("/logout", data={"csrf_token": csrf_from(page)})
