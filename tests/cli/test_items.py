"""One item at a time (admin pages, API writes): the import's rules, relative paths, safe deletes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.booking.errors import Conflict, InvalidRequest, NotFound
from app.configuration import ConfigurationError, delete_item, save_item, save_settings
from app.extensions import db
from app.models import Employee, Location, OrganisationSettings, Room, WeeklySchedule
from tests import factories


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_save_item_creates_then_updates_the_same_row_and_returns_its_id(app):
    first = save_item("locations", {"name": "Branch-North", "areas": ["Copenhagen"]})
    again = save_item("locations", {"name": "branch-north", "address": "Østerbrogade 1"})
    assert first == again
    row = db.session.get(Location, first)
    assert row.areas == ["Copenhagen"] and row.address == "Østerbrogade 1"


def test_save_item_reports_problems_relative_to_the_item(app):
    with pytest.raises(ConfigurationError) as caught:
        save_item(
            "employees",
            {
                "email": "a@bank.example",
                "first_name": "A",
                "last_name": "B",
                "home_location": "Nowhere",
                "schedule": {
                    "monday": {"from": "09:00", "to": "24:00", "meeting_types": ["online"]}
                },
            },
        )
    found = [str(p) for p in caught.value.problems]
    assert 'schedule.monday.to: invalid time "24:00"' in found[0]
    assert 'home_location: unknown location "Nowhere"' in found
    assert count(Employee) == 0


def test_save_settings_changes_only_the_keys_given(app):
    save_settings({"name": "Nordbank", "buffer_after_minutes": 15})
    save_settings({"min_notice_minutes": 120})
    row = db.session.get(OrganisationSettings, 1)
    assert (row.name, row.buffer_after_minutes, row.min_notice_minutes) == ("Nordbank", 15, 120)
    with pytest.raises(ConfigurationError) as caught:
        save_settings({"time_zone": "Nowhere/City"})
    assert str(caught.value.problems[0]) == 'time_zone: unknown time zone "Nowhere/City"'


def test_an_unknown_kind_is_refused(app):
    with pytest.raises(InvalidRequest):
        save_item("planets", {"name": "Mars"})
    with pytest.raises(InvalidRequest):
        delete_item("planets", "x", now=datetime.now(UTC))


def test_delete_item_removes_an_unused_advisor_with_their_schedule(app, clock):
    employee = factories.employee()
    db.session.commit()
    delete_item("employees", employee.id, now=clock.now)
    assert count(Employee) == 0 and count(WeeklySchedule) == 0
    with pytest.raises(NotFound):
        delete_item("employees", employee.id, now=clock.now)


def test_an_advisor_with_meetings_is_kept_for_the_record(app, clock):
    employee = factories.employee()
    factories.meeting(employee, clock.now - timedelta(days=30))
    db.session.commit()
    with pytest.raises(Conflict, match="can_be_booked"):
        delete_item("employees", employee.id, now=clock.now)
    assert count(Employee) == 1


def test_a_room_or_branch_with_upcoming_meetings_cannot_be_deleted_but_a_past_one_can(app, clock):
    branch = factories.location()
    room = factories.room(branch)
    employee = factories.employee(branch)
    factories.meeting(employee, clock.now + timedelta(days=1), room=room)
    db.session.commit()
    with pytest.raises(Conflict):
        delete_item("rooms", room.id, now=clock.now)
    with pytest.raises(Conflict):
        delete_item("locations", branch.id, now=clock.now)
    delete_item("rooms", room.id, now=clock.now + timedelta(days=2))
    assert count(Room) == 0
