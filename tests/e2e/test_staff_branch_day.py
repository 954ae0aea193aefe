"""The branch day in a browser: the demo advisor opens it from /staff; the table passes axe and is
photographed (staff-branch-day at 1280 and 360 px)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from app.demo.staff import DEMO_ADVISOR, create_demo_staff
from app.extensions import db
from app.models import Employee, Location
from tests import factories
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, snap
from tests.factories import at


def test_the_advisor_sees_the_branch_day(page: Page, live: Live, axe_path: str) -> None:
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.anna.id)
        anna = db.session.get(Employee, live.world.anna.id)
        bo = db.session.get(Employee, live.world.bo.id)
        branch = db.session.get(Location, live.world.branch.id)
        room = factories.room(branch, name="Room Øresund")
        factories.meeting(
            anna, at(10), room=room, location_id=branch.id, customer_name="Karen Jensen"
        )
        factories.busy(bo, at(9), at(10, 30), kind="elsewhere")
        db.session.commit()
    page.context.add_init_script(path=axe_path)
    page.goto(live.url + "/login")
    page.get_by_label("E-mail", exact=True).fill(DEMO_ADVISOR.email)
    page.get_by_label("Password", exact=True).fill(DEMO_ADVISOR.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="The branch day").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The branch day")
    expect(page.get_by_role("table")).to_contain_text("Karen Jensen")
    assert_accessible(page)
    snap(page, "staff-branch-day")
