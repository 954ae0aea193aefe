"""Why not? (/staff/why-not): the engine's reasons for one time, in plain words, with names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import render_template_string

from app.extensions import db
from app.models import Reservation
from app.wizard.week import Day, Week
from tests import factories
from tests.factories import at
from tests.web.staff_helpers import make_staff, sign_in

ADVISOR = "anna@nordbank.example"
MONDAY_10 = "2026-03-02T10:00"


@pytest.fixture
def advisor(client, world):  # type: ignore[no-untyped-def]
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    return client


def ask(client, world, start: str = MONDAY_10, headers=None, **args):  # type: ignore[no-untyped-def]
    """GET /staff/why-not for Anna's Mortgage at the branch unless told otherwise."""
    query = {
        "topic": world.mortgage.id,
        "type": "Physical",
        "location": world.branch.id,
        "advisor": [world.anna.id],
        "start": start,
        **args,
    }
    query = {k: v for k, v in query.items() if v is not None}
    return client.get("/staff/why-not", query_string=query, headers=headers or {})


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def _hold(employee, start: datetime) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    db.session.add(
        Reservation(
            token="t-hold",
            start_at=start,
            end_at=start + timedelta(hours=1),
            employee_id=employee.id,
            status="Reserved",
            created_at=now,
            modified_at=now,
            expires_at=at(8, 5),
            owner="wizard:test",
        )
    )
    db.session.flush()
    from app.booking.claims import add_claims, resources_for

    row = db.session.query(Reservation).filter_by(token="t-hold").one()
    add_claims(
        resources_for([employee.id], None),
        start,
        start + timedelta(hours=1),
        reservation_id=row.id,
        expires_at=row.expires_at,
    )


def test_a_meeting_in_the_way_is_named_with_its_time_and_nothing_of_its_customer(advisor, world):
    factories.meeting(
        world.anna,
        at(10),
        customer_name="Karen Kunde",
        customer_email="karen@kunde.example",
        customer_phone="+4512345678",
        customer_id="C-778899",
        title="Karen's new flat",
    )
    db.session.commit()
    response = ask(advisor, world)
    html = text(response)
    assert response.status_code == 200
    assert "Anna Andersen has a meeting 10:00–11:00." in html
    for personal in ("Karen", "kunde.example", "12345678", "C-778899", "flat"):
        assert personal not in html
    assert "This time is not free" in html


def test_a_hold_and_busy_times_say_what_they_are(advisor, world):
    _hold(world.anna, at(9))
    factories.busy(world.anna, at(10), at(10, 30), kind="absence")
    factories.busy(world.anna, at(10, 30), at(11), kind="external")
    db.session.commit()
    html = text(ask(advisor, world, start="2026-03-02T09:30", minutes="90"))
    assert "Monday 2 March, 09:30–11:00" in html
    assert "Anna Andersen has a time on hold 09:00–10:00 (a customer is booking it)." in html
    assert "Anna Andersen is away 10:00–10:30." in html
    assert "Anna Andersen is busy 10:30–11:00 (in their own calendar)." in html


def test_working_elsewhere_blocks_a_branch_meeting_only(advisor, world):
    factories.busy(world.anna, at(10), at(11), kind="elsewhere")
    db.session.commit()
    html = text(ask(advisor, world))
    assert "Anna Andersen works away from the branch 10:00–11:00." in html
    online = text(ask(advisor, world, type="Online"))
    assert "This time is free" in online


def test_outside_hours_a_day_off_and_a_closing_day(advisor, world):
    late = text(ask(advisor, world, start="2026-03-02T11:30"))
    assert (
        "Outside working hours: Anna Andersen works 09:00–12:00 on Mondays, at Branch-North."
        in late
    )
    saturday = text(ask(advisor, world, start="2026-03-07T10:00"))
    assert "Anna Andersen does not work on Saturdays." in saturday
    factories.closing_day(date(2026, 3, 3), name="Bank holiday")
    db.session.commit()
    closed = text(ask(advisor, world, start="2026-03-03T10:00"))
    assert "The bank is closed: Bank holiday." in closed


def test_the_notice_in_working_hours_and_ignoring_it(advisor, world):
    factories.settings(min_notice_minutes=240)
    db.session.commit()
    html = text(ask(advisor, world))
    assert "Inside the 4 working hours of notice for Anna Andersen" in html
    assert "the earliest time is Tuesday 3 March, 10:00." in html
    assert "This time is free" in text(ask(advisor, world, notice="ignore"))


def test_the_daily_cap_and_the_buffer(advisor, world):
    factories.settings(max_meeting_minutes_per_day=60, buffer_after_minutes=15)
    factories.meeting(world.anna, at(9))
    db.session.commit()
    html = text(ask(advisor, world))
    assert (
        "Anna Andersen has reached the limit of 1 hour of meetings a day (1 hour booked that day)."
        in html
    )
    assert (
        "Too close to a meeting Anna Andersen has 09:00–10:00: "
        "15 minutes are kept between meetings." in html
    )


