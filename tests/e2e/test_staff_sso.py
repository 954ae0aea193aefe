"""Single sign-on in a browser: the demo admin presses "Sign in with Bank ID" on /login, signs in at
a real OpenID provider on loopback (tests/oidc/provider.mjs, its own sign-in form) and lands in the
staff workspace without a TOTP step. /login with the button passes axe and is photographed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.demo.staff import DEMO_ADMIN, create_demo_staff
from tests.e2e.conftest import Live, serving
from tests.e2e.pages import assert_accessible, snap
from tests.oidc import server


@pytest.fixture
def live_sso(sqlite_template: str, tmp_path: Any, oidc_issuer: str) -> Iterator[Live]:
    settings = {
        "BOOKME_STAFF_SSO_ISSUER": oidc_issuer,
        "BOOKME_STAFF_SSO_CLIENT_ID": server.CLIENT_ID,
        "BOOKME_STAFF_SSO_CLIENT_SECRET": server.CLIENT_SECRET,
        "BOOKME_STAFF_SSO_NAME": "Bank ID",
        "BOOKME_STAFF_SSO_ADMIN_ROLE": server.ADMIN_ROLE,
    }
    with serving(sqlite_template, tmp_path, **settings) as running:
        yield running


def test_the_demo_admin_signs_in_through_the_openid_provider(
    page: Page, live_sso: Live, axe_path: str
) -> None:
    live = live_sso
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.anna.id)
    # the provider's stock form imports a web font: nothing leaves the machine
    page.context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    page.context.add_init_script(path=axe_path)
    page.goto(live.url + "/login")
    button = page.get_by_role("link", name="Sign in with Bank ID")
    expect(button).to_be_visible()
    assert_accessible(page)
    snap(page, "staff-login-sso")

    button.click()
    expect(page.locator("input[name=login]")).to_be_visible()
    assert page.url.startswith("http://127.0.0.1:") and not page.url.startswith(live.url)
    page.locator("input[name=login]").fill(DEMO_ADMIN.email)
    page.locator("input[name=password]").fill("any")
    page.get_by_role("button", name="Sign-in").click()

    expect(page).to_have_url(live.url + "/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")
    expect(page.get_by_text(f"Signed in as {DEMO_ADMIN.email}.")).to_be_visible()
    assert_accessible(page)
