"""Staff single sign-on against a real OpenID provider on loopback (tests/oidc/provider.mjs): the
browser's trips to the provider are made by hand with `requests`, the app's with the test client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from app.models import User
from tests.conftest import FakeClock
from tests.oidc import server
from tests.web.helpers import session_of
from tests.web.staff_helpers import NOW, make_staff

APP = "http://localhost"


@pytest.fixture
def app(database_url: str, clock: FakeClock, oidc_issuer: str) -> Iterator[Flask]:
    """The app with the staff sign-on settings pointing at the test provider."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "BOOKME_CLOCK": clock,
            "BOOKME_ISSUER": APP,
            "RATELIMIT_ENABLED": False,
            "BOOKME_STAFF_SSO_ISSUER": oidc_issuer,
            "BOOKME_STAFF_SSO_CLIENT_ID": server.CLIENT_ID,
            "BOOKME_STAFF_SSO_CLIENT_SECRET": server.CLIENT_SECRET,
            "BOOKME_STAFF_SSO_NAME": "Bank ID",
            "BOOKME_STAFF_SSO_SCOPE": "openid email roles",
            "BOOKME_STAFF_SSO_ADMIN_ROLE": server.ADMIN_ROLE,
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _follow(browser: requests.Session, url: str) -> requests.Response:
    """Follow the provider's redirects until one leaves it (back to the app) or a page shows."""
    response = browser.get(url, allow_redirects=False, timeout=10)
    for _ in range(10):
        if response.status_code not in (302, 303) or response.headers["Location"].startswith(APP):
            return response
        url = urljoin(url, response.headers["Location"])
        response = browser.get(url, allow_redirects=False, timeout=10)
    raise AssertionError("too many redirects at the provider")


def _at_provider(client: FlaskClient, login: str) -> str:
    """Press "Sign in with Bank ID", sign in at the provider as `login`: the app's callback URL."""
    start = client.get("/login/sso")
    assert start.status_code == 302
    browser = requests.Session()
    page = _follow(browser, start.location)
    action = re.search(r'<form autocomplete="off" action="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    answer = browser.post(
        urljoin(page.url, action),
        data={"prompt": "login", "login": login, "password": "any"},
        allow_redirects=False,
        timeout=10,
    )
    back = _follow(browser, urljoin(page.url, answer.headers["Location"]))
    assert back.headers["Location"].startswith(APP + "/login/sso/callback?")
    return back.headers["Location"][len(APP) :]


def _sso(client: FlaskClient, login: str):  # type: ignore[no-untyped-def]
    return client.get(_at_provider(client, login))


def _refused(response, reason: str) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302
    assert response.location == f"/login?sso={reason}"
    return response.location


def test_the_sign_in_page_offers_the_provider(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in with Bank ID" in page
    assert 'href="/login/sso"' in page


def test_the_button_and_the_messages_speak_danish(client: FlaskClient) -> None:
    client.get("/language/da")
    assert "Log ind med Bank ID" in client.get("/login").get_data(as_text=True)
    page = client.get("/login?sso=refused").get_data(as_text=True)
    assert "Denne konto kan ikke logge ind her" in page


def test_the_start_uses_pkce_state_and_nonce(client: FlaskClient) -> None:
    query = parse_qs(urlsplit(client.get("/login/sso").location).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == [APP + "/login/sso/callback"]


def test_a_known_verified_e_mail_signs_in_with_a_new_session(client: FlaskClient) -> None:
    user = make_staff("Advisor@Bank.example")
    client.get("/login")
    before = session_of(client.application, client).get("staff_sid")
    response = _sso(client, "advisor@BANK.example")
    assert response.status_code == 302 and response.location == "/staff"
    session = session_of(client.application, client)
    assert session["_user_id"] == user.id
    assert session["staff_via"] == "sso" and session["staff_sid"] != before
    assert "Staff workspace" in client.get("/staff").get_data(as_text=True)


def test_an_unknown_e_mail_is_refused_generically(client: FlaskClient) -> None:
    location = _refused(_sso(client, "stranger@bank.example"), "refused")
    page = client.get(location).get_data(as_text=True)
    assert "This account cannot sign in here" in page
    assert "stranger" not in page
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
    assert client.get("/staff").status_code == 302


def test_an_unverified_e_mail_is_refused(client: FlaskClient) -> None:
    make_staff("advisor@bank.example")
    _refused(_sso(client, "unverified@bank.example"), "refused")
    assert client.get("/staff").status_code == 302  # nobody signed in


def test_an_id_token_without_e_mail_is_refused(client: FlaskClient) -> None:
    _refused(_sso(client, "noemail"), "refused")


def test_a_disabled_account_is_refused(client: FlaskClient) -> None:
    user = make_staff("advisor@bank.example")
    user.disabled_at = NOW - timedelta(days=1)
    db.session.commit()
    _refused(_sso(client, "advisor@bank.example"), "refused")


def test_the_admin_role_claim_makes_the_account_admin_without_a_totp_step(
    client: FlaskClient,
) -> None:
    user = make_staff("boss@bank.example")
    assert not user.is_admin
    assert _sso(client, "boss@bank.example").location == "/staff"
    assert db.session.get(User, user.id).is_admin  # type: ignore[union-attr]
    # the provider owns the second factor: no enrolment is asked of this admin
    assert client.get("/staff").status_code == 200


def test_without_the_admin_role_an_admin_stays_admin(client: FlaskClient) -> None:
    user = make_staff("chief@bank.example", admin=True)
    assert _sso(client, "chief@bank.example").location == "/staff"
    assert db.session.get(User, user.id).is_admin  # type: ignore[union-attr]


def test_a_tampered_state_is_refused(client: FlaskClient) -> None:
    make_staff("advisor@bank.example")
    callback = _at_provider(client, "advisor@bank.example")
    tampered = re.sub(r"state=[^&]+", "state=forged", callback)
    _refused(client.get(tampered), "failed")
    assert client.get("/staff").status_code == 302  # nobody signed in
    page = client.get("/login?sso=failed").get_data(as_text=True)
    assert "Single sign-on did not finish" in page


def test_a_callback_without_a_started_sign_in_is_refused(client: FlaskClient) -> None:
    _refused(client.get("/login/sso/callback?code=abc&state=xyz"), "failed")


def test_cancelling_at_the_provider_goes_back_to_the_sign_in_page(client: FlaskClient) -> None:
    browser = requests.Session()
    page = _follow(browser, client.get("/login/sso").location)
    cancel = re.search(r'<a href="([^"]+)">\[ Cancel \]</a>', page.text).group(1)  # type: ignore[union-attr]
    back = _follow(browser, urljoin(page.url, cancel))
    callback = back.headers["Location"][len(APP) :]
    assert "error=access_denied" in callback
    _refused(client.get(callback), "failed")


def test_without_the_settings_there_is_no_button_and_no_route(database_url: str) -> None:
    plain = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "s"}
    )
    with plain.test_client() as client:
        assert "Sign in with" not in client.get("/login").get_data(as_text=True)
        assert client.get("/login/sso").status_code == 404
        assert client.get("/login/sso/callback?code=a&state=b").status_code == 404
