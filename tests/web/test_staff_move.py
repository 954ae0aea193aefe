"""Moving one of the advisor's meetings from its own page (/staff/meetings/<id>): the wizard's week
grid with the meeting's own time ignored, a staff hold, the old and the new time, then the move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.booking.query import SlotQuery
from app.booking.reservations import purge_expired
from app.booking.slots import find_slots
from app.extensions import db
from app.models import BookingClaim, Meeting, Reservation, User
from tests import factories
from tests.factories import at
from tests.web.helpers import csrf_from, slot_values
from tests.web.staff_helpers import make_staff, sign_in

ADVISOR = "anna@nordbank.example"
TOKEN = "p" * 32


@pytest.fixture
def meeting(world):  # type: ignore[no-untyped-def]
    """Anna's mortgage meeting at the branch, Monday 10:00-11:00, booked in the wizard."""
    row = factories.meeting(
        world.anna,
        at(10),
        topic=world.mortgage,
        customer_type_id=world.private.id,
        location_id=world.branch.id,
        customer_name="Karen Kunde",
        manage_token=TOKEN,
    )
    db.session.commit()
    return row


@pytest.fixture
def advisor(client, world):  # type: ignore[no-untyped-def]
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    return client


def _grid(client, meeting_id: str, week: str = "") -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/staff/meetings/{meeting_id}/move", query_string={"week": week})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _starts(html: str) -> list[datetime]:
    return [datetime.fromisoformat(v.split("|")[0]) for v in slot_values(html)]


def _value(html: str, start: datetime) -> str:
    return next(v for v in slot_values(html) if datetime.fromisoformat(v.split("|")[0]) == start)


def _hold(client, meeting_id: str, html: str, start: datetime):  # type: ignore[no-untyped-def]
    data = {"slot": _value(html, start), "csrf_token": csrf_from(html)}
    return client.post(f"/staff/meetings/{meeting_id}/move", data=data)


def _confirm(client, location: str):  # type: ignore[no-untyped-def]
    page = client.get(location).get_data(as_text=True)
    return client.post(location, data={"csrf_token": csrf_from(page)})


def _row(meeting_id: str) -> Meeting:
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id)


def test_the_meeting_page_shows_who_what_where_and_how_it_was_booked(advisor, meeting, world):
    html = advisor.get(f"/staff/meetings/{meeting.id}").get_data(as_text=True)
    assert "Meeting on Monday 2 March, 10:00" in html
    assert "Karen Kunde" in html and "Mortgage" in html and "At a branch" in html
    assert "Branch-North" in html and "Anna Andersen" in html
    assert "the customer, in the booking pages" in html
    assert f'href="/staff/meetings/{meeting.id}/move"' in html
    assert f'action="/staff/meetings/{meeting.id}/cancel"' in html
    listed = advisor.get("/staff/meetings").get_data(as_text=True)
    assert f'href="/staff/meetings/{meeting.id}"' in listed


def test_moving_to_a_free_time_moves_the_meeting_and_the_private_link_shows_it(
    advisor, meeting, world
):
    html = _grid(advisor, meeting.id)
    new_start = at(9, day=3)
    response = _hold(advisor, meeting.id, html, new_start)
    assert response.status_code == 302
    page = advisor.get(response.location).get_data(as_text=True)
    assert "<del>Monday 2 March, 10:00–11:00</del>" in page
    assert "Tuesday 3 March, 09:00–10:00" in page
    response = _confirm(advisor, response.location)
    assert response.location == f"/staff/meetings/{meeting.id}"
    moved = _row(meeting.id)
    assert (moved.start_at, moved.end_at) == (new_start, new_start + timedelta(hours=1))
    assert moved.employee_id == world.anna.id and moved.status == "Booked"
    assert moved.sequence == 1
    hold = db.session.get(Reservation, moved.time_slot_id)
    assert hold.owner.startswith("staff:") and hold.existing_meeting_id == meeting.id
    claims = db.session.scalars(select(BookingClaim).where(BookingClaim.meeting_id == meeting.id))
    assert {c.start_at for c in claims} == {new_start}
    detail = advisor.get(response.location).get_data(as_text=True)
    assert "The meeting is moved to Tuesday 3 March, 09:00" in detail
    assert f"Last moved</dt><dd>by staff ({ADVISOR})" in detail
    private = advisor.get(f"/m/{TOKEN}").get_data(as_text=True)
    assert "Tuesday 3 March, 09:00–10:00" in private
    assert "Monday 2 March" not in private


