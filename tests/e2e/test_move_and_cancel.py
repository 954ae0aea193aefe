"""After booking: moving and cancelling from the private link in Chromium."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.booking.meeting_create import MeetingRequest, create_meeting
from app.booking.reservations import HoldRequest, reserve
from app.models import Meeting
from tests.e2e.conftest import Live
from tests.e2e.pages import assert_accessible, snap

TOKEN = "private-link-token-for-the-e2e-test"


def _booked(live: Live) -> None:
    """A meeting on Tuesday 3 March 10:00 with Anna, booked through the services."""
    start = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    w = live.world
    with live.db():
        hold = reserve(
            HoldRequest(
                token="e2e-booking",
                start=start,
                end=start + timedelta(hours=1),
                employee_id=w.anna.id,
                meeting_type="Physical",
                topic_id=w.mortgage.id,
                customer_type_id=w.private.id,
                is_customer_initiated=True,
                owner="wizard:e2e",
            ),
            now=live.clock(),
        )
        create_meeting(
            MeetingRequest(
                time_slot_id=hold.id,
                customer_type_id=w.private.id,
                customer_name="Karen Kunde",
                manage_token=TOKEN,
            ),
            now=live.clock(),
        )


def test_a_customer_moves_the_meeting_from_the_private_link(
    page: Page, live: Live, axe_path: str
) -> None:
    page.context.add_init_script(path=axe_path)
    _booked(live)
    page.goto(f"{live.url}/m/{TOKEN}")
    page.get_by_role("link", name="Move to another time").click()
    expect(page.get_by_role("heading", name="Pick a new time")).to_be_visible()
    expect(page.get_by_label("Preferred advisor (optional)")).to_have_value(live.world.anna.id)
    expect(page.locator("#mine-current")).to_contain_text("Your current time")
    snap(page, "8-move-times")
    page.get_by_role("button", name="Wednesday 4 March, 09:00").click()
    page.get_by_role("link", name="Continue to move the meeting").click()
    assert_accessible(page)
    snap(page, "8-move")
    page.get_by_role("button", name="Move the meeting").click()
    expect(page.locator("#status")).to_contain_text("Your meeting is moved")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the updated calendar file").click()
    assert "SEQUENCE:1" in Path(download.value.path()).read_text(encoding="utf-8")
    snap(page, "8-moved")
    with live.db() as session:
        meeting = session.scalar(select(Meeting))
        assert meeting.start_at == datetime(2026, 3, 4, 8, 0, tzinfo=UTC)


def test_a_customer_cancels_the_meeting_from_the_private_link(page: Page, live: Live) -> None:
    _booked(live)
    page.goto(f"{live.url}/m/{TOKEN}")
    page.get_by_role("link", name="Cancel the meeting").click()
    expect(page.get_by_role("heading", name="Cancel the meeting?")).to_be_visible()
    snap(page, "9-cancel-confirm")
    page.get_by_label("Reason (optional)").fill("Plans changed")
    page.get_by_role("button", name="Yes, cancel the meeting").click()
    expect(page.get_by_role("heading", name="This meeting is cancelled")).to_be_visible()
    snap(page, "10-cancelled")
    page.get_by_role("link", name="Book a new meeting").click()
    expect(page.get_by_role("heading", name="Book a meeting with an advisor")).to_be_visible()
    with live.db() as session:
        assert session.scalar(select(Meeting)).status == "Cancelled"
