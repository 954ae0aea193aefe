"""The file format on its own (no database): meeting types, times, zones, paths of problems."""

from __future__ import annotations

from datetime import time

import pytest

from app.configuration import canonical_meeting_type
from app.configuration.document import format_loc, parse_document, read_file
from app.configuration.schema import parse_time


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("physical", "Physical"),
        ("PHYSICAL", "Physical"),
        ("Online", "Online"),
        ("telephone", "Telephone"),
        ("phone", "Telephone"),
        ("Phone", "Telephone"),
        ("offsite", "OffSite"),
        ("OffSite", "OffSite"),
        (" online ", "Online"),
    ],
)
def test_meeting_types_are_accepted_in_any_case_and_stored_canonical(given, stored):
    assert canonical_meeting_type(given) == stored


@pytest.mark.parametrize("given", ["video", "", "off site", None, 3])
def test_an_unknown_meeting_type_is_refused_by_name(given):
    with pytest.raises(ValueError, match="unknown meeting type"):
        canonical_meeting_type(given)


@pytest.mark.parametrize(
    ("given", "parsed"), [("08:00", time(8)), ("8:30", time(8, 30)), ("23:59:59", time(23, 59, 59))]
)
def test_wall_clock_times_are_read(given, parsed):
    assert parse_time(given) == parsed


@pytest.mark.parametrize("given", ["25:00", "12:60", "9", "noon", "", 960])
def test_impossible_times_are_refused_quoting_the_value(given):
    with pytest.raises(ValueError, match=f'invalid time "{given}"'):
        parse_time(given)


def test_paths_read_like_the_file():
    assert (
        format_loc(("employees", 3, "schedule", "tuesday", "from"))
        == "employees[3].schedule.tuesday.from"
    )


def test_unquoted_yaml_times_stay_times_rather_than_base_60_numbers(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        "settings:\n  opening_time: 16:00\n  closing_time: 18:30\n  max_days_ahead: 60\n"
    )
    data = read_file(path)
    assert data["settings"] == {
        "opening_time": "16:00",
        "closing_time": "18:30",
        "max_days_ahead": 60,
    }
    doc, problems = parse_document(data)
    assert problems == [] and doc.settings.opening_time == time(16)


def problems(raw) -> list[str]:
    return [str(p) for p in parse_document(raw)[1]]


def test_topics_and_service_groups_report_unknown_meeting_types_at_their_index():
    found = problems(
        {
            "topics": [{"name": "Mortgage", "meeting_types": ["physical", "teleport"]}],
            "service_groups": [{"name": "Remote", "meeting_types": ["carrier pigeon"]}],
        }
    )
    assert any(
        p.startswith('topics[0].meeting_types[1]: unknown meeting type "teleport"') for p in found
    )
    assert any(
        p.startswith("service_groups[0].meeting_types[0]: unknown meeting type") for p in found
    )


def test_duplicated_meeting_types_collapse_to_one():
    doc, found = parse_document(
        {"topics": [{"name": "T", "meeting_types": ["phone", "Telephone", "online"]}]}
    )
    assert found == []
    assert doc.items("topics")[0][1].meeting_types == ["Telephone", "Online"]


def test_busy_times_must_end_after_they_start_and_have_a_known_kind():
    employee = {
        "email": "a@bank.example",
        "first_name": "A",
        "last_name": "B",
        "busy_times": [
            {"start": "2026-03-03T10:00", "end": "2026-03-03T09:00"},
            {"start": "2026-03-03T10:00", "end": "2026-03-03T11:00", "kind": "lunch"},
        ],
    }
    found = problems({"employees": [employee]})
    assert "employees[0].busy_times[0]: start must be before end" in found
    assert any(p.startswith("employees[0].busy_times[1].kind:") for p in found)


def test_settings_need_opening_before_closing_and_a_real_time_zone():
    found = problems({"settings": {"opening_time": "18:00", "closing_time": "08:00"}})
    assert found == ["settings: opening_time must be before closing_time"]
    assert problems({"settings": {"time_zone": "Europe/Copenhagen"}}) == []


def test_a_setting_that_must_exist_cannot_be_set_to_null_but_the_daily_cap_can():
    found = problems({"settings": {"closing_time": None, "max_days_ahead": None}})
    assert any(p.startswith("settings.closing_time: ") and "null" in p for p in found)
    assert any(p.startswith("settings.max_days_ahead: ") for p in found)
    assert problems({"settings": {"max_meeting_minutes_per_day": None}}) == []


def test_a_section_that_is_not_a_list_and_a_file_that_is_not_a_mapping_are_problems():
    assert problems({"topics": {"name": "T"}}) == ["topics: must be a list"]
    assert problems(["topics"]) == ["the file must hold a mapping of sections"]
    assert problems(None) == []


def test_an_employee_needs_names_and_a_plausible_email():
    found = problems({"employees": [{"email": "not-an-email", "first_name": ""}]})
    assert any(p.startswith("employees[0].email:") for p in found)
    assert any(p.startswith("employees[0].first_name:") for p in found)
    assert "employees[0].last_name: Field required" in found
