"""Advisor priority rules (the vendor's advisor-priority-rules.md): configurable levels, with
service-group label levels, decide which advisor a best slot goes to. On both databases."""

from __future__ import annotations

from collections import Counter

import pytest

from app.extensions import db
from tests import factories

pytestmark = pytest.mark.db

URL = "/bookme/time-slots/available"
BEST = (  # a customer's search: one advisor per time (best slots by default)
    "requireEmployeeParticipation=true&customerLocation=Copenhagen&meetingTypes=online"
    "&lookForwardTime=1.00:00:00"
)
SPECIALISTS = [  # the vendor's "Prioritizing Specialized Advisors" example
    {"type": "Explicit", "description": "Customer-selected advisors"},
    {"type": "ServiceGroup", "label": "VIP", "description": "Specialists"},
    {"type": "Local", "description": "Local branch advisors"},
    {"type": "ServiceGroup", "description": "General service group advisors"},
]


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    """A local advisor in Copenhagen, a specialist in Aarhus in a service group labelled VIP and
    another Aarhus advisor in an unlabelled national group; all three work the same hours."""
    factories.settings()
    north = factories.location("Branch-North", ["Copenhagen"])
    south = factories.location("Branch-South", ["Aarhus"])
    local, vip, national = (factories.employee(b) for b in (north, south, south))
    factories.service_group("VIP desk", label="VIP", meeting_types=["Online"], employees=[vip])
    factories.service_group("National", meeting_types=["Online"], employees=[national])
    db.session.commit()
    return {"local": local.id, "vip": vip.id, "national": national.id}


@pytest.fixture
def admin(auth):  # type: ignore[no-untyped-def]
    return auth("bookme.admin")


def _winners(client, headers) -> Counter[str]:  # type: ignore[no-untyped-def]
    resp = client.get(f"{URL}?{BEST}", headers=headers)
    assert resp.status_code == 200, resp.json
    assert resp.json, "the day offers times"
    return Counter(s["employeeId"] for s in resp.json)


def _levels(client, admin, levels):  # type: ignore[no-untyped-def]
    return client.patch("/config/settings", json={"priorityLevels": levels}, headers=admin)


def test_by_default_the_local_advisor_wins_every_time(client, read_headers, admin, bank):
    assert set(_winners(client, read_headers)) == {bank["local"]}
    shown = client.get("/config/settings", headers=admin).json["priorityLevels"]
    assert [(lv["type"], lv["label"]) for lv in shown] == [
        ("Explicit", None),
        ("Local", None),
        ("ServiceGroup", None),
    ]


def test_a_labelled_service_group_level_above_local_gives_the_times_to_its_advisor(
    client, read_headers, admin, bank
):
    resp = _levels(client, admin, SPECIALISTS)
    assert resp.status_code == 200, resp.json
    assert [lv["label"] for lv in resp.json["priorityLevels"]] == [None, "VIP", None, None]
    assert set(_winners(client, read_headers)) == {bank["vip"]}
    # null restores the default: the local advisor wins again
    assert _levels(client, admin, None).status_code == 200
    assert set(_winners(client, read_headers)) == {bank["local"]}


def test_an_advisor_matching_no_level_ranks_after_every_level(client, read_headers, admin, bank):
    only_groups = [{"type": "Explicit"}, {"type": "ServiceGroup"}]  # no Local level
    assert _levels(client, admin, only_groups).status_code == 200
    assert set(_winners(client, read_headers)) <= {bank["vip"], bank["national"]}


def test_the_rules_change_only_the_choice_not_who_is_offered(client, read_headers, admin, bank):
    every = f"{URL}?{BEST}&getBestTimeSlots=false"
    before = client.get(every, headers=read_headers).json
    assert _levels(client, admin, SPECIALISTS).status_code == 200
    assert client.get(every, headers=read_headers).json == before


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([], "at least one priority level"),
        ([{"type": "Local"}, {"type": "Local"}], "only one Local level"),
        ([{"type": "Explicit"}, {"type": "Explicit"}], "only one Explicit level"),
        ([{"type": "Local", "label": "VIP"}], "only a ServiceGroup level takes a label"),
        ([{"type": "ServiceGroup", "label": "VIP"}] * 2, "listed twice"),
    ],
)
def test_levels_breaking_the_vendors_rules_are_refused(client, admin, bank, levels, message):
    resp = _levels(client, admin, levels)
    assert resp.status_code == 400
    assert message in str(resp.json)
    assert client.get("/config/settings", headers=admin).json["priorityLevels"][1]["type"] == (
        "Local"
    )


def test_an_unknown_level_type_is_refused(client, admin, bank):
    resp = _levels(client, admin, [{"type": "Regional"}])
    assert resp.status_code == 400
    assert "priorityLevels" in str(resp.json)


def test_only_an_admin_client_changes_the_rules(client, read_headers, bank):
    resp = client.patch(
        "/config/settings", json={"priorityLevels": SPECIALISTS}, headers=read_headers
    )
    assert resp.status_code == 403
