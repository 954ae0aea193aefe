"""Wizard input a careless or hostile browser sends: always a page or a redirect, never a 500."""

from __future__ import annotations

import pytest

from tests.web.helpers import choices_for, csrf_from, open_times, slot_values


@pytest.fixture
def answers_errors(app):  # type: ignore[no-untyped-def]
    """Errors become answers, as in production."""
    app.config["PROPAGATE_EXCEPTIONS"] = False


def _hold_with(client, world, change):  # type: ignore[no-untyped-def]
    """POST /book/hold with the first offered slot's value changed by `change(parts)`."""
    html = open_times(client, world)
    parts = slot_values(html)[0].split("|")
    change(parts)
    form = {**choices_for(world), "slot": "|".join(parts), "csrf_token": csrf_from(html)}
    return client.post("/book/hold", data=form)


def test_a_slot_naming_thousands_of_advisors_is_refused(client, world, answers_errors):
    def many(parts):  # type: ignore[no-untyped-def]
        parts[3] += "," + ",".join(f"x{i}" for i in range(2000))

    resp = _hold_with(client, world, many)
    assert resp.status_code < 500


def test_a_slot_without_a_time_zone_is_refused(client, world, answers_errors):
    def naive(parts):  # type: ignore[no-untyped-def]
        parts[0], parts[1] = parts[0][:16], parts[1][:16]

    assert _hold_with(client, world, naive).status_code < 500


def test_a_week_at_the_end_of_the_calendar_shows_the_last_bookable_week(
    client, world, answers_errors
):
    resp = client.get("/book/times", query_string={**choices_for(world), "week": "9999-12-31"})
    assert resp.status_code == 200
