"""The vendor's V3 configuration writes: memberships, a service group's trigger and level, the
organisation's settings and closing days. Admin scope; 404 for unknown ids; 400 for bad bodies."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.models import AuditRecord, ClosingDay, OrganisationSettings
from tests import factories

ADMIN = ("bookme.read", "bookme.admin")
UNKNOWN = "00000000-0000-0000-0000-000000000000"
SETTINGS = "/bookme/config/organization-settings/1"


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    factories.settings()
    north = factories.location("North", ["Area-N"])
    private = factories.customer_type("Private")
    topic = factories.topic("Pension")
    ada = factories.employee(north)
    region = factories.competence_group("Region", topics=[topic])
    team = factories.competence_group("Team", members=[ada])
    remote = factories.service_group("Remote", meeting_types=["Online"])
    db.session.commit()
    return {
        "north": north,
        "private": private,
        "topic": topic,
        "ada": ada,
        "region": region,
        "team": team,
        "remote": remote,
    }


def _patch(client, auth, path, body, scopes=ADMIN):  # type: ignore[no-untyped-def]
    return client.patch(path, json=body, headers=auth(*scopes))


def test_an_advisor_joins_and_leaves_competence_groups_in_one_write(client, auth, bank):
    ada, region, team = bank["ada"], bank["region"], bank["team"]
    base = f"/bookme/config/competence-groups/employee/{ada.id}"
    joined = _patch(client, auth, base + "/add", [region.id, team.id])
    assert joined.status_code == 200, joined.json
    assert [g["name"] for g in joined.json] == ["Region", "Team"]
    db.session.expire_all()
    assert [m.id for m in region.members] == [ada.id] and [t.id for t in region.topics] == [
        bank["topic"].id
    ]  # the group's other fields stay
    left = _patch(client, auth, base + "/remove", [team.id])
    assert [g["name"] for g in left.json] == ["Region"]
    assert db.session.query(AuditRecord).count() >= 2


def test_an_unknown_group_in_the_body_is_a_400_and_nothing_changes(client, auth, bank):
    ada, region = bank["ada"], bank["region"]
    path = f"/bookme/config/service-groups/employee/{ada.id}/add"
    resp = _patch(client, auth, path, [bank["remote"].id, UNKNOWN])
    assert resp.status_code == 400 and resp.json["errors"][0]["field"] == "[1]"
    db.session.expire_all()
    assert bank["remote"].employees == []
    for body in ({"ids": [region.id]}, [], [1], "x"):
        assert _patch(client, auth, path, body).status_code == 400, body


def test_memberships_need_the_admin_scope_and_a_known_advisor(client, auth, bank):
    path = "/bookme/config/service-groups/employee/{}/add"
    body = [bank["remote"].id]
    assert (
        _patch(client, auth, path.format(bank["ada"].id), body, ("bookme.read",)).status_code == 403
    )
    assert _patch(client, auth, path.format(UNKNOWN), body).status_code == 404


def test_a_service_groups_trigger_and_level_change_by_json_patch(client, auth, bank):
    remote = bank["remote"]
    base = f"/bookme/config/service-groups/{remote.id}"
    trigger = [
        {"op": "replace", "path": "/customerTypeIds", "value": [bank["private"].id]},
        {"op": "replace", "path": "/customerLocations", "value": ["Area-N"]},
    ]
    resp = _patch(client, auth, base + "/service-trigger", trigger)
    assert resp.status_code == 200, resp.json
    assert resp.json["serviceTrigger"] == {
        "customerLocations": ["Area-N"],
        "customerTypeIds": [bank["private"].id],
        "topicIds": [],
    }
    level = [{"op": "replace", "path": "/meetingTypes", "value": ["Online", "Telephone"]}]
    changed = _patch(client, auth, base + "/service-level", level).json
    assert changed["serviceLevel"]["meetingTypes"] == ["Online", "Telephone"]
    assert changed["serviceTrigger"]["customerLocations"] == ["Area-N"]  # untouched


def test_a_bad_trigger_or_level_is_a_400_and_an_unknown_group_a_404(client, auth, bank):
    base = f"/bookme/config/service-groups/{bank['remote'].id}"
    wrong_path = [{"op": "replace", "path": "/meetingTypes", "value": ["Online"]}]
    assert _patch(client, auth, base + "/service-trigger", wrong_path).status_code == 400
    bad_type = [{"op": "replace", "path": "/meetingTypes", "value": ["Carrier pigeon"]}]
    assert _patch(client, auth, base + "/service-level", bad_type).status_code == 400
    unknown_ref = [{"op": "replace", "path": "/topicIds", "value": [UNKNOWN]}]
    assert _patch(client, auth, base + "/service-trigger", unknown_ref).status_code == 400
    path = f"/bookme/config/service-groups/{UNKNOWN}/service-level"
    assert _patch(client, auth, path, wrong_path).status_code == 404


def test_settings_change_by_json_patch_with_timespans(client, auth, bank):
    ops = [
        {"op": "replace", "path": "/openingTime", "value": "09:00:00"},
        {"op": "replace", "path": "/maxMeetingTimePerDay", "value": "06:00:00"},
        {"op": "replace", "path": "/maxTimeFromBookingToMeeting", "value": "30.00:00:00"},
        {"op": "replace", "path": "/iCalMeetingTitle", "value": "Møde med {{employee}}"},
    ]
    resp = _patch(client, auth, SETTINGS, ops)
    assert resp.status_code == 200, resp.json
    assert (resp.json["openingTime"], resp.json["maxMeetingTimePerDay"]) == ("09:00:00", "06:00:00")
    db.session.expire_all()
    row = db.session.get(OrganisationSettings, 1)
    assert (row.max_meeting_minutes_per_day, row.max_days_ahead) == (360, 30)
    assert row.meeting_title_template == "Møde med {{employee}}"


@pytest.mark.parametrize(
    "op, field",
    [
        (
            {"op": "replace", "path": "/maxTimeFromBookingToMeeting", "value": "1.12:00:00"},
            "maxTimeFromBookingToMeeting",
        ),
        (
            {"op": "replace", "path": "/maxMeetingTimePerDay", "value": "soon"},
            "maxMeetingTimePerDay",
        ),
        (
            {"op": "replace", "path": "/openingTime", "value": "21:00:00"},
            "body",
        ),  # not before closing
        ({"op": "replace", "path": "/employeeLabels", "value": []}, "employeeLabels"),
        (  # beyond any horizon and the database's integer (it was stored, or a 500)
            {"op": "replace", "path": "/minimumTimeBeforeBooking", "value": "10000000.00:00:00"},
            "minimumTimeBeforeBooking",
        ),
        (
            {"op": "replace", "path": "/minimumTimeBeforeBooking", "value": "3651.00:00:00"},
            "minimumTimeBeforeBooking",
        ),
    ],
)
def test_a_bad_setting_is_a_400_naming_it_and_nothing_changes(client, auth, bank, op, field):
    resp = _patch(client, auth, SETTINGS, [op])
    assert resp.status_code == 400, resp.json
    named = {resp.json.get("field")} | {e["field"] for e in resp.json.get("errors", [])}
    assert field in named
    assert db.session.get(OrganisationSettings, 1).opening_time.hour == 7


def test_settings_writes_need_the_admin_scope_and_the_settings_id(client, auth, bank):
    ops = [{"op": "replace", "path": "/openingTime", "value": "09:00:00"}]
    assert _patch(client, auth, SETTINGS, ops, ("bookme.read",)).status_code == 403
    assert _patch(client, auth, "/bookme/config/organization-settings/2", ops).status_code == 404
    closing = "/bookme/config/organization-settings/2/closing-days?closingDays=2026-12-24"
    assert client.post(closing, headers=auth(*ADMIN)).status_code == 404


def test_closing_days_are_added_by_date_once(client, auth, bank):
    path = SETTINGS + "/closing-days"
    query = "?closingDays=2026-12-24T00:00:00%2B01:00&closingDays=2026-12-25T00:00:00Z"
    resp = client.post(path + query, headers=auth(*ADMIN))
    assert resp.status_code == 200, resp.json
    assert resp.json["closingDays"] == ["2026-12-24T00:00:00Z", "2026-12-25T00:00:00Z"]
    again = client.post(path + "?closingDays=2026-12-24,2026-12-31", headers=auth(*ADMIN))
    assert again.status_code == 200
    assert sorted(d.day.day for d in db.session.query(ClosingDay)) == [24, 25, 31]
    assert db.session.query(ClosingDay).filter_by(day=date(2026, 12, 31)).count() == 1
    for bad in ("", "?closingDays=", "?closingDays=christmas"):
        assert client.post(path + bad, headers=auth(*ADMIN)).status_code == 400, bad
