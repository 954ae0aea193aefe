"""Query parsing helpers: arrays in three forms, booleans, instants, enums."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.api.params import (
    field,
    parse_bool,
    parse_duration,
    parse_instant,
    parse_list,
    parse_meeting_type,
    parse_pool,
)
from app.booking.errors import InvalidRequest

IDS = st.lists(
    st.text(
        st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="-_"),
        min_size=1,
        max_size=12,
    ),
    max_size=5,
)


@given(IDS)
def test_repetition_comma_and_json_forms_all_give_back_the_list(ids):
    assert parse_list(ids) == ids
    assert parse_list(",".join(ids)) == ids
    assert parse_list(json.dumps(ids)) == ids
    assert parse_list("[" + ", ".join(ids) + "]") == ids


def test_empty_forms_are_an_empty_list():
    assert parse_list(None) == parse_list([]) == parse_list("[]") == parse_list("") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("TRUE", True), ("1", True), ("false", False), ("False", False), ("0", False)],
)
def test_booleans_accept_true_false_one_zero(text, value):
    assert parse_bool(text) is value


@pytest.mark.parametrize("text", ["yes", "2", "", "truee"])
def test_other_booleans_are_refused(text):
    with pytest.raises(ValueError):
        parse_bool(text)


@pytest.mark.parametrize(
    "text",
    [
        "2025-10-09T08:00:00Z",
        "2025-10-09T08:00:00.000Z",
        "2025-10-09T10:00:00+02:00",
        "2025-10-09T08:00:00z",
        "2025-10-09T03:00:00-05:00",
    ],
)
def test_instants_with_z_or_an_offset_become_utc(text):
    assert parse_instant(text) == datetime(2025, 10, 9, 8, 0, tzinfo=UTC)


@given(
    st.datetimes(
        min_value=datetime(1901, 1, 1),
        max_value=datetime(2998, 1, 1),
        timezones=st.just(timezone(timedelta(hours=-3))),
    )
)
def test_any_offset_instant_round_trips(instant):
    assert parse_instant(instant.isoformat()) == instant


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00"])
def test_instants_that_leave_the_calendar_in_utc_are_out_of_range_not_a_crash(text):
    with pytest.raises(ValueError, match="out of range"):
        parse_instant(text)


def test_field_turns_a_value_error_into_a_400_naming_the_field():
    with pytest.raises(InvalidRequest) as info:
        field("startDate", parse_instant, "2025-10-09T08:00:00")
    assert info.value.field == "startDate"
    assert "time zone" in info.value.message


def test_durations_must_be_positive():
    assert parse_duration("00:30:00") == timedelta(minutes=30)
    with pytest.raises(ValueError):
        parse_duration("00:00:00")


def test_pools_and_meeting_types_are_canonicalised():
    assert [parse_pool(p) for p in ("explicit", "LOCAL", "serviceGroup")] == [
        "Explicit",
        "Local",
        "ServiceGroup",
    ]
    assert parse_meeting_type(" Off-Site ") == "OffSite"
    with pytest.raises(ValueError):
        parse_meeting_type("video")
