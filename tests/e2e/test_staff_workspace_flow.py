"""The advisor workspace's story in a browser (issue 10): the demo advisor books a joint meeting of
two advisors with a room and a staff-only topic for a new customer; it is in both advisors' My
meetings and on the branch day; the first advisor moves it and cancels it with a reason, and the
customer's private link shows each change. Then the guards: the sixth wrong password in a row is
refused with the limit message, and a session left idle past its timeout is sent to sign in.
New page states pass axe and are photographed (staff-flow-* at 1280 and 360 px)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from app.configuration.accounts import create_staff_user
from app.demo.staff import DEMO_ADVISOR, create_demo_staff
from app.extensions import db
from app.models import Location, Meeting
from tests import factories
from tests.e2e.conftest import Live, serving
from tests.e2e.pages import assert_accessible, settle, snap

SECOND = ("bo.berg@nordbank.example", "bo-advisor-pw")  # Bo Berg's account, made in the test
WHEN = "Monday 2 March, 09:00"


def _sign_in(page: Page, live: Live, email: str, password: str) -> None:
    page.goto(live.url + "/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")


def _book_joint_meeting(page: Page, room_id: str, branch_id: str) -> str:
    """The booking steps of tests/e2e/test_staff_book.py (checked there by keyboard and axe);
    returns the customer's private link."""
    page.get_by_role("link", name="Book for a customer").click()
    page.get_by_label("Full name").fill("Karen Blixen")
    page.get_by_label("E-mail (optional)").fill("karen@example.dk")
    page.get_by_label("E-mail (optional)").press("Enter")
    page.get_by_label("Topic").select_option(label="Internal review (staff only)")
    page.get_by_label("Meeting type").select_option(value="Physical")
    page.get_by_label("Branch").select_option(value=branch_id)
    page.get_by_label("Anna Andersen").check()
    page.get_by_label("Bo Berg").check()
    page.get_by_label("Room", exact=True).select_option(value=room_id)
    page.get_by_role("button", name="Show free times").click()
    page.locator("button.slot").first.click()
    settle(page)
    page.get_by_role("link", name="Continue to confirm").click()
    page.get_by_role("button", name="Book the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The meeting is booked")
    return page.locator("#private-link").inner_text()


def _setup(live: Live) -> str:
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.anna.id)
        create_staff_user(*SECOND, now=live.clock.now, employee_id=live.world.bo.id)
        branch = db.session.get(Location, live.world.branch.id)
        room_id = factories.room(branch, name="Room Kattegat").id
        db.session.commit()
    return room_id


