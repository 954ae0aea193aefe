"""Every staff route is behind `staff_required`: walked from `app.url_map`, so a page added later
without the guard fails here."""

from __future__ import annotations

import pytest
from flask import Blueprint

from app import create_app
from app.staff.auth import staff_required
from tests.web.staff_helpers import make_staff, sign_in

# the way in (password, then code; or single sign-on, start and return) and the way out
OPEN = {"/login", "/login/code", "/login/sso", "/login/sso/callback", "/logout"}


def staff_rules(app):  # type: ignore[no-untyped-def]
    """Every rule under /staff, and every rule of the staff blueprint."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule not in OPEN
        and (
            rule.rule == "/staff"
            or rule.rule.startswith("/staff/")
            or rule.endpoint.startswith("staff.")
        )
    ]


def _path(rule) -> str:  # type: ignore[no-untyped-def]
    return rule.build({arg: "x" for arg in rule.arguments})[1]


def _methods(rule) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_there_are_staff_routes_to_check(app):
    assert {rule.rule for rule in staff_rules(app)} >= {"/staff"}


def test_every_staff_route_names_its_role_through_the_one_decorator(app):
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "staff_role", None) in {"staff", "advisor", "admin"}, rule.rule


def test_no_staff_route_answers_an_anonymous_visitor(app, client):
    app.config["WTF_CSRF_ENABLED"] = False  # reach the guard itself, not the CSRF check
    for rule in staff_rules(app):
        for method in _methods(rule):
            response = client.open(_path(rule), method=method)
            assert response.status_code == 302, (method, rule.rule)
            assert response.location.startswith("/login"), (method, rule.rule)


@pytest.fixture
def guarded_app(database_url, clock):  # type: ignore[no-untyped-def]
    """The app with one page per role added under /staff, as the coming slices will add them."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "BOOKME_CLOCK": clock,
            "RATELIMIT_ENABLED": False,
        }
    )
    extra = Blueprint("staff_probe", __name__)
    for role in ("staff", "advisor", "admin"):
        extra.add_url_rule(
            f"/staff/probe-{role}", f"probe_{role}", staff_required(role)(lambda: "ok")
        )
    app.register_blueprint(extra)
    with app.app_context():
        yield app


@pytest.mark.parametrize(
    ("account", "allowed"),
    [
        ("advisor", {"staff", "advisor"}),
        ("admin", {"staff", "admin"}),
        ("plain", {"staff"}),
    ],
)
def test_a_signed_in_account_without_the_role_gets_403_on_every_route(
    guarded_app, account, allowed
):
    from tests.web.conftest import BrowserClient
    from tests.web.data import build_world

    guarded_app.test_client_class = BrowserClient
    world = build_world()
    make_staff(
        f"{account}@nordbank.example",
        employee_id=world.anna.id if account == "advisor" else None,
        admin=account == "admin",
    )
    client = guarded_app.test_client()
    assert sign_in(client, f"{account}@nordbank.example").status_code == 302
    for rule in staff_rules(guarded_app):
        role = guarded_app.view_functions[rule.endpoint].staff_role
        expected = 200 if role in allowed else 403
        for method in _methods(rule):
            response = client.open(_path(rule), method=method)
            if expected == 403:
                assert response.status_code == 403, rule.rule
            else:  # allowed: the page, its own answer to an empty form (400), or to the
                # made-up id in its path (404)
                answers = {200, 302, 400} | ({404} if rule.arguments else set())
                assert response.status_code in answers, rule.rule
                assert not (response.location or "").startswith("/login"), rule.rule
            if expected == 403:
                assert "Not for your account" in response.get_data(as_text=True)
