"""Book for a customer, from a review: a known customer's record is never rewritten by a typed-in
new customer, a hold taken before the choices changed is given up, a topic without listed meeting
types offers every type (as the engine reads it)."""

from __future__ import annotations

import pytest

from app.booking.customers import remember_customer
from app.extensions import db
from app.models import Customer, Meeting, Reservation
from tests.factories import at
from tests.web.staff_book_helpers import confirm, hold_at, new_customer, page, what
from tests.web.staff_helpers import make_staff, sign_in

ADVISOR = "anna@nordbank.example"


@pytest.fixture
def advisor(client, world):  # type: ignore[no-untyped-def]
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    return client


@pytest.fixture
def known(world):  # type: ignore[no-untyped-def]
    row = Customer(id="C-1", name="Known Person", email="known@example.dk", phone="+45 11 11 11 11")
    db.session.add(row)
    db.session.commit()
    return row


def _details(number: str) -> tuple[str, str, str]:
    db.session.expire_all()
    row = db.session.get(Customer, number)
    assert row is not None
    return row.name, row.email, row.phone


def test_a_new_customer_typed_with_a_known_number_is_refused_next_to_the_number(advisor, known):
    response = new_customer(
        advisor, customer_number="C-1", name="Someone Else", email="other@example.com"
    )
    assert response.status_code == 422
    assert 'id="customer_number-error"' in response.get_data(as_text=True)
    assert _details("C-1") == ("Known Person", "known@example.dk", "+45 11 11 11 11")


def test_remembering_a_customer_never_rewrites_a_known_one(app, known):
    remember_customer("C-1", "Someone Else", "other@example.com", "+45 99 99 99 99")
    remember_customer("C-2", "New Person", "new@example.dk", "")
    db.session.commit()
    assert _details("C-1") == ("Known Person", "known@example.dk", "+45 11 11 11 11")
    assert _details("C-2") == ("New Person", "new@example.dk", "")


def test_a_customer_known_meanwhile_keeps_their_record_when_the_booking_is_made(advisor, world):
    new_customer(advisor, customer_number="C-7", name="Typed Name", email="typed@example.com")
    what(advisor, world, advisors=[world.anna.id])
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    db.session.add(Customer(id="C-7", name="Real Name", email="real@example.dk", phone=""))
    db.session.commit()
    confirm(advisor)
    assert db.session.query(Meeting).one().customer_name == "Typed Name"  # the meeting's copy
    assert _details("C-7") == ("Real Name", "real@example.dk", "")


def test_a_topic_that_lists_no_meeting_types_is_booked_as_any_type(advisor, world):
    # The engine reads an empty list as every type (app/booking/rules.py topic_meeting_types).
    world.staff_only.meeting_types = []
    db.session.commit()
    new_customer(advisor)
    assert what(advisor, world, advisors=[world.anna.id]).location == "/staff/book/times"
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    confirm(advisor)
    assert db.session.query(Meeting).one().meeting_type == "Physical"


def test_changing_the_meeting_after_holding_a_time_gives_the_hold_up(advisor, world):
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    assert what(advisor, world, advisors=[world.bo.id]).location == "/staff/book/times"
    # The old hold (Anna at 9) neither blocks Anna's calendar nor shows on the confirm page.
    assert db.session.query(Reservation).one().status == "Released"
    assert advisor.get("/staff/book/confirm").location == "/staff/book/times"
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    confirm(advisor)
    assert db.session.query(Meeting).one().employee_id == world.bo.id


def test_the_same_answers_again_keep_the_hold(advisor, world):
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    what(advisor, world, advisors=[world.anna.id])
    assert db.session.query(Reservation).one().status == "Reserved"
    confirm(advisor)
    assert db.session.query(Meeting).one().employee_id == world.anna.id
