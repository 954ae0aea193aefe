"""The whole loop in Chromium: book in the wizard, the worker files the confirmation e-mail in the
development maildir, the /dev/mail page shows it, and its private link opens the meeting."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.notifications.transport import MaildirTransport
from app.notifications.worker import run_once
from tests.e2e.conftest import Live, serving
from tests.e2e.pages import answer_step_one, assert_accessible, fill_details, snap


@pytest.fixture
def live_with_mail(sqlite_template: str, tmp_path: Any) -> Iterator[Live]:
    maildir = os.path.join(tmp_path, "mail")
    with serving(
        sqlite_template, tmp_path, BOOKME_MAIL_DIR=maildir, BOOKME_DEV_MAIL_PAGE=True
    ) as running:
        running.app.config["BOOKME_PUBLIC_URL"] = running.url
        yield running


def test_the_confirmation_mail_reaches_the_sink_and_its_private_link_opens_the_meeting(
    page: Page, live_with_mail: Live, axe_path: str
) -> None:
    live = live_with_mail
    page.context.add_init_script(path=axe_path)
    page.goto(f"{live.url}/dev/mail")
    expect(page.get_by_text("No e-mails yet")).to_be_visible()
    answer_step_one(page, live)
    page.get_by_role("button", name="Tuesday 3 March, 10:00").click()
    page.get_by_role("link", name="Continue with your details").click()
    fill_details(page)
    page.get_by_role("button", name="Continue to confirm").click()
    page.get_by_role("button", name="Book the meeting").click()
    expect(page.get_by_role("heading", name="Your meeting is booked")).to_be_visible()
    with live.app.app_context():
        transport = MaildirTransport(live.app.config["BOOKME_MAIL_DIR"])
        assert run_once(transport, worker_id="e2e", clock=live.clock).delivered >= 1
    page.goto(f"{live.url}/dev/mail")
    mail = page.locator("article", has_text="karen@example.com")
    expect(mail.get_by_role("heading", name="Your meeting with Nordbank is booked")).to_be_visible()
    expect(mail).to_contain_text("Tuesday 3 March, 10:00–11:00")
    expect(mail).to_contain_text("meeting.ics (text/calendar; method=REQUEST)")
    assert_accessible(page)
    snap(page, "8-confirmation-mail")
    mail.get_by_role("link", name=f"{live.url}/m/").click()
    expect(page.get_by_role("heading", name="Your meeting")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Tuesday 3 March, 10:00")
