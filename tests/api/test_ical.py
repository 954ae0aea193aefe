"""`POST /bookme/meetings/{id}/ical`: a calendar file clients can import, parsed back property by property."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from app.extensions import db
from tests import factories
from tests.booking.conftest import make_bank

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


@pytest.fixture
def book(auth):  # type: ignore[no-untyped-def]
    return auth("bookme.read", "bookme.book")


def booked(bank, start, **kw):  # type: ignore[no-untyped-def]
    meeting = factories.meeting(
        bank.advisor,
        start,
        topic=bank.topic,
        room=bank.room,
        location_id=bank.branch.id,
        client_id="test-client",
        customer_email="carla@example.test",
        customer_name="Carla",
        **kw,
    )
    db.session.commit()
    return meeting


def event_of(resp):  # type: ignore[no-untyped-def]
    calendar = Calendar.from_ical(resp.data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_answer_is_a_text_calendar_attachment_named_after_the_meeting(client, bank, book):
    meeting = booked(bank, datetime(2026, 3, 3, 9, tzinfo=UTC))
    resp = client.post(f"/bookme/meetings/{meeting.id}/ical", headers=book)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert resp.headers["Content-Disposition"] == f'attachment; filename="meeting-{meeting.id}.ics"'
    assert (
        resp.headers["Cache-Control"] == "private, no-store"
    )  # names and e-mails: no shared cache
    calendar, event = event_of(resp)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"meeting-{meeting.id}@bookme"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTAMP") == datetime(2026, 3, 2, 7, tzinfo=UTC)
    assert event.decoded("DTSTART") == meeting.start_at
    assert event.decoded("DTEND") == meeting.end_at
    assert str(event["SUMMARY"]) == "Mortgage"
    assert str(event["LOCATION"]).startswith("Branch-North")
    assert str(event["ORGANIZER"]) == f"mailto:{bank.advisor.email}"
    assert str(event["ATTENDEE"]) == "mailto:carla@example.test"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DESCRIPTION"]


def test_the_body_overrides_title_description_and_location(client, bank, book):
    meeting = booked(bank, datetime(2026, 3, 3, 9, tzinfo=UTC))
    body = {"title": "Tea", "description": "Æble og øl", "location": "Room 7"}
    resp = client.post(f"/bookme/meetings/{meeting.id}/ical", json=body, headers=book)
    _, event = event_of(resp)
    assert (str(event["SUMMARY"]), str(event["DESCRIPTION"]), str(event["LOCATION"])) == (
        "Tea",
        "Æble og øl",
        "Room 7",
    )


def test_a_cancelled_meeting_answers_method_cancel_with_a_higher_sequence(client, bank, book):
    meeting = booked(bank, datetime(2026, 3, 3, 9, tzinfo=UTC))
    first = event_of(client.post(f"/bookme/meetings/{meeting.id}/ical", headers=book))[1]
    assert client.delete(f"/bookme/meetings/{meeting.id}", headers=book).status_code == 204
    calendar, event = event_of(client.post(f"/bookme/meetings/{meeting.id}/ical", headers=book))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(first["UID"])
    assert int(event["SEQUENCE"]) > int(first["SEQUENCE"])


@pytest.mark.parametrize(
    "local",
    [datetime(2026, 3, 27, 10, 0), datetime(2026, 3, 30, 10, 0), datetime(2026, 10, 26, 10, 0)],
)
def test_times_are_exact_instants_on_both_sides_of_a_daylight_saving_change(
    client, bank, book, local
):
    start = local.replace(tzinfo=CPH).astimezone(UTC)
    meeting = booked(bank, start)
    _, event = event_of(client.post(f"/bookme/meetings/{meeting.id}/ical", headers=book))
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").astimezone(CPH).hour == 10
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=1)


def test_another_clients_meeting_answers_404(client, bank, auth):
    meeting = booked(bank, datetime(2026, 3, 3, 9, tzinfo=UTC))
    other = auth("bookme.book", client_id="other")
    assert client.post(f"/bookme/meetings/{meeting.id}/ical", headers=other).status_code == 404
