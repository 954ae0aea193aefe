"""Book for a customer (/staff/book): the customer, the meeting, a time, the hold, the booking."""

from __future__ import annotations

import re

import pytest
from flask_babel import refresh

from app.api.schemas_booking import meeting_out
from app.booking.reservations import purge_expired
from app.extensions import db
from app.models import Customer, Meeting, Reservation, User, WizardDraft
from tests import factories
from tests.factories import at
from tests.web.helpers import csrf_from
from tests.web.staff_book_helpers import (
    CUSTOMER,
    confirm,
    hold_at,
    new_customer,
    page,
    starts,
    what,
)
from tests.web.staff_helpers import make_staff, sign_in

ADVISOR = "anna@nordbank.example"


@pytest.fixture
def advisor(client, world):  # type: ignore[no-untyped-def]
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    return client


def _user() -> User:
    return db.session.query(User).filter_by(email=ADVISOR).one()


def test_a_staff_only_topic_is_booked_for_a_new_customer_as_an_employee_booking(advisor, world):
    assert new_customer(advisor).location == "/staff/book/what"
    what_page = page(advisor, "/staff/book/what")
    assert "Internal review (staff only)" in what_page
    assert what(advisor, world, advisors=[world.anna.id]).location == "/staff/book/times"
    html = page(advisor, "/staff/book/times")
    assert starts(html)[0] == at(9)
    assert hold_at(advisor, html, at(9)).status_code == 302
    response = confirm(advisor)
    meeting = db.session.query(Meeting).one()
    assert response.location == f"/staff/book/done/{meeting.id}"
    assert (meeting.booked_by, meeting.booked_by_user_id) == ("employee", _user().id)
    assert (meeting.topic_id, meeting.employee_id) == (world.staff_only.id, world.anna.id)
    assert (meeting.customer_id, meeting.customer_name) == ("C-4711", "Karen Blixen")
    assert db.session.get(Customer, "C-4711").email == "karen@example.dk"
    assert db.session.query(WizardDraft).count() == 0  # the customer's details are not kept twice
    done = page(advisor, response.location)
    for shown in ("Karen Blixen", "Anna Andersen", f"/m/{meeting.manage_token}"):
        assert shown in done


def test_the_api_meeting_object_names_the_staff_account_and_its_advisor(advisor, world):
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    confirm(advisor)
    wire = meeting_out(db.session.query(Meeting).one())
    assert (wire["bookedBy"], wire["bookedByUserId"]) == ("employee", _user().id)
    assert wire["bookedByEmployeeId"] == world.anna.id
    by_customer = factories.meeting(world.bo, at(10, day=4))
    db.session.commit()
    assert meeting_out(by_customer)["bookedByUserId"] is None
    assert meeting_out(by_customer)["bookedByEmployeeId"] is None


@pytest.mark.parametrize("text", ["c-47", "blixen", "KAREN@EXAMPLE", "12345678", "12 34"])
def test_known_customers_are_found_by_number_name_e_mail_or_phone(advisor, text):
    db.session.add(
        Customer(
            id="C-4711", name="Karen Blixen", email="karen@example.dk", phone="+45 12 34 56 78"
        )
    )
    db.session.add(
        Customer(id="C-9000", name="Someone Else", email="else@example.dk", phone="+45 99 99 99 99")
    )
    db.session.commit()
    html = page(advisor, "/staff/book")
    data = {"q": text, "csrf_token": csrf_from(html)}
    live = advisor.post("/staff/book/search", data=data, headers={"HX-Request": "true"})
    assert live.status_code == 200
    body = live.get_data(as_text=True)
    assert "Karen Blixen" in body and "Someone Else" not in body
    assert "<html" not in body  # the result list alone, for htmx
    plain = advisor.post("/staff/book/search", data=data)  # without JavaScript: the whole page
    assert "<html" in plain.get_data(as_text=True)
    assert "Karen Blixen" in plain.get_data(as_text=True)


def test_choosing_a_known_customer_takes_their_details(advisor, world):
    db.session.add(Customer(id="C-1", name="Known Person", email="known@example.dk", phone=""))
    db.session.commit()
    html = page(advisor, "/staff/book")
    response = advisor.post(
        "/staff/book/customer", data={"known": "C-1", "csrf_token": csrf_from(html)}
    )
    assert response.location == "/staff/book/what"
    assert "Known Person" in page(advisor, "/staff/book/what")
    unknown = advisor.post(
        "/staff/book/customer", data={"known": "C-404", "csrf_token": csrf_from(html)}
    )
    assert unknown.status_code == 404


def test_a_new_customer_with_errors_gets_them_next_to_the_fields(advisor):
    response = new_customer(advisor, name="", email="not-an-address")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html and 'id="email-error"' in html
    assert "not-an-address" in html  # what was typed stays
    assert db.session.query(WizardDraft).count() == 0


def test_a_joint_meeting_offers_only_times_when_both_advisors_are_free(advisor, world):
    factories.busy(world.bo, at(10), at(11))
    db.session.commit()
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id, world.bo.id])
    html = page(advisor, "/staff/book/times")
    monday = [s for s in starts(html) if s.date() == at(9).date()]
    assert at(9) in monday and at(10) not in monday and at(10, 30) not in monday
    hold_at(advisor, html, at(9))
    confirm(advisor)
    meeting = db.session.query(Meeting).one()
    assert {meeting.employee_id, *meeting.additional_employee_ids} == {world.anna.id, world.bo.id}


def test_a_specific_room_is_booked(advisor, world):
    factories.room(world.branch, name="Room A")
    chosen = factories.room(world.branch, name="Room B")
    db.session.commit()
    new_customer(advisor)
    what(advisor, world, room=chosen.id)
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    confirm(advisor)
    assert db.session.query(Meeting).one().room_id == chosen.id