def test_a_taken_room_by_name_and_the_system_picking_another(advisor, world):
    taken = factories.room(world.branch, name="Marselisborg")
    free = factories.room(world.branch, name="Mols")
    factories.meeting(world.bo, at(10), room=taken)
    db.session.commit()
    html = text(ask(advisor, world, room=taken.id))
    assert "Room Marselisborg is taken 10:00–11:00." in html
    auto = text(ask(advisor, world, room="auto"))
    assert "This time is free" in auto and "Anna Andersen, room Mols" in auto
    assert free.id not in auto.split("</form>")[-1]  # names, not ids, in the answer


def test_a_topic_the_advisor_does_not_take_and_one_not_for_the_customer_type(advisor, world):
    world.bo.topics.append(world.mortgage)  # now somebody lists Mortgage: Anna does not
    db.session.commit()
    html = text(ask(advisor, world, customer_type=world.private.id))
    assert "Anna Andersen cannot take Mortgage for Private." in html
    wrong = text(ask(advisor, world, customer_type=world.business.id))
    assert "Mortgage is not offered to the customer type Business." in wrong


def test_a_free_time_names_the_advisor_and_a_moved_meeting_does_not_count(advisor, world):
    moving = factories.meeting(world.anna, at(10))
    db.session.commit()
    assert "has a meeting" in text(ask(advisor, world))
    html = text(ask(advisor, world, meeting=moving.id))
    assert "This time is free:" in html and "Anna Andersen" in html


def test_without_a_meeting_type_a_free_line_says_each_type(advisor, world):
    html = text(ask(advisor, world, type=""))
    assert "Anna Andersen, at a branch" in html and "Anna Andersen, by video" in html
    assert html.count("<li>Anna Andersen, by video</li>") == 1


def test_the_system_choice_explains_every_advisor_it_could_choose(advisor, world):
    factories.meeting(world.anna, at(10))
    factories.busy(world.bo, at(10), at(11))
    db.session.commit()
    html = text(ask(advisor, world, advisor=None))
    assert "advisor chosen by the system" in html
    assert '<h4 class="why-not-advisor">Anna Andersen</h4>' in html
    assert '<h4 class="why-not-advisor">Bo Berg</h4>' in html
    assert "Bo Berg is away 10:00–11:00." in html
    free = text(ask(advisor, world, advisor=None, start="2026-03-02T11:00"))
    assert "This time is free:" in free and "Anna Andersen" in free and "Bo Berg" in free


def test_in_danish(client, world):
    client.get("/language/da")
    make_staff(ADVISOR, employee_id=world.anna.id)
    factories.meeting(world.anna, at(10))
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    advisor = client
    html = text(ask(advisor, world))
    assert "Anna Andersen har et møde 10.00–11.00." in html
    assert "Tiden er ikke ledig" in html
    saturday = text(ask(advisor, world, start="2026-03-07T10:00"))
    assert "Anna Andersen arbejder ikke om lørdagen." in saturday


def test_htmx_gets_the_answer_alone_and_a_browser_the_whole_page(advisor, world):
    factories.meeting(world.anna, at(10))
    db.session.commit()
    page = ask(advisor, world)
    assert page.headers["Vary"] == "HX-Request" or "HX-Request" in page.headers["Vary"]
    html = text(page)
    assert "<html" in html and "<h1>Why not?</h1>" in html
    assert 'id="why-not-result-2026-03-02"' in html and 'aria-live="polite"' in html
    assert 'data-focus="always"' in html
    part = text(ask(advisor, world, headers={"HX-Request": "true"}))
    assert "<html" not in part and "<form" not in part
    assert "Anna Andersen has a meeting 10:00–11:00." in part
    assert part.lstrip().startswith("<h3")


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        ({"topic": ""}, 400, "Choose a topic."),
        ({"start": ""}, 400, "Choose a day and a time"),
        ({"start": "2026-13-02T10:00"}, 400, "Choose a day and a time"),
        ({"start": "2026-03-02T10:00+01:00"}, 400, "Choose a day and a time"),
        ({"start": "tomorrow"}, 400, "Choose a day and a time"),
        ({"start": "9999-12-31T23:30"}, 400, "Choose a day from a year ago to ten years ahead."),
        ({"start": "0001-01-01T00:00"}, 400, "Choose a day from a year ago to ten years ahead."),
        ({"type": "Carrier pigeon"}, 400, "meeting type"),
        ({"notice": "maybe"}, 400, "notice"),
        ({"minutes": "0"}, 400, "meeting length"),
        ({"minutes": "ten"}, 400, "meeting length"),
        ({"minutes": "99999"}, 400, "meeting length"),
        ({"topic": "<script>"}, 400, "topic is not one we know"),
        ({"topic": "no-such-topic"}, 404, "topic is not one we know"),
        ({"customer_type": "nope"}, 404, "customer type is not one we know"),
        ({"location": "nowhere"}, 404, "place is not one we know"),
        ({"room": "no-room"}, 404, "room is not one we know"),
        ({"advisor": ["ghost"]}, 404, "advisor is not one we know"),
        ({"meeting": "no-meeting"}, 404, "meeting is not one we know"),
    ],
)
def test_bad_or_unknown_values_are_400_or_404_with_a_message(advisor, world, args, status, message):
    response = ask(advisor, world, **args)
    assert response.status_code == status
    assert message in text(response)
    part = ask(advisor, world, headers={"HX-Request": "true"}, **args)
    assert part.status_code == status and message in text(part)
    assert 'class="message error"' in text(part)


