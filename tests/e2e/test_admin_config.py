"""The demo admin configures the bank in a browser: enrols a second factor, adds a closing day
and a room (one refused input first), imports the public holidays, deletes a row inline with htmx.
The list and form pages pass axe and are photographed at 1280 px and 360 px."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.demo.staff import DEMO_ADMIN, create_demo_staff
from app.models import ClosingDay, Employee, Room
from tests import factories
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, snap


def _sign_in_and_enrol(page: Page, live: Live) -> None:
    page.goto(live.url + "/login")
    page.get_by_label("E-mail", exact=True).fill(DEMO_ADMIN.email)
    page.get_by_label("Password", exact=True).fill(DEMO_ADMIN.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live.url + "/staff/security/mfa")
    secret = page.locator("code.secret").get_attribute("data-secret") or ""
    page.get_by_label("One-time code", exact=True).fill(pyotp.TOTP(secret).at(live.clock.now))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")


def test_the_admin_adds_a_closing_day_and_a_room(page: Page, live: Live, axe_path: str) -> None:
    with live.db():
        create_demo_staff(live.clock.now, advisor_employee_id=live.world.anna.id)
    page.context.add_init_script(path=axe_path)
    _sign_in_and_enrol(page, live)
    page.goto(live.url + "/staff/admin")
    page.get_by_role("link", name="Closing days").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Closing days")

    page.get_by_role("link", name="Add closing day").click()
    page.get_by_label("Date", exact=True).fill("2026-06-05")
    page.get_by_label("Name", exact=True).fill("Grundlovsdag")
    assert_accessible(page)
    snap(page, "admin-closing-day-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: Grundlovsdag.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Fri 5 Jun 2026")).to_be_visible()

    page.get_by_label("Year").select_option("2027")
    page.get_by_role("button", name="Add public holidays").click()
    expect(page.get_by_text("Public holidays 2027: 10 closing days added.")).to_be_visible()
    assert_accessible(page)
    snap(page, "admin-closing-days")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete Fri 5 Jun 2026").click()
    note = page.get_by_text("Deleted: Fri 5 Jun 2026.")
    expect(note).to_be_focused()
    with live.db() as session:
        days = session.scalars(select(ClosingDay.day)).all()
    assert len(days) == 10 and all(d.year == 2027 for d in days)

    page.goto(live.url + "/staff/admin/rooms")
    page.get_by_role("link", name="Add room").click()
    page.get_by_label("Name", exact=True).fill("Fjord")
    page.get_by_label("Branch", exact=True).select_option(label="Branch-North")
    page.get_by_label("Seats", exact=True).fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Please correct the following")).to_be_focused()
    expect(page.locator("#f-capacity-error")).to_have_text("Enter a number greater than 0.")
    assert_accessible(page)
    snap(page, "admin-room-form-error")
    page.get_by_label("Seats", exact=True).fill("6")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("rowheader", name="Fjord")).to_be_visible()
    assert_accessible(page)
    snap(page, "admin-rooms")
    with live.db() as session:
        room = session.scalar(select(Room).where(Room.name == "Fjord"))
        assert room is not None and room.capacity == 6
        anna = session.get(Employee, live.world.anna.id)
        factories.meeting(anna, datetime(2026, 3, 5, 8, tzinfo=UTC), room=room)
        session.commit()

    page.get_by_role("link", name="Edit Fjord").click()
    page.get_by_label("Bookable", exact=True).uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="This change affects 1 booked meeting")).to_be_focused()
    expect(page.get_by_role("cell", name="Anna Andersen")).to_be_visible()
    assert_accessible(page)
    snap(page, "admin-room-affected")
    page.get_by_label("I have seen these meetings; save the change and keep them booked").check()
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("row", name="Fjord Branch-North 6 No Edit Fjord Delete Fjord")
    ).to_be_visible()

    for path, name in (
        ("topics", "admin-topics"),
        (f"topics/{live.world.mortgage.id}", "admin-topic-form"),
        ("competence-groups", "admin-competence-groups"),
        ("service-groups/new", "admin-service-group-form"),
        ("settings", "admin-settings"),
    ):
        page.goto(f"{live.url}/staff/admin/{path}")
        assert_accessible(page)
        snap(page, name)
    page.get_by_role("link", name="Dansk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationens indstillinger")
    snap(page, "admin-settings-da")
