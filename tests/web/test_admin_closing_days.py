"""Closing days and the Danish public holidays import (both databases)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import ClosingDay, Meeting
from tests import factories
from tests.web.admin_helpers import field_error, send, sign_in_admin, text

LIST = "/staff/admin/closing-days"


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(ClosingDay))


def test_an_admin_adds_renames_and_deletes_a_closing_day(client, world):
    sign_in_admin(client)
    assert (
        send(client, f"{LIST}/new", {"date": "2026-06-05", "name": "Grundlovsdag"}).status_code
        == 302
    )
    day = db.session.scalar(select(ClosingDay))
    assert (day.day, day.name) == (date(2026, 6, 5), "Grundlovsdag")
    url = f"{LIST}/{day.id}"
    # the date is shown, not edited: a changed date in the form is ignored
    assert send(client, url, {"date": "2026-06-06", "name": "Constitution Day"}).status_code == 302
    db.session.expire_all()
    day = db.session.get(ClosingDay, day.id)
    assert (day.day, day.name) == (date(2026, 6, 5), "Constitution Day")
    assert send(client, url, {}, f"{url}/delete").status_code == 302
    assert _count() == 0


def test_a_missing_or_taken_date_is_refused_next_to_the_field(client, world):
    factories.closing_day(date(2026, 12, 24), "Juleaften")
    db.session.commit()
    sign_in_admin(client)
    empty = send(client, f"{LIST}/new", {"date": "", "name": "x"})
    assert empty.status_code == 400
    assert field_error(empty.get_data(as_text=True), "date") is not None
    taken = send(client, f"{LIST}/new", {"date": "2026-12-24", "name": "Other"})
    assert taken.status_code == 400
    assert (
        field_error(taken.get_data(as_text=True), "date") == "This date is already a closing day."
    )
    assert db.session.scalar(select(ClosingDay.name)) == "Juleaften"


def test_a_closing_day_over_booked_meetings_lists_them_and_keeps_them(client, world):
    factories.meeting(world.bo, datetime(2026, 3, 10, 12, tzinfo=UTC), topic=world.business_loan)
    db.session.commit()
    sign_in_admin(client)
    form = {"date": "2026-03-10", "name": "Staff day"}
    response = send(client, f"{LIST}/new", form)
    assert response.status_code == 409
    page = text(response.get_data(as_text=True))
    assert "Bo Berg" in page and "Tuesday 10 March, 13:00" in page and "Business loan" in page
    assert _count() == 0
    assert send(client, f"{LIST}/new", {**form, "confirm_affected": "1"}).status_code == 302
    assert _count() == 1
    assert db.session.scalar(select(Meeting.status)) == "Booked"


def test_the_public_holidays_of_a_year_are_added_once(client, world):
    factories.closing_day(date(2027, 12, 25), "Our own name")
    db.session.commit()
    sign_in_admin(client)
    response = send(client, LIST, {"year": "2027"}, f"{LIST}/holidays")
    assert response.status_code == 302
    assert _count() == 10  # Denmark has ten public holidays in 2027
    assert "Public holidays 2027: 9 closing days added." in text(
        client.get(LIST).get_data(as_text=True)
    )
    names = dict(db.session.execute(select(ClosingDay.day, ClosingDay.name)).all())
    assert names[date(2027, 12, 25)] == "Our own name"
    assert names[date(2027, 3, 26)] == "Langfredag (Good Friday)"
    assert send(client, LIST, {"year": "2027"}, f"{LIST}/holidays").status_code == 302
    assert _count() == 10
    assert "0 closing days added" in text(client.get(LIST).get_data(as_text=True))


def test_public_holidays_over_booked_meetings_need_a_confirmation(client, world):
    factories.meeting(world.anna, datetime(2026, 4, 6, 8, tzinfo=UTC))  # Easter Monday 2026
    db.session.commit()
    sign_in_admin(client)
    response = send(client, LIST, {"year": "2026"}, f"{LIST}/holidays")
    assert response.status_code == 409
    assert "Anna Andersen" in text(response.get_data(as_text=True))
    assert _count() == 0
    confirmed = send(client, LIST, {"year": "2026", "confirm_affected": "1"}, f"{LIST}/holidays")
    assert confirmed.status_code == 302 and _count() > 5


def test_a_year_out_of_range_is_refused(client, world):
    sign_in_admin(client)
    assert send(client, LIST, {"year": "1850"}, f"{LIST}/holidays").status_code == 302
    assert "Choose a year between" in text(client.get(LIST).get_data(as_text=True))
    assert _count() == 0
