"""Organisation settings: saved through the configuration service, refused input, shorter hours."""

from __future__ import annotations

from datetime import UTC, datetime, time

from app.extensions import db
from app.models import OrganisationSettings
from tests import factories
from tests.web.admin_helpers import field_error, send, sign_in_admin, text

URL = "/staff/admin/settings"
FORM = {
    "name": "Nordbank",
    "opening_time": "08:00",
    "closing_time": "17:00",
    "buffer_before_minutes": "5",
    "buffer_after_minutes": "10",
    "min_notice_minutes": "120",
    "max_days_ahead": "60",
    "default_meeting_minutes": "45",
    "max_meeting_minutes_per_day": "",
    "meeting_title_template": "{topic} with {advisor}",
    "meeting_description_template": "Your meeting about {topic}.",
}


def _settings() -> OrganisationSettings:
    db.session.expire_all()
    return db.session.get(OrganisationSettings, 1)


def test_an_admin_changes_the_settings(client, world):
    sign_in_admin(client)
    page = client.get(URL).get_data(as_text=True)
    assert 'value="08:00"' in page and 'value="17:00"' in page
    assert send(client, URL, FORM).status_code == 302
    row = _settings()
    assert (row.buffer_before_minutes, row.buffer_after_minutes) == (5, 10)
    assert (row.min_notice_minutes, row.max_days_ahead, row.default_meeting_minutes) == (
        120,
        60,
        45,
    )
    assert (row.max_meeting_minutes_per_day, row.meeting_title_template) == (
        None,
        "{topic} with {advisor}",
    )
    assert (
        send(
            client,
            URL,
            {**FORM, "max_meeting_minutes_per_day": "300", "meeting_title_template": ""},
        ).status_code
        == 302
    )
    row = _settings()
    assert (row.max_meeting_minutes_per_day, row.meeting_title_template) == (300, None)
    assert row.meeting_description_template == "Your meeting about {topic}."


def test_bad_settings_are_refused_next_to_their_fields(client, world):
    sign_in_admin(client)
    form = {**FORM, "max_days_ahead": "", "buffer_before_minutes": "-5"}
    response = send(client, URL, form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, "max_days_ahead") == "Enter a value."
    assert field_error(html, "buffer_before_minutes") == "Enter 0 or more."
    assert _settings().buffer_before_minutes == 0
    order = send(client, URL, {**FORM, "opening_time": "18:00"})
    message = "The opening time must be before the closing time."
    assert field_error(order.get_data(as_text=True), "closing_time") == message
    assert _settings().opening_time == time(8, 0)
    bad_time = send(client, URL, {**FORM, "opening_time": "25:99"})
    assert field_error(bad_time.get_data(as_text=True), "opening_time") == "Enter a time as HH:MM."


def test_shorter_hours_list_the_meetings_left_outside_and_keep_them(client, world):
    factories.meeting(
        world.anna, datetime(2026, 3, 3, 15, tzinfo=UTC), topic=world.mortgage
    )  # 16-17
    factories.meeting(world.bo, datetime(2026, 3, 3, 9, tzinfo=UTC))  # 10-11: inside
    db.session.commit()
    sign_in_admin(client)
    response = send(client, URL, {**FORM, "closing_time": "16:00"})
    assert response.status_code == 409
    page = text(response.get_data(as_text=True))
    assert "This change affects 1 booked meeting" in page and "Anna Andersen" in page
    assert "Bo Berg" not in page
    assert _settings().closing_time == time(17, 0)
    assert (
        send(client, URL, {**FORM, "closing_time": "16:00", "confirm_affected": "1"}).status_code
        == 302
    )
    assert _settings().closing_time == time(16, 0)
    # longer hours affect nobody
    assert send(client, URL, {**FORM, "closing_time": "18:00"}).status_code == 302


def test_an_admin_orders_the_advisor_priority_levels_one_per_line(client, world):
    sign_in_admin(client)
    page = client.get(URL).get_data(as_text=True)
    assert "Explicit\nLocal\nServiceGroup" in page  # the default, shown as lines
    levels = "Explicit\nServiceGroup: VIP\nLocal\nServiceGroup"
    assert send(client, URL, {**FORM, "priority_levels": levels}).status_code == 302
    stored = _settings().priority_levels
    assert [(lv["type"], lv["label"]) for lv in stored] == [
        ("Explicit", None),
        ("ServiceGroup", "VIP"),
        ("Local", None),
        ("ServiceGroup", None),
    ]
    bad = send(client, URL, {**FORM, "priority_levels": "Local\nLocal"})
    assert bad.status_code == 400
    assert "Explicit and Local at most once" in field_error(
        bad.get_data(as_text=True), "priority_levels"
    )
    assert _settings().priority_levels == stored
    assert send(client, URL, {**FORM, "priority_levels": ""}).status_code == 302
    assert _settings().priority_levels is None  # empty: back to the default
