"""Staff searches follow one rule (app/booking/staff_rule.py): booking for a customer, moving a
meeting and Why not? apply the daily caps alike, and the minimum notice unless lifted (a move
lifts it). Their refusals are said in Why not?'s words, in Danish too. And the review's leftovers:
no room at a branch that requires one, two confirm presses at once, the staff hold cap."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from flask_babel import refresh

from app.booking import meeting_create as meeting_service
from app.booking.errors import Conflict
from app.extensions import db
from app.models import Meeting, WizardDraft
from app.staff import book as book_views
from tests import factories
from tests.factories import at
from tests.web.helpers import csrf_from, slot_values
from tests.web.staff_book_helpers import confirm, hold_at, new_customer, page, starts, what
from tests.web.staff_helpers import make_staff, sign_in

ADVISOR = "anna@nordbank.example"
ENGINE_ENGLISH = ("taken by a meeting", "the slot", "reserved by someone else", "the reservation")


@pytest.fixture
def advisor(client, world):  # type: ignore[no-untyped-def]
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    return client


@pytest.fixture
def meeting(world):  # type: ignore[no-untyped-def]
    """Anna's mortgage meeting at the branch, Monday 10:00-11:00."""
    row = factories.meeting(
        world.anna,
        at(10),
        topic=world.mortgage,
        customer_type_id=world.private.id,
        location_id=world.branch.id,
        customer_name="Karen Kunde",
        manage_token="p" * 32,
    )
    db.session.commit()
    return row


def _move_grid(client, meeting_id: str) -> str:  # type: ignore[no-untyped-def]
    return page(client, f"/staff/meetings/{meeting_id}/move")


def _days(found: list[datetime]) -> set[int]:
    return {s.day for s in found}


def _why_not(client, world, start: str, **extra: str) -> str:  # type: ignore[no-untyped-def]
    query = {
        "topic": world.staff_only.id,
        "type": "Physical",
        "location": world.branch.id,
        "advisor": world.anna.id,
        "start": start,
        **extra,
    }
    return client.get("/staff/why-not", query_string=query).get_data(as_text=True)


def test_the_daily_cap_applies_to_book_move_and_why_not_alike(advisor, world, meeting):
    world.anna.max_meeting_minutes_per_day = 60
    factories.meeting(world.anna, at(9, day=3), location_id=world.branch.id)  # Tuesday is full
    db.session.commit()
    moved = starts(_move_grid(advisor, meeting.id))
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    booked = starts(page(advisor, "/staff/book/times"))
    for offered in (moved, booked):
        assert 3 not in _days(offered) and 4 in _days(offered)
    assert at(10, day=2) in moved and 2 not in _days(booked)  # the move's own hour is not counted
    said = _why_not(advisor, world, "2026-03-03T10:00")
    assert "Anna Andersen has reached the limit of 1 hour of meetings a day" in said


def test_the_notice_applies_unless_lifted_and_a_move_lifts_it(advisor, world, meeting):
    factories.settings(min_notice_minutes=24 * 60)  # nothing this week for a customer
    db.session.commit()
    assert at(9) in starts(_move_grid(advisor, meeting.id))
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    assert at(9) not in starts(page(advisor, "/staff/book/times"))
    what(advisor, world, advisors=[world.anna.id], ignore_notice="y")
    assert at(9) in starts(page(advisor, "/staff/book/times"))
    assert "Inside the" in _why_not(advisor, world, "2026-03-02T09:00")
    assert "This time is free" in _why_not(advisor, world, "2026-03-02T09:00", notice="ignore")


def _danish(client) -> None:  # type: ignore[no-untyped-def]
    client.get("/language/da")
    refresh()  # the tests share one app context, where Flask-Babel keeps the locale it found


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def test_a_refused_hold_is_said_in_danish_with_why_not_words(advisor, world):
    _danish(advisor)
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    html = page(advisor, "/staff/book/times")
    factories.meeting(world.anna, at(9), customer_name="Faster Customer")
    db.session.commit()
    refused = hold_at(advisor, html, at(9), **{"HX-Request": "true"})
    said = _plain(refused.get_data(as_text=True))
    assert refused.status_code == 409
    assert "Anna Andersen har et møde 09.00–10.00." in said
    assert "Faster Customer" not in said
    assert not [e for e in ENGINE_ENGLISH if e in said]


