"""Availability as the vendor's guides describe it: Example 2's fallback, the service-group search,
best slots by default, and `meetingLocation` as free text."""

from __future__ import annotations

from collections import defaultdict

import pytest

from app.extensions import db
from tests import factories
from tests.factories import at

URL = "/bookme/time-slots/available"
EXAMPLE_2 = (
    "requireEmployeeParticipation=true&explicitEmployeeIds={preferred}"
    "&employeeTypes=Explicit&employeeTypes=Local&employeeTypes=ServiceGroup"
    "&lookForwardTime=2.00:00:00&customerLocation=Copenhagen&meetingTypes=online"
)


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    """A preferred and a local advisor in Copenhagen, a remote advisor in Aarhus's service group;
    the preferred advisor is busy Tuesday 09:00-10:00."""
    factories.settings()
    north = factories.location("Branch-North", ["Copenhagen"])
    south = factories.location("Branch-South", ["Aarhus"])
    preferred, local = factories.employee(north), factories.employee(north)
    remote = factories.employee(south)
    factories.service_group("Remote", meeting_types=["Online"], employees=[remote])
    factories.busy(preferred, at(9, day=3), at(10, day=3))
    db.session.commit()
    return {"preferred": preferred.id, "local": local.id, "remote": remote.id}


def _advisors_by_start(slots):  # type: ignore[no-untyped-def]
    found = defaultdict(set)
    for s in slots:
        found[s["startDate"]].add(s["employeeId"])
    return found


def _get(client, headers, query):  # type: ignore[no-untyped-def]
    resp = client.get(f"{URL}?{query}", headers=headers)
    assert resp.status_code == 200, resp.json
    return resp.json


def test_example_2_offers_the_preferred_advisor_and_falls_back_where_they_are_busy(
    client, read_headers, bank
):
    slots = _get(client, read_headers, EXAMPLE_2.format(preferred=bank["preferred"]))
    by_start = _advisors_by_start(slots)
    tuesday_nine, tuesday_ten = "2026-03-03T08:00:00.000Z", "2026-03-03T09:00:00.000Z"
    assert by_start[tuesday_ten] == {bank["preferred"]}
    assert by_start[tuesday_nine] and bank["preferred"] not in by_start[tuesday_nine]
    assert by_start[tuesday_nine] <= {bank["local"], bank["remote"]}
    others = {s["startDate"] for s in slots if s["employeeId"] != bank["preferred"]}
    hour_touching_the_busy_hour = {
        "2026-03-03T07:30:00.000Z",
        tuesday_nine,
        "2026-03-03T08:30:00.000Z",
    }
    assert others == hour_touching_the_busy_hour  # the others only where the preferred is busy


def test_the_service_group_search_offers_only_service_group_advisors(client, read_headers, bank):
    query = (
        "employeeTypes=ServiceGroup&requireEmployeeParticipation=true&meetingTypes=online"
        "&customerLocation=Copenhagen&lookForwardTime=2.00:00:00&getBestTimeSlots=false"
    )
    slots = _get(client, read_headers, query)
    assert slots
    assert {s["employeeId"] for s in slots} == {bank["remote"]}


def test_best_slots_are_the_default_one_advisor_per_time_and_type(client, read_headers, bank):
    query = (
        "requireEmployeeParticipation=true&customerLocation=Copenhagen&meetingTypes=online"
        "&lookForwardTime=2.00:00:00"
    )
    default = _get(client, read_headers, query)
    every = _get(client, read_headers, query + "&getBestTimeSlots=false")
    keys = [(s["startDate"], s["meetingType"]) for s in default]
    assert len(keys) == len(set(keys))
    assert max(len(a) for a in _advisors_by_start(every).values()) == 3
    assert {s["startDate"] for s in default} == {s["startDate"] for s in every}
    assert default == _get(client, read_headers, query)  # the same question, the same answer


def test_a_meeting_location_no_branch_knows_is_free_text_defaulting_to_the_customers(
    client, read_headers, bank
):
    base = "requireEmployeeParticipation=true&meetingTypes=physical&lookForwardTime=2.00:00:00"
    copenhagen = _get(client, read_headers, base + "&customerLocation=Copenhagen")
    free_text = _get(
        client, read_headers, base + "&customerLocation=Copenhagen&meetingLocation=At the cafe"
    )
    assert free_text == copenhagen and copenhagen
    assert {s["employeeId"] for s in copenhagen} <= {bank["preferred"], bank["local"]}
    aarhus = _get(client, read_headers, base + "&meetingLocation=aarhus&getBestTimeSlots=false")
    assert aarhus and {s["employeeId"] for s in aarhus} == {bank["remote"]}  # an area is a place
