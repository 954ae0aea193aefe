"""The branch day (/staff/branch-day): every advisor at a branch on one day, with items and free time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.extensions import db
from app.models import Reservation
from tests import factories
from tests.factories import at
from tests.web.staff_helpers import make_staff, sign_in

ADVISOR = "anna@nordbank.example"
FREE = r"Free</strong>\s*(\d\d:\d\d–\d\d:\d\d)"
MONDAY = "2026-03-02"


def _hold(employee, start: datetime, *, expires: datetime, minutes: int = 60) -> Reservation:  # type: ignore[no-untyped-def]
    now = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    row = Reservation(
        token=f"h{start.isoformat()}",
        start_at=start,
        end_at=start + timedelta(minutes=minutes),
        employee_id=employee.id,
        status="Reserved",
        created_at=now,
        modified_at=now,
        expires_at=expires,
        owner="wizard:test",
    )
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def advisor(client, world):  # type: ignore[no-untyped-def]
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    return client


def _row(html: str, name: str) -> str:
    """The table row whose header cell names the advisor."""
    for row in re.findall(r"<tr\b.*?</tr>", html, re.S):
        if name in row:
            return row
    raise AssertionError(f"no row for {name}")


def test_the_advisors_at_the_branch_that_weekday_are_rows(advisor, world):
    elsewhere = factories.employee(world.other_branch)
    elsewhere.display_name = "Carl Aarhus"
    tuesday_only = factories.employee(world.branch, days=(1,))
    tuesday_only.display_name = "Dora Tuesday"
    db.session.commit()
    html = advisor.get(f"/staff/branch-day?branch={world.branch.id}&day={MONDAY}").get_data(
        as_text=True
    )
    assert "<table" in html and "<caption" in html and 'scope="row"' in html
    assert "Anna Andersen" in html and "Bo Berg" in html
    assert "Carl Aarhus" not in html and "Dora Tuesday" not in html
    assert "09:00–12:00" in _row(html, "Anna Andersen")
    tuesday = advisor.get(f"/staff/branch-day?branch={world.branch.id}&day=2026-03-03")
    assert "Dora Tuesday" in tuesday.get_data(as_text=True)


def test_defaults_to_the_advisors_home_branch_and_today(advisor, world):
    response = advisor.get("/staff/branch-day")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Branch-North" in html and "Anna Andersen" in html
    assert "Monday 2 March" in html
    assert "day=2026-03-01" in html and "day=2026-03-03" in html  # previous / next day links


def test_items_in_time_order_with_local_times_and_free_time(advisor, world):
    room = factories.room(world.branch, name="Room Øresund")
    factories.meeting(
        world.anna,
        at(10),
        topic=world.mortgage,
        room=room,
        location_id=world.branch.id,
        customer_name="Karen Kunde",
    )
    factories.meeting(
        world.anna, at(9), minutes=30, customer_name="Was Cancelled", status="Cancelled"
    )
    factories.busy(world.anna, at(11), at(11, 30), kind="elsewhere")
    factories.busy(world.anna, at(9), at(9, 15))
    _hold(world.anna, at(11, 30), minutes=15, expires=at(8, 5))  # live at 08:00
    _hold(world.anna, at(9, 30), minutes=15, expires=at(7, 55))  # expired
    db.session.commit()
    html = advisor.get(f"/staff/branch-day?branch={world.branch.id}&day={MONDAY}").get_data(
        as_text=True
    )
    row = _row(html, "Anna Andersen")
    assert "Was Cancelled" not in row
    labels = ["09:00–09:15", "10:00–11:00", "11:00–11:30", "11:30–11:45"]
    positions = [row.index(label) for label in labels]
    assert positions == sorted(positions)
    assert "Karen Kunde" in row and "Mortgage" in row and "Room Øresund" in row
    assert "Held" in row and "Working elsewhere" in row and "Busy" in row
    assert "09:30–09:45" not in row  # the expired hold
    free = re.findall(FREE, row)
    assert free == ["09:15–10:00", "11:45–12:00"]


def test_free_time_is_the_window_minus_a_meeting(advisor, world):
    eight_to_four = factories.employee(world.branch, start=time(8), end=time(16))
    eight_to_four.display_name = "Erik Eight"
    factories.meeting(eight_to_four, at(10), customer_name="Ten O'Clock")
    db.session.commit()
    html = advisor.get(f"/staff/branch-day?branch={world.branch.id}&day={MONDAY}").get_data(
        as_text=True
    )
    row = _row(html, "Erik Eight")
    assert "08:00–16:00" in row
    assert re.findall(FREE, row) == ["08:00–10:00", "11:00–16:00"]


def test_local_times_after_the_change_to_summer_time(advisor, world):
    # Summer time starts Sunday 29 March 2026: on Monday 30 March 10:00 local is 08:00 UTC.
    factories.meeting(world.anna, datetime(2026, 3, 30, 8, 0, tzinfo=UTC), customer_name="Summer")
    db.session.commit()
    html = advisor.get(f"/staff/branch-day?branch={world.branch.id}&day=2026-03-30").get_data(
        as_text=True
    )
    row = _row(html, "Anna Andersen")
    assert "10:00–11:00" in row and "Summer" in row


def test_a_closing_day_shows_a_notice_instead_of_rows(advisor, world):
    factories.closing_day(date(2026, 3, 2), name="Bank holiday")
    db.session.commit()
    html = advisor.get(f"/staff/branch-day?branch={world.branch.id}&day={MONDAY}").get_data(
        as_text=True
    )
    assert "closed" in html.lower() and "Bank holiday" in html
    assert "Anna Andersen" not in html


@pytest.mark.parametrize(
    ("query", "status"),
    [("branch=nope", 404), ("day=2026-13-45", 400), ("day=monday", 400), ("day=2026-3-2", 400)],
)
def test_bad_query_values_are_404_or_400_not_500(advisor, world, query, status):
    assert advisor.get(f"/staff/branch-day?{query}").status_code == status


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get("/staff/branch-day")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=/staff/branch-day")


def test_an_admin_without_an_employee_gets_403(client, world):
    make_staff("admin@nordbank.example", admin=True)
    db.session.commit()
    assert sign_in(client, "admin@nordbank.example").status_code == 302
    assert client.get("/staff/branch-day").status_code == 403


def test_linked_from_the_staff_home(advisor):
    assert "/staff/branch-day" in advisor.get("/staff").get_data(as_text=True)


def test_danish(client, world):
    client.get("/language/da")
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    html = client.get("/staff/branch-day").get_data(as_text=True)
    assert "<h1>Filialens dag</h1>" in html
    assert "Ledig" in html
