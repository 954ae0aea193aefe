"""One home for the booking vocabulary: the API's and the configuration's meeting-type spellings
are the same list, and every list of meeting types in the app is that one."""

from __future__ import annotations

import pytest

from app.api.params import parse_meeting_type
from app.api.schemas import MEETING_TYPE_NAMES
from app.booking import rules
from app.booking.constants import MEETING_TYPE_ALIASES, MEETING_TYPES
from app.configuration.schema import canonical_meeting_type


@pytest.mark.parametrize("spelling", sorted(MEETING_TYPE_ALIASES))
def test_the_api_and_the_configuration_accept_the_same_spellings(spelling):
    expected = MEETING_TYPE_ALIASES[spelling]
    assert parse_meeting_type(spelling.upper()) == expected
    assert canonical_meeting_type(f" {spelling} ") == expected


def test_an_unknown_meeting_type_is_refused_by_both():
    with pytest.raises(ValueError):
        parse_meeting_type("video")
    with pytest.raises(ValueError):
        canonical_meeting_type("video")


def test_every_list_of_meeting_types_is_the_one_home():
    assert rules.MEETING_TYPES is MEETING_TYPES
    assert list(MEETING_TYPES) == MEETING_TYPE_NAMES
