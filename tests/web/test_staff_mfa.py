"""The second factor: TOTP enrolment with a server-drawn QR code, sign-in with a code or a
recovery code, no replay, forced enrolment for admins (and advisors when the bank says so), the
pending step's expiry and rate limit, and disabling."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask_babel import refresh

from app.configuration.items import save_settings
from app.extensions import db
from app.models import OrganisationSettings, User
from tests.web.helpers import csrf_from
from tests.web.staff_helpers import PASSWORD, make_staff


def _login(client, email: str):  # type: ignore[no-untyped-def]
    page = client.get("/login").get_data(as_text=True)
    data = {"email": email, "password": PASSWORD, "csrf_token": csrf_from(page)}
    return client.post("/login", data=data)


def _send_code(client, code: str):  # type: ignore[no-untyped-def]
    page = client.get("/login/code").get_data(as_text=True)
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_from(page)})


def _enrol(client, clock) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """Open the enrolment page, read the secret, confirm with a code; the recovery codes shown."""
    page = client.get("/staff/security/mfa").get_data(as_text=True)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)  # type: ignore[union-attr]
    code = pyotp.TOTP(secret).at(clock.now)
    done = client.post(
        "/staff/security/mfa", data={"code": code, "csrf_token": csrf_from(page)}
    ).get_data(as_text=True)
    codes = re.findall(r'<li class="recovery-code"><code>([a-z0-9-]+)</code>', done)
    return secret, codes


@pytest.fixture
def advisor(world):  # type: ignore[no-untyped-def]
    return make_staff("anna@nordbank.example", employee_id=world.anna.id, mfa=False)


def test_enrolment_shows_a_server_drawn_qr_code_and_the_secret_then_ten_recovery_codes(
    client, advisor, clock
):
    _login(client, "anna@nordbank.example")
    page = client.get("/staff/security/mfa").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page and "http" not in page.split("<main")[1]
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    secret, codes = _enrol(client, clock)
    assert len(codes) == 10 and len(set(codes)) == 10
    user = db.session.get(User, advisor.id)
    db.session.refresh(user)
    assert user.mfa_enabled_at == clock.now
    assert secret not in (user.mfa_secret or ""), "the secret is stored encrypted"
    assert all(code not in (user.mfa_recovery_codes or "") for code in codes)


def test_a_wrong_code_at_enrolment_is_named_next_to_the_field(client, advisor, clock):
    _login(client, "anna@nordbank.example")
    page = client.get("/staff/security/mfa").get_data(as_text=True)
    response = client.post(
        "/staff/security/mfa", data={"code": "000000", "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 400
    assert "The code is not right" in response.get_data(as_text=True)
    assert db.session.get(User, advisor.id).mfa_enabled_at is None


def _enrolled(app, client, clock):  # type: ignore[no-untyped-def]
    _login(client, "anna@nordbank.example")
    secret, codes = _enrol(client, clock)
    client.post(
        "/logout", data={"csrf_token": csrf_from(client.get("/staff").get_data(as_text=True))}
    )
    return secret, codes


def test_sign_in_with_mfa_asks_for_a_code_before_any_staff_page(app, client, advisor, clock):
    secret, _ = _enrolled(app, client, clock)
    clock.advance(minutes=1)
    response = _login(client, "anna@nordbank.example")
    assert response.status_code == 302 and response.location.startswith("/login/code")
    assert client.get("/staff").status_code == 302, "not signed in before the code"
    done = _send_code(client, pyotp.TOTP(secret).at(clock.now))
    assert done.status_code == 302 and done.location == "/staff"
    assert client.get("/staff").status_code == 200


def test_a_wrong_code_is_refused_and_a_replayed_code_too(app, client, advisor, clock):
    secret, _ = _enrolled(app, client, clock)
    clock.advance(minutes=1)
    _login(client, "anna@nordbank.example")
    wrong = _send_code(
        client, "123456" if pyotp.TOTP(secret).at(clock.now) != "123456" else "654321"
    )
    assert wrong.status_code == 400 and "The code is not right" in wrong.get_data(as_text=True)
    code = pyotp.TOTP(secret).at(clock.now)
    assert _send_code(client, code).status_code == 302
    other = app.test_client()
    _login(other, "anna@nordbank.example")
    replay = _send_code(other, code)
    assert replay.status_code == 400, "the same code does not sign in twice"


def test_a_recovery_code_signs_in_once_only(app, client, advisor, clock):
    _, codes = _enrolled(app, client, clock)
    _login(client, "anna@nordbank.example")
    page = client.get("/login/code?recovery=1").get_data(as_text=True)
    assert "Recovery code" in page and 'inputmode="text"' in page, "letters, not a number pad"
    assert _send_code(client, codes[0]).status_code == 302
    other = app.test_client()
    _login(other, "anna@nordbank.example")
    assert _send_code(other, codes[0]).status_code == 400


def test_the_pending_step_expires_after_five_minutes(app, client, advisor, clock):
    secret, _ = _enrolled(app, client, clock)
    clock.advance(minutes=1)
    _login(client, "anna@nordbank.example")
    page = client.get("/login/code").get_data(as_text=True)
    clock.advance(minutes=6)
    response = client.post(
        "/login/code",
        data={"code": pyotp.TOTP(secret).at(clock.now), "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 302 and response.location.startswith("/login")
    assert client.get("/staff").status_code == 302


def test_an_admin_without_mfa_is_sent_to_enrolment_from_every_staff_page(client, world, clock):
    make_staff("root@nordbank.example", admin=True, mfa=False)
    response = _login(client, "root@nordbank.example")
    assert response.status_code == 302
    home = client.get("/staff")
    assert home.status_code == 302 and home.location == "/staff/security/mfa"
    assert client.get("/staff/security/mfa").status_code == 200
    _enrol(client, clock)
    assert client.get("/staff").status_code == 200


def test_before_enrolment_every_staff_route_but_enrolment_leads_to_enrolment(app, client, world):
    from tests.web.test_staff_route_guard import staff_rules

    app.config["WTF_CSRF_ENABLED"] = False  # reach the guard itself, not the CSRF check
    make_staff("root@nordbank.example", admin=True, mfa=False)
    _login(client, "root@nordbank.example")
    enrolment = {"staff.mfa_page", "staff.mfa_confirm", "staff.mfa_disable"}
    for rule in staff_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(rule.rule, method=method)
            if rule.endpoint in enrolment:
                assert response.status_code in {200, 400, 403}, (method, rule.rule)
            else:
                assert response.location == "/staff/security/mfa", (method, rule.rule)


def test_the_organisation_setting_requires_mfa_of_advisors(client, advisor, clock):
    save_settings({"staff_mfa_required": True})  # as the configuration file or the admin API
    assert db.session.get(OrganisationSettings, 1).staff_mfa_required is True
    _login(client, "anna@nordbank.example")
    assert client.get("/staff").location == "/staff/security/mfa"


def test_an_advisor_is_not_forced_and_can_disable_mfa_with_a_code(app, client, advisor, clock):
    _login(client, "anna@nordbank.example")
    assert client.get("/staff").status_code == 200
    secret, _ = _enrol(client, clock)
    clock.advance(minutes=1)
    page = client.get("/staff/security/mfa").get_data(as_text=True)
    wrong = client.post(
        "/staff/security/mfa/disable", data={"code": "000000", "csrf_token": csrf_from(page)}
    )
    assert wrong.status_code == 400
    done = client.post(
        "/staff/security/mfa/disable",
        data={"code": pyotp.TOTP(secret).at(clock.now), "csrf_token": csrf_from(page)},
    )
    assert done.status_code == 302
    user = db.session.get(User, advisor.id)
    db.session.refresh(user)
    assert user.mfa_enabled_at is None and user.mfa_secret is None


def test_an_admin_cannot_disable_mfa(client, world, clock):
    make_staff("root@nordbank.example", admin=True, mfa=False)
    _login(client, "root@nordbank.example")
    secret, _ = _enrol(client, clock)
    clock.advance(minutes=1)
    page = client.get("/staff/security/mfa").get_data(as_text=True)
    assert "mfa/disable" not in page
    response = client.post(
        "/staff/security/mfa/disable",
        data={"code": pyotp.TOTP(secret).at(clock.now), "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 403


def test_the_code_page_is_in_danish(client, advisor, clock):
    _enrolled(client.application, client, clock)
    client.get("/language/da")
    refresh()  # the tests' one app context cached the English of the pages before
    _login(client, "anna@nordbank.example")
    html = client.get("/login/code").get_data(as_text=True)
    assert "Engangskode" in html and "gendannelseskode" in html
    sign_in_page = client.get("/staff/security/mfa")
    assert sign_in_page.status_code == 302, "not signed in before the code"
