"""The slot service's per-process configuration cache (SQLite and PostgreSQL): keyed on the
configuration version, which every configuration write changes in its own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import yaml
from flask import Flask
from sqlalchemy import delete, event, insert, text, update

from app import clock as app_clock
from app import create_app
from app.booking.config_cache import CONFIG_TABLES, current_version
from app.booking.query import SlotQuery
from app.booking.slots import check_slot, find_slots
from app.extensions import db
from app.models import ConfigurationVersion, Employee, WeeklySchedule, employee_topics
from tests import factories as fx
from tests.factories import MONDAY_0800, at


@pytest.fixture
def branch(app):  # type: ignore[no-untyped-def]
    fx.settings()
    row = fx.location("Branch-North", ["Copenhagen"])
    assert current_version() is not None  # the writes made it (PostgreSQL tests truncate it)
    return row


def _query(**kw) -> SlotQuery:  # type: ignore[no-untyped-def]
    kw.setdefault("require_employee_participation", True)
    kw.setdefault("look_forward", timedelta(days=1))
    kw.setdefault("meeting_types", ("Physical",))
    kw.setdefault("customer_location", "Copenhagen")
    return SlotQuery(**kw)


def _advisors(**kw) -> set[str]:  # type: ignore[no-untyped-def]
    return {s.employee_id for s in find_slots(_query(**kw), MONDAY_0800)}


def _starts(**kw) -> list[datetime]:  # type: ignore[no-untyped-def]
    return sorted({s.start for s in find_slots(_query(**kw), MONDAY_0800)})


def _statements(call) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return seen


def test_a_second_identical_search_asks_only_the_version_busy_times_and_claims(branch):
    fx.meeting(fx.employee(branch), at(9))
    fx.employee(branch)
    db.session.commit()
    results: list[object] = []
    cold = _statements(lambda: results.append(find_slots(_query(), MONDAY_0800)))
    warm = _statements(lambda: results.append(find_slots(_query(), MONDAY_0800)))
    assert list(results[0]) == list(results[1])  # type: ignore[call-overload]
    assert len(warm) == 3 < len(cold), "\n".join(warm)
    assert "configuration_version" in warm[0]
    assert not any(name in s for s in warm[1:] for name in CONFIG_TABLES)


def test_everything_the_cache_keeps_is_read_from_tables_whose_writes_bump_the_version(branch):
    """The two lists that must agree: what `_load_configuration` reads and what the session events
    watch. A table read into the cache but not watched would be served stale after a write."""
    import re

    from app.booking.config_load import load_configuration as _load_configuration

    fx.competence_group("Advice").members = [fx.employee(branch)]
    fx.service_group("Remote")
    db.session.flush()
    read = " ".join(_statements(_load_configuration))
    tables = {t for t in db.metadata.tables if re.search(rf"\b{t}\b", read)}
    assert tables >= {"employees", "weekly_schedules", "service_groups", "competence_groups"}
    assert tables <= CONFIG_TABLES, tables - CONFIG_TABLES


def test_a_search_in_another_app_on_another_database_never_shares_the_cache(branch, tmp_path):
    ada = fx.employee(branch)
    db.session.commit()
    assert _advisors() == {ada.id}
    version = current_version()
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}",
            "SECRET_KEY": "x",
        }
    )
    with other.app_context():
        db.create_all()
        db.session.execute(insert(ConfigurationVersion).values(id=1, version=version))
        db.session.commit()
        assert _advisors() == set()
        db.session.remove()
        db.engine.dispose()
    assert _advisors() == {ada.id}


def test_a_check_after_a_search_asks_only_the_version_busy_times_and_claims(branch):
    ada = fx.employee(branch)
    fx.service_group("Capped", max_meeting_minutes_per_day=120, employees=[ada])
    db.session.commit()
    assert _advisors() == {ada.id}

    def check() -> None:
        check_slot(
            employee_ids=[ada.id],
            room_id=None,
            start=at(10),
            end=at(11),
            meeting_type="Physical",
            topic_id=None,
            customer_type_id=None,
            is_customer_initiated=True,
            now=MONDAY_0800,
        )

    assert len(_statements(check)) == 3


# ---- every kind of write is seen by the next search --------------------------------------------


def test_adding_changing_and_deleting_an_advisor_through_the_orm(branch):
    ada = fx.employee(branch)
    assert _advisors() == {ada.id}
    bob = fx.employee(branch)
    assert _advisors() == {ada.id, bob.id}
    bob.can_be_booked = False
    db.session.flush()
    assert _advisors() == {ada.id}
    bob.can_be_booked = True
    db.session.commit()
    assert _advisors() == {ada.id, bob.id}
    db.session.delete(bob)
    db.session.commit()
    assert _advisors() == {ada.id}


def test_changing_a_weekly_schedule(branch):
    ada = fx.employee(branch)
    assert _starts()[0] == at(8)
    monday = next(s for s in ada.schedules if s.weekday == 0)
    monday.start_time = time(12, 0)
    db.session.commit()
    assert _starts()[0] == at(12)


def test_a_skill_added_through_a_relationship_marks_the_advisor_changed(branch):
    mortgage = fx.topic("Mortgage")
    ada, bob = fx.employee(branch), fx.employee(branch)
    ada.topics.append(mortgage)
    db.session.commit()
    assert _advisors(topic_id=mortgage.id) == {ada.id}
    version = current_version()
    bob.topics.append(mortgage)
    assert bob in db.session.dirty and db.session.is_modified(bob)
    db.session.flush()  # only the link table employee_topics changes
    assert current_version() != version
    assert _advisors(topic_id=mortgage.id) == {ada.id, bob.id}
    ada.topics.remove(mortgage)
    db.session.commit()
    assert _advisors(topic_id=mortgage.id) == {bob.id}


def test_a_closing_day(branch):
    fx.employee(branch)
    assert _starts(look_forward=timedelta(days=2))[-1].date() == date(2026, 3, 3)
    fx.closing_day(date(2026, 3, 3))
    assert _starts(look_forward=timedelta(days=2))[-1].date() == date(2026, 3, 2)


def test_settings_changed_through_the_admin_api(branch, client):
    fx.employee(branch)
    db.session.commit()
    assert _starts()[0] == at(8)
    token = fx.token("test-client", ("bookme.admin",), now=app_clock.now())
    resp = client.patch(
        "/config/settings",
        json={"openingTime": "10:00"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 200, resp.json
    assert _starts()[0] == at(10)


def test_core_statements_through_the_session(branch):
    ada = fx.employee(branch)
    mortgage = fx.topic("Mortgage")
    db.session.commit()
    assert _advisors() == {ada.id}
    ident = str(uuid.uuid4())
    db.session.execute(
        insert(Employee),
        [dict(id=ident, first_name="Cy", last_name="Core", display_name="Cy Core")],
    )
    db.session.execute(
        insert(WeeklySchedule),
        [
            dict(
                id=str(uuid.uuid4()),
                employee_id=ident,
                weekday=0,
                start_time=time(8, 0),
                end_time=time(16, 0),
                meeting_types=["Physical"],
                location_id=branch.id,
            )
        ],
    )
    assert _advisors() == {ada.id, ident}
    db.session.execute(insert(employee_topics).values(employee_id=ident, topic_id=mortgage.id))
    assert _advisors(topic_id=mortgage.id) == {ident}
    db.session.execute(delete(employee_topics))
    db.session.execute(update(Employee).where(Employee.id == ada.id).values(can_be_booked=False))
    assert _advisors(topic_id=mortgage.id) == {ident}
    db.session.execute(text("UPDATE employees SET can_be_booked = :on"), {"on": True})
    assert _advisors() == {ada.id, ident}
    db.session.execute(
        text(
            "-- a maintenance script\nWITH off AS (SELECT :id AS id) UPDATE employees SET "
            "can_be_booked = false WHERE id IN (SELECT id FROM off)"
        ),
        {"id": ada.id},
    )
    assert _advisors() == {ident}


def test_a_meeting_or_a_busy_time_does_not_change_the_version(branch):
    ada = fx.employee(branch)
    version = current_version()
    fx.meeting(ada, at(9))
    fx.busy(ada, at(10), at(11))
    db.session.commit()
    assert current_version() == version
    assert at(9) not in _starts() and at(10) not in _starts()


def test_the_import_command(app, runner, tmp_path: Path):
    assert _advisors() == set()
    path = tmp_path / "config.yaml"
    data = {
        "locations": [{"name": "Branch-North", "areas": ["Copenhagen"]}],
        "employees": [
            {
                "email": "anna@bank.example",
                "first_name": "Anna",
                "last_name": "Jensen",
                "home_location": "Branch-North",
                "schedule": {
                    "monday": {"from": "08:00", "to": "16:00", "meeting_types": ["physical"]}
                },
            }
        ],
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(args=["bookme", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert len(_advisors()) == 1


def test_the_seed_demo_command_changes_the_version(app, runner):
    version = current_version()
    result = runner.invoke(args=["bookme", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert current_version() not in (None, version)


# ---- other processes, rollbacks, a missing version ---------------------------------------------


@pytest.fixture
def second_app(app: Flask) -> Iterator[Flask]:
    """Another app on the same database: what another gunicorn worker sees."""
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "x",
        }
    )
    yield other
    with other.app_context():
        db.engine.dispose()


def test_a_change_committed_by_one_process_is_seen_by_another(branch, second_app):
    ada = fx.employee(branch)
    db.session.commit()

    def advisors_elsewhere() -> set[str]:
        with second_app.app_context():
            try:
                return _advisors()
            finally:
                db.session.remove()

    assert advisors_elsewhere() == {ada.id}
    assert advisors_elsewhere() == {ada.id}  # now cached there
    bob = fx.employee(branch)
    assert advisors_elsewhere() == {ada.id}  # not committed yet
    db.session.commit()
    assert advisors_elsewhere() == {ada.id, bob.id}
    assert _advisors() == {ada.id, bob.id}


def test_a_rolled_back_write_leaves_the_cached_facts_right(branch):
    ada, bob = fx.employee(branch), fx.employee(branch)
    db.session.commit()
    version = current_version()
    assert _advisors() == {ada.id, bob.id}
    bob.can_be_booked = False
    db.session.flush()
    assert current_version() != version
    assert _advisors() == {ada.id}  # cached for the uncommitted version
    db.session.rollback()
    assert current_version() == version
    assert _advisors() == {ada.id, bob.id}


def test_without_a_version_row_nothing_is_cached_until_a_write_creates_it(branch):
    ada = fx.employee(branch)
    db.session.execute(delete(ConfigurationVersion))
    db.session.commit()
    assert current_version() is None
    first = _statements(lambda: _advisors())
    again = _statements(lambda: _advisors())
    assert len(again) == len(first) > 3
    ada.max_meeting_minutes_per_day = 120
    db.session.commit()
    assert current_version() is not None
    _advisors()
    assert len(_statements(lambda: _advisors())) == 3
