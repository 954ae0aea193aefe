"""My meetings and the branch day read in a fixed number of queries, however many meetings there are,
and My meetings loads only the signed-in advisor's meetings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import Meeting
from tests import factories
from tests.factories import at
from tests.web.staff_helpers import make_staff, sign_in

ADVISOR = "anna@nordbank.example"
MONDAY = "2026-03-02"


@pytest.fixture
def advisor(client, world):  # type: ignore[no-untyped-def]
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    return client


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _meetings(world, count: int, first: int) -> None:  # type: ignore[no-untyped-def]
    """`count` meetings on Monday, each with its own branch, room, topic and booking staff account;
    every other one a joint meeting led by Bo with Anna."""
    for n in range(first, first + count):
        place = factories.location(f"Branch {n}")
        booker = make_staff(f"booker{n}@nordbank.example")
        lead, extra = (world.bo, [world.anna.id]) if n % 2 else (world.anna, [world.bo.id])
        factories.meeting(
            lead,
            at(9 + n // 4, 15 * (n % 4)),
            minutes=15,
            room=factories.room(place, name=f"Room {n}"),
            topic=factories.topic(f"Topic {n}"),
            location_id=place.id,
            additional_employee_ids=extra,
            customer_name=f"Customer {n}",
            booked_by="employee",
            booked_by_user_id=booker.id,
        )
    db.session.commit()


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    db.session.expire_all()  # the page reads from the database, not from what the test made
    with _statements() as seen:
        response = client.get(url)
    assert response.status_code == 200
    return len(seen)


@pytest.mark.parametrize("url", ["/staff/meetings", f"/staff/branch-day?day={MONDAY}"])
def test_the_number_of_queries_does_not_grow_with_the_meetings(advisor, world, url):
    _meetings(world, 2, first=0)
    few = _count(advisor, url)
    _meetings(world, 6, first=2)
    many = _count(advisor, url)
    html = advisor.get(url).get_data(as_text=True)
    assert all(f"Customer {n}" in html and f"Room {n}" in html for n in range(8))
    assert "booker7@nordbank.example" in html or "branch-day" in url
    assert many == few


def test_my_meetings_loads_only_the_advisors_own_meetings(advisor, world):
    for n in range(5):
        factories.meeting(world.bo, at(9, 12 * n), minutes=10, customer_name=f"Bo only {n}")
    factories.meeting(world.anna, at(11), customer_name="Anna alone")
    factories.meeting(
        world.bo, at(10), additional_employee_ids=[world.anna.id], customer_name="Ours"
    )
    db.session.commit()
    loaded: list[str] = []

    def on_load(target, context):  # type: ignore[no-untyped-def]
        loaded.append(target.customer_name)

    db.session.expire_all()
    event.listen(Meeting, "load", on_load)
    try:
        html = advisor.get("/staff/meetings").get_data(as_text=True)
    finally:
        event.remove(Meeting, "load", on_load)
    assert "Anna alone" in html and "Ours" in html
    assert sorted(loaded) == ["Anna alone", "Ours"]
