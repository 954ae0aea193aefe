"""Steps 4-5 and the private link through Flask's test client."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Meeting, Reservation
from tests.web.helpers import (
    DETAILS,
    book,
    csrf_from,
    fill_details,
    hold,
    open_times,
    session_cookie,
)


def test_details_without_a_hold_send_the_customer_to_choose_a_time(client, world):
    response = client.get("/book/details")
    assert response.status_code == 302


def test_details_errors_appear_next_to_their_fields_and_keep_what_was_typed(client, world):
    hold(client, world, open_times(client, world))
    response = fill_details(client, email="not-an-address", consent=None)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-error"' in html and 'aria-describedby="email-error"' in html
    assert 'id="consent-error"' in html and 'role="alert"' in html
    assert 'value="Karen Kunde"' in html and "About our new flat" in html


def test_details_typed_earlier_are_filled_in_again(client, world):
    hold(client, world, open_times(client, world))
    fill_details(client)
    html = client.get("/book/details").get_data(as_text=True)
    assert 'value="karen@example.com"' in html


def test_confirming_books_the_meeting_as_the_customer_and_shows_the_private_link(client, world):
    response = book(client, world)
    assert response.status_code == 302 and "/book/booked/" in response.location
    meeting = db.session.scalar(select(Meeting))
    assert meeting.booked_by == "customer"
    assert meeting.customer_name == DETAILS["name"] and meeting.customer_id == "C-1001"
    assert meeting.description == DETAILS["note"]
    html = client.get(response.location).get_data(as_text=True)
    assert "Your meeting is booked" in html and f"/m/{meeting.manage_token}" in html


def test_a_double_submit_lands_on_the_same_confirmation(app, client, world):
    hold(client, world, open_times(client, world))
    fill_details(client)
    page = client.get("/book/confirm").get_data(as_text=True)
    token = csrf_from(page)
    cookie = client.get_cookie(session_cookie(app)).value
    first = client.post("/book/confirm", data={"csrf_token": token})
    client.set_cookie(session_cookie(app), cookie)  # the second click still carries the old session
    second = client.post("/book/confirm", data={"csrf_token": token})
    assert first.location == second.location
    assert len(db.session.scalars(select(Meeting)).all()) == 1


def test_a_hold_that_ran_out_is_taken_again_when_the_time_is_still_free(client, world, clock):
    hold(client, world, open_times(client, world))
    fill_details(client)
    page = client.get("/book/confirm").get_data(as_text=True)
    clock.advance(minutes=6)
    response = client.post("/book/confirm", data={"csrf_token": csrf_from(page)})
    assert "/book/booked/" in response.location
    assert db.session.scalar(select(Meeting)).start_at.hour == 8


def test_a_hold_that_ran_out_and_was_taken_goes_back_to_the_grid_keeping_details(
    app, client, world, clock
):
    html = open_times(client, world)
    hold(client, world, html)
    fill_details(client)
    page = client.get("/book/confirm").get_data(as_text=True)
    clock.advance(minutes=6)
    other = app.test_client()
    hold(other, world, open_times(other, world))
    response = client.post("/book/confirm", data={"csrf_token": csrf_from(page)})
    assert "/book/times" in response.location
    assert "someone else has taken" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Meeting)) is None
    hold(client, world, open_times(client, world))
    assert 'value="Karen Kunde"' in client.get("/book/details").get_data(as_text=True)


def test_the_private_link_changes_nothing_on_get_and_cancels_on_post(client, world):
    booked = book(client, world)
    meeting = db.session.scalar(select(Meeting))
    url = f"/m/{meeting.manage_token}"
    client.get(url)
    html = client.get(f"{url}/cancel").get_data(as_text=True)  # asks to be sure
    assert "Yes, cancel the meeting" in html
    db.session.refresh(meeting)
    assert meeting.status == "Booked" and booked.status_code == 302
    client.post(f"{url}/cancel", data={"csrf_token": csrf_from(html), "reason": "Ill"})
    db.session.refresh(meeting)
    assert meeting.status == "Cancelled" and meeting.cancel_reason == "Ill"
    assert "This meeting is cancelled" in client.get(url).get_data(as_text=True)


def test_an_unknown_private_link_is_not_found(client, world):
    response = client.get("/m/not-a-real-token-at-all")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_the_calendar_file_is_an_attachment_with_the_meeting(client, world):
    book(client, world)
    meeting = db.session.scalar(select(Meeting))
    response = client.get(f"/m/{meeting.manage_token}/meeting.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert b"BEGIN:VEVENT" in response.data and b"DTSTART" in response.data


def test_booking_consumes_the_hold(client, world):
    book(client, world)
    assert db.session.scalar(select(Reservation)).status == "Consumed"


def test_the_confirmation_and_the_private_link_page_are_never_cached(client, world):
    # They show the customer's name, e-mail and phone: no shared cache may keep them, also
    # when the page is sent compressed.
    book(client, world)
    meeting = db.session.scalar(select(Meeting))
    for path in (f"/book/booked/{meeting.manage_token}", f"/m/{meeting.manage_token}"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"  # the token stays here


def test_an_e_mail_that_is_not_one_plain_address_is_a_form_error(client, world):
    hold(client, world, open_times(client, world))
    html = fill_details(client, email="karen@example.com,").get_data(as_text=True)  # a typo
    assert 'id="email-error"' in html