def _free_at(employee_id: str, start: datetime, now: datetime) -> bool:
    """Whether a search for this advisor alone offers a meeting at `start`."""
    query = SlotQuery(
        require_employee_participation=True,
        explicit_employee_ids=(employee_id,),
        start=start,
        look_forward=timedelta(minutes=1),
        meeting_types=("Physical",),
    )
    return any(s.start == start for s in find_slots(query, now))


def test_the_old_time_is_free_for_other_searches_after_the_move(advisor, meeting, world, clock):
    assert not _free_at(world.anna.id, at(10), clock.now)
    html = _grid(advisor, meeting.id)
    _confirm(advisor, _hold(advisor, meeting.id, html, at(9, day=3)).location)
    assert _free_at(world.anna.id, at(10), clock.now)
    assert not _free_at(world.anna.id, at(9, day=3), clock.now)


def test_its_own_time_is_offered_and_the_minimum_notice_does_not_apply(advisor, meeting):
    factories.settings(min_notice_minutes=24 * 60)  # customers could book nothing this week
    db.session.commit()
    starts = _starts(_grid(advisor, meeting.id))
    assert at(10) in starts and at(10, 30) in starts  # overlapping its own 10:00-11:00
    assert at(9) in starts  # an hour from now: staff are not held to the notice


def test_a_busy_time_is_not_offered(advisor, meeting, world):
    factories.meeting(world.anna, at(10, day=3), customer_name="Someone Else")
    factories.busy(world.anna, at(9, day=4), at(12, day=4))
    db.session.commit()
    starts = _starts(_grid(advisor, meeting.id))
    assert at(9, day=3) in starts and at(11, day=3) in starts
    for taken in (at(9, 30, day=3), at(10, day=3), at(10, 30, day=3)):
        assert taken not in starts
    assert not [s for s in starts if s.date() == at(9, day=4).date()]


def test_a_joint_meeting_keeps_all_its_advisors(advisor, world):
    joint = factories.meeting(
        world.bo,
        at(10),
        meeting_type="Online",
        additional_employee_ids=[world.anna.id],
        topic=world.mortgage,
        customer_type_id=world.private.id,
    )
    factories.busy(world.bo, at(9, day=3), at(12, day=3))  # Bo is away on Tuesday
    db.session.commit()
    html = _grid(advisor, joint.id)
    assert {tuple(v.split("|")[3].split(",")) for v in slot_values(html)} == {
        (world.bo.id, world.anna.id)
    }
    starts = _starts(html)
    assert not [s for s in starts if s.date() == at(9, day=3).date()]
    new_start = at(11, day=4)
    _confirm(advisor, _hold(advisor, joint.id, html, new_start).location)
    moved = _row(joint.id)
    assert moved.start_at == new_start
    assert (moved.employee_id, moved.additional_employee_ids) == (world.bo.id, [world.anna.id])


def test_a_time_taken_before_the_hold_is_refused_with_a_message(advisor, meeting, world):
    html = _grid(advisor, meeting.id)
    factories.meeting(world.anna, at(9, day=3), customer_name="Quicker Customer")
    db.session.commit()
    response = _hold(advisor, meeting.id, html, at(9, day=3))
    assert response.status_code == 302
    assert response.location.startswith(f"/staff/meetings/{meeting.id}/move?week=2026-03-02")
    page = advisor.get(response.location).get_data(as_text=True)
    assert "That time cannot be held: Anna Andersen has a meeting 09:00–10:00." in page
    assert db.session.scalar(select(Reservation.id)) is None
    assert _row(meeting.id).start_at == at(10)


def test_a_time_taken_after_the_hold_ran_out_sends_the_grid_back(advisor, meeting, world, clock):
    html = _grid(advisor, meeting.id)
    confirm_at = _hold(advisor, meeting.id, html, at(9, day=3)).location
    page = advisor.get(confirm_at).get_data(as_text=True)
    clock.advance(minutes=6)  # the hold runs out; someone else books the time
    purge_expired(clock.now)
    factories.meeting(world.anna, at(9, day=3), customer_name="Quicker Customer")
    db.session.commit()
    response = advisor.post(confirm_at, data={"csrf_token": csrf_from(page)})
    assert response.location.startswith(f"/staff/meetings/{meeting.id}/move?week=2026-03-02")
    said = advisor.get(response.location).get_data(as_text=True)
    assert "The meeting was not moved: Anna Andersen has a meeting 09:00–10:00." in said
    moved = _row(meeting.id)
    assert moved.start_at == at(10) and moved.sequence == 0
    claims = db.session.scalars(
        select(BookingClaim).where(BookingClaim.resource == f"employee:{world.anna.id}")
    ).all()
    assert sorted(c.start_at for c in claims) == [at(10), at(9, day=3)]  # one each, no double


