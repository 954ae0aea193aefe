"""An account invited with a temporary password must choose its own at sign-in: every other staff
page sends it to /staff/password until it has, with the rules of `bookme set-password`."""

from __future__ import annotations

import re

from flask_babel import refresh

from app import clock
from app.configuration.accounts import find_staff_user, invite_staff_user
from app.extensions import db
from tests.web.admin_helpers import post_form
from tests.web.staff_helpers import make_staff, sign_in

PAGE = "/staff/password"


def _invited(world, admin: bool = False) -> str:  # type: ignore[no-untyped-def]
    employee = None if admin else world.bo.id
    _, password = invite_staff_user(
        "carl@nordbank.example", now=clock.now(), employee_id=employee, admin=admin
    )
    return password


def _error(html: str, name: str) -> str | None:
    match = re.search(rf'id="{name}-error">([^<]+)<', html)
    return match[1] if match else None


def test_every_staff_page_sends_an_invited_account_to_change_its_password(app, client, world):
    temporary = _invited(world)
    assert sign_in(client, "carl@nordbank.example", temporary).status_code == 302
    for path in ("/staff", "/staff/meetings", "/staff/security/mfa"):
        assert client.get(path).location == PAGE, path
    page = client.get(PAGE)
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.get_data(as_text=True)


def test_the_new_password_follows_the_rules_then_the_duty_is_cleared(app, client, world):
    temporary = _invited(world)
    assert sign_in(client, "carl@nordbank.example", temporary).status_code == 302
    for data, field in (
        ({"password": "long enough", "repeated": "long enouhg"}, "repeated"),
        ({"password": "short", "repeated": "short"}, "password"),
        ({"password": temporary, "repeated": temporary}, "password"),
        ({"password": "", "repeated": ""}, "password"),
    ):
        answer = post_form(client, PAGE, PAGE, data)
        assert answer.status_code == 400, data
        assert _error(answer.get_data(as_text=True), field), data
    user = find_staff_user("carl@nordbank.example")
    assert user is not None and user.must_change_password
    done = post_form(client, PAGE, PAGE, {"password": "my own words", "repeated": "my own words"})
    assert done.status_code == 302 and done.location == "/staff"
    db.session.refresh(user)
    assert not user.must_change_password
    assert client.get("/staff/meetings").status_code == 200
    assert client.get(PAGE).location == "/staff"  # nothing left to change
    fresh = app.test_client()
    assert sign_in(fresh, "carl@nordbank.example", temporary).status_code != 302
    assert sign_in(fresh, "carl@nordbank.example", "my own words").status_code == 302


def test_the_danish_page_words_the_refusal_in_danish(app, client, world):
    temporary = _invited(world)
    assert sign_in(client, "carl@nordbank.example", temporary).status_code == 302
    client.get("/language/da")
    refresh()  # the tests share one app context, where Flask-Babel keeps the locale it found
    answer = post_form(client, PAGE, PAGE, {"password": "kort", "repeated": "kort"})
    assert _error(answer.get_data(as_text=True), "password") == "Brug mindst 8 tegn."


def test_an_invited_admin_changes_the_password_before_enrolling(app, client, world):
    temporary = _invited(world, admin=True)
    assert sign_in(client, "carl@nordbank.example", temporary).status_code == 302
    assert client.get("/staff/admin").location == PAGE
    data = {"password": "admin's own words", "repeated": "admin's own words"}
    assert post_form(client, PAGE, PAGE, data).status_code == 302
    assert client.get("/staff/admin").location == "/staff/security/mfa"


def test_an_account_not_invited_is_never_sent_there(app, client, world):
    make_staff("anna@nordbank.example", employee_id=world.anna.id)
    assert sign_in(client, "anna@nordbank.example").status_code == 302
    assert client.get("/staff/meetings").status_code == 200
    assert client.get(PAGE).location == "/staff"
    answer = post_form(client, "/staff", PAGE, {"password": "x" * 12, "repeated": "x" * 12})
    assert answer.location == "/staff"
    assert sign_in(app.test_client(), "anna@nordbank.example").status_code == 302
