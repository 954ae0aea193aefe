"""The staff accounts pages: invite (a temporary password shown once), role, disable and enable,
reset the second factor, refused inputs; an admin cannot lock themselves out."""

from __future__ import annotations

import re

from app.configuration.accounts import find_staff_user
from app.extensions import db
from tests.web.admin_helpers import ADMIN, admin_client, post_form
from tests.web.staff_helpers import SECRETS, make_staff, sign_in

PAGE = "/staff/admin/staff-accounts"


def test_an_invited_advisor_signs_in_with_the_temporary_password_shown_once(app, world):
    browser = admin_client(app)
    data = {"email": "Carl@Nordbank.example", "role": "advisor", "employee_id": world.bo.id}
    answer = post_form(browser, PAGE, PAGE, data)
    assert answer.status_code == 201
    html = answer.get_data(as_text=True)
    password = re.search(r'class="secret temporary-password">([^<]+)<', html)[1]  # type: ignore[index]
    user = find_staff_user("carl@nordbank.example")
    assert user is not None and user.employee_id == world.bo.id and not user.is_admin
    assert password not in (user.password_hash or "")
    assert password not in browser.get(PAGE).get_data(as_text=True)
    assert user.must_change_password
    colleague = app.test_client()
    assert sign_in(colleague, "carl@nordbank.example", password).status_code == 302
    assert colleague.get("/staff/meetings").location == "/staff/password"
    new = {"password": "carl's own words", "repeated": "carl's own words"}
    assert post_form(colleague, "/staff/password", "/staff/password", new).status_code == 302
    assert colleague.get("/staff/meetings").status_code == 200


def test_an_advisor_with_an_active_account_cannot_get_a_second_one(app, world):
    browser = admin_client(app)
    first = make_staff("anna@nordbank.example", employee_id=world.anna.id)
    data = {"email": "anna2@nordbank.example", "role": "advisor", "employee_id": world.anna.id}
    twice = post_form(browser, PAGE, PAGE, data)
    assert twice.status_code == 400
    error = re.search(r'id="employee_id-error">([^<]+)<', twice.get_data(as_text=True))
    assert error and error[1] == "This advisor already has an active staff account."
    assert find_staff_user("anna2@nordbank.example") is None
    other = make_staff("eva@nordbank.example", employee_id=world.bo.id)
    page = f"{PAGE}/{other.id}"
    moved = post_form(browser, page, f"{page}/role", {"employee_id": world.anna.id})
    assert moved.status_code == 400
    assert 'id="employee_id-error"' in moved.get_data(as_text=True)
    db.session.refresh(other)
    assert other.employee_id == world.bo.id
    kept = post_form(browser, page, f"{page}/role", {"employee_id": world.bo.id})
    assert kept.status_code == 302  # saving the account's own link again is fine

    first_page = f"{PAGE}/{first.id}"
    assert post_form(browser, first_page, f"{first_page}/disable", {}).status_code == 302
    assert post_form(browser, PAGE, PAGE, data).status_code == 201  # a disabled one does not count


def test_an_invite_with_a_taken_email_or_an_advisor_without_advisor_is_refused(app, world):
    browser = admin_client(app)
    taken = post_form(browser, PAGE, PAGE, {"email": ADMIN, "role": "admin"})
    assert taken.status_code == 400
    assert 'id="email-error"' in taken.get_data(as_text=True)
    lonely = post_form(browser, PAGE, PAGE, {"email": "x@nordbank.example", "role": "advisor"})
    assert lonely.status_code == 400
    assert 'id="employee_id-error"' in lonely.get_data(as_text=True)
    assert find_staff_user("x@nordbank.example") is None


def test_role_disable_enable_and_second_factor_reset(app, world):
    browser = admin_client(app)
    other = make_staff("eva@nordbank.example", employee_id=world.anna.id, mfa=True)
    page = f"{PAGE}/{other.id}"
    made_admin = post_form(browser, page, f"{page}/role", {"admin": "y", "employee_id": ""})
    assert made_admin.status_code == 302
    db.session.refresh(other)
    assert other.is_admin and other.employee_id is None

    assert post_form(browser, page, f"{page}/disable", {}).status_code == 302
    db.session.refresh(other)
    assert other.disabled_at is not None
    assert sign_in(app.test_client(), "eva@nordbank.example").status_code != 302
    assert post_form(browser, page, f"{page}/enable", {}).status_code == 302
    db.session.refresh(other)
    assert other.disabled_at is None

    assert other.mfa_enabled_at is not None
    assert post_form(browser, page, f"{page}/reset-second-factor", {}).status_code == 302
    db.session.refresh(other)
    assert other.mfa_secret is None and other.mfa_enabled_at is None
    SECRETS.pop("eva@nordbank.example", None)


def test_a_role_with_neither_admin_nor_advisor_is_refused(app, world):
    browser = admin_client(app)
    other = make_staff("eva@nordbank.example", employee_id=world.anna.id)
    page = f"{PAGE}/{other.id}"
    refused = post_form(browser, page, f"{page}/role", {"employee_id": ""})
    assert refused.status_code == 400
    assert 'id="employee_id-error"' in refused.get_data(as_text=True)
    db.session.refresh(other)
    assert other.employee_id == world.anna.id


def test_an_admin_cannot_disable_or_demote_themselves(app, world):
    browser = admin_client(app)
    me = find_staff_user(ADMIN)
    page = f"{PAGE}/{me.id}"  # type: ignore[union-attr]
    assert post_form(browser, page, f"{page}/disable", {}).status_code == 409
    demoted = post_form(browser, page, f"{page}/role", {"employee_id": world.anna.id})
    assert demoted.status_code == 400
    db.session.refresh(me)
    assert me.is_admin and me.disabled_at is None  # type: ignore[union-attr]


def test_an_unknown_account_is_404(app, world):
    browser = admin_client(app)
    assert browser.get(f"{PAGE}/no-such-id").status_code == 404


def test_an_expired_form_on_an_action_button_leads_back_to_a_page_that_opens(app, world):
    browser = admin_client(app)
    other = make_staff("ivy@nordbank.example", employee_id=world.anna.id)
    for action in ("disable", "enable", "role", "reset-second-factor"):
        sent = browser.post(f"{PAGE}/{other.id}/{action}", data={})
        assert sent.status_code == 302, action
        assert browser.get(sent.headers["Location"]).status_code == 200, action
    db.session.refresh(other)
    assert other.disabled_at is None


def test_enabling_an_account_is_refused_while_another_active_one_acts_as_its_advisor(app, world):
    browser = admin_client(app)
    old = make_staff("anna@nordbank.example", employee_id=world.anna.id)
    old_page = f"{PAGE}/{old.id}"
    assert post_form(browser, old_page, f"{old_page}/disable", {}).status_code == 302
    make_staff("anna.new@nordbank.example", employee_id=world.anna.id)
    refused = post_form(browser, old_page, f"{old_page}/enable", {})
    assert refused.status_code == 409
    assert "This advisor already has an active staff account." in refused.get_data(as_text=True)
    db.session.refresh(old)
    assert old.disabled_at is not None