def test_a_hold_that_ran_out_is_taken_again_when_the_time_is_still_free(advisor, meeting, clock):
    html = _grid(advisor, meeting.id)
    confirm_at = _hold(advisor, meeting.id, html, at(11, day=3)).location
    page = advisor.get(confirm_at).get_data(as_text=True)
    clock.advance(minutes=6)
    response = advisor.post(confirm_at, data={"csrf_token": csrf_from(page)})
    assert response.location == f"/staff/meetings/{meeting.id}"
    assert _row(meeting.id).start_at == at(11, day=3)


def test_keep_the_old_time_releases_the_hold(advisor, meeting):
    html = _grid(advisor, meeting.id)
    confirm_at = _hold(advisor, meeting.id, html, at(9, day=3)).location
    page = advisor.get(confirm_at).get_data(as_text=True)
    response = advisor.post(confirm_at + "/release", data={"csrf_token": csrf_from(page)})
    assert response.location == f"/staff/meetings/{meeting.id}"
    db.session.expire_all()
    assert db.session.scalar(select(Reservation.status)) == "Released"
    assert _row(meeting.id).start_at == at(10)
    assert advisor.get(confirm_at).location.startswith(f"/staff/meetings/{meeting.id}/move")


@pytest.mark.parametrize("which", ["another advisor's", "unknown"])
def test_another_advisors_meeting_is_404_on_every_page(advisor, world, which):
    other = factories.meeting(world.bo, at(10, day=3), topic=world.mortgage)
    db.session.commit()
    meeting_id = "no-such-meeting" if which == "unknown" else other.id
    html = advisor.get("/staff/meetings").get_data(as_text=True)
    token = csrf_from(html)
    assert advisor.get(f"/staff/meetings/{meeting_id}").status_code == 404
    assert advisor.get(f"/staff/meetings/{meeting_id}/move").status_code == 404
    slot = f"{at(9, day=4).isoformat()}|{at(10, day=4).isoformat()}|Physical|{world.bo.id}|"
    response = advisor.post(
        f"/staff/meetings/{meeting_id}/move", data={"slot": slot, "csrf_token": token}
    )
    assert response.status_code == 404
    assert db.session.scalar(select(Reservation.id)) is None


def test_another_accounts_hold_is_404(advisor, client, meeting, world, app):
    html = _grid(advisor, meeting.id)
    confirm_at = _hold(advisor, meeting.id, html, at(9, day=3)).location
    other = app.test_client()
    # The advisor's account is disabled and a new one is linked to the same advisor (one active
    # account per advisor): holds still belong to the account that took them, not the advisor.
    first = db.session.scalar(select(User).where(User.employee_id == world.anna.id))
    first.disabled_at = datetime.now(UTC)
    db.session.commit()
    colleague = make_staff("colleague@nordbank.example")
    colleague.employee_id = world.anna.id
    db.session.commit()
    assert sign_in(other, "colleague@nordbank.example").status_code == 302
    assert other.get(confirm_at).status_code == 404


def test_a_tampered_time_with_other_advisors_is_400(advisor, meeting, world):
    html = _grid(advisor, meeting.id)
    value = _value(html, at(9, day=3)).split("|")
    value[3] = world.bo.id
    data = {"slot": "|".join(value), "csrf_token": csrf_from(html)}
    assert advisor.post(f"/staff/meetings/{meeting.id}/move", data=data).status_code == 400
    assert db.session.scalar(select(Reservation.id)) is None


def test_forms_without_their_csrf_token_change_nothing(advisor, meeting):
    html = _grid(advisor, meeting.id)
    response = advisor.post(
        f"/staff/meetings/{meeting.id}/move", data={"slot": _value(html, at(9, day=3))}
    )
    assert response.location == f"/staff/meetings/{meeting.id}"
    assert "The form had expired" in advisor.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Reservation.id)) is None
    confirm_at = _hold(advisor, meeting.id, html, at(9, day=3)).location
    assert advisor.post(confirm_at).location == f"/staff/meetings/{meeting.id}"
    assert _row(meeting.id).start_at == at(10)


