"""An admin moves an advisor's Thursday from Copenhagen to Aarhus in the schedule editor, sees the
preview change, saves, finds the change in the audit trail under their name with the location
before and after, and the customer wizard then offers that advisor in Aarhus on Thursday. The
admin pages pass axe and are photographed at 1280 px and 360 px."""

from __future__ import annotations

import pyotp
from playwright.sync_api import Page, expect

from app.demo.staff import DEMO_ADMIN, create_demo_staff
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, settle, snap


def _sign_in_as_the_demo_admin(page: Page, live: Live) -> None:
    """Password, then the first sign-in's enrolment of the authenticator app."""
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.bo.id)
    page.goto(live.url + "/login")
    page.get_by_label("E-mail", exact=True).fill(DEMO_ADMIN.email)
    page.get_by_label("Password", exact=True).fill(DEMO_ADMIN.password)
    page.get_by_role("button", name="Sign in").click()
    secret = page.locator("code.secret").get_attribute("data-secret") or ""
    page.get_by_label("One-time code", exact=True).fill(pyotp.TOTP(secret).at(live.clock.now))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")


def _customer_sees_anna_in_aarhus_on_thursday(page: Page, live: Live) -> None:
    page.goto(f"{live.url}/book")
    page.get_by_label("Private").check()
    settle(page)
    page.get_by_label("Mortgage").check()
    settle(page)
    page.get_by_label("At a branch").check()
    settle(page)
    page.locator("#location").select_option(value=live.world.other_branch.id)
    settle(page)
    page.get_by_role("button", name="Continue to times").click()
    expect(page.get_by_role("heading", name="Pick a time")).to_be_visible()
    expect(page.get_by_role("button", name="Tuesday 3 March, 09:00")).to_have_count(0)
    page.get_by_role("button", name="Thursday 5 March, 09:00").click()
    expect(page.locator("#hold")).to_contain_text("Anna Andersen")


def _audit_shows_the_thursday_change(page: Page, live: Live) -> None:
    """The trail, filtered to weekly schedules, names the admin and Thursday's location before and
    after (the locations by id: the trail records ids)."""
    page.get_by_role("link", name="Configuration").click()
    page.get_by_role("link", name="Audit trail").click()
    page.get_by_label("What", exact=True).select_option(label="Weekly schedule")
    page.get_by_label("Action", exact=True).select_option(label="Changed")
    page.get_by_role("button", name="Show").click()
    record = page.locator("li.audit-record", has_text="location_id")
    expect(record).to_have_count(1)
    expect(record.locator(".audit-head")).to_contain_text("Weekly schedule")
    expect(record.locator(".audit-meta")).to_contain_text(DEMO_ADMIN.email)
    change = record.locator(".audit-changes li", has_text="location_id")
    expect(change.locator("del")).to_have_text(live.world.branch.id)
    expect(change.locator("ins")).to_have_text(live.world.other_branch.id)
    assert_accessible(page)
    snap(page, "admin-audit-schedule")


def test_an_admin_moves_thursday_to_aarhus_and_the_wizard_offers_it(
    page: Page, live: Live, axe_path: str
) -> None:
    page.context.add_init_script(path=axe_path)
    _sign_in_as_the_demo_admin(page, live)
    page.get_by_role("link", name="Configuration").click()
    page.get_by_role("link", name="Advisors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Advisors")
    assert_accessible(page)
    snap(page, "admin-advisors")
    page.get_by_role("link", name="Schedule of Anna Andersen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly schedule of Anna Andersen")
    thursday = page.locator("#schedule-preview tr", has_text="Thu 5 Mar")
    expect(thursday).to_contain_text("Branch-North")
    assert_accessible(page)
    snap(page, "admin-schedule")

    page.locator("#thursday-location").focus()
    page.locator("#thursday-location").select_option(label="Branch-Aarhus")
    expect(page.get_by_role("status").filter(has_text="The preview is updated.")).to_have_count(1)
    settle(page)
    expect(thursday).to_contain_text("Branch-Aarhus")
    expect(thursday).to_contain_text("09:00–12:00")
    expect(page.locator("#schedule-preview tr", has_text="Wed 4 Mar")).to_contain_text(
        "Branch-North"
    )
    expect(page.locator("#thursday-location")).to_be_focused()  # the refresh leaves focus alone
    page.get_by_role("button", name="Save the week").click()
    expect(page.get_by_text("The weekly schedule is saved.")).to_be_visible()
    expect(page.locator("#thursday-location")).to_have_value(live.world.other_branch.id)

    _audit_shows_the_thursday_change(page, live)
    _customer_sees_anna_in_aarhus_on_thursday(page, live)


def test_the_api_client_and_staff_account_pages_pass_axe_at_both_widths(
    page: Page, live: Live, axe_path: str
) -> None:
    page.context.add_init_script(path=axe_path)
    _sign_in_as_the_demo_admin(page, live)
    page.goto(live.url + "/staff/admin/api-clients")
    page.get_by_role("button", name="Create API client").click()
    expect(page.get_by_role("heading", name="Please correct the following")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Online bank")
    page.get_by_label("bookme.read").check()
    page.get_by_role("button", name="Create API client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API client created")
    page.get_by_role("link", name="Back to the API clients").click()
    assert_accessible(page)
    snap(page, "admin-api-clients")

    page.goto(live.url + "/staff/admin/staff-accounts")
    assert_accessible(page)
    snap(page, "admin-staff-accounts")
    page.get_by_role("link", name="mette.frederiksen@nordbank.example").click()
    snap(page, "admin-staff-account")
    assert_accessible(page)
    page.goto(live.url + f"/staff/admin/advisors/{live.world.anna.id}")
    assert_accessible(page)
    snap(page, "admin-advisor")

    page.goto(live.url + "/staff/admin/webhooks")
    page.get_by_label("URL", exact=True).fill("https://127.0.0.1/hook")
    page.get_by_role("button", name="Register webhook").click()
    expect(page.locator("#url-error")).to_be_visible()
    assert_accessible(page)
    snap(page, "admin-webhooks")
    page.goto(live.url + "/staff/admin/outbox")
    expect(page.get_by_text("No dead messages.")).to_be_visible()
    assert_accessible(page)
