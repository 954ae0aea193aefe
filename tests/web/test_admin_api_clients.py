"""The API clients page: create (the secret shown once), a refused invalid input, revoke (its token
refused at once); only admins."""

from __future__ import annotations

import base64
import re

from sqlalchemy import select

from app.extensions import db
from app.models import ApiClient
from tests.web.admin_helpers import admin_client, post_form
from tests.web.staff_helpers import make_staff, sign_in

PAGE = "/staff/admin/api-clients"


def _token(client, client_id: str, secret: str) -> str:  # type: ignore[no-untyped-def]
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    answer = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert answer.status_code == 200, answer.json
    return str(answer.json["access_token"])


def test_an_admin_creates_a_client_sees_its_secret_once_and_it_gets_a_token(app, world):
    browser = admin_client(app)
    data = {"name": "Online bank", "scopes": ["bookme.read", "bookme.book"]}
    created = post_form(browser, PAGE, PAGE, data)
    assert created.status_code == 201
    html = created.get_data(as_text=True)
    client_id = re.search(r'class="client-id">([^<]+)<', html)[1]  # type: ignore[index]
    secret = re.search(r'class="secret client-secret">([^<]+)<', html)[1]  # type: ignore[index]
    row = db.session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    assert row is not None and row.scope == "bookme.read bookme.book"
    assert secret not in row.client_secret_hash
    listing = browser.get(PAGE).get_data(as_text=True)
    assert client_id in listing and "Online bank" in listing and secret not in listing
    assert _token(app.test_client(), client_id, secret)


def test_a_client_without_a_name_or_scope_is_refused_next_to_the_fields(app, world):
    browser = admin_client(app)
    answer = post_form(browser, PAGE, PAGE, {"name": "  ", "scopes": ["bookme.read"]})
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert 'id="name-error"' in html and "name must not be empty" in html
    no_scope = post_form(browser, PAGE, PAGE, {"name": "Portal"})
    assert no_scope.status_code == 400
    assert 'id="scopes-error"' in no_scope.get_data(as_text=True)
    unknown = post_form(browser, PAGE, PAGE, {"name": "Portal", "scopes": ["bookme.everything"]})
    assert unknown.status_code == 400
    assert db.session.scalar(select(db.func.count()).select_from(ApiClient)) == 0


def test_a_name_longer_than_the_column_is_refused_next_to_the_field(app, world):
    browser = admin_client(app)
    answer = post_form(browser, PAGE, PAGE, {"name": "N" * 201, "scopes": ["bookme.read"]})
    assert answer.status_code == 400
    assert 'id="name-error"' in answer.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(ApiClient)) == 0
    made = post_form(browser, PAGE, PAGE, {"name": "Portal", "scopes": ["bookme.read"]})
    client_id = re.search(r'class="client-id">([^<]+)<', made.get_data(as_text=True))[1]  # type: ignore[index]
    edit = f"{PAGE}/{client_id}"
    renamed = post_form(browser, edit, edit, {"name": "N" * 201, "scopes": ["bookme.read"]})
    assert renamed.status_code == 400
    assert 'id="name-error"' in renamed.get_data(as_text=True)


def test_revoking_a_client_refuses_its_token_on_the_next_request(app, world):
    browser = admin_client(app)
    html = post_form(browser, PAGE, PAGE, {"name": "Portal", "scopes": ["bookme.read"]})
    text = html.get_data(as_text=True)
    client_id = re.search(r'class="client-id">([^<]+)<', text)[1]  # type: ignore[index]
    secret = re.search(r'class="secret client-secret">([^<]+)<', text)[1]  # type: ignore[index]
    api = app.test_client()
    bearer = {"Authorization": "Bearer " + _token(api, client_id, secret)}
    assert api.get("/config/customer-types", headers=bearer).status_code == 200

    revoked = post_form(browser, PAGE, f"{PAGE}/{client_id}/revoke", {})
    assert revoked.status_code == 302
    assert api.get("/config/customer-types", headers=bearer).status_code == 401
    assert "Revoked" in browser.get(PAGE).get_data(as_text=True)
    again = post_form(browser, PAGE, f"{PAGE}/{client_id}/revoke", {})
    assert again.status_code == 404


def test_revoke_needs_the_csrf_token_and_advisors_see_nothing(app, world):
    browser = admin_client(app)
    assert browser.post(f"{PAGE}/bm_x/revoke").status_code == 302  # back to the page, "expired"
    make_staff("anna@nordbank.example", employee_id=world.anna.id)
    advisor = app.test_client()
    assert sign_in(advisor, "anna@nordbank.example").status_code == 302
    assert advisor.get(PAGE).status_code == 403


def test_an_admin_narrows_a_clients_scopes_and_its_token_loses_them_at_once(app, world):
    browser = admin_client(app)
    data = {"name": "Portal", "scopes": ["bookme.read", "bookme.admin"]}
    text = post_form(browser, PAGE, PAGE, data).get_data(as_text=True)
    client_id = re.search(r'class="client-id">([^<]+)<', text)[1]  # type: ignore[index]
    secret = re.search(r'class="secret client-secret">([^<]+)<', text)[1]  # type: ignore[index]
    api = app.test_client()
    bearer = {"Authorization": "Bearer " + _token(api, client_id, secret)}
    assert api.get("/config/settings", headers=bearer).status_code == 200  # bookme.admin

    edit = f"{PAGE}/{client_id}"
    refused = post_form(browser, edit, edit, {"name": "Portal", "scopes": []})
    assert refused.status_code == 400 and 'id="scopes-error"' in refused.get_data(as_text=True)
    saved = post_form(browser, edit, edit, {"name": "Portal 2", "scopes": ["bookme.read"]})
    assert saved.status_code == 302
    row = db.session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    db.session.refresh(row)
    assert row.name == "Portal 2" and row.scope == "bookme.read"  # type: ignore[union-attr]
    assert api.get("/config/settings", headers=bearer).status_code == 403
    assert api.get("/config/customer-types", headers=bearer).status_code == 200
    assert browser.get(f"{PAGE}/bm_nobody").status_code == 404