@pytest.mark.parametrize("which", ["cancelled", "past"])
def test_a_cancelled_or_past_meeting_cannot_be_moved(advisor, world, which):
    row = factories.meeting(
        world.anna,
        at(7) if which == "past" else at(10),
        topic=world.mortgage,
        status="Cancelled" if which == "cancelled" else "Booked",
        cancel_reason="Customer called" if which == "cancelled" else None,
    )
    db.session.commit()
    page = advisor.get(f"/staff/meetings/{row.id}").get_data(as_text=True)
    assert "It can no longer be moved" in page
    assert f"/staff/meetings/{row.id}/move" not in page
    response = advisor.get(f"/staff/meetings/{row.id}/move")
    assert response.status_code == 409
    assert "This meeting can no longer be moved" in response.get_data(as_text=True)
    slot = f"{at(9, day=3).isoformat()}|{at(10, day=3).isoformat()}|Physical|{world.anna.id}|"
    data = {"slot": slot, "csrf_token": csrf_from(page)}
    assert advisor.post(f"/staff/meetings/{row.id}/move", data=data).status_code == 409
    assert db.session.scalar(select(Reservation.id)) is None


def test_a_meeting_cancelled_while_moving_is_not_moved(advisor, meeting, clock):
    from app.booking.meeting_changes import cancel_meeting

    html = _grid(advisor, meeting.id)
    confirm_at = _hold(advisor, meeting.id, html, at(9, day=3)).location
    page = advisor.get(confirm_at).get_data(as_text=True)
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="customer")
    response = advisor.post(confirm_at, data={"csrf_token": csrf_from(page)})
    assert response.status_code == 409
    moved = _row(meeting.id)
    assert moved.status == "Cancelled" and moved.start_at == at(10)


def test_cancelling_from_the_meeting_page_stores_the_reason_for_the_private_link(advisor, meeting):
    page = advisor.get(f"/staff/meetings/{meeting.id}").get_data(as_text=True)
    url = f"/staff/meetings/{meeting.id}/cancel"
    data = {"reason": " ", "back": "meeting", "csrf_token": csrf_from(page)}
    response = advisor.post(url, data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Meeting on Monday 2 March, 10:00" in html and f'id="reason-{meeting.id}-error"' in html
    data["reason"] = "The advisor is ill"
    response = advisor.post(url, data=data)
    assert response.location == f"/staff/meetings/{meeting.id}"
    html = advisor.get(response.location).get_data(as_text=True)
    assert "This meeting is cancelled." in html and "The advisor is ill" in html
    assert _row(meeting.id).cancel_reason == "The advisor is ill"
    private = advisor.get(f"/m/{TOKEN}").get_data(as_text=True)
    assert "This meeting is cancelled" in private and "The advisor is ill" in private


def test_danish(client, world, meeting):
    client.get("/language/da")  # first: the tests share one app context, where the locale is cached
    make_staff(ADVISOR, employee_id=world.anna.id)
    db.session.commit()
    assert sign_in(client, ADVISOR).status_code == 302
    html = client.get(f"/staff/meetings/{meeting.id}").get_data(as_text=True)
    assert "Møde mandag 2. marts, 10.00" in html and "Flyt" in html
    html = _grid(client, meeting.id)
    assert "Flyt mødet" in html


def test_the_move_sent_twice_lands_on_the_meetings_page(advisor, meeting):
    html = _grid(advisor, meeting.id)
    confirm_at = _hold(advisor, meeting.id, html, at(9, day=3)).location
    page = advisor.get(confirm_at).get_data(as_text=True)
    advisor.post(confirm_at, data={"csrf_token": csrf_from(page)})
    again = advisor.post(confirm_at, data={"csrf_token": csrf_from(page)})
    assert again.location == f"/staff/meetings/{meeting.id}"
    moved = _row(meeting.id)
    assert moved.start_at == at(9, day=3) and moved.sequence == 1


def test_week_navigation_by_htmx_returns_the_grid_alone(advisor, meeting):
    response = advisor.get(
        f"/staff/meetings/{meeting.id}/move",
        query_string={"week": "2026-03-09"},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="grid"') and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    assert _starts(html)[0] == at(9, day=9)
    assert f'action="/staff/meetings/{meeting.id}/move"' in html and "hx-post" not in html
