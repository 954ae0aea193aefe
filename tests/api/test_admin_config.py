"""Configuration writes (`bookme.admin`): create, read, change and delete every collection, an
advisor's week and busy times, the settings; validation errors naming camelCase fields."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.models import BusyTime, Room
from tests import factories

WEEKDAY = {"from": "09:00", "to": "17:00", "meetingTypes": ["Physical", "online"]}


@pytest.fixture
def admin(auth):  # type: ignore[no-untyped-def]
    """Headers of a client holding every scope."""
    return auth("bookme.read", "bookme.admin")


@pytest.fixture
def world(app):  # type: ignore[no-untyped-def]
    factories.settings()
    loc = factories.location("Branch-North", ["Copenhagen"])
    business = factories.customer_type("Business")
    topic = factories.topic("Pension", customer_types=[business])
    db.session.commit()
    return {"loc": loc, "business": business, "topic": topic}


def _crud(client, admin, path, create, change, check):  # type: ignore[no-untyped-def]
    """POST, GET, PATCH, GET, DELETE, GET one item; `check(item)` after the change."""
    made = client.post(f"/config/{path}", json=create, headers=admin)
    assert made.status_code == 201, made.json
    ident = made.json["id"]
    assert made.headers["Location"] == f"/config/{path}/{ident}"
    assert client.get(made.headers["Location"], headers=admin).json == made.json
    changed = client.patch(f"/config/{path}/{ident}", json=change, headers=admin)
    assert changed.status_code == 200, changed.json
    check(changed.json)
    assert client.get(f"/config/{path}/{ident}", headers=admin).json == changed.json
    assert client.delete(f"/config/{path}/{ident}", headers=admin).status_code == 204
    assert client.get(f"/config/{path}/{ident}", headers=admin).status_code == 404
    assert client.delete(f"/config/{path}/{ident}", headers=admin).status_code == 404
    return made.json


def test_customer_types_are_created_renamed_and_deleted(client, admin, world):
    made = _crud(
        client,
        admin,
        "customer-types",
        {"name": "Private"},
        {"name": "Private banking"},
        lambda item: item["name"] == "Private banking" or pytest.fail(item),
    )
    assert made["name"] == "Private"


def test_a_location_patch_keeps_the_fields_left_out(client, admin, world):
    def check(item):  # type: ignore[no-untyped-def]
        assert item["address"] == "Main St 1"
        assert item["areas"] == ["Aarhus", "Randers"]
        assert item["timeZone"] == "Europe/Copenhagen"
        assert item["requireRoom"] is True

    body = {"name": "Branch-West", "areas": ["Aarhus"], "address": "Main St 1", "requireRoom": True}
    body["timeZone"] = "Europe/Copenhagen"
    _crud(client, admin, "locations", body, {"areas": ["Aarhus", "Randers"]}, check)


def test_a_room_references_its_location_by_name_and_keeps_it_on_patch(client, admin, world):
    def check(item):  # type: ignore[no-untyped-def]
        assert item["capacity"] == 8 and item["name"] == "Room A"
        assert item["locationId"] == world["loc"].id and item["location"] == "Branch-North"

    made = _crud(
        client,
        admin,
        "rooms",
        {"name": "Room A", "location": "branch-north", "capacity": 6},
        {"capacity": 8},
        check,
    )
    assert made["locationId"] == world["loc"].id and made["canBeBooked"] is True


def test_meeting_topics_are_written_under_config(client, admin, world):
    def check(item):  # type: ignore[no-untyped-def]
        assert item["customerTypeIds"] == []
        assert item["durationMinutes"] == 45 and item["description"] == "Buying a home"

    body = {"name": "Mortgage", "durationMinutes": 45, "meetingTypes": ["phone"]}
    body |= {"customerTypes": ["Business"], "description": "Buying a home", "parent": "Pension"}
    made = _crud(client, admin, "meeting-topics", body, {"customerTypes": []}, check)
    assert made["meetingTypes"] == ["Telephone"]
    assert made["parentId"] == world["topic"].id
    assert made["customerTypeIds"] == [world["business"].id]


def test_an_employee_is_created_with_skills_and_changed_by_patch(client, admin, world):
    def check(item):  # type: ignore[no-untyped-def]
        assert item["canBeBooked"] is False
        assert item["firstName"] == "Bo" and item["meetingTypes"] == ["Physical", "Online"]

    body = {
        "email": "bo@bank.test",
        "firstName": "Bo",
        "lastName": "Berg",
        "homeLocation": "Branch-North",
    }
    body |= {"skills": {"topics": ["Pension"]}, "schedule": {"monday": WEEKDAY}}
    made = _crud(client, admin, "employees", body, {"canBeBooked": False}, check)
    assert made["displayName"] == "Bo Berg" and made["initials"] == "BB"
    assert made["locationId"] == world["loc"].id


def test_closing_days_are_created_renamed_and_deleted(client, admin, world):
    def check(item):  # type: ignore[no-untyped-def]
        assert item == {"id": item["id"], "date": "2026-12-24", "name": "Christmas Eve"}

    body = {"date": "2026-12-24", "name": "Christmas"}
    _crud(client, admin, "closing-days", body, {"name": "Christmas Eve"}, check)
    assert client.get("/config/closing-days", headers=admin).json == []


def test_a_closing_day_keeps_its_date(client, admin, world):
    made = client.post("/config/closing-days", json={"date": "2026-12-24"}, headers=admin)
    url = made.headers["Location"]
    resp = client.patch(url, json={"date": "2026-12-26"}, headers=admin)
    assert resp.status_code == 400 and resp.json["errors"][0]["field"] == "date"
    assert client.get(url, headers=admin).json["date"] == "2026-12-24"


def test_a_second_closing_day_on_the_same_date_is_a_conflict(client, admin, world):
    body = {"date": "2026-12-24", "name": "Christmas"}
    assert client.post("/config/closing-days", json=body, headers=admin).status_code == 201
    again = client.post("/config/closing-days", json=body, headers=admin)
    assert again.status_code == 409


def test_competence_groups_name_members_by_email(client, admin, world):
    adv = factories.employee(world["loc"])
    db.session.commit()

    def check(item):  # type: ignore[no-untyped-def]
        assert item["memberIds"] == [adv.id] and item["topicIds"] == []

    body = {"name": "Pensions", "members": [adv.email], "topics": ["Pension"]}
    made = _crud(client, admin, "competence-groups", body, {"topics": []}, check)
    assert made["topicIds"] == [world["topic"].id] and made["parentId"] is None


def test_service_groups_carry_their_activation_rules(client, admin, world):
    def check(item):  # type: ignore[no-untyped-def]
        assert item["label"] == "Remote team" and item["locationIds"] == [world["loc"].id]

    body = {"name": "Remote", "customerLocations": ["Copenhagen"], "meetingTypes": ["Online"]}
    body |= {"locations": ["Branch-North"]}
    made = _crud(client, admin, "service-groups", body, {"label": "Remote team"}, check)
    assert made["customerLocations"] == ["Copenhagen"] and made["meetingTypes"] == ["Online"]


def test_the_schedule_is_replaced_as_a_whole_week(client, admin, world):
    adv = factories.employee(world["loc"])  # Monday to Friday
    db.session.commit()
    url = f"/config/employees/{adv.id}/schedule"
    week = {"tuesday": {**WEEKDAY, "location": "Branch-North"}, "saturday": WEEKDAY}
    resp = client.put(url, json=week, headers=admin)
    assert resp.status_code == 200, resp.json
    days = {k: v for k, v in resp.json.items() if v is not None}
    assert set(days) == {"tuesday", "saturday"}
    assert days["tuesday"] == {
        "available": True,
        "from": "09:00",
        "to": "17:00",
        "meetingTypes": ["Physical", "Online"],
        "locationId": world["loc"].id,
    }
    assert client.get(url, headers=admin).json == resp.json


def test_a_bad_schedule_names_the_day_and_field(client, admin, world):
    adv = factories.employee(world["loc"])
    db.session.commit()
    week = {"monday": {"from": "17:00", "to": "09:00", "meetingTypes": ["Physical"]}}
    week["friday"] = {"from": "09:00", "to": "25:00", "meetingTypes": ["Physical"]}
    resp = client.put(f"/config/employees/{adv.id}/schedule", json=week, headers=admin)
    assert resp.status_code == 400
    fields = {e["field"] for e in resp.json["errors"]}
    assert fields == {"monday", "friday.to"}


def test_busy_times_are_added_listed_and_removed(client, admin, world):
    adv = factories.employee(world["loc"])
    db.session.commit()
    url = f"/config/employees/{adv.id}/busy-times"
    body = {"start": "2026-03-03T10:00:00+01:00", "end": "2026-03-03T12:00:00+01:00"}
    made = client.post(url, json={**body, "note": "dentist"}, headers=admin)
    assert made.status_code == 201, made.json
    assert made.json == {
        "id": made.json["id"],
        "start": "2026-03-03T09:00:00.000Z",
        "end": "2026-03-03T11:00:00.000Z",
        "kind": "absence",
        "note": "dentist",
    }
    assert made.headers["Location"] == f"{url}/{made.json['id']}"
    assert client.post(url, json=body, headers=admin).status_code == 409
    assert client.get(url, headers=admin).json == [made.json]
    assert client.delete(f"{url}/{made.json['id']}", headers=admin).status_code == 204
    assert db.session.query(BusyTime).count() == 0
    assert client.delete(f"{url}/{made.json['id']}", headers=admin).status_code == 404


def test_a_busy_time_ending_before_it_starts_is_refused(client, admin, world):
    adv = factories.employee(world["loc"])
    db.session.commit()
    body = {"start": "2026-03-03T12:00:00", "end": "2026-03-03T10:00:00"}
    resp = client.post(f"/config/employees/{adv.id}/busy-times", json=body, headers=admin)
    assert resp.status_code == 400
    assert "start must be before end" in resp.json["errors"][0]["message"]


def test_settings_are_read_and_changed_field_by_field(client, admin, world):
    before = client.get("/config/settings", headers=admin).json
    assert before["openingTime"] == "07:00" and before["timeZone"] == "Europe/Copenhagen"
    resp = client.patch(
        "/config/settings", json={"maxDaysAhead": 30, "closingTime": "18:30"}, headers=admin
    )
    assert resp.status_code == 200, resp.json
    assert resp.json == {**before, "maxDaysAhead": 30, "closingTime": "18:30"}
    bad = client.patch("/config/settings", json={"closingTime": "06:00"}, headers=admin)
    assert bad.status_code == 400
    assert "opening_time must be before closing_time" in bad.json["message"]


def test_validation_errors_name_camel_case_fields(client, admin, world):
    body = {"firstName": "Bo", "email": "not-an-email", "homeLocation": "Atlantis"}
    resp = client.post("/config/employees", json=body, headers=admin)
    assert resp.status_code == 400
    fields = {e["field"] for e in resp.json["errors"]}
    assert {"email", "lastName"} <= fields
    room = client.post("/config/rooms", json={"name": "R", "location": "Atlantis"}, headers=admin)
    assert room.status_code == 400
    assert room.json["errors"] == [{"field": "location", "message": 'unknown location "Atlantis"'}]


def test_body_type_errors_and_unknown_keys_are_400s(client, admin, world):
    resp = client.post("/config/rooms", json={"name": "R", "capcity": 3}, headers=admin)
    assert resp.status_code == 400 and resp.json["errors"][0]["field"] == "capcity"
    resp = client.post("/config/rooms", json={"name": "R", "capacity": "many"}, headers=admin)
    assert resp.status_code == 400 and resp.json["errors"][0]["field"] == "capacity"
    resp = client.post("/config/rooms", json=["R"], headers=admin)
    assert resp.status_code == 400 and resp.json["errors"][0]["field"] == "body"


def test_a_name_already_taken_is_refused(client, admin, world):
    resp = client.post("/config/locations", json={"name": "branch-north"}, headers=admin)
    assert resp.status_code == 400
    assert resp.json["errors"][0]["field"] == "name"


def test_patching_an_unknown_id_is_a_404_and_creates_nothing(client, admin, world):
    resp = client.patch("/config/rooms/nope", json={"capacity": 3}, headers=admin)
    assert resp.status_code == 404
    assert db.session.query(Room).count() == 0


def test_writes_without_the_admin_scope_are_forbidden(client, auth, world):
    headers = auth("bookme.read", "bookme.book")
    resp = client.post("/config/customer-types", json={"name": "X"}, headers=headers)
    assert resp.status_code == 403
    assert (
        client.patch("/config/settings", json={"maxDaysAhead": 3}, headers=headers).status_code
        == 403
    )
    assert client.get("/config/closing-days", headers=headers).status_code == 200


def test_deleting_a_room_with_an_upcoming_meeting_is_a_conflict(client, admin, auth, world, clock):
    adv = factories.employee(world["loc"])
    room = factories.room(world["loc"])
    factories.meeting(adv, datetime(2026, 3, 3, 9, 0, tzinfo=UTC), room=room)
    db.session.commit()
    resp = client.delete(f"/config/rooms/{room.id}", headers=admin)
    assert resp.status_code == 409 and resp.json["code"] == "CONFLICT"
    assert client.get(f"/config/rooms/{room.id}", headers=admin).status_code == 200
    clock.set(datetime(2026, 3, 4, tzinfo=UTC))  # the meeting is over
    later = auth("bookme.admin")
    assert client.delete(f"/config/rooms/{room.id}", headers=later).status_code == 204


def test_a_created_advisor_with_a_schedule_is_offered_slots(client, admin, world):
    body = {"email": "new@bank.test", "firstName": "New", "lastName": "Advisor"}
    body |= {"homeLocation": world["loc"].id, "schedule": {"tuesday": WEEKDAY}}
    made = client.post("/config/employees", json=body, headers=admin)
    assert made.status_code == 201, made.json
    query = (
        "requireEmployeeParticipation=true&explicitEmployeeIds="
        f"{made.json['id']}&startDate=2026-03-02T07:00:00Z&lookForwardTime=7.00:00:00"
        "&meetingDuration=01:00:00&meetingTypes=Online"
    )
    slots = client.get(f"/bookme/time-slots/available?{query}", headers=admin).json
    assert slots, "the new advisor should be bookable"
    assert {s["employeeId"] for s in slots} == {made.json["id"]}
    assert {s["startDate"][:10] for s in slots} == {"2026-03-03"}
    assert min(s["startDate"] for s in slots) == "2026-03-03T08:00:00.000Z"


def test_nested_unknown_references_name_their_path(client, admin, world):
    body = {"email": "x@bank.test", "firstName": "X", "lastName": "Y"}
    body["skills"] = {"customerTypes": ["Business", "Nobody"]}
    body["schedule"] = {"monday": {**WEEKDAY, "location": "Atlantis"}}
    resp = client.post("/config/employees", json=body, headers=admin)
    assert resp.status_code == 400
    assert {e["field"] for e in resp.json["errors"]} == {
        "skills.customerTypes[1]",
        "schedule.monday.location",
    }


def test_deleting_an_advisor_with_meetings_is_a_conflict(client, admin, world):
    adv = factories.employee(world["loc"])
    factories.meeting(adv, datetime(2026, 2, 2, 9, 0, tzinfo=UTC))  # in the past
    db.session.commit()
    resp = client.delete(f"/config/employees/{adv.id}", headers=admin)
    assert resp.status_code == 409
    assert "can_be_booked" in resp.json["message"]


def test_every_write_route_is_documented_with_its_body(client):
    doc = client.get("/openapi.json").json
    writes = [
        (path, method, op)
        for path, methods in doc["paths"].items()
        if path.startswith("/config")
        for method, op in methods.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert len(writes) == 8 * 3 + 4 + 2  # 8 kinds, busy times, schedule, settings; webhooks
    for path, method, op in writes:
        assert op["security"][0]["oauth2"] == ["bookme.admin"], (path, method)
        if method != "delete":
            assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"], path


def test_settings_answer_the_defaults_before_any_are_stored(client, admin):
    resp = client.get("/config/settings", headers=admin)
    assert resp.status_code == 200
    assert resp.json["openingTime"] == "08:00" and resp.json["maxMeetingMinutesPerDay"] is None
    changed = client.patch("/config/settings", json={"name": "Nordbank"}, headers=admin)
    assert changed.status_code == 200, changed.json
    assert changed.json == {**resp.json, "name": "Nordbank"}


def test_a_setting_that_must_exist_cannot_be_cleared_with_null(client, admin, world):
    resp = client.patch("/config/settings", json={"closingTime": None}, headers=admin)
    assert resp.status_code == 400
    assert resp.json["errors"][0]["field"] == "closingTime"
    cleared = client.patch(
        "/config/settings", json={"maxMeetingMinutesPerDay": None}, headers=admin
    )
    assert cleared.status_code == 200, cleared.json


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "service-groups",
            {"name": "Remote", "maxMeetingMinutesPerDay": True},
            "maxMeetingMinutesPerDay",
        ),
        (
            "service-groups",
            {"name": "Remote", "maxMeetingMinutesPerDay": "90"},
            "maxMeetingMinutesPerDay",
        ),
        ("customer-types", {"name": "Private"}, None),
        ("rooms", {"name": "R1", "location": "Branch-North", "canBeBooked": 1}, "canBeBooked"),
    ],
)
def test_numbers_and_yes_no_fields_take_json_numbers_and_booleans_only(
    client, admin, world, path, body, field
):
    """Found by schemathesis: `true` was taken as 1 minute, and 1 as yes."""
    resp = client.post(f"/config/{path}", json=body, headers=admin)
    if field is None:
        assert resp.status_code == 201, resp.json
        return
    assert resp.status_code == 400, resp.json
    assert field in {e["field"] for e in resp.json["errors"]}
