"""Moving and cancelling a meeting in a browser: the demo advisor opens a meeting from My meetings,
moves it by keyboard in the week grid, then cancels it with a reason; the customer's private link
shows each change. Every page passes axe and is photographed (staff-meeting, staff-move,
staff-move-confirm, staff-meeting-cancelled at 1280 and 360 px)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from app.demo.staff import DEMO_ADVISOR, create_demo_staff
from app.extensions import db
from app.models import Employee, Location, Topic
from tests import factories
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, settle, snap
from tests.e2e.test_keyboard import tab_to
from tests.factories import at

TOKEN = "k" * 32


def _meeting(live: Live) -> None:
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.anna.id)
        anna = db.session.get(Employee, live.world.anna.id)
        branch = db.session.get(Location, live.world.branch.id)
        room = factories.room(branch, name="Room Øresund")
        factories.meeting(
            anna,
            at(10),
            room=room,
            location_id=branch.id,
            topic=db.session.get(Topic, live.world.mortgage.id),
            customer_type_id=live.world.private.id,
            customer_name="Karen Jensen",
            customer_email="karen@example.com",
            manage_token=TOKEN,
        )
        db.session.commit()


def test_the_advisor_moves_then_cancels_a_meeting(page: Page, live: Live, axe_path: str) -> None:
    _meeting(live)
    page.context.add_init_script(path=axe_path)
    page.goto(live.url + "/login")
    page.get_by_label("E-mail", exact=True).fill(DEMO_ADVISOR.email)
    page.get_by_label("Password", exact=True).fill(DEMO_ADVISOR.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="My meetings").click()
    page.get_by_role("link", name="Open the meeting at Monday 2 March, 10:00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting on Monday 2 March, 10:00")
    expect(page.locator(".summary")).to_contain_text("Room Øresund")
    assert_accessible(page)
    snap(page, "staff-meeting")

    tab_to(page, "a[href$='/move']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Move the meeting")
    expect(page.locator("#grid")).to_contain_text("10:00")  # its own time is offered
    assert_accessible(page)
    snap(page, "staff-move")
    tab_to(page, "#week-next")
    page.keyboard.press("Enter")
    settle(page)
    expect(page.locator("#grid-heading")).to_contain_text("Mon 9 Mar")
    expect(page.locator("#week-next")).to_be_focused()
    tab_to(page, "button.slot")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="To")).to_be_visible()
    expect(page.locator(".hold")).to_contain_text("Monday 9 March, 09:00–10:00")
    expect(page.locator("del")).to_contain_text("Monday 2 March, 10:00–11:00")
    assert_accessible(page)
    snap(page, "staff-move-confirm")
    tab_to(page, "main button[type='submit']")
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text(
        "The meeting is moved to Monday 9 March, 09:00."
    )
    expect(page.locator(".summary")).to_contain_text("Last moved")

    private = page.context.new_page()
    private.goto(f"{live.url}/m/{TOKEN}")
    expect(private.locator(".summary")).to_contain_text("Monday 9 March, 09:00–10:00")

    page.get_by_text("Cancel", exact=False).first.click()
    page.get_by_label("Reason for cancelling").fill("The customer asked us to call instead")
    page.get_by_role("button", name="Cancel the meeting").click()
    expect(page.locator(".message.success")).to_contain_text("The meeting is cancelled.")
    expect(page.locator(".summary")).to_contain_text("The customer asked us to call instead")
    expect(page.get_by_role("link", name="Move", exact=False)).to_have_count(0)
    assert_accessible(page)
    snap(page, "staff-meeting-cancelled")

    private.reload()
    expect(private.get_by_role("heading", level=1)).to_have_text("This meeting is cancelled")
    expect(private.locator("main")).to_contain_text("The customer asked us to call instead")
    assert_accessible(private)
