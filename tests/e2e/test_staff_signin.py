"""Staff sign-in in a browser: the demo advisor signs in, sees the landing page, is refused the
admin pages, and signs out;
/login and /staff pass axe and are photographed at 1280 px and 360 px."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from app.demo.staff import DEMO_ADVISOR, create_demo_staff
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, snap


def test_the_demo_advisor_signs_in_sees_the_workspace_and_signs_out(
    page: Page, live: Live, axe_path: str
) -> None:
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.anna.id)
    page.context.add_init_script(path=axe_path)
    page.goto(live.url + "/staff")
    expect(page).to_have_url(live.url + "/login?next=/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
    assert_accessible(page)
    snap(page, "staff-login")

    page.get_by_label("E-mail", exact=True).fill(DEMO_ADVISOR.email)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The e-mail or password is not right")
    assert_accessible(page)
    snap(page, "staff-login-failed")

    page.get_by_label("Password", exact=True).fill(DEMO_ADVISOR.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live.url + "/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")
    expect(page.get_by_text(f"Signed in as {DEMO_ADVISOR.email}.")).to_be_visible()
    expect(page.get_by_text("Anna Andersen")).to_be_visible()
    assert_accessible(page)
    snap(page, "staff-home")

    # an advisor has no way to the admin pages: no link, and 403 at their addresses
    expect(page.get_by_role("link", name="Configuration")).to_have_count(0)
    for path in ("/staff/admin", "/staff/admin/advisors", "/staff/admin/audit"):
        response = page.goto(live.url + path)
        assert response is not None and response.status == 403, path
        expect(page.get_by_text("Not for your account")).to_be_visible()
    assert_accessible(page)
    snap(page, "staff-admin-refused")
    page.get_by_role("link", name="Back to the staff workspace").click()
    expect(page).to_have_url(live.url + "/staff")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live.url + "/login?signed_out=1")
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(live.url + "/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")


def test_an_invited_advisor_chooses_a_password_before_the_workspace_opens(
    page: Page, live: Live, axe_path: str
) -> None:
    from app.configuration.accounts import invite_staff_user

    with live.db():
        _, temporary = invite_staff_user(
            "carl@nordbank.example", now=live.clock.now, employee_id=live.world.bo.id
        )
    page.context.add_init_script(path=axe_path)
    page.goto(live.url + "/login")
    page.get_by_label("E-mail", exact=True).fill("carl@nordbank.example")
    page.get_by_label("Password", exact=True).fill(temporary)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live.url + "/staff/password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your own password")
    page.get_by_label("New password", exact=True).fill("carl's own words")
    page.get_by_label("New password again", exact=True).fill("carl's own wrods")
    page.get_by_role("button", name="Save the password").click()
    expect(page.locator("#repeated-error")).to_have_text("The two passwords are not the same.")
    assert_accessible(page)
    snap(page, "staff-password-change")
    page.get_by_label("New password", exact=True).fill("carl's own words")
    page.get_by_label("New password again", exact=True).fill("carl's own words")
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")
    expect(page.get_by_text("Your new password is saved.")).to_be_visible()
