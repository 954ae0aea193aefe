"""My meetings in a browser: the demo advisor sees the day's list, cancels one with a reason; the
page passes axe and is photographed (staff-meetings at 1280 and 360 px)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from app.demo.staff import DEMO_ADVISOR, create_demo_staff
from app.extensions import db
from app.models import Employee, Location
from tests import factories
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, snap
from tests.factories import at


def test_the_advisor_lists_and_cancels_a_meeting(page: Page, live: Live, axe_path: str) -> None:
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.anna.id)
        anna = db.session.get(Employee, live.world.anna.id)
        bo = db.session.get(Employee, live.world.bo.id)
        branch = db.session.get(Location, live.world.branch.id)
        room = factories.room(branch, name="Room Øresund")
        factories.meeting(
            anna, at(10), room=room, location_id=branch.id, customer_name="Karen Jensen"
        )
        factories.meeting(
            bo,
            at(11, day=3),
            meeting_type="Online",
            additional_employee_ids=[anna.id],
            customer_name="Hansen ApS",
        )
        factories.meeting(anna, at(9, day=4), customer_id="C-7788", booked_by="employee")
        db.session.commit()
    page.context.add_init_script(path=axe_path)
    page.goto(live.url + "/login")
    page.get_by_label("E-mail", exact=True).fill(DEMO_ADVISOR.email)
    page.get_by_label("Password", exact=True).fill(DEMO_ADVISOR.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="My meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My meetings")
    expect(page.get_by_role("heading", level=2).first).to_have_text("Today, Monday 2 March")
    assert_accessible(page)
    snap(page, "staff-meetings")

    first = page.get_by_role("listitem").filter(has_text="Karen Jensen")
    first.get_by_text("Cancel", exact=False).first.click()
    first.get_by_role("button", name="Cancel the meeting").click()
    expect(page.get_by_text("Enter a reason for cancelling.")).to_be_visible()
    assert_accessible(page)
    snap(page, "staff-meetings-reason")
    field = (
        page.get_by_role("listitem")
        .filter(has_text="Karen Jensen")
        .get_by_label("Reason for cancelling")
    )
    field.fill("The customer called in sick")
    page.get_by_role("listitem").filter(has_text="Karen Jensen").get_by_role(
        "button", name="Cancel the meeting"
    ).click()
    expect(page.locator(".message.success")).to_contain_text("The meeting is cancelled.")
    expect(page.get_by_text("Karen Jensen")).to_have_count(0)
