"""Calendar files: every property a calendar client needs, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from app.booking.ics import meeting_ics
from app.booking.meeting_changes import MeetingChanges, cancel_meeting, update_meeting
from app.extensions import db
from tests import factories

CPH = ZoneInfo("Europe/Copenhagen")


def parse(data: bytes):  # type: ignore[no-untyped-def]
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


@pytest.fixture
def booked(bank):  # type: ignore[no-untyped-def]
    start = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    meeting = factories.meeting(
        bank.advisor,
        start,
        topic=bank.topic,
        room=bank.room,
        location_id=bank.branch.id,
        customer_name="Carla Customer",
        customer_email="carla@example.test",
    )
    db.session.commit()
    return meeting


def test_a_booked_meeting_gives_one_confirmed_event_with_every_property(bank, booked, clock):
    data = meeting_ics(booked, now=clock.now)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar, event = parse(data)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"meeting-{booked.id}@bookme"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTAMP") == clock.now
    assert event.decoded("DTSTART") == booked.start_at
    assert event.decoded("DTEND") == booked.end_at
    assert str(event["SUMMARY"]) == "Mortgage"
    assert "Mortgage" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == f"Branch-North, {bank.branch.address}"
    assert str(event["ORGANIZER"]) == f"mailto:{bank.advisor.email}"
    assert event["ORGANIZER"].params["CN"] == bank.advisor.display_name
    assert str(event["ATTENDEE"]) == "mailto:carla@example.test"
    assert event["ATTENDEE"].params["CN"] == "Carla Customer"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_caller_may_choose_title_description_and_location(booked, clock):
    data = meeting_ics(
        booked, now=clock.now, title="T", description="D; with, commas", location="L"
    )
    _, event = parse(data)
    assert (str(event["SUMMARY"]), str(event["DESCRIPTION"]), str(event["LOCATION"])) == (
        "T",
        "D; with, commas",
        "L",
    )


def test_the_organisation_title_template_names_topic_and_advisor(bank, booked, clock):
    factories.settings(meeting_title_template="{topic} with {advisor}")
    _, event = parse(meeting_ics(booked, now=clock.now))
    assert str(event["SUMMARY"]) == f"Mortgage with {bank.advisor.display_name}"


def test_the_organisation_description_template_fills_the_description(bank, booked, clock):
    factories.settings(meeting_description_template="{topic} at {organisation}. {bad")
    _, event = parse(meeting_ics(booked, now=clock.now))
    # what it knows is filled; a brace it does not know stays as written
    assert str(event["DESCRIPTION"]) == "Mortgage at BookMe Bank. {bad"
    factories.settings(meeting_description_template="{topic} with {advisor} ({type})")
    _, event = parse(meeting_ics(booked, now=clock.now))
    assert str(event["DESCRIPTION"]) == f"Mortgage with {bank.advisor.display_name} (Physical)"


def test_an_online_meeting_is_located_online(bank, clock):
    meeting = factories.meeting(
        bank.advisor, datetime(2026, 3, 4, 9, tzinfo=UTC), meeting_type="Online"
    )
    _, event = parse(meeting_ics(meeting, now=clock.now))
    assert str(event["LOCATION"]) == "Online"


def test_the_uid_stays_and_the_sequence_grows_with_each_change(booked, clock):
    _, before = parse(meeting_ics(booked, now=clock.now))
    update_meeting(booked.id, MeetingChanges(title="New title"), now=clock.now)
    _, after = parse(meeting_ics(booked, now=clock.now))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert str(after["SUMMARY"]) == "New title"


def test_a_cancelled_meeting_gives_method_cancel_and_status_cancelled(booked, clock):
    cancel_meeting(booked.id, now=clock.now)
    calendar, event = parse(meeting_ics(booked, now=clock.now))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


@pytest.mark.parametrize(
    ("local_day", "utc_hour"),
    [
        (datetime(2026, 3, 27, 9, 0), 8),  # Friday before the spring change: UTC+1
        (datetime(2026, 3, 30, 9, 0), 7),  # Monday after it: UTC+2
        (datetime(2026, 10, 23, 9, 0), 7),  # Friday before the autumn change: UTC+2
        (datetime(2026, 10, 26, 9, 0), 8),  # Monday after it: UTC+1
    ],
)
def test_nine_oclock_in_copenhagen_is_the_right_instant_across_daylight_saving(
    bank, clock, local_day, utc_hour
):
    start = local_day.replace(tzinfo=CPH)
    meeting = factories.meeting(bank.advisor, start.astimezone(UTC), minutes=45)
    _, event = parse(meeting_ics(meeting, now=clock.now))
    dtstart = event.decoded("DTSTART")
    assert dtstart.utcoffset() == timedelta(0)
    assert dtstart.hour == utc_hour
    assert dtstart.astimezone(CPH).hour == 9
    assert event.decoded("DTEND") - dtstart == timedelta(minutes=45)
    assert b"DTSTART:" + f"{dtstart:%Y%m%dT%H%M%S}Z".encode() in meeting_ics(meeting, now=clock.now)