@pytest.mark.parametrize(
    ("start", "words"),
    [
        ("2026-03-02T10:07", "Not on the 30-minute grid"),
        ("2026-03-29T02:30", "Anna Andersen does not work on Sundays."),  # skipped by summer time
        ("2026-01-05T10:00", "This time is in the past."),
        (
            "2026-12-07T10:00",
            "Beyond the booking horizon: meetings can be booked up to 90 days ahead.",
        ),
    ],
)
def test_odd_times_are_answered_not_refused(advisor, world, start, words):
    response = ask(advisor, world, start=start)
    assert response.status_code == 200 and words in text(response)


def test_the_form_and_day_time_lists_work_without_a_start(advisor, world):
    response = advisor.get(
        "/staff/why-not",
        query_string={
            "topic": world.mortgage.id,
            "advisor": world.anna.id,
            "room": "none",
            "day": "2026-03-02",
            "time": "10:00",
        },
    )
    assert response.status_code == 200
    html = text(response)
    assert "This time is free" in html
    assert '<option value="2026-03-02" selected>' in html
    assert '<option value="10:00" selected>' in html


def test_anonymous_and_accounts_without_an_advisor_are_turned_away(client, world):
    response = ask(client, world)
    assert response.status_code == 302 and response.location.startswith("/login")
    make_staff("plain@nordbank.example")
    db.session.commit()
    assert sign_in(client, "plain@nordbank.example").status_code == 302
    assert ask(client, world).status_code == 403


def test_the_form_partial_can_be_included_by_the_booking_grid(app, world):
    week = Week(
        monday=date(2026, 3, 2),
        days=[
            Day(date(2026, 3, 2 + i), datetime(2026, 3, 1, 23, tzinfo=UTC) + timedelta(i))
            for i in range(5)
        ],
        has_previous=False,
        has_next=True,
    )
    args = {
        "topic": world.mortgage.id,
        "type": "Online",
        "location": "",
        "advisor": [world.anna.id, world.bo.id],
        "room": "auto",
        "customer_type": world.private.id,
        "notice": "ignore",
        "minutes": "45",
    }
    with app.test_request_context("/staff/book"):
        html = render_template_string(
            '{% include "staff/_why_not_form.html" ignore missing %}', why_not_args=args, week=week
        )
    assert 'hx-get="/staff/why-not"' in html and 'action="/staff/why-not"' in html
    assert 'hx-target="#why-not-result-2026-03-02"' in html
    assert 'id="why-not-result-2026-03-02"' in html  # kept by the grid's refresh in the same week
    assert f'name="advisor" value="{world.anna.id}"' in html
    assert f'name="advisor" value="{world.bo.id}"' in html
    assert 'name="minutes" value="45"' in html and 'name="notice" value="ignore"' in html
    assert 'name="location"' not in html  # empty values are left out
    assert '<label for="why-not-day-2026-03-02">' in html and '<label for="why-not-time">' in html
    assert html.count("hx-preserve") == 3  # the day, the time and the answer
    assert html.count('<option value="2026-03-0') == 5
    assert '<option value="08:00">' in html and '<option value="16:30">' in html
    assert '<option value="17:00">' not in html  # the bank closes at 17:00


def test_the_system_choice_lists_ten_advisors_and_counts_the_rest(advisor, world):
    for n in range(10):
        extra = factories.employee(world.branch)
        extra.display_name = f"Zed {n:02d}"
        factories.meeting(extra, at(10))
    factories.meeting(world.anna, at(10))
    factories.meeting(world.bo, at(10))
    db.session.commit()
    html = text(ask(advisor, world, advisor=None))
    assert html.count('<h4 class="why-not-advisor">') == 10
    assert "Anna Andersen" in html and "Zed 07" in html and "Zed 08" not in html
    assert "2 more advisors are not listed." in html
