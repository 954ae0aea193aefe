"""E-mails through a real SMTP server: headers, both bodies, language, and the calendar file."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from app.booking.meeting_changes import MeetingChanges, cancel_meeting, update_meeting
from app.booking.reservations import reserve
from tests.booking.conftest import SLOT_START
from tests.notifications.conftest import book, deliver


def _calendar(message):  # type: ignore[no-untyped-def]
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return part, Calendar.from_ical(part.get_content())


def _event(calendar):  # type: ignore[no-untyped-def]
    return next(c for c in calendar.walk() if c.name == "VEVENT")


def _to(smtp, address):  # type: ignore[no-untyped-def]
    return [m for m in smtp.sink.messages if address in str(m["To"])]


def test_a_booking_mails_the_customer_in_danish_with_the_private_link_and_a_calendar_request(
    mail_app, smtp, bank, clock
):
    meeting = book(bank, clock)
    assert deliver(clock).delivered == 2  # the customer and the advisor
    (mail,) = _to(smtp, "karen@example.test")
    assert mail["Subject"] == "Dit møde med BookMe Bank er booket"
    assert mail["From"].addresses[0].addr_spec == "booking@nordbank.test"
    assert mail["Message-ID"].endswith("@nordbank.test>")
    assert mail["Content-Language"] == "da"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    link = f"https://book.nordbank.test/m/{meeting.manage_token}"
    assert link in text and f'href="{link}"' in html
    assert "tirsdag 3. marts, 10.00–11.00" in text  # Copenhagen time, Danish format
    assert "Branch-North" in text and "Mortgage" in text
    assert "<img" not in html  # no tracking pixel
    part, calendar = _calendar(mail)
    assert part.get_param("method") == "REQUEST" and calendar["METHOD"] == "REQUEST"
    event = _event(calendar)
    assert event["UID"] == f"meeting-{meeting.id}@bookme"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == SLOT_START


def test_the_advisor_hears_of_a_new_meeting_with_the_customers_name(mail_app, smtp, bank, clock):
    book(bank, clock, locale="en")
    deliver(clock)
    (mail,) = _to(smtp, bank.advisor.email)
    assert mail["Subject"] == "New meeting Tuesday 3 March, 10:00–11:00"
    text = mail.get_body(("plain",)).get_content()
    assert "Karen Kunde" in text and "https://book.nordbank.test/staff/meetings" in text
    assert "/m/" not in text  # the customer's private link is the customer's


def test_a_move_sends_the_same_uid_with_a_sequence_one_higher(mail_app, smtp, bank, clock):
    meeting = book(bank, clock)
    deliver(clock)
    _, first = _calendar(_to(smtp, "karen@example.test")[0])
    later = SLOT_START + timedelta(hours=2)
    hold = reserve(bank.hold("tok-2", start=later, existing_meeting_id=meeting.id), now=clock.now)
    update_meeting(
        meeting.id, MeetingChanges(time_slot_id=hold.id), hold_owner=hold.owner, now=clock.now
    )
    assert deliver(clock).delivered == 2
    moved = _to(smtp, "karen@example.test")[1]
    assert moved["Subject"] == "Dit møde med BookMe Bank er flyttet"
    assert "10.00–11.00" in moved.get_body(("plain",)).get_content()  # the old time is named
    _, second = _calendar(moved)
    assert _event(second)["UID"] == _event(first)["UID"]
    assert int(_event(second)["SEQUENCE"]) == int(_event(first)["SEQUENCE"]) + 1
    assert _event(second).decoded("DTSTART") == later
    assert moved["Message-ID"] != _to(smtp, "karen@example.test")[0]["Message-ID"]


def test_a_new_title_alone_sends_nothing(mail_app, smtp, bank, clock):
    meeting = book(bank, clock)
    deliver(clock)
    update_meeting(meeting.id, MeetingChanges(title="Renamed"), now=clock.now)
    assert deliver(clock).handled == 0


def test_a_cancellation_by_staff_sends_method_cancel_with_the_reason(mail_app, smtp, bank, clock):
    meeting = book(bank, clock, locale="en")
    deliver(clock)
    cancel_meeting(
        meeting.id, now=clock.now, cancelled_by="adviser@bank.test", reason="The advisor is ill"
    )
    assert deliver(clock).delivered == 2
    mail = _to(smtp, "karen@example.test")[1]
    assert mail["Subject"] == "Your meeting with BookMe Bank is cancelled"
    assert "The advisor is ill" in mail.get_body(("plain",)).get_content()
    part, calendar = _calendar(mail)
    assert part.get_param("method") == "CANCEL" and calendar["METHOD"] == "CANCEL"
    assert _event(calendar)["STATUS"] == "CANCELLED"
    assert int(_event(calendar)["SEQUENCE"]) == 1


def test_the_customers_own_cancellation_reason_is_not_echoed(mail_app, smtp, bank, clock):
    meeting = book(bank, clock, locale="en")
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="customer", reason="private words")
    deliver(clock)
    assert all(
        "private words" not in m.get_body(("plain",)).get_content() for m in smtp.sink.messages
    )


def test_html_escapes_what_customers_typed(mail_app, smtp, bank, clock):
    book(bank, clock, customer_name="<script>x</script>")
    deliver(clock)
    html = _to(smtp, "karen@example.test")[0].get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_parts_method_always_matches_the_calendar_files(mail_app, smtp, bank, clock):
    book(bank, clock, customer_email="")  # no attendee: the file is PUBLISH
    deliver(clock)
    (mail,) = smtp.sink.messages
    part, calendar = _calendar(mail)
    assert part.get_param("method") == calendar["METHOD"] == "PUBLISH"
