"""Staff sign-in: one answer for any wrong pair, a new session at sign-in, sign-out by POST,
idle and absolute lifetimes on the injected clock, disabled accounts, old hashes upgraded."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import User
from app.staff import passwords
from tests.web.helpers import csrf_from, hold, open_times, session_cookie, session_of
from tests.web.staff_helpers import PASSWORD, make_staff, sign_in, sign_out


@pytest.fixture
def anna_account(world):  # type: ignore[no-untyped-def]
    return make_staff("anna@nordbank.example", employee_id=world.anna.id)


def _without_token(html: str, email: str = "") -> str:
    """The page without its CSRF tokens (signed, so different for every session) and without
    the e-mail typed, which the form keeps."""
    html = html.replace(f'value="{email}"', 'value="EMAIL"') if email else html
    return re.sub(r"[\w-]{20,}\.[\w-]+\.[\w-]{20,}", "TOKEN", html)


def test_the_login_page_asks_for_email_and_password_with_a_csrf_token(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="username"' in html and 'type="password"' in html
    assert csrf_from(html)


def test_the_right_password_signs_in_and_the_landing_page_says_who_and_as_what(
    client, anna_account
):
    response = sign_in(client, "Anna@Nordbank.example")
    assert response.status_code == 302 and response.location == "/staff"
    html = client.get("/staff").get_data(as_text=True)
    assert "anna@nordbank.example" in html and "Anna Andersen" in html
    assert "My meetings" in html and "Configuration" not in html
    assert 'action="/logout"' in html


def test_an_admin_sees_the_configuration_placeholder(client, world):
    make_staff("root@nordbank.example", admin=True)
    sign_in(client, "root@nordbank.example")
    html = client.get("/staff").get_data(as_text=True)
    assert "Administrator" in html and "Configuration" in html and "My meetings" not in html


def test_a_wrong_password_and_an_unknown_email_get_the_identical_answer(
    app, client, anna_account, monkeypatch
):
    checks: list[str] = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            checks.append(str(hash))
            return super().verify(hash, password)

    monkeypatch.setattr(
        passwords, "HASHER", CountingHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    wrong = sign_in(client, "anna@nordbank.example", "not the password")
    unknown = sign_in(app.test_client(), "nobody@nordbank.example", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert _without_token(wrong.get_data(as_text=True), "anna@nordbank.example") == (
        _without_token(unknown.get_data(as_text=True), "nobody@nordbank.example")
    )
    assert "The e-mail or password is not right" in wrong.get_data(as_text=True)
    assert len(checks) == 2, "the unknown e-mail costs an Argon2 check too"
    assert "not the password" not in wrong.get_data(as_text=True)


def test_missing_fields_are_named_next_to_them(client):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"email": "", "csrf_token": csrf_from(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="email-error"' in html and 'id="password-error"' in html


def test_a_sign_in_without_its_csrf_token_is_refused_with_a_fresh_form(client, anna_account):
    response = client.post("/login", data={"email": "anna@nordbank.example", "password": PASSWORD})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The form had expired. Please sign in again." in html and csrf_from(html)
    assert client.get("/staff").status_code == 302


def test_signing_in_renews_the_session_and_drops_what_was_there_before(
    app, client, world, anna_account
):
    hold(client, world, open_times(client, world))  # the wizard's draft and token
    client.get("/language/da")
    before = session_of(app, client)
    cookie_before = client.get_cookie(session_cookie(app)).value
    assert {"draft", "token", "csrf_token"} <= set(before)
    sign_in(client, "anna@nordbank.example")
    after = session_of(app, client)
    assert client.get_cookie(session_cookie(app)).value != cookie_before
    assert "draft" not in after and "token" not in after
    assert after.get("csrf_token") != before["csrf_token"]
    assert after["lang"] == "da", "the language choice is kept"
    assert after["_user_id"] == anna_account.id and after["staff_sid"]


def test_each_sign_in_gets_its_own_session_id(app, client, anna_account):
    sign_in(client, "anna@nordbank.example")
    first = session_of(app, client)["staff_sid"]
    sign_out(client)
    sign_in(client, "anna@nordbank.example")
    assert session_of(app, client)["staff_sid"] != first


def test_sign_out_is_a_post_only_and_clears_the_session(app, client, anna_account):
    sign_in(client, "anna@nordbank.example")
    assert client.get("/logout").status_code == 405
    assert client.get("/staff").status_code == 200
    response = sign_out(client)
    assert response.status_code == 302 and response.location.startswith("/login")
    cookie = client.get_cookie(session_cookie(app))
    assert cookie is None or "_user_id" not in session_of(app, client)
    assert client.get("/staff").status_code == 302
    assert "You are signed out" in client.get(response.location).get_data(as_text=True)


def test_sign_out_without_its_csrf_token_signs_nobody_out(client, anna_account):
    sign_in(client, "anna@nordbank.example")
    response = client.post("/logout")
    assert response.status_code == 302 and response.location == "/staff"
    assert client.get("/staff").status_code == 200


def test_a_session_idle_for_the_idle_timeout_goes_back_to_login(client, clock, anna_account):
    sign_in(client, "anna@nordbank.example")
    clock.advance(minutes=29)
    assert client.get("/staff").status_code == 200  # activity restarts the idle count
    clock.advance(minutes=29)
    assert client.get("/staff").status_code == 200
    clock.advance(minutes=30)
    response = client.get("/staff")
    assert response.status_code == 302 and response.location.startswith("/login")
    html = client.get(response.location).get_data(as_text=True)
    assert "without activity" in html


def test_the_idle_timeout_is_configurable(app, client, clock, anna_account):
    app.config["BOOKME_STAFF_IDLE_MINUTES"] = 5
    sign_in(client, "anna@nordbank.example")
    clock.advance(minutes=5)
    assert client.get("/staff").status_code == 302


def test_an_active_session_still_ends_at_its_absolute_lifetime(client, clock, anna_account):
    sign_in(client, "anna@nordbank.example")
    for _ in range(11 * 3 + 2):  # active every 20 minutes for 11 h 40 min
        clock.advance(minutes=20)
        assert client.get("/staff").status_code == 200
    clock.advance(minutes=20)
    response = client.get("/staff")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert "Your session has ended" in client.get(response.location).get_data(as_text=True)


def test_a_disabled_account_cannot_sign_in_and_gets_the_same_answer(app, client, clock, world):
    user = make_staff("gone@nordbank.example")
    user.disabled_at = clock.now
    db.session.commit()
    response = sign_in(client, "gone@nordbank.example")
    unknown = sign_in(app.test_client(), "nobody@nordbank.example", PASSWORD)
    assert _without_token(response.get_data(as_text=True), "gone@nordbank.example") == (
        _without_token(unknown.get_data(as_text=True), "nobody@nordbank.example")
    )
    assert client.get("/staff").status_code == 302


def test_disabling_an_account_ends_its_open_session(client, clock, anna_account):
    sign_in(client, "anna@nordbank.example")
    anna_account.disabled_at = clock.now
    db.session.commit()
    assert client.get("/staff").status_code == 302


def test_an_old_werkzeug_hash_signs_in_once_and_is_replaced_by_argon2(client, world):
    user = make_staff("old@nordbank.example")
    user.password_hash = generate_password_hash(PASSWORD)
    db.session.commit()
    assert sign_in(client, "old@nordbank.example").status_code == 302
    db.session.expire_all()
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("$argon2id$") and passwords.verify(stored, PASSWORD).ok


def test_after_sign_in_only_a_staff_path_is_followed(client, anna_account):
    page = client.get("/login?next=/staff").get_data(as_text=True)
    data = {"email": "anna@nordbank.example", "password": PASSWORD, "csrf_token": csrf_from(page)}
    assert client.post("/login?next=//evil.example/staff", data=data).location == "/staff"


def test_the_pages_speak_danish(client, anna_account):
    client.get("/language/da")
    assert "Log ind" in client.get("/login").get_data(as_text=True)
    sign_in(client, "anna@nordbank.example")
    html = client.get("/staff").get_data(as_text=True)
    assert "Log ud" in html and "Rådgiver" in html


def test_the_staff_pages_carry_the_strict_csp(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_the_lifetimes_and_limits_come_from_the_environment(monkeypatch):
    from app import create_app

    monkeypatch.setenv("BOOKME_STAFF_IDLE_MINUTES", "10")
    monkeypatch.setenv("BOOKME_STAFF_MAX_HOURS", "8")
    monkeypatch.setenv("BOOKME_LOGIN_ACCOUNT_LIMIT", "3 per 10 minutes")
    monkeypatch.setenv("BOOKME_LOGIN_ADDRESS_LIMIT", "10 per 10 minutes")
    config = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}).config
    assert config["BOOKME_STAFF_IDLE_MINUTES"] == 10 and config["BOOKME_STAFF_MAX_HOURS"] == 8
    assert config["BOOKME_LOGIN_ACCOUNT_LIMIT"] == "3 per 10 minutes"
    assert config["BOOKME_LOGIN_ADDRESS_LIMIT"] == "10 per 10 minutes"
