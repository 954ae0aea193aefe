"""The customer flow in Chromium: happy path with screenshots and axe-core, holds, expiry, languages."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.models import Employee, Meeting
from tests.e2e.conftest import Live
from tests.e2e.pages import (
    answer_step_one,
    assert_accessible,
    fill_details,
    only_anna,
    reserve_for_someone_else,
    settle,
    snap,
)

TUESDAY_10 = "Tuesday 3 March, 10:00"


def test_a_customer_books_a_meeting_and_downloads_the_calendar_file(
    page: Page, live: Live, axe_path: str
) -> None:
    page.context.add_init_script(path=axe_path)
    page.goto(f"{live.url}/book")
    assert_accessible(page)
    snap(page, "1-what-about")
    answer_step_one(page, live)
    assert_accessible(page)
    snap(page, "2-times")
    page.get_by_role("button", name=TUESDAY_10).click()
    hold = page.locator("#hold")
    expect(hold.get_by_role("heading", name="Held for you until 08:05")).to_be_focused()
    expect(hold.locator(".countdown")).to_have_text(re.compile(r"^[45]:\d\d$"))
    advisor = hold.locator("dd").nth(2).inner_text()
    assert_accessible(page)
    snap(page, "3-hold")
    page.get_by_role("link", name="Continue with your details").click()
    page.get_by_role("button", name="Continue to confirm").click()
    expect(page.get_by_role("heading", name="Please correct the following")).to_be_focused()
    assert_accessible(page)
    snap(page, "4-details-errors")
    fill_details(page)
    snap(page, "4-details")
    page.get_by_role("button", name="Continue to confirm").click()
    expect(page.get_by_role("heading", name="Confirm your meeting")).to_be_visible()
    assert_accessible(page)
    snap(page, "5-confirm")
    page.get_by_role("button", name="Book the meeting").click()
    expect(page.get_by_role("heading", name="Your meeting is booked")).to_be_visible()
    assert_accessible(page)
    snap(page, "6-booked")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar").click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert "DTSTART:20260303T090000Z" in ics
    with live.db() as session:
        meeting = session.scalar(select(Meeting))
        assert meeting.booked_by == "customer" and meeting.customer_name == "Karen Kunde"
        assert meeting.start_at.isoformat() == "2026-03-03T09:00:00+00:00"
        assert session.get(Employee, meeting.employee_id).display_name == advisor
    page.locator("#private-link").click()
    expect(page.get_by_role("heading", name="Your meeting")).to_be_visible()
    assert_accessible(page)
    snap(page, "7-private-link")


def test_choosing_another_time_releases_the_first_hold_for_everyone(
    page: Page, live: Live, browser: Browser
) -> None:
    only_anna(live)
    answer_step_one(page, live)
    page.get_by_role("button", name=TUESDAY_10).click()
    expect(page.locator("#hold")).to_contain_text("Held for you")
    other = browser.new_context()
    other_page = other.new_page()
    other_page.goto(page.url)
    expect(other_page.get_by_role("button", name=TUESDAY_10)).to_have_count(0)
    page.get_by_role("button", name="Tuesday 3 March, 11:00").click()
    expect(page.locator("#hold")).to_contain_text("Tuesday 3 March, 11:00–12:00")
    other_page.reload()
    expect(other_page.get_by_role("button", name=TUESDAY_10)).to_have_count(1)
    expect(other_page.get_by_role("button", name="Tuesday 3 March, 11:00")).to_have_count(0)
    other.close()


def test_a_time_taken_by_someone_else_gives_a_message_and_a_fresh_grid(
    page: Page, live: Live
) -> None:
    only_anna(live)
    answer_step_one(page, live)
    reserve_for_someone_else(live, "2026-03-03T09:00:00+00:00")
    page.get_by_role("button", name=TUESDAY_10).click()
    expect(page.locator("#status")).to_contain_text("no longer free")
    expect(page.get_by_role("button", name=TUESDAY_10)).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile("^Free times"))).to_be_focused()


def test_a_hold_that_runs_out_and_is_taken_sends_the_customer_back_keeping_details(
    page: Page, live: Live
) -> None:
    only_anna(live)
    answer_step_one(page, live)
    page.get_by_role("button", name=TUESDAY_10).click()
    page.get_by_role("link", name="Continue with your details").click()
    fill_details(page)
    page.get_by_role("button", name="Continue to confirm").click()
    live.clock.advance(minutes=6)
    reserve_for_someone_else(live, "2026-03-03T09:00:00+00:00")
    page.get_by_role("button", name="Book the meeting").click()
    expect(page.locator("#status")).to_contain_text("someone else has taken that time")
    page.get_by_role("button", name="Tuesday 3 March, 11:00").click()
    # the panel of the hold that ran out has the same link: wait for the new hold's panel (and its
    # cookie, which names a new draft) before following it
    expect(page.locator("#hold")).to_contain_text("Tuesday 3 March, 11:00")
    page.get_by_role("link", name="Continue with your details").click()
    expect(page.get_by_label("Full name")).to_have_value("Karen Kunde")


def test_a_hold_that_runs_out_is_taken_again_when_the_time_is_still_free(
    page: Page, live: Live
) -> None:
    answer_step_one(page, live)
    page.get_by_role("button", name=TUESDAY_10).click()
    page.get_by_role("link", name="Continue with your details").click()
    fill_details(page)
    page.get_by_role("button", name="Continue to confirm").click()
    live.clock.advance(minutes=6)
    page.get_by_role("button", name="Book the meeting").click()
    expect(page.get_by_role("heading", name="Your meeting is booked")).to_be_visible()


def test_the_whole_flow_works_with_javascript_disabled(browser: Browser, live: Live) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    answer_step_one(page, live)
    page.get_by_role("link", name="Next week").click()
    expect(page.get_by_role("heading", name=re.compile("^Free times: Mon 9 Mar"))).to_be_visible()
    page.get_by_role("link", name="Previous week").click()
    page.get_by_role("button", name=TUESDAY_10).click()
    expect(page.locator("#hold")).to_contain_text("Held for you until 08:05")
    page.get_by_role("link", name="Continue with your details").click()
    fill_details(page)
    page.get_by_role("button", name="Continue to confirm").click()
    page.get_by_role("button", name="Book the meeting").click()
    expect(page.get_by_role("heading", name="Your meeting is booked")).to_be_visible()
    context.close()


def test_danish_visitors_get_danish_pages_and_can_switch_to_english(
    browser: Browser, live: Live
) -> None:
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    page.goto(f"{live.url}/book")
    expect(page.get_by_role("heading", name="Book et møde med en rådgiver")).to_be_visible()
    page.get_by_label("Privat").check()
    settle(page)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_label("Private")).to_be_checked()  # the switch keeps the answers
    page.get_by_role("link", name="Dansk").click()
    page.get_by_label("Mortgage").check()
    settle(page)
    page.get_by_label("Videomøde").check()
    settle(page)
    page.get_by_role("button", name="Fortsæt til tider").click()
    expect(page.get_by_role("button", name="tirsdag 3. marts, 10.00")).to_be_visible()
    snap(page, "2-times-da")
    expect(page.locator("footer")).to_contain_text("Centraleuropæisk")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("button", name=TUESDAY_10)).to_be_visible()
    context.close()


def test_a_second_tab_and_the_back_button_leave_a_sane_state(page: Page, live: Live) -> None:
    answer_step_one(page, live)
    page.get_by_role("button", name=TUESDAY_10).click()
    expect(page.locator("#hold")).to_contain_text("Held for you")
    second = page.context.new_page()
    second.goto(page.url)
    second.get_by_role("button", name="Wednesday 4 March, 09:00").click()
    expect(second.locator("#hold")).to_contain_text("Wednesday 4 March, 09:00")
    second.close()
    page.get_by_role("link", name="Continue with your details").click()
    expect(page.locator("#hold")).to_contain_text("Wednesday 4 March, 09:00")  # the live hold
    fill_details(page)
    page.get_by_role("button", name="Continue to confirm").click()
    page.get_by_role("button", name="Book the meeting").click()
    expect(page.get_by_role("heading", name="Your meeting is booked")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="Your meeting is booked")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Your meeting is booked")).to_be_visible()


def test_the_grid_refreshes_itself_so_times_taken_by_others_disappear(
    page: Page, live: Live
) -> None:
    only_anna(live)
    live.app.config["BOOKME_GRID_REFRESH_SECONDS"] = 1
    answer_step_one(page, live)
    slot = page.get_by_role("button", name=TUESDAY_10)
    expect(slot).to_have_count(1)
    reserve_for_someone_else(live, "2026-03-03T09:00:00+00:00")
    expect(slot).to_have_count(0, timeout=5000)
