"""Advisor priority rules as the vendor's advisor-priority-rules.md states them: the first level an
advisor matches, labels choosing service groups, the default equal to Explicit > Local >
ServiceGroup, and the vendor's validation rules."""

from __future__ import annotations

import pytest

from app.booking.priority import (
    DEFAULT_PRIORITY_LEVELS,
    AdvisorPools,
    PriorityLevel,
    advisor_priority,
    level_line,
    parse_levels,
    stored_levels,
)

TIERED = (
    PriorityLevel("Explicit"),
    PriorityLevel("Local"),
    PriorityLevel("ServiceGroup", "prio-1"),
    PriorityLevel("ServiceGroup", "prio-2"),
    PriorityLevel("ServiceGroup"),
)


@pytest.mark.parametrize(
    ("pools", "expected"),
    [
        (AdvisorPools(explicit=True, local=True, group_labels=(None,)), 0),
        (AdvisorPools(local=True, group_labels=("prio-1",)), 1),
        (AdvisorPools(group_labels=(None,)), 2),
        (AdvisorPools(), None),
    ],
)
def test_the_default_is_explicit_then_local_then_service_group(pools, expected):
    assert advisor_priority(DEFAULT_PRIORITY_LEVELS, pools) == expected


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (("PRIO-2",), 3),  # labels match whatever their case
        (("prio-2", "prio-1"), 2),  # in two groups: the better level
        ((None,), 4),  # an unlabelled group: only the level without a label
        (("other",), 4),
    ],
)
def test_label_levels_choose_the_service_groups_they_name(labels, expected):
    assert advisor_priority(TIERED, AdvisorPools(group_labels=labels)) == expected


def test_an_advisor_matching_no_level_ranks_after_every_level():
    levels = (PriorityLevel("ServiceGroup", "VIP"), PriorityLevel("Explicit"))
    assert advisor_priority(levels, AdvisorPools(local=True)) == 2
    assert advisor_priority(levels, AdvisorPools(group_labels=("vip",))) == 0


def test_the_admin_pages_lines_read_as_levels_and_back():
    levels = parse_levels(["explicit", "Service group: VIP", "Local", "ServiceGroup"])
    assert [level_line(level) for level in levels] == [
        "Explicit",
        "ServiceGroup: VIP",
        "Local",
        "ServiceGroup",
    ]


@pytest.mark.parametrize(
    "raw",
    [
        [],
        "Local",
        [{"type": "Local"}, {"type": "Local"}],
        [{"type": "Explicit", "label": "x"}],
        [{"type": "Branch"}],
        [{"type": "ServiceGroup", "colour": "red"}],
        ["ServiceGroup: a", "servicegroup: A"],
    ],
)
def test_levels_breaking_the_rules_are_refused_and_a_bad_stored_list_reads_as_the_default(raw):
    with pytest.raises(ValueError):
        parse_levels(raw)
    assert stored_levels(raw) == DEFAULT_PRIORITY_LEVELS
    assert stored_levels(None) == DEFAULT_PRIORITY_LEVELS
