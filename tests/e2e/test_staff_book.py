"""Book for a customer in a browser: the demo advisor books a joint meeting of two advisors, with a
room and a staff-only topic, for a new customer, by keyboard; every step passes axe and the pages
are photographed (staff-book-* at 1280 and 360 px)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from app.demo.staff import DEMO_ADVISOR, create_demo_staff
from app.extensions import db
from app.models import Customer, Location, Meeting
from tests import factories
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, settle, snap


def _sign_in(page: Page, live: Live) -> None:
    page.goto(live.url + "/login")
    page.get_by_label("E-mail", exact=True).fill(DEMO_ADVISOR.email)
    page.get_by_label("Password", exact=True).fill(DEMO_ADVISOR.password)
    page.get_by_label("Password", exact=True).press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")


def test_the_advisor_books_a_joint_meeting_with_a_room_for_a_new_customer(
    page: Page, live: Live, axe_path: str
) -> None:
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.anna.id)
        branch = db.session.get(Location, live.world.branch.id)
        factories.room(branch, name="Room Øresund")
        room_id = factories.room(branch, name="Room Kattegat").id
        db.session.add(Customer(id="C-1001", name="Karen Jensen", email="kj@example.dk"))
        db.session.commit()
    page.context.add_init_script(path=axe_path)
    _sign_in(page, live)
    page.get_by_role("link", name="Book for a customer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Book for a customer")
    page.get_by_label("Customer number, name, e-mail or phone").press_sequentially("jens")
    results = page.locator("#customer-results")
    expect(results).to_contain_text("Karen Jensen")  # typed search refreshes with htmx
    expect(page.get_by_label("Customer number, name, e-mail or phone")).to_be_focused()
    assert_accessible(page)
    snap(page, "staff-book-customer")

    page.get_by_label("Customer number (optional)").fill("C-4711")
    page.get_by_label("Full name").fill("Karen Blixen")
    page.get_by_label("E-mail (optional)").fill("karen@example.dk")
    page.get_by_label("Phone (optional)").fill("+45 12 34 56 78")
    page.get_by_label("Phone (optional)").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("The meeting")
    page.get_by_label("Topic").select_option(label="Internal review (staff only)")
    page.get_by_label("Meeting type").select_option(value="Physical")
    page.get_by_label("Branch").select_option(value=live.world.branch.id)
    page.get_by_label("Anna Andersen").check()
    page.get_by_label("Bo Berg").check()
    page.get_by_label("Room", exact=True).select_option(value=room_id)
    assert_accessible(page)
    snap(page, "staff-book-what")
    page.get_by_role("button", name="Show free times").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    first = page.locator("button.slot").first
    expect(first).to_be_visible()
    assert_accessible(page)
    snap(page, "staff-book-times")
    first.focus()
    page.keyboard.press("Enter")
    settle(page)
    hold = page.locator("#hold")
    expect(hold).to_contain_text("Anna Andersen, Bo Berg")
    expect(hold).to_contain_text("Room Kattegat")
    expect(page.locator("#hold-heading")).to_be_focused()
    assert_accessible(page)
    snap(page, "staff-book-held")

    page.get_by_role("link", name="Continue to confirm").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the booking")
    assert_accessible(page)
    page.get_by_role("button", name="Book the meeting").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("The meeting is booked")
    expect(page.locator("#private-link")).to_contain_text("/m/")
    assert_accessible(page)
    snap(page, "staff-book-done")
    with live.db():
        meeting = db.session.query(Meeting).one()
        assert meeting.booked_by == "employee"
        assert meeting.room_id == room_id
        assert {meeting.employee_id, *meeting.additional_employee_ids} == {
            live.world.anna.id,
            live.world.bo.id,
        }
        assert meeting.topic_id == live.world.staff_only.id
