"""The vendor's V3 configuration reads under `/bookme/config/...`: shapes, scopes and 404s."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app.extensions import db
from app.models import CompetenceGroup, CustomerType, Employee, Location, ServiceGroup, Topic
from tests import factories

READ = ("bookme.read",)
ADMIN = ("bookme.read", "bookme.admin")
UNKNOWN = "00000000-0000-0000-0000-000000000000"


@dataclass
class Bank:
    north: Location
    south: Location
    private: CustomerType
    mortgage: Topic
    phone_only: Topic
    ada: Employee
    bo: Employee
    cy: Employee
    region: CompetenceGroup
    team: CompetenceGroup
    remote: ServiceGroup


@pytest.fixture
def bank(app) -> Bank:  # type: ignore[no-untyped-def]
    factories.settings(
        max_meeting_minutes_per_day=240, meeting_title_template="Møde med {{employee}}"
    )
    factories.closing_day(date(2026, 12, 24))
    north = factories.location(
        "North", ["Area-N"], localized_names={"da-DK": "Nord", "en-GB": "North branch"}
    )
    south = factories.location("South", ["Area-S"])
    factories.room(north)
    private = factories.customer_type("Private")
    mortgage = factories.topic(
        "Boliglån", localized_names={"da-DK": "Boliglån", "en-GB": "Home loan"}
    )
    phone_only = factories.topic("Telefonbooking", meeting_types=["Telephone"])
    phone_only.customer_types = [private]
    ada = factories.employee(north, days=(0, 1), max_meeting_minutes_per_day=150)
    bo, cy = factories.employee(south), factories.employee(south)
    region = factories.competence_group("Region", members=[ada], topics=[mortgage])
    region.customer_types = [private]
    team = factories.competence_group("Team", parent=region, members=[bo])
    remote = factories.service_group(
        "Remote",
        label="Online",
        employees=[cy],
        competence_groups=[region],
        meeting_types=["Online"],
        max_meeting_minutes_per_day=240,
    )
    db.session.commit()
    return Bank(north, south, private, mortgage, phone_only, ada, bo, cy, region, team, remote)


def _get(client, auth, path: str, scopes=READ, **query):  # type: ignore[no-untyped-def]
    return client.get(path, query_string=query, headers=auth(*scopes))


# ---- competence and service groups -----------------------------------------------------------


def test_competence_groups_carry_children_parents_named_types_topics_and_service_groups(
    client, auth, bank
):
    groups = _get(client, auth, "/bookme/config/competence-groups").json
    assert [g["name"] for g in groups] == ["Region", "Team"]
    region = groups[0]
    assert region == {
        "id": bank.region.id,
        "name": "Region",
        "childGroupIds": [bank.team.id],
        "parentGroupIds": [],
        "customerTypes": [{"id": bank.private.id, "name": "Private"}],
        "employeeIds": [bank.ada.id],
        "topics": [{"id": bank.mortgage.id, "name": "Boliglån"}],
        "serviceGroupIds": [bank.remote.id],
        "labels": [],
    }
    one = _get(client, auth, f"/bookme/config/competence-groups/{bank.team.id}").json
    assert one["parentGroupIds"] == [bank.region.id] and one["employeeIds"] == [bank.bo.id]


def test_service_groups_give_their_daily_cap_as_a_timespan_and_their_trigger_and_level(
    client, auth, bank
):
    group = _get(client, auth, f"/bookme/config/service-groups/{bank.remote.id}").json
    assert group["maxMeetingTimePerDay"] == "04:00:00"
    assert (group["labels"], group["membershipEmail"]) == (["Online"], None)
    assert group["employeeIds"] == [bank.cy.id]
    assert group["competenceGroupIds"] == [bank.region.id]
    assert group["serviceLevel"] == {"meetingTypes": ["Online"], "locationIds": []}
    listed = _get(client, auth, "/bookme/config/service-groups").json
    assert listed == [group]


def test_a_service_groups_advisors_come_by_source_with_subgroup_members(client, auth, bank):
    advisors = _get(client, auth, f"/bookme/config/service-groups/{bank.remote.id}/advisors").json
    assert advisors["assigned"] == [bank.cy.id]
    assert set(advisors["competenceGroupAdvisors"]) == {bank.ada.id, bank.bo.id}
    assert advisors["skillBased"] == []


def test_an_advisors_groups_are_listed_by_employee(client, auth, bank):
    base = "/bookme/config/{}/employee/{}"
    competence = _get(client, auth, base.format("competence-groups", bank.ada.id)).json
    assert [(g["id"], g["dateAssigned"]) for g in competence] == [(bank.region.id, None)]
    service = _get(client, auth, base.format("service-groups", bank.cy.id)).json
    assert [g["name"] for g in service] == ["Remote"]
    assert _get(client, auth, base.format("service-groups", bank.ada.id)).json == []


# ---- schedules -------------------------------------------------------------------------------


def test_an_employee_schedule_has_the_vendors_workdays_and_its_own_daily_cap(client, auth, bank):
    schedule = _get(client, auth, f"/bookme/config/employee-schedules/{bank.ada.id}").json
    assert (schedule["id"], schedule["employeeId"]) == (bank.ada.id, bank.ada.id)
    assert schedule["maxMeetingTimePerDay"] == "02:30:00"
    assert (schedule["canBeBooked"], schedule["isOnlyExplicitlyAvailable"]) == (True, False)
    assert schedule["workdays"][0] == {
        "isAvailable": True,
        "dayOfWeek": "Monday",
        "from": "08:00:00",
        "to": "16:00:00",
        "availableMeetingTypes": [{"type": "Physical"}, {"type": "Online"}],
        "location": "North",
    }
    assert [d["dayOfWeek"] for d in schedule["workdays"]] == ["Monday", "Tuesday"]
    everyone = _get(client, auth, "/bookme/config/employee-schedules").json
    assert {s["employeeId"] for s in everyone} == {bank.ada.id, bank.bo.id, bank.cy.id}


def test_the_actual_schedule_has_seven_days_and_resolves_the_home_location(client, auth, bank):
    bank.ada.schedules[1].location_id = None  # Tuesday: wherever the advisor is based
    db.session.commit()
    path = f"/bookme/config/employee-schedules/{bank.ada.id}"
    configured = _get(client, auth, path).json["workdays"]
    assert configured[1]["location"] is None
    actual = _get(client, auth, path + "/actual").json["workdays"]
    assert len(actual) == 7 and actual[1]["location"] == "North"
    assert actual[6] == {
        "isAvailable": False,
        "dayOfWeek": "Sunday",
        "from": "00:00:00",
        "to": "00:00:00",
        "availableMeetingTypes": [],
        "location": None,
    }


# ---- organisation settings, locations, time zones --------------------------------------------


def test_organization_settings_speak_timespans_and_need_the_admin_scope(client, auth, bank):
    path = "/bookme/config/organization-settings"
    assert _get(client, auth, path).status_code == 403
    settings = _get(client, auth, path, ADMIN).json
    assert (settings["openingTime"], settings["closingTime"]) == ("07:00:00", "20:00:00")
    assert settings["maxTimeFromBookingToMeeting"] == "90.00:00:00"
    assert settings["maxMeetingTimePerDay"] == "04:00:00"
    assert settings["closingDays"] == ["2026-12-24T00:00:00Z"]
    assert settings["iCalMeetingTitle"] == "Møde med {{employee}}"
    assert settings["timeZoneId"] == "Europe/Copenhagen"
    assert settings["timeZone"]["displayName"] == "(UTC+01:00) Europe/Copenhagen"
    labels = {o["name"]: o["label"] for o in settings["meetingTypeLabels"]}
    assert labels["Telephone"] == "Telefonmøde"  # the organisation's language (da)


def test_locations_filter_by_name_or_search_and_name_themselves_in_lang(client, auth, bank):
    everyone = _get(client, auth, "/bookme/config/locations").json
    assert [loc["location"] for loc in everyone] == ["North", "South"]
    north = everyone[0]
    assert north["localizedName"] == {"da-DK": "Nord", "en-GB": "North branch"}
    assert (north["displayName"], north["addRoomsToBookedMeetings"]) == ("North", True)
    assert everyone[1]["addRoomsToBookedMeetings"] is False
    found = _get(client, auth, "/bookme/config/locations", search="sou").json
    assert [loc["id"] for loc in found] == [bank.south.id]
    assert _get(client, auth, "/bookme/config/locations", location="Nor").json == []
    english = _get(client, auth, f"/bookme/config/locations/{bank.north.id}", lang="en-gb").json
    assert english["displayName"] == "North branch"
    assert english["localizedName"] == {"en-GB": "North branch"}


def test_time_zones_are_iana_names_west_to_east(client, auth, bank):
    zones = _get(client, auth, "/bookme/config/timezones").json
    names = [z["identifier"] for z in zones]
    assert names.index("America/Nuuk") < names.index("UTC") < names.index("Europe/Copenhagen")
    copenhagen = zones[names.index("Europe/Copenhagen")]
    assert copenhagen == {
        "id": "Europe/Copenhagen",
        "identifier": "Europe/Copenhagen",
        "displayName": "(UTC+01:00) Europe/Copenhagen",
    }


# ---- allowed options ---------------------------------------------------------------------------


def test_a_telephone_only_topic_allows_exactly_telephone(client, auth, bank):
    query = {"topicId": bank.phone_only.id, "customerTypeId": bank.private.id, "location": "Area-N"}
    options = _get(client, auth, "/bookme/config/allowed-options", **query).json
    assert options["meetingTypes"] == [{"name": "Telephone", "label": "Telefonmøde", "order": 0}]
    assert [o["label"] for o in options["advisorSelection"]] == [
        "Min rådgiver",
        "En anden rådgiver",
    ]


def test_a_topic_closed_to_the_customer_type_allows_nothing(client, auth, bank):
    business = factories.customer_type("Business")
    db.session.commit()
    query = {"topicId": bank.phone_only.id, "customerTypeId": business.id, "location": "North"}
    options = _get(client, auth, "/bookme/config/allowed-options", **query).json
    assert options == {"meetingTypes": [], "advisorSelection": []}


@pytest.mark.parametrize("unknown", ["topicId", "customerTypeId", "location"])
def test_allowed_options_for_an_unknown_topic_type_or_place_is_a_404(client, auth, bank, unknown):
    query = {"topicId": bank.mortgage.id, "customerTypeId": bank.private.id, "location": "North"}
    query[unknown] = "Atlantis" if unknown == "location" else UNKNOWN
    resp = _get(client, auth, "/bookme/config/allowed-options", **query)
    assert resp.status_code == 404, resp.json


def test_allowed_options_without_its_required_query_is_a_400_naming_it(client, auth, bank):
    resp = _get(client, auth, "/bookme/config/allowed-options", topicId=bank.mortgage.id)
    assert resp.status_code == 400
    assert {e["field"] for e in resp.json["errors"]} >= {"customerTypeId", "location"}


# ---- every read: scope and unknown ids ---------------------------------------------------------

ITEM_PATHS = (
    "/bookme/config/competence-groups/{}",
    "/bookme/config/competence-groups/employee/{}",
    "/bookme/config/service-groups/{}",
    "/bookme/config/service-groups/{}/advisors",
    "/bookme/config/service-groups/employee/{}",
    "/bookme/config/employee-schedules/{}",
    "/bookme/config/employee-schedules/{}/actual",
    "/bookme/config/locations/{}",
)
LIST_PATHS = (
    "/bookme/config/competence-groups",
    "/bookme/config/service-groups",
    "/bookme/config/employee-schedules",
    "/bookme/config/locations",
    "/bookme/config/timezones",
    "/bookme/config/allowed-options",
    "/bookme/config/organization-settings",
)


@pytest.mark.parametrize("path", ITEM_PATHS)
def test_an_unknown_id_is_a_404_naming_it(client, auth, bank, path):
    resp = _get(client, auth, path.format(UNKNOWN))
    assert resp.status_code == 404
    assert UNKNOWN in resp.json["message"]


@pytest.mark.parametrize("path", LIST_PATHS + ITEM_PATHS)
def test_without_a_token_or_with_only_the_booking_scope_each_read_is_refused(
    client, auth, bank, path
):
    path = path.format(bank.ada.id)
    assert client.get(path).status_code == 401
    assert client.get(path, headers=auth("bookme.book")).status_code == 403


def test_the_v3_reads_are_served_under_the_vendors_base_path_too(client, auth, bank):
    resp = _get(client, auth, "/api/v3/bookme/config/service-groups")
    assert resp.status_code == 200 and resp.json[0]["id"] == bank.remote.id
