"""The customer's e-mails carry what the pages show: the reference, names in their language, how
to join, and the customer's own calendar file (the bank's name, the private link) -- whose UID,
SEQUENCE and METHOD follow the meeting as the plain file's do."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from app.booking.constants import MEETING_TYPES
from app.booking.meeting_changes import MeetingChanges, cancel_meeting, update_meeting
from app.booking.meeting_create import VendorFields
from app.booking.reference import reference_of
from app.booking.reservations import reserve
from app.extensions import db
from app.models import OrganisationSettings, WeeklySchedule
from tests.booking.conftest import SLOT_START
from tests.notifications.conftest import book, deliver

CUSTOMER = "karen@example.test"


def _calendar(message):  # type: ignore[no-untyped-def]
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    calendar = Calendar.from_ical(part.get_content())
    return part, calendar, next(c for c in calendar.walk() if c.name == "VEVENT")


def _to(smtp, address):  # type: ignore[no-untyped-def]
    return [m for m in smtp.sink.messages if address in str(m["To"])]


def _bodies(message):  # type: ignore[no-untyped-def]
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def _every_meeting_type(bank):  # type: ignore[no-untyped-def]
    bank.topic.meeting_types = list(MEETING_TYPES)
    for day in db.session.query(WeeklySchedule).filter_by(employee_id=bank.advisor.id):
        day.meeting_types = list(MEETING_TYPES)
    db.session.commit()


def _named_bank(bank):  # type: ignore[no-untyped-def]
    db.session.get(OrganisationSettings, 1).name = "Nordbank"
    bank.topic.localized_names = {"da-DK": "Boliglån", "en-GB": "Home loan"}
    db.session.commit()


def test_the_danish_confirmation_names_the_reference_and_the_topic_in_danish(
    mail_app, smtp, bank, clock
):
    _named_bank(bank)
    meeting = book(bank, clock)
    deliver(clock)
    (mail,) = _to(smtp, CUSTOMER)
    text, html = _bodies(mail)
    reference = reference_of(meeting)
    assert f"Bookingnummer: {reference}" in text and reference in html
    assert "Emne: Boliglån" in text and "Boliglån" in html and "Mortgage" not in text
    assert "Vi mødes på: Branch-North" in text  # the branch, as the wizard's file words it
    link = f"https://book.nordbank.test/m/{meeting.manage_token}"
    part, calendar, event = _calendar(mail)
    assert str(event["SUMMARY"]) == "Boliglån hos Nordbank"
    description = str(event["DESCRIPTION"])
    assert link in description and reference in description
    assert part.get_param("method") == calendar["METHOD"] == "REQUEST"
    assert event["UID"] == f"meeting-{meeting.id}@bookme" and int(event["SEQUENCE"]) == 0


def test_the_advisor_keeps_the_plain_file_without_the_private_link(mail_app, smtp, bank, clock):
    _named_bank(bank)
    meeting = book(bank, clock)
    deliver(clock)
    (mail,) = _to(smtp, bank.advisor.email)
    text, _ = _bodies(mail)
    assert reference_of(meeting) in text
    _, _, event = _calendar(mail)
    assert meeting.manage_token not in event.to_ical().decode()
    assert event["UID"] == f"meeting-{meeting.id}@bookme"


def test_a_video_meeting_mail_links_the_video_meeting(mail_app, smtp, bank, clock):
    link = "https://meet.bank.example/room-42"
    book(
        bank,
        clock,
        locale="en",
        meeting_type="Online",
        room_id=None,
        vendor=VendorFields(video_link=link),
        hold_kw={"meeting_type": "Online", "room_id": None},
    )
    deliver(clock)
    (mail,) = _to(smtp, CUSTOMER)
    text, html = _bodies(mail)
    assert f"Join the video meeting: {link}" in text
    assert f'<a href="{link}">' in html
    _, _, event = _calendar(mail)
    assert link in str(event["DESCRIPTION"])


def test_the_video_link_comes_from_the_template_when_the_meeting_has_none(
    mail_app, smtp, bank, clock
):
    mail_app.config["BOOKME_VIDEO_LINK_TEMPLATE"] = "https://meet.bank.example/{reference}"
    meeting = book(
        bank,
        clock,
        locale="en",
        meeting_type="Online",
        room_id=None,
        hold_kw={"meeting_type": "Online", "room_id": None},
    )
    deliver(clock)
    text, _ = _bodies(_to(smtp, CUSTOMER)[0])
    assert f"https://meet.bank.example/{reference_of(meeting)}" in text


def test_an_offsite_meeting_mail_gives_the_address_and_how_to_get_in(mail_app, smtp, bank, clock):
    _named_bank(bank)
    _every_meeting_type(bank)
    book(
        bank,
        clock,
        meeting_type="OffSite",
        room_id=None,
        customer_address="Markvej 3, 7100 Vejle",
        customer_address_note="Ring at the <farmhouse>",
        hold_kw={"meeting_type": "OffSite", "room_id": None},
    )
    deliver(clock)
    (mail,) = _to(smtp, CUSTOMER)
    text, html = _bodies(mail)
    assert "Vi mødes på: Markvej 3, 7100 Vejle (Ring at the <farmhouse>)" in text
    assert "Markvej 3, 7100 Vejle (Ring at the &lt;farmhouse&gt;)" in html
    _, _, event = _calendar(mail)
    assert "Markvej 3, 7100 Vejle" in str(event["DESCRIPTION"])
    assert "Markvej 3, 7100 Vejle" in str(event["LOCATION"])


def test_a_phone_meeting_says_who_calls_whom(mail_app, smtp, bank, clock):
    _every_meeting_type(bank)
    book(
        bank,
        clock,
        locale="en",
        meeting_type="Telephone",
        room_id=None,
        customer_phone="+45 12 34 56 78",
        hold_kw={"meeting_type": "Telephone", "room_id": None},
    )
    deliver(clock)
    customer_text, _ = _bodies(_to(smtp, CUSTOMER)[0])
    assert "calls you on +45 12 34 56 78." in customer_text
    advisor_text, _ = _bodies(_to(smtp, bank.advisor.email)[0])
    assert "Call Karen Kunde on +45 12 34 56 78." in advisor_text


def test_the_customers_file_keeps_its_uid_grows_its_sequence_and_cancels(
    mail_app, smtp, bank, clock
):
    _named_bank(bank)
    meeting = book(bank, clock)
    deliver(clock)
    later = SLOT_START + timedelta(hours=2)
    hold = reserve(bank.hold("tok-2", start=later, existing_meeting_id=meeting.id), now=clock.now)
    update_meeting(
        meeting.id, MeetingChanges(time_slot_id=hold.id), hold_owner=hold.owner, now=clock.now
    )
    deliver(clock)
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="customer", reason="")
    deliver(clock)
    booked, moved, cancelled = (_calendar(m) for m in _to(smtp, CUSTOMER))
    assert booked[2]["UID"] == moved[2]["UID"] == cancelled[2]["UID"]
    assert int(moved[2]["SEQUENCE"]) == int(booked[2]["SEQUENCE"]) + 1
    assert int(cancelled[2]["SEQUENCE"]) == int(moved[2]["SEQUENCE"]) + 1
    assert [c[1]["METHOD"] for c in (booked, moved, cancelled)] == ["REQUEST", "REQUEST", "CANCEL"]
    assert cancelled[0].get_param("method") == "CANCEL"
    assert "Nordbank" in str(moved[2]["SUMMARY"]) and "Nordbank" in str(cancelled[2]["SUMMARY"])
    moved_text, _ = _bodies(_to(smtp, CUSTOMER)[1])
    assert reference_of(meeting) in moved_text and "Boliglån" in moved_text
