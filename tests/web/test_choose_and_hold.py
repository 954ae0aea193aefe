"""Steps 1-3 through Flask's test client: choices, the week grid, holds."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Reservation
from tests import factories
from tests.web.helpers import choices_for, csrf_from, hold, open_times, slot_labels, slot_values


def test_step_one_offers_only_customer_topics_open_to_the_chosen_type(client, world):
    html = client.get("/book", query_string={"customer_type": world.private.id}).get_data(
        as_text=True
    )
    assert "Mortgage" in html and "Quick question" in html
    assert "Business loan" not in html
    assert "Internal review" not in html


def test_step_one_offers_only_the_meeting_types_the_topic_allows(client, world):
    html = client.get("/book", query_string={"topic": world.phone_only.id}).get_data(as_text=True)
    assert 'value="Telephone"' in html
    assert 'value="Physical"' not in html and 'value="Online"' not in html


def test_an_htmx_change_returns_the_choices_partial_and_varies_on_hx_request(client, world):
    response = client.get(
        "/book", query_string={"customer_type": world.business.id}, headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="choices">')
    assert "<html" not in html and "Business loan" in html
    assert "HX-Request" in response.headers["Vary"]


def test_submitting_step_one_incomplete_lists_what_is_missing(client, world):
    html = client.get(
        "/book", query_string={"go": "1", "customer_type": world.private.id}
    ).get_data(as_text=True)
    assert 'role="alert"' in html
    assert "Choose what the meeting is about." in html


def test_a_topic_that_does_not_fit_the_customer_type_is_refused(client, world):
    args = {"go": "1", "customer_type": world.private.id, "topic": world.business_loan.id}
    html = client.get("/book", query_string=args).get_data(as_text=True)
    assert "not offered to this customer type" in html


def test_a_complete_step_one_goes_to_the_times(client, world):
    response = client.get("/book", query_string={"go": "1", **choices_for(world)})
    assert response.status_code == 302
    assert response.location.startswith("/book/times?")


def test_the_grid_shows_each_working_day_with_buttons_named_by_full_date_and_time(client, world):
    html = open_times(client, world)
    labels = slot_labels(html)
    assert labels[0] == "Monday 2 March, 09:00"
    assert "Tuesday 3 March, 10:30" in labels
    assert len(labels) == 25  # 09:00-11:00 starts, Monday to Friday
    assert "Central European" in html and "Copenhagen" in html


def test_a_closing_day_says_it_is_closed(client, world):
    factories.closing_day(date(2026, 3, 4), "Staff day")
    db.session.commit()
    html = open_times(client, world)
    assert "Closed: Staff day" in html
    assert not any(label.startswith("Wednesday") for label in slot_labels(html))


def test_an_empty_week_names_the_next_free_time_and_links_to_its_week(client, world):
    for offset in range(5):
        factories.closing_day(date(2026, 3, 9) + timedelta(days=offset), "Holiday")
    db.session.commit()
    html = open_times(client, world, week="2026-03-09")
    assert "There are no free times this week." in html
    assert "The next free time is Monday 16 March, 09:00." in html
    assert "week=2026-03-16" in html


def test_holding_a_time_keeps_one_token_per_browser_and_releases_the_previous_hold(client, world):
    html = open_times(client, world)
    assert hold(client, world, html, 0).status_code == 302
    assert hold(client, world, html, 3).status_code == 302
    holds = db.session.scalars(select(Reservation).order_by(Reservation.created_at)).all()
    assert len({h.token for h in holds}) == 1
    assert sorted(h.status for h in holds) == ["Released", "Reserved"]


def test_a_held_time_disappears_for_another_browser(app, client, world):
    html = open_times(client, world)
    hold(client, world, html, 0)
    other = app.test_client()
    assert slot_values(open_times(other, world))[0] != slot_values(html)[0]


def test_an_htmx_hold_returns_the_hold_panel_with_a_fresh_grid_out_of_band(client, world):
    html = open_times(client, world)
    response = hold(client, world, html, 0, **{"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Held for you until 08:05" in body
    assert 'hx-swap-oob="true"' in body and 'id="status" hx-swap-oob="innerHTML"' in body


def test_a_time_taken_by_someone_else_gives_a_message_and_a_fresh_grid(app, client, world):
    html = open_times(client, world)
    other = app.test_client()
    hold(other, world, open_times(other, world), 0)
    response = hold(client, world, html, 0, **{"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "no longer free" in body
    assert slot_values(body)[0] != slot_values(html)[0]


def test_without_javascript_a_taken_time_redirects_to_the_grid_with_the_message(app, client, world):
    html = open_times(client, world)
    other = app.test_client()
    hold(other, world, open_times(other, world), 0)
    response = hold(client, world, html, 0)
    assert response.status_code == 302 and "#grid" in response.location
    assert "no longer free" in client.get(response.location).get_data(as_text=True)


def test_a_hold_without_a_csrf_token_is_refused(client, world):
    html = open_times(client, world)
    response = client.post("/book/hold", data={**choices_for(world), "slot": slot_values(html)[0]})
    assert response.status_code == 400
    assert "Nothing has been booked or changed" in response.get_data(as_text=True)
    assert db.session.scalar(select(Reservation)) is None


def test_too_many_holds_give_a_friendly_page_not_a_raw_429(app, client, world):
    app.config["RATELIMIT_ENABLED"] = True
    app.config["BOOKME_HOLD_RATE_LIMIT"] = "2 per minute"
    from app.extensions import limiter

    limiter.init_app(app)
    html = open_times(client, world)
    statuses = [hold(client, world, html, i).status_code for i in range(3)]
    assert statuses[:2] == [302, 302]
    response = hold(client, world, html, 3)
    assert response.status_code == 429
    assert "Please wait a moment" in response.get_data(as_text=True)
    assert csrf_from(response.get_data(as_text=True))


def test_an_empty_current_week_gives_way_to_the_week_of_the_next_free_time(client, world, clock):
    clock.set(clock.now + timedelta(days=4, hours=6))  # Friday 14:00, after the last start
    html = open_times(client, world)
    assert "no free times left this week" in html
    assert slot_labels(html)[0] == "Monday 9 March, 09:00"


def test_a_video_meeting_needs_no_branch_and_is_served_by_the_remote_team(client, world):
    html = open_times(client, world, meeting_type="Online", location="")
    assert slot_labels(html)[0] == "Monday 2 March, 09:00"


def test_a_preferred_advisor_comes_first_and_others_fill_in(client, world):
    html = open_times(client, world, advisor=world.bo.id)
    values = slot_values(html)
    assert values and all(world.bo.id in v for v in values)
    assert "selected>Bo Berg" in html


def test_made_up_ids_in_the_address_are_dropped_not_a_server_error(client, world):
    html = open_times(client, world, advisor="no-such-advisor")
    assert len(slot_labels(html)) == 25
    response = client.get("/book/times", query_string=choices_for(world, topic="nope"))
    assert response.status_code == 302 and "go=1" in response.location
    assert (
        client.get("/book/times", query_string=choices_for(world, week="2026-99-01")).status_code
        == 200
    )


def test_an_htmx_hold_with_an_expired_token_reloads_the_page(client, world):
    html = open_times(client, world)
    data = {**choices_for(world), "slot": slot_values(html)[0], "csrf_token": "stale"}
    response = client.post("/book/hold", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 400 and response.headers["HX-Refresh"] == "true"