def test_a_refused_booking_is_said_in_danish_with_why_not_words(advisor, world, monkeypatch):
    _danish(advisor)
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))

    def refused(request, *, now, on_created=None):  # type: ignore[no-untyped-def]
        factories.busy(world.anna, at(9), at(10))  # Anna is called away meanwhile
        db.session.commit()
        raise Conflict("the advisor is busy (absence)")  # the engine's English

    monkeypatch.setattr(book_views, "create_meeting", refused)
    response = confirm(advisor)
    assert response.status_code == 302 and response.location.startswith("/staff/book/times")
    said = _plain(page(advisor, response.location))
    assert "Mødet kunne ikke bookes" in said
    assert "Anna Andersen er fraværende 09.00–10.00." in said
    assert "absence" not in said and "busy" not in said
    assert db.session.query(Meeting).count() == 0


def test_a_refused_move_is_said_in_danish_with_why_not_words(advisor, world, meeting):
    _danish(advisor)
    html = _move_grid(advisor, meeting.id)
    factories.meeting(world.anna, at(9, day=3), customer_name="Quicker Customer")
    db.session.commit()
    value = next(v for v in slot_values(html) if v.startswith(at(9, day=3).isoformat()))
    data = {"slot": value, "csrf_token": csrf_from(html)}
    response = advisor.post(f"/staff/meetings/{meeting.id}/move", data=data)
    said = _plain(page(advisor, response.location))
    assert "Anna Andersen har et møde 09.00–10.00." in said
    assert not [e for e in ENGINE_ENGLISH if e in said]


def test_no_room_at_a_branch_that_requires_one_offers_nothing_when_only_advisors_are_chosen(
    advisor, world
):
    world.branch.require_room = True
    factories.room(world.branch, name="Room A")
    db.session.commit()
    new_customer(advisor)
    assert (
        what(advisor, world, location="", advisors=[world.anna.id], room="none").status_code == 302
    )
    html = _plain(page(advisor, "/staff/book/times"))
    assert starts(html) == []
    assert "There is no free time for these choices" in html
    assert "call us" not in html  # the customer's words are not the advisor's


def test_two_confirm_presses_at_once_book_once_and_show_the_meeting(advisor, world, monkeypatch):
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    hold_at(advisor, page(advisor, "/staff/book/times"), at(9))
    real = meeting_service.create_meeting

    def the_other_press_wins(request, *, now, on_created=None):  # type: ignore[no-untyped-def]
        real(request, now=now, on_created=on_created)  # the first press books the meeting ...
        db.session.query(WizardDraft).delete()  # ... and deletes the draft
        db.session.commit()
        return real(request, now=now, on_created=on_created)  # this press is refused

    monkeypatch.setattr(book_views, "create_meeting", the_other_press_wins)
    response = confirm(advisor)
    booked = db.session.query(Meeting).one()
    assert response.status_code == 302
    assert response.location == f"/staff/book/done/{booked.id}"
    assert "Karen Blixen" in page(advisor, response.location)


def test_one_account_cannot_hold_more_than_its_cap(app, advisor, world, meeting):
    app.config["BOOKME_MAX_LIVE_HOLDS_PER_STAFF"] = 1
    html = _move_grid(advisor, meeting.id)
    value = next(v for v in slot_values(html) if v.startswith(at(9, day=3).isoformat()))
    moving = advisor.post(
        f"/staff/meetings/{meeting.id}/move", data={"slot": value, "csrf_token": csrf_from(html)}
    )
    assert "/move/" in moving.location  # the first hold is taken
    new_customer(advisor)
    what(advisor, world, advisors=[world.anna.id])
    refused = hold_at(
        advisor, page(advisor, "/staff/book/times"), at(9, day=4), **{"HX-Request": "true"}
    )
    assert refused.status_code == 409
    assert "as many times as one account may" in refused.get_data(as_text=True)