def test_no_room_books_without_one_and_is_refused_where_the_branch_needs_one(advisor, world):
    factories.room(world.branch, name="Room A")
    db.session.commit()
    new_customer(advisor)
    what(advisor, world, room="none")
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    confirm(advisor)
    assert db.session.query(Meeting).one().room_id is None
    world.branch.require_room = True
    db.session.commit()
    new_customer(advisor, customer_number="")  # C-4711 is known now: it is chosen, not retyped
    refused = what(advisor, world, room="none")
    assert refused.status_code == 422
    assert 'id="room-error"' in refused.get_data(as_text=True)


def test_ignoring_the_minimum_notice_offers_a_time_the_normal_search_does_not(advisor, world):
    factories.settings(
        min_notice_minutes=120, opening_time=world_open(), closing_time=world_close()
    )
    db.session.commit()
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    assert at(9) not in starts(page(advisor, "/staff/book/times"))
    what(advisor, world, advisors=[world.anna.id], ignore_notice="y")
    html = page(advisor, "/staff/book/times")
    assert at(9) in starts(html)
    assert hold_at(advisor, html, at(9)).status_code == 302
    confirm(advisor)
    assert db.session.query(Meeting).one().start_at == at(9)


def world_open():  # type: ignore[no-untyped-def]
    from datetime import time

    return time(8, 0)


def world_close():  # type: ignore[no-untyped-def]
    from datetime import time

    return time(17, 0)


def test_a_time_taken_meanwhile_is_refused_with_the_engines_reason(advisor, world):
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    html = page(advisor, "/staff/book/times")
    factories.meeting(world.anna, at(9), customer_name="Faster Customer")
    db.session.commit()
    refused = hold_at(advisor, html, at(9), **{"HX-Request": "true"})
    assert refused.status_code == 409
    assert "Anna Andersen has a meeting 09:00–10:00." in refused.get_data(as_text=True)
    assert db.session.query(Reservation).count() == 0
    assert db.session.query(Meeting).count() == 1  # never a double booking


def test_a_refused_booking_writes_nothing(advisor, world, clock):
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    html = page(advisor, "/staff/book/confirm")
    clock.advance(minutes=6)  # the hold runs out, and the time is taken
    purge_expired(clock.now)
    factories.meeting(world.anna, at(9), customer_name="Faster Customer")
    db.session.commit()
    response = advisor.post("/staff/book/confirm", data={"csrf_token": csrf_from(html)})
    assert response.location == "/staff/book/times"
    assert "The hold ran out" in page(advisor, response.location)
    assert db.session.query(Meeting).count() == 1
    assert db.session.get(Customer, "C-4711") is None


def test_an_advisor_cannot_reach_another_advisors_booking(app, advisor, world):
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    with advisor.session_transaction() as kept:
        draft_id = kept["staff_book"]
    make_staff("bo@nordbank.example", employee_id=world.bo.id)
    db.session.commit()
    other = app.test_client()
    sign_in(other, "bo@nordbank.example")
    with other.session_transaction() as planted:
        planted["staff_book"] = draft_id
    assert other.get("/staff/book/confirm").location.startswith("/staff/book")
    assert "Karen" not in page(other, "/staff/book")
    assert other.get("/staff/book/times").location == "/staff/book"
    token = csrf_from(page(other, "/staff/book"))
    assert other.post("/staff/book/confirm", data={"csrf_token": token}).status_code == 302
    assert db.session.query(Meeting).count() == 0
    hold = db.session.query(Reservation).one()
    assert (hold.owner, hold.status) == (f"staff:{_user().id}", "Reserved")


def test_forms_without_the_csrf_token_change_nothing(advisor, world):
    assert advisor.post("/staff/book/customer", data=CUSTOMER).status_code == 302
    assert db.session.query(WizardDraft).count() == 0
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    html = page(advisor, "/staff/book/times")
    hold_at(advisor, html, at(9))
    assert advisor.post("/staff/book/confirm", data={}).status_code == 302
    assert db.session.query(Meeting).count() == 0


def test_no_personal_data_goes_into_a_url(advisor, world):
    links = r'(?:href|action|hx-get|hx-post|Location)="?([^"\s]+)'
    seen: list[str] = []
    seen.append(new_customer(advisor).location)
    seen += re.findall(links, page(advisor, "/staff/book"))
    seen.append(what(advisor, world, advisors=[world.anna.id]).location)
    seen += re.findall(links, page(advisor, "/staff/book/what"))
    html = page(advisor, "/staff/book/times")
    seen += re.findall(links, html)
    seen.append(hold_at(advisor, html, at(9)).location)
    seen += re.findall(links, page(advisor, "/staff/book/confirm"))
    done = confirm(advisor).location
    seen += [done, *re.findall(links, page(advisor, done))]
    assert len(seen) > 20
    for url in seen:
        for personal in ("Karen", "Blixen", "karen", "12 34", "12+34", "C-4711"):
            assert personal not in url, url


def test_only_advisors_open_the_pages(client, world):
    assert client.get("/staff/book").location.startswith("/login")
    make_staff("clerk@nordbank.example")
    db.session.commit()
    sign_in(client, "clerk@nordbank.example")
    assert client.get("/staff/book").status_code == 403


def test_the_pages_speak_danish(advisor, world):
    advisor.get("/language/da")
    refresh()  # the tests share one app context, where Flask-Babel keeps the locale it found
    assert "Book for en kunde" in page(advisor, "/staff/book")
    new_customer(advisor)
    html = page(advisor, "/staff/book/what")
    assert "Internal review (kun medarbejdere)" in html and "Se bort fra minimumsvarslet" in html
