"""Why not? in a browser: the demo advisor asks about a time Anna has a meeting at, then about
another time through the form (htmx swaps the answer in and moves focus to it); axe passes and the
answer survives the grid's periodic redraw; the page is photographed (staff-why-not at 1280 and
360 px, in Danish too)."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page, expect

from app.demo.staff import DEMO_ADVISOR, create_demo_staff
from app.extensions import db
from app.models import Employee
from tests import factories
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, settle, snap
from tests.factories import at


def test_the_advisor_asks_why_not_and_then_about_another_time(
    page: Page, live: Live, axe_path: str
) -> None:
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.anna.id)
        anna = db.session.get(Employee, live.world.anna.id)
        factories.meeting(anna, at(10), customer_name="Karen Jensen")
        db.session.commit()
    page.context.add_init_script(path=axe_path)
    page.goto(live.url + "/login")
    page.get_by_label("E-mail", exact=True).fill(DEMO_ADVISOR.email)
    page.get_by_label("Password", exact=True).fill(DEMO_ADVISOR.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")
    world = live.world
    query = {
        "topic": world.mortgage.id,
        "type": "Physical",
        "location": world.branch.id,
        "advisor": world.anna.id,
        "start": "2026-03-02T10:00",
    }
    page.goto(f"{live.url}/staff/why-not?{urlencode(query)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Why not?")
    answer = page.locator(".why-not-result")
    expect(answer).to_contain_text("Anna Andersen has a meeting 10:00–11:00.")
    expect(answer).not_to_contain_text("Karen")
    assert_accessible(page)
    snap(page, "staff-why-not")
    page.get_by_label("Time", exact=True).select_option("11:00")
    page.get_by_role("button", name="Why not?").click()
    settle(page)
    expect(answer).to_contain_text("This time is free:")
    expect(page.locator("#why-not-answer")).to_be_focused()
    assert page.url.endswith("start=2026-03-02T10%3A00")  # answered in place, not a new page
    assert_accessible(page)
    snap(page, "staff-why-not-free")
    # The booking grid redraws itself (and the form in it) every 30 s: the answer and the time stay.
    page.evaluate(
        """async url => {
            const html = await (await fetch(url)).text();
            htmx.swap("section.why-not", html, {swapStyle: "outerHTML"}, {select: "section.why-not"});
        }""",
        page.url,
    )
    settle(page)
    expect(answer).to_contain_text("This time is free:")
    expect(page.get_by_label("Time", exact=True)).to_have_value("11:00")
    page.get_by_role("link", name="Dansk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvorfor ikke?")
    expect(answer).to_contain_text("Anna Andersen har et møde 10.00–11.00.")
    assert_accessible(page)
    snap(page, "staff-why-not-da")
