"""Sign-in with TOTP in a browser: the demo admin must enrol at first sign-in (QR code and key on
the page), signs out, and signs in again with a code. The enrolment page and the code step pass axe
and are photographed at 1280 px and 360 px."""

from __future__ import annotations

import pyotp
from playwright.sync_api import Page, expect

from app.demo.staff import DEMO_ADMIN, create_demo_staff
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, snap


def _password(page: Page) -> None:
    page.get_by_label("E-mail", exact=True).fill(DEMO_ADMIN.email)
    page.get_by_label("Password", exact=True).fill(DEMO_ADMIN.password)
    page.get_by_role("button", name="Sign in").click()


def test_the_demo_admin_enrols_then_signs_in_with_a_code(
    page: Page, live: Live, axe_path: str
) -> None:
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.anna.id)
    page.context.add_init_script(path=axe_path)
    page.goto(live.url + "/login")
    _password(page)
    expect(page).to_have_url(live.url + "/staff/security/mfa")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    expect(
        page.get_by_role("img", name="QR code with the key for your authenticator app")
    ).to_be_visible()
    secret = page.locator("code.secret").get_attribute("data-secret") or ""
    assert len(secret) == 32
    assert_accessible(page)
    snap(page, "staff-mfa-enrol")

    page.get_by_label("One-time code", exact=True).fill(pyotp.TOTP(secret).at(live.clock.now))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in is on")
    expect(page.locator("li.recovery-code")).to_have_count(10)
    assert_accessible(page)
    snap(page, "staff-mfa-codes")
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")
    page.get_by_role("button", name="Sign out").click()

    live.clock.advance(minutes=1)  # a new code: the one used at enrolment is spent
    _password(page)
    expect(page).to_have_url(live.url + "/login/code")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    valid = {pyotp.TOTP(secret).at(live.clock.now, counter_offset=n) for n in (-1, 0, 1)}
    page.get_by_label("One-time code", exact=True).fill(
        next(c for c in ("000000", "111111") if c not in valid)
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("The code is not right")
    assert_accessible(page)
    snap(page, "staff-mfa-code")

    page.get_by_label("One-time code", exact=True).fill(pyotp.TOTP(secret).at(live.clock.now))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live.url + "/staff")
    expect(page.get_by_text(f"Signed in as {DEMO_ADMIN.email}.")).to_be_visible()
