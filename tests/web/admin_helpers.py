"""An admin signed in (with the second factor), and forms sent the way a browser sends them
(CSRF token from the page)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.web.helpers import csrf_from
from tests.web.staff_helpers import make_staff, sign_in

ADMIN = "boss@nordbank.example"


def sign_in_admin(client: FlaskClient) -> FlaskClient:
    """Make an admin (with a second factor) and sign the client in as them."""
    make_staff(ADMIN, admin=True)
    assert sign_in(client, ADMIN).status_code == 302
    return client


def admin_client(app: Flask) -> FlaskClient:
    """A new browser signed in as a new admin."""
    return sign_in_admin(app.test_client())


def send(client: FlaskClient, page_url: str, data: dict[str, Any], action: str | None = None):  # type: ignore[no-untyped-def]
    """Open `page_url`, then post `data` with its CSRF token to `action` (default: the page)."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    form = {**data, "csrf_token": csrf_from(page.get_data(as_text=True))}
    return client.post(action or page_url, data=form)


def field_error(html: str, name: str) -> str | None:
    """The error shown next to field `name` (its id is f-<name>), if any."""
    match = re.search(rf'<p class="field-error" id="f-{name}-error">([^<]*)</p>', html)
    return unescape(match[1]) if match else None


def text(html: str) -> str:
    """The page's text without tags, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def post_form(client: FlaskClient, page: str, action: str, data: dict[str, Any]) -> Any:
    """Open `page`, then post `data` with its CSRF token to `action`."""
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(action, data={**data, "csrf_token": token})