def test_a_joint_meeting_is_booked_seen_by_both_moved_and_cancelled(
    page: Page, live: Live, axe_path: str, browser: Browser
) -> None:
    room_id = _setup(live)
    page.context.add_init_script(path=axe_path)
    _sign_in(page, live, DEMO_ADVISOR.email, DEMO_ADVISOR.password)
    link = _book_joint_meeting(page, room_id, live.world.branch.id)
    customer = page.context.new_page()
    customer.goto(link)
    expect(customer.locator(".summary")).to_contain_text("Monday 2 March, 09:00–09:30")

    page.get_by_role("link", name="My meetings").click()
    mine = page.get_by_role("listitem").filter(has_text="Karen Blixen")
    expect(mine).to_contain_text("Internal review")
    expect(mine).to_contain_text("Room Kattegat")
    assert_accessible(page)
    snap(page, "staff-flow-meetings")

    page.goto(live.url + "/staff")
    page.get_by_role("link", name="The branch day").click()
    day = page.get_by_role("table")
    for advisor in ("Anna Andersen", "Bo Berg"):  # the joint meeting in each advisor's row
        meeting = day.get_by_role("row").filter(has_text=advisor).locator(".day-item-meeting")
        expect(meeting).to_have_count(1)
        expect(meeting).to_contain_text("09:00–09:30")
        expect(meeting).to_contain_text("Karen Blixen")
        expect(meeting).to_contain_text("Room Kattegat")
    assert_accessible(page)
    snap(page, "staff-flow-branch-day")

    second = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        bo = second.new_page()
        bo.context.add_init_script(path=axe_path)
        _sign_in(bo, live, *SECOND)
        bo.get_by_role("link", name="My meetings").click()
        theirs = bo.get_by_role("listitem").filter(has_text="Karen Blixen")
        expect(theirs).to_contain_text("Lead advisor")
        expect(theirs).to_contain_text("Anna Andersen")
        assert_accessible(bo)
        snap(bo, "staff-flow-second-advisor")
    finally:
        second.close()

    page.goto(live.url + "/staff/meetings")
    page.get_by_role("link", name=f"Open the meeting at {WHEN}").click()
    page.get_by_role("link", name="Move", exact=False).first.click()
    page.locator("#week-next").click()
    settle(page)
    expect(page.locator("#grid-heading")).to_contain_text("Mon 9 Mar")
    page.locator("button.slot").first.click()
    page.locator("main button[type='submit']").first.click()
    expect(page.locator(".message.success")).to_contain_text("Monday 9 March, 09:00")
    customer.reload()
    expect(customer.locator(".summary")).to_contain_text("Monday 9 March, 09:00–09:30")

    page.get_by_text("Cancel", exact=False).first.click()
    page.get_by_label("Reason for cancelling").fill("Bo Berg is on a course that week")
    page.get_by_role("button", name="Cancel the meeting").click()
    expect(page.locator(".message.success")).to_contain_text("The meeting is cancelled.")
    customer.reload()
    expect(customer.get_by_role("heading", level=1)).to_have_text("This meeting is cancelled")
    expect(customer.locator("main")).to_contain_text("Bo Berg is on a course that week")
    with live.db():
        meeting = db.session.query(Meeting).one()
        assert meeting.status == "Cancelled" and meeting.booked_by == "employee"
        assert {meeting.employee_id, *meeting.additional_employee_ids} == {
            live.world.anna.id,
            live.world.bo.id,
        }


LIMITED: dict[str, Any] = {
    "RATELIMIT_ENABLED": True,  # the live server runs without limits unless a test asks
    "BOOKME_RATELIMIT_STORAGE": "memory://",
    "BOOKME_LOGIN_ACCOUNT_LIMIT": "5 per 15 minutes",
    "BOOKME_LOGIN_ADDRESS_LIMIT": "20 per 15 minutes",
}


def test_the_sixth_wrong_password_in_a_row_is_refused_with_the_limit_message(
    page: Page, sqlite_template: str, tmp_path: Any, axe_path: str
) -> None:
    with serving(sqlite_template, tmp_path, **LIMITED) as live:
        _setup(live)
        page.context.add_init_script(path=axe_path)
        page.goto(live.url + "/login")
        for _ in range(5):
            page.get_by_label("E-mail", exact=True).fill(DEMO_ADVISOR.email)
            page.get_by_label("Password", exact=True).fill("not-the-password")
            page.get_by_role("button", name="Sign in").click()
            expect(page.locator("main")).to_contain_text("The e-mail or password is not right")
        page.get_by_label("E-mail", exact=True).fill(DEMO_ADVISOR.email)
        page.get_by_label("Password", exact=True).fill(DEMO_ADVISOR.password)  # even the right one
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("main")).to_contain_text("Too many sign-in attempts")
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Staff workspace")
        assert_accessible(page)
        snap(page, "staff-flow-limited")


def test_a_session_idle_past_its_timeout_is_sent_to_sign_in(
    page: Page, live: Live, axe_path: str
) -> None:
    _setup(live)
    page.context.add_init_script(path=axe_path)
    _sign_in(page, live, DEMO_ADVISOR.email, DEMO_ADVISOR.password)
    live.clock.advance(minutes=live.app.config["BOOKME_STAFF_IDLE_MINUTES"] + 1)
    page.get_by_role("link", name="My meetings").click()
    expect(page).to_have_url(f"{live.url}/login?next=/staff/meetings")
    expect(page.locator("main")).to_contain_text("signed out after a while without activity")
    assert_accessible(page)
    snap(page, "staff-flow-idle")
