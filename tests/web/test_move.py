"""Moving a booked meeting from its private link."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Meeting
from tests.web.helpers import book, csrf_from, slot_labels, slot_values


def _times_for_move(client, token: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/m/{token}/move")
    assert response.status_code == 302
    return client.get(response.location).get_data(as_text=True)


def test_moving_a_meeting_marks_its_own_time_and_moves_it_on_confirm(client, world):
    book(client, world)
    meeting = db.session.scalar(select(Meeting))
    html = _times_for_move(client, meeting.manage_token)
    assert "You are moving your meeting on Monday 2 March, 09:00" in html
    # its own time shows marked as theirs, and does not block the times that overlap it
    assert 'id="mine-current"' in html and "Your current time" in html
    assert "Monday 2 March, 09:00" not in slot_labels(html)
    assert slot_labels(html)[0] == "Monday 2 March, 09:30"
    later = slot_values(html)[3]
    client.post(
        "/book/hold",
        data={**_form(html), "slot": later, "csrf_token": csrf_from(html)},
    )
    page = client.get(f"/m/{meeting.manage_token}/move/confirm").get_data(as_text=True)
    assert "Move the meeting" in page
    response = client.post(
        f"/m/{meeting.manage_token}/move/confirm", data={"csrf_token": csrf_from(page)}
    )
    assert response.location == f"/m/{meeting.manage_token}?moved=1"
    after = client.get(response.location).get_data(as_text=True)
    assert "Download the updated calendar file" in after
    db.session.expire_all()
    moved = db.session.scalar(select(Meeting))
    assert moved.id == meeting.id and moved.start_at.isoformat() == later.split("|")[0]
    assert moved.sequence == 1


def test_the_move_page_without_a_hold_goes_back_to_the_grid(client, world):
    book(client, world)
    meeting = db.session.scalar(select(Meeting))
    response = client.get(f"/m/{meeting.manage_token}/move/confirm")
    assert response.location == f"/m/{meeting.manage_token}/move"


def _form(html: str) -> dict[str, str]:
    import re

    form = html[html.index('action="/book/hold"') :]
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
