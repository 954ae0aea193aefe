"""My meetings (/staff/meetings): an advisor's upcoming meetings by day, and cancelling one."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.models import BookingClaim, Meeting
from tests import factories
from tests.factories import at
from tests.web.helpers import csrf_from
from tests.web.staff_helpers import make_staff, sign_in

ADVISOR = "anna@nordbank.example"


@pytest.fixture
def meetings(world):  # type: ignore[no-untyped-def]
    """Anna's meetings today and later, a joint one led by Bo, and others she must not see."""
    room = factories.room(world.branch, name="Room Øresund")
    rows = {
        "today": factories.meeting(
            world.anna,
            at(10),
            topic=world.mortgage,
            room=room,
            location_id=world.branch.id,
            customer_name="Karen Today",
            manage_token="t" * 32,
        ),
        "joint": factories.meeting(
            world.bo,
            at(11, day=3),
            additional_employee_ids=[world.anna.id],
            topic=world.business_loan,
            meeting_type="Online",
            customer_name="Joint Customer",
            client_id="partner-app",
        ),
        "later": factories.meeting(
            world.anna, at(9, day=4), customer_id="C-7788", booked_by="employee"
        ),
        "others": factories.meeting(world.bo, at(10, day=3), customer_name="Bo Only"),
        "cancelled": factories.meeting(
            world.anna, at(14, day=3), customer_name="Was Cancelled", status="Cancelled"
        ),
        "past": factories.meeting(world.anna, at(7), customer_name="Early Bird"),
        "far": factories.meeting(
            world.anna,
            datetime(2026, 5, 4, 8, 0, tzinfo=UTC),
            customer_name="Far Future",
        ),
    }
    db.session.commit()
    return rows


@pytest.fixture
def advisor(client, world):  # type: ignore[no-untyped-def]
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    return client


def _cancel(client, meeting_id: str, reason: str):  # type: ignore[no-untyped-def]
    page = client.get("/staff/meetings").get_data(as_text=True)
    data = {"reason": reason, "csrf_token": csrf_from(page)}
    return client.post(f"/staff/meetings/{meeting_id}/cancel", data=data)


def test_lists_exactly_this_advisors_upcoming_meetings_by_day(advisor, meetings):
    response = advisor.get("/staff/meetings")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for shown in ("Karen Today", "Joint Customer", "C-7788"):
        assert shown in html
    for hidden in ("Bo Only", "Was Cancelled", "Early Bird", "Far Future"):
        assert hidden not in html
    days = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert days[:3] == ["Today, Monday 2 March", "Tuesday 3 March", "Wednesday 4 March"]
    assert html.index("Karen Today") < html.index("Joint Customer") < html.index("C-7788")
    assert "10:00–11:00" in html  # local time (Copenhagen), not UTC
    assert "Room Øresund" in html and "Branch-North" in html
    assert "Mortgage" in html and "Video meeting" in html
    assert "through the API (partner-app)" in html
    assert "booking pages" in html and "by staff" in html


def test_cancel_with_a_reason_stores_it_and_frees_the_time(advisor, meetings, clock):
    meeting = meetings["today"]
    response = _cancel(advisor, meeting.id, "Customer called in sick")
    assert response.status_code == 302
    assert response.location.endswith("/staff/meetings")
    db.session.expire_all()
    row = db.session.get(Meeting, meeting.id)
    assert row.status == "Cancelled"
    assert row.cancel_reason == "Customer called in sick"
    assert row.cancelled_by == ADVISOR
    assert db.session.query(BookingClaim).filter_by(meeting_id=meeting.id).count() == 0
    html = advisor.get(response.location).get_data(as_text=True)
    assert "The meeting is cancelled" in html
    assert "Karen Today" not in html
    private = advisor.get("/m/" + "t" * 32).get_data(as_text=True)
    assert "This meeting is cancelled" in private


def test_cancel_without_a_reason_is_a_form_error_and_changes_nothing(advisor, meetings):
    meeting = meetings["today"]
    response = _cancel(advisor, meeting.id, "  ")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter a reason for cancelling." in html
    assert f'id="reason-{meeting.id}-error"' in html
    assert 'aria-invalid="true"' in html
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "Booked"


def test_a_joint_meetings_additional_advisor_may_cancel_it(advisor, meetings):
    response = _cancel(advisor, meetings["joint"].id, "Moved to next week")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meetings["joint"].id).status == "Cancelled"


@pytest.mark.parametrize("which", ["others", "unknown"])
def test_another_advisors_meeting_or_an_unknown_id_is_404(advisor, meetings, which):
    meeting_id = meetings["others"].id if which == "others" else "no-such-meeting"
    response = _cancel(advisor, meeting_id, "Not mine")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Meeting, meetings["others"].id).status == "Booked"


@pytest.mark.parametrize("which", ["past", "cancelled"])
def test_a_past_or_cancelled_meeting_is_409(advisor, meetings, which):
    response = _cancel(advisor, meetings[which].id, "Too late")
    assert response.status_code == 409
    assert "can no longer be cancelled" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meetings[which].id).cancel_reason is None


def test_a_meeting_started_since_the_page_was_shown_is_409(advisor, meetings, clock):
    page = advisor.get("/staff/meetings").get_data(as_text=True)
    for _ in range(6):  # to 10:30 in Copenhagen (started), active enough to stay signed in
        clock.advance(minutes=25)
        advisor.get("/staff")
    data = {"reason": "Late", "csrf_token": csrf_from(page)}
    response = advisor.post(f"/staff/meetings/{meetings['today'].id}/cancel", data=data)
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Meeting, meetings["today"].id).status == "Booked"


def test_an_admin_without_an_employee_gets_403(client, meetings):
    make_staff("admin@nordbank.example", admin=True)
    db.session.commit()
    assert sign_in(client, "admin@nordbank.example").status_code == 302
    response = client.get("/staff/meetings")
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, meetings):
    response = client.get("/staff/meetings")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=/staff/meetings")


def test_the_workspace_links_to_my_meetings(advisor):
    html = advisor.get("/staff").get_data(as_text=True)
    assert 'href="/staff/meetings"' in html


def test_danish_headings(client, world, meetings):
    client.get("/language/da")  # first: the tests share one app context, where the locale is cached
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    html = client.get("/staff/meetings").get_data(as_text=True)
    assert "Mine møder" in html
    assert "I dag, mandag 2. marts" in html
    assert "tirsdag 3. marts" in html
    assert "Aflys" in html
    assert "10.00–11.00" in html


def test_no_meetings_says_so(advisor):
    html = advisor.get("/staff/meetings").get_data(as_text=True)
    assert "No meetings in the next 60 days." in html


def test_a_cancel_without_its_csrf_token_changes_nothing(advisor, meetings):
    response = advisor.post(f"/staff/meetings/{meetings['today'].id}/cancel", data={"reason": "x"})
    assert response.status_code == 302
    assert response.location.endswith("/staff/meetings")
    assert "The form had expired" in advisor.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meetings["today"].id).status == "Booked"
