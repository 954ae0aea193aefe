"""`bookme import FILE`: validate everything, report every problem with its path, write all or nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    BusyTime,
    ClosingDay,
    CompetenceGroup,
    Employee,
    Location,
    OrganisationSettings,
    Room,
    ServiceGroup,
    Topic,
    WeeklySchedule,
)
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_YAML = ROOT / "examples" / "configuration.yaml"
EXAMPLE_JSON = ROOT / "examples" / "configuration.json"


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def write_yaml(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def minimal() -> dict:
    """A small valid file the bad-file tests spoil one rule at a time."""
    return {
        "locations": [{"name": "Branch-North", "areas": ["Copenhagen"]}],
        "customer_types": [{"name": "Private"}],
        "topics": [{"name": "Mortgage", "meeting_types": ["physical"]}],
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


def problems_of(result) -> list[str]:
    return [
        line for line in result.output.splitlines() if ": " in line and not line.startswith("Error")
    ]


def test_the_example_yaml_file_imports_and_a_second_import_changes_nothing(runner, app):
    first = runner.invoke(args=["bookme", "import", str(EXAMPLE_YAML)])
    assert first.exit_code == 0, first.output
    assert "locations: 2 created" in first.output
    snapshot = _snapshot()
    second = runner.invoke(args=["bookme", "import", str(EXAMPLE_YAML)])
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output
    assert " 0 created, 0 updated" in second.output
    assert _snapshot() == snapshot


def _snapshot() -> dict:
    """Every configuration row, as comparable plain values."""
    db.session.expire_all()
    return {
        model.__tablename__: sorted(
            str(sorted((c.key, getattr(row, c.key)) for c in model.__table__.columns))
            for row in db.session.scalars(select(model))
        )
        for model in (
            Location,
            Room,
            Topic,
            Employee,
            WeeklySchedule,
            BusyTime,
            CompetenceGroup,
            ServiceGroup,
            ClosingDay,
            OrganisationSettings,
        )
    }


def test_the_example_json_file_holds_the_same_configuration_as_the_yaml_file():
    as_json = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    from app.configuration import read_file

    assert read_file(EXAMPLE_YAML) == as_json


def test_the_json_example_imports_with_canonical_meeting_types_and_local_busy_times(runner, app):
    result = runner.invoke(args=["bookme", "import", str(EXAMPLE_JSON)])
    assert result.exit_code == 0, result.output
    topic = db.session.scalar(select(Topic).where(Topic.name == "Everyday banking"))
    assert topic.meeting_types == ["Online", "Telephone"]
    assert topic.duration_minutes == 45
    anna = db.session.scalar(
        select(Employee).where(Employee.email == "anna.jensen@nordbank.example")
    )
    assert [s.weekday for s in anna.schedules] == [0, 1, 3]
    thursday = anna.schedules[2]
    assert thursday.location.name == "Branch-Aarhus"
    assert anna.schedules[0].location.name == "Branch-North"  # defaults to the home branch
    busy = db.session.scalar(select(BusyTime).where(BusyTime.employee_id == anna.id))
    assert busy.start_at.isoformat() == "2026-03-10T08:00:00+00:00"  # 09:00 in Copenhagen (CET)
    mortgage = db.session.scalar(
        select(CompetenceGroup).where(CompetenceGroup.name == "Mortgage specialists")
    )
    housing = db.session.get(CompetenceGroup, mortgage.parent_id)
    assert housing.name == "Housing" and [m.email for m in mortgage.members] == [anna.email]


def test_one_bad_file_reports_every_problem_with_its_path_and_writes_nothing(runner, app, tmp_path):
    data = minimal()
    data["employees"][0]["schedule"]["tuesday"] = {
        "from": "25:00",
        "to": "16:00",
        "meeting_types": ["physical"],
    }
    data["employees"][0]["schedule"]["wednesday"] = {
        "from": "15:00",
        "to": "09:00",
        "meeting_types": ["online"],
    }
    data["employees"][0]["schedule"]["thursday"] = {
        "from": "09:00",
        "to": "15:00",
        "meeting_types": ["Video"],
    }
    data["employees"][0]["home_location"] = "Branch-Nowhere"
    data["employees"][0]["skills"] = {"topics": ["Mortgage", "Astrology"]}
    data["locations"].append({"name": "branch-north", "time_zone": "Europe/Kopenhagen"})
    data["topics"][0]["customer_types"] = ["Pirates"]
    data["settings"] = {"time_zone": "Mars/Olympus", "opening_time": "9"}
    data["rooms"] = [{"name": "R1", "location": "Nowhere"}]
    result = runner.invoke(args=["bookme", "import", write_yaml(tmp_path, data)])
    assert result.exit_code != 0
    out = result.output
    expected = [
        'employees[0].schedule.tuesday.from: invalid time "25:00"',
        'employees[0].schedule.thursday.meeting_types[0]: unknown meeting type "Video"',
        "employees[0].schedule.wednesday: from (15:00) must be before to (09:00)",
        'locations[1].time_zone: unknown time zone "Europe/Kopenhagen"',
        'settings.time_zone: unknown time zone "Mars/Olympus"',
        'settings.opening_time: invalid time "9"',
        'rooms[0].location: unknown location "Nowhere"',
        'topics[0].customer_types[0]: unknown customer type "Pirates"',
        # the same employee's references are still checked despite its bad times
        'employees[0].home_location: unknown location "Branch-Nowhere"',
        'employees[0].skills.topics[1]: unknown topic "Astrology"',
    ]
    for line in expected:
        assert line in out
    assert "nothing was written" in out
    assert count(Location) == count(Employee) == count(Topic) == 0


def test_references_duplicates_and_shape_problems_are_all_reported_together(runner, app, tmp_path):
    data = minimal()
    data["employees"][0]["home_location"] = "Branch-Nowhere"
    data["employees"][0]["skills"] = {"topics": ["Mortgage", "Astrology"]}
    data["employees"].append(dict(data["employees"][0], email="ANNA@bank.example", nickname="A"))
    data["topics"].append({"name": "mortgage"})
    data["closing_days"] = [{"date": "2026-12-24"}, {"date": "2026-12-24", "name": "again"}]
    data["service_groups"] = [
        {"name": "Remote", "customer_locations": ["Atlantis"], "employees": ["nobody@bank.example"]}
    ]
    data["colours"] = ["blue"]
    result = runner.invoke(args=["bookme", "import", write_yaml(tmp_path, data)])
    assert result.exit_code != 0
    out = result.output
    for line in [
        'employees[0].home_location: unknown location "Branch-Nowhere"',
        'employees[0].skills.topics[1]: unknown topic "Astrology"',
        "employees[1].nickname: Extra inputs are not permitted",
        'topics[1].name: duplicate name "mortgage" (also topics[0])',
        "closing_days[1].date: duplicate date 2026-12-24 (also closing_days[0])",
        'service_groups[0].customer_locations[0]: unknown customer location "Atlantis"',
        'service_groups[0].employees[0]: unknown employee "nobody@bank.example"',
        "colours: unknown section",
    ]:
        assert line in out
    assert count(Topic) == count(ClosingDay) == 0


def test_a_competence_group_tree_deeper_than_five_levels_is_refused(runner, app, tmp_path):
    names = ["L1", "L2", "L3", "L4", "L5", "L6"]
    groups = [{"name": n, "parent": names[i - 1] if i else None} for i, n in enumerate(names)]
    result = runner.invoke(
        args=["bookme", "import", write_yaml(tmp_path, {"competence_groups": groups})]
    )
    assert result.exit_code != 0
    assert (
        "competence_groups[5].parent: the group would be at level 6; at most 5 levels"
        in result.output
    )
    assert "competence_groups[4]" not in result.output
    assert count(CompetenceGroup) == 0


def test_a_cyclic_competence_group_tree_is_refused(runner, app, tmp_path):
    groups = [
        {"name": "A", "parent": "C"},
        {"name": "B", "parent": "A"},
        {"name": "C", "parent": "B"},
    ]
    result = runner.invoke(
        args=["bookme", "import", write_yaml(tmp_path, {"competence_groups": groups})]
    )
    assert result.exit_code != 0
    for index in range(3):
        assert (
            f"competence_groups[{index}].parent: the competence group tree has a cycle"
            in result.output
        )


def test_a_five_level_tree_is_accepted_even_under_a_stored_group(runner, app, tmp_path):
    factories.competence_group("Root")
    db.session.commit()
    names = ["Root", "L2", "L3", "L4", "L5"]
    groups = [{"name": n, "parent": names[i - 1]} for i, n in enumerate(names) if i]
    result = runner.invoke(
        args=["bookme", "import", write_yaml(tmp_path, {"competence_groups": groups})]
    )
    assert result.exit_code == 0, result.output
    assert count(CompetenceGroup) == 5


def test_items_are_matched_by_id_when_given_else_by_name(runner, app, tmp_path):
    stored = factories.location("Branch-North", areas=["Copenhagen"])
    db.session.commit()
    data = {"locations": [{"name": "branch-north", "areas": ["Copenhagen", "Frederiksberg"]}]}
    assert runner.invoke(args=["bookme", "import", write_yaml(tmp_path, data)]).exit_code == 0
    data = {"locations": [{"id": stored.id, "name": "Branch-Nord"}]}
    result = runner.invoke(args=["bookme", "import", write_yaml(tmp_path, data)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert count(Location) == 1
    row = db.session.get(Location, stored.id)
    assert row.name == "Branch-Nord" and row.areas == ["Copenhagen", "Frederiksberg"]


def test_references_may_name_items_already_in_the_database(runner, app, tmp_path):
    north = factories.location("Branch-North")
    db.session.commit()
    data = minimal()
    del data["locations"]
    data["employees"][0]["home_location"] = north.id
    result = runner.invoke(args=["bookme", "import", write_yaml(tmp_path, data)])
    assert result.exit_code == 0, result.output
    employee = db.session.scalar(select(Employee))
    assert employee.home_location_id == north.id
    assert employee.display_name == "Anna Jensen" and employee.initials == "AJ"


def test_an_id_whose_name_belongs_to_another_stored_item_is_a_problem(runner, app, tmp_path):
    other = factories.location("Branch-North")
    db.session.commit()
    data = {"locations": [{"id": "loc-1", "name": "Branch-North"}]}
    result = runner.invoke(args=["bookme", "import", write_yaml(tmp_path, data)])
    assert result.exit_code != 0
    assert (
        f'locations[0].name: name "Branch-North" already belongs to location {other.id}'
        in result.output
    )


def test_busy_times_are_added_once_and_keys_left_out_keep_their_values(runner, app, tmp_path):
    data = minimal()
    data["employees"][0]["max_meeting_minutes_per_day"] = 240
    data["employees"][0]["busy_times"] = [{"start": "2026-03-03T09:00", "end": "2026-03-03T10:00"}]
    assert runner.invoke(args=["bookme", "import", write_yaml(tmp_path, data)]).exit_code == 0
    assert runner.invoke(args=["bookme", "import", write_yaml(tmp_path, data)]).exit_code == 0
    assert count(BusyTime) == 1
    update = {
        "employees": [{"email": "anna@bank.example", "first_name": "Anna", "last_name": "Jensen"}]
    }
    assert runner.invoke(args=["bookme", "import", write_yaml(tmp_path, update)]).exit_code == 0
    employee = db.session.scalar(select(Employee))
    db.session.refresh(employee)
    assert employee.max_meeting_minutes_per_day == 240 and len(employee.schedules) == 1


def test_a_file_that_is_not_yaml_is_reported_without_a_traceback(runner, app, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["bookme", "import", str(path)])
    assert result.exit_code != 0
    assert "broken.json is not valid" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_json_and_yaml_files_are_both_read(runner, app, tmp_path, suffix):
    path = tmp_path / f"config{suffix}"
    shutil.copy(EXAMPLE_JSON, path)
    result = runner.invoke(args=["bookme", "import", str(path)])
    assert result.exit_code == 0, result.output
