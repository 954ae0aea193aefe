"""The vendor's calendar-file templates: `{{employee}}`-style placeholders for title and
description, set through `iCalMeetingTitle` / `iCalMeetingDescription` (or our names)."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from app.booking.ics import fill_template
from tests.api.test_ical import booked
from tests.booking.conftest import SLOT_START, make_bank

ADMIN = ("bookme.read", "bookme.book", "bookme.admin")


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


def _event(client, headers, meeting_id):  # type: ignore[no-untyped-def]
    resp = client.post(f"/bookme/meetings/{meeting_id}/ical", headers=headers)
    assert resp.status_code == 200
    return Calendar.from_ical(resp.data).walk("VEVENT")[0]


def test_the_vendors_template_settings_fill_title_and_description(client, auth, bank):
    headers = auth(*ADMIN)
    settings = {
        "iCalMeetingTitle": "Meeting with {{employee}}",
        "iCalMeetingDescription": "Your {{ topic }} meeting ({{meetingType}}) at {organisation}",
    }
    resp = client.patch("/config/settings", json=settings, headers=headers)
    assert resp.status_code == 200, resp.json
    assert resp.json["meetingDescriptionTemplate"] == settings["iCalMeetingDescription"]
    meeting = booked(bank, SLOT_START)
    event = _event(client, headers, meeting.id)
    assert str(event["SUMMARY"]) == f"Meeting with {bank.advisor.display_name}"
    assert str(event["DESCRIPTION"]) == "Your Mortgage meeting (Physical) at " + (resp.json["name"])


def test_our_names_for_the_settings_work_too_and_a_too_long_template_is_a_400(client, auth, bank):
    headers = auth(*ADMIN)
    body = {"meetingDescriptionTemplate": "With {advisor}"}
    assert client.patch("/config/settings", json=body, headers=headers).status_code == 200
    too_long = {"meetingDescriptionTemplate": "x" * 1001}
    assert client.patch("/config/settings", json=too_long, headers=headers).status_code == 400
    meeting = booked(bank, SLOT_START)
    assert str(_event(client, headers, meeting.id)["DESCRIPTION"]) == (
        f"With {bank.advisor.display_name}"
    )


@pytest.mark.parametrize(
    ("template", "filled"),
    [
        ("Meeting with {{employee}}", "Meeting with Ada"),
        ("{{ EMPLOYEE }} / {advisor} / {{topic}}", "Ada / Ada / Loans"),
        ("{{unknown}} and {nothing} stay", "{{unknown}} and {nothing} stay"),
        ("braces { } and {{ }} alone", "braces { } and {{ }} alone"),
    ],
)
def test_fill_template_knows_both_placeholder_styles(template, filled):
    assert (
        fill_template(template, {"employee": "Ada", "advisor": "Ada", "topic": "Loans"}) == filled
    )
