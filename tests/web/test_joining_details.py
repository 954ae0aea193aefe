"""What the customer needs to turn up: the address, the video link, who phones, the reference."""

from __future__ import annotations

import re
from datetime import time

from icalendar import Calendar
from sqlalchemy import select

from app.booking.reference import reference_of
from app.extensions import db
from app.models import Meeting
from tests import factories
from tests.web.helpers import (
    book,
    choices_for,
    csrf_from,
    fill_details,
    open_times,
    slot_values,
)


def _offsite_world(world):  # type: ignore[no-untyped-def]
    visit = factories.topic("Farm visit", 60, ["OffSite"])
    kw = dict(start=time(9, 0), end=time(12, 0), meeting_types=("OffSite",))
    carl = factories.employee(world.branch, **kw)
    carl.display_name = "Carl Clausen"
    factories.service_group("Field advice", meeting_types=["OffSite"], employees=[carl])
    db.session.commit()
    return visit


def _hold_and_details(client, world, **choices: str) -> str:  # type: ignore[no-untyped-def]
    html = open_times(client, world, **choices)
    form = {**choices_for(world, **choices), "slot": slot_values(html)[0]}
    client.post("/book/hold", data={**form, "csrf_token": csrf_from(html)})
    return client.get("/book/details").get_data(as_text=True)


def _booked_meeting(client) -> Meeting:  # type: ignore[no-untyped-def]
    page = client.get("/book/confirm").get_data(as_text=True)
    response = client.post("/book/confirm", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302, response.data[:300]
    meeting = db.session.scalar(select(Meeting))
    assert meeting is not None
    return meeting


def test_a_meeting_at_the_customer_s_place_asks_for_the_address(client, world):
    visit = _offsite_world(world)
    page = _hold_and_details(client, world, topic=visit.id, meeting_type="OffSite", location="")
    assert 'name="address"' in page and 'name="address_note"' in page
    missing = fill_details(client)
    assert missing.status_code == 422
    assert "Enter the address where we should meet." in missing.get_data(as_text=True)
    fill_details(client, address="Markvej 3, 7100 Vejle", address_note="Ring at the farmhouse")
    assert "Markvej 3, 7100 Vejle" in client.get("/book/confirm").get_data(as_text=True)
    meeting = _booked_meeting(client)
    assert meeting.customer_address == "Markvej 3, 7100 Vejle"
    assert meeting.customer_address_note == "Ring at the farmhouse"
    manage = client.get(f"/m/{meeting.manage_token}").get_data(as_text=True)
    assert "Markvej 3, 7100 Vejle (Ring at the farmhouse)" in manage
    event = _event(client, meeting)
    assert "Markvej 3, 7100 Vejle" in str(event["location"])


def test_other_meetings_do_not_ask_for_or_keep_an_address(client, world):
    page = _hold_and_details(client, world)
    assert 'name="address"' not in page
    fill_details(client, address="Somewhere 1")
    assert _booked_meeting(client).customer_address == ""


def test_a_video_meeting_shows_its_link_from_the_template(app, client, world):
    app.config["BOOKME_VIDEO_LINK_TEMPLATE"] = "https://meet.bank.example/{meeting_id}"
    _hold_and_details(client, world, meeting_type="Online", location="")
    fill_details(client)
    meeting = _booked_meeting(client)
    link = f"https://meet.bank.example/{meeting.id}"
    assert link in client.get(f"/book/booked/{meeting.manage_token}").get_data(as_text=True)
    assert link in client.get(f"/m/{meeting.manage_token}").get_data(as_text=True)
    event = _event(client, meeting)
    assert link in str(event["description"]) and link in str(event["location"])
    meeting.video_link = "https://video.example/own"
    db.session.commit()
    assert "https://video.example/own" in client.get(f"/m/{meeting.manage_token}").get_data(
        as_text=True
    )


def test_a_video_meeting_without_a_template_says_the_link_comes(app, client, world):
    app.config["BOOKME_VIDEO_LINK_TEMPLATE"] = None
    _hold_and_details(client, world, meeting_type="Online", location="")
    fill_details(client)
    meeting = _booked_meeting(client)
    html = client.get(f"/m/{meeting.manage_token}").get_data(as_text=True)
    assert "Your advisor sends you the link to the video meeting." in html


def test_a_phone_meeting_says_who_calls_whom_on_which_number(client, world):
    details = _hold_and_details(client, world, topic=world.phone_only.id, meeting_type="")
    assert "Your advisor calls you on this number" in details
    fill_details(client, phone="+45 87 65 43 21")
    meeting = _booked_meeting(client)
    html = client.get(f"/book/booked/{meeting.manage_token}").get_data(as_text=True)
    assert re.search(r"calls you on \+45 87 65 43 21", html)
    assert "+45 87 65 43 21" in str(_event(client, meeting)["description"])


def test_the_reference_is_on_the_pages_and_in_the_calendar_file(client, world):
    book(client, world)
    meeting = db.session.scalar(select(Meeting))
    reference = reference_of(meeting)
    assert re.fullmatch(r"BM-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", reference)
    booked = client.get(f"/book/booked/{meeting.manage_token}").get_data(as_text=True)
    assert reference in booked and "data-copy" in booked
    assert reference in client.get(f"/m/{meeting.manage_token}").get_data(as_text=True)
    event = _event(client, meeting)
    assert str(event["summary"]) == "Mortgage with Nordbank"
    description = str(event["description"])
    assert reference in description and f"/m/{meeting.manage_token}" in description


def test_cancelling_asks_first_and_then_offers_a_new_booking(client, world):
    book(client, world)
    meeting = db.session.scalar(select(Meeting))
    url = f"/m/{meeting.manage_token}"
    assert f'href="{url}/cancel"' in client.get(url).get_data(as_text=True)
    ask = client.get(f"{url}/cancel").get_data(as_text=True)
    assert "No, keep the meeting" in ask
    db.session.refresh(meeting)
    assert meeting.status == "Booked"
    client.post(f"{url}/cancel", data={"csrf_token": csrf_from(ask)})
    after = client.get(url).get_data(as_text=True)
    assert "This meeting is cancelled" in after and "Book a new meeting" in after
    assert client.get(f"{url}/cancel").status_code == 302  # nothing left to cancel


def _event(client, meeting):  # type: ignore[no-untyped-def]
    body = client.get(f"/m/{meeting.manage_token}/meeting.ics").data
    return Calendar.from_ical(body).walk("VEVENT")[0]


def test_the_joining_details_are_danish_for_danish_visitors(client, world):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    book(client, world)
    meeting = db.session.scalar(select(Meeting))
    html = client.get(f"/m/{meeting.manage_token}").get_data(as_text=True)
    assert "Bookingnummer" in html and "Aflys mødet" in html
    assert "Se, flyt eller aflys mødet" in str(_event(client, meeting)["description"])
