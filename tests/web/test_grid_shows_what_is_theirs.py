"""The week grid as a customer reads it: from today, their held time in place, their own steps."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Meeting
from tests.web.helpers import book, hold, open_times, slot_labels


def _day_headings(html: str) -> list[str]:
    return re.findall(r'<h3 id="day-([0-9-]+)"', html)


def test_the_grid_starts_today_not_on_monday(client, world, clock):
    clock.advance(days=2)  # Wednesday 4 March
    html = open_times(client, world)
    assert _day_headings(html)[0] == "2026-03-04"
    assert "2026-03-02" not in _day_headings(html) and "2026-03-03" not in _day_headings(html)


def test_a_previous_week_that_cannot_be_opened_is_no_button(client, world):
    html = open_times(client, world)
    assert 'id="week-prev"' not in html
    assert re.search(r'<span class="disabled" aria-disabled="true">', html)


def test_the_held_time_stays_in_the_grid_marked_and_the_heading_says_so(client, world):
    html = open_times(client, world)
    assert "<h1" in html and "Pick a time" in html
    first = slot_labels(html)[0]
    assert hold(client, world, html).status_code == 302
    after = open_times(client, world)
    assert 'id="mine-held"' in after and "Held for you" in after
    assert first not in slot_labels(after)  # shown as theirs, not as a button to press again
    assert re.search(r'<h1 id="page-heading">\s*Your time is held', after)


def test_the_hold_answer_for_htmx_swaps_the_heading_too(client, world):
    html = open_times(client, world)
    response = hold(client, world, html, **{"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert re.search(r'<h1 id="page-heading" hx-swap-oob="true">\s*Your time is held', body)
    assert 'id="mine-held"' in body


def test_moving_has_its_own_short_steps(client, world):
    book(client, world)
    meeting = db.session.scalar(select(Meeting))
    response = client.get(f"/m/{meeting.manage_token}/move")
    html = client.get(response.location).get_data(as_text=True)
    steps = re.search(r'<ol class="steps[^"]*">(.*?)</ol>', html, flags=re.S)
    assert steps is not None
    assert "New time" in steps.group(1) and "Confirm the move" in steps.group(1)
    assert "Your details" not in steps.group(1)
