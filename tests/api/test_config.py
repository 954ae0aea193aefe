"""Configuration reads: field names as in the contract, 404 naming the id, topic filters."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories


@pytest.fixture
def world(app):  # type: ignore[no-untyped-def]
    loc = factories.location("Branch-North", ["Copenhagen"], require_room=True)
    private = factories.customer_type("Private")
    business = factories.customer_type("Business")
    adv = factories.employee(loc, meeting_types=("Online", "Physical"), external_id="X1")
    room = factories.room(loc, name="Room A", capacity=6)
    open_topic = factories.topic("Pension", order=2)
    business_topic = factories.topic("Loans", order=1, customer_types=[business])
    staff_topic = factories.topic("Internal", order=3, is_customer=False)
    db.session.commit()
    return dict(
        loc=loc,
        private=private,
        business=business,
        adv=adv,
        room=room,
        open_topic=open_topic,
        business_topic=business_topic,
        staff_topic=staff_topic,
    )


def test_customer_types_list_ids_and_names(client, read_headers, world):
    resp = client.get("/config/customer-types", headers=read_headers)
    assert resp.status_code == 200
    assert resp.json == [
        {"id": world["business"].id, "name": "Business"},
        {"id": world["private"].id, "name": "Private"},
    ]
    one = client.get(f"/config/customer-types/{world['private'].id}", headers=read_headers)
    assert one.json == {"id": world["private"].id, "name": "Private"}


def test_employees_carry_every_contract_field(client, read_headers, world):
    (emp,) = client.get("/config/employees", headers=read_headers).json
    adv = world["adv"]
    assert emp == {
        "id": adv.id,
        "displayName": adv.display_name,
        "firstName": adv.first_name,
        "lastName": adv.last_name,
        "initials": adv.initials,
        "email": adv.email,
        "location": "Branch-North",
        "locationId": world["loc"].id,
        "externalId": "X1",
        "canBeBooked": True,
        "meetingTypes": ["Physical", "Online"],
    }
    assert client.get(f"/config/employees/{adv.id}", headers=read_headers).json == emp


def test_rooms_and_locations_carry_every_contract_field(client, read_headers, world):
    (room,) = client.get("/config/rooms", headers=read_headers).json
    assert room == {
        "id": world["room"].id,
        "name": "Room A",
        "location": "Branch-North",
        "locationId": world["loc"].id,
        "email": "",
        "capacity": 6,
        "canBeBooked": True,
    }
    (loc,) = client.get("/config/locations", headers=read_headers).json
    assert loc == {
        "id": world["loc"].id,
        "name": "Branch-North",
        "areas": ["Copenhagen"],
        "address": world["loc"].address,
        "timeZone": None,
        "requireRoom": True,
    }
    assert client.get(f"/config/rooms/{room['id']}", headers=read_headers).json == room
    assert client.get(f"/config/locations/{loc['id']}", headers=read_headers).json == loc


@pytest.mark.parametrize("collection", ["customer-types", "employees", "rooms", "locations"])
def test_an_unknown_id_is_a_404_naming_it(client, read_headers, world, collection):
    resp = client.get(f"/config/{collection}/no-such-id", headers=read_headers)
    assert resp.status_code == 404
    assert resp.json["code"] == "NOT_FOUND"
    assert "no-such-id" in resp.json["message"]


def test_customers_see_only_customer_topics_in_order(client, read_headers, world):
    resp = client.get("/bookme/meeting-topics?isCustomer=true", headers=read_headers)
    assert [t["name"] for t in resp.json] == ["Loans", "Pension"]
    loans = resp.json[0]
    assert loans["customerCategoryIds"] == [world["business"].id]
    assert loans["customerTypeIds"] == loans["customerCategoryIds"]
    assert set(loans) == {
        "id",
        "name",
        "description",
        "durationMinutes",
        "meetingTypes",
        "customerCategoryIds",
        "customerTypeIds",
        "isCustomer",
        "parentId",
        "order",
        "uniqueTopicId",
        "localizedName",
    }
    assert loans["localizedName"] == {"da-DK": "Loans"}  # no names stored: the bank's language


def test_staff_see_every_topic(client, read_headers, world):
    resp = client.get("/bookme/meeting-topics?isCustomer=false", headers=read_headers)
    assert [t["name"] for t in resp.json] == ["Loans", "Pension", "Internal"]


@pytest.mark.parametrize("param", ["customerCategoryId", "customerTypeId"])
def test_the_customer_type_filter_keeps_open_topics_and_that_types_topics(
    client, read_headers, world, param
):
    private = world["private"].id
    resp = client.get(
        f"/bookme/meeting-topics?isCustomer=1&{param}={private}", headers=read_headers
    )
    assert [t["name"] for t in resp.json] == ["Pension"]


def test_an_unknown_customer_category_is_a_404(client, read_headers, world):
    resp = client.get(
        "/bookme/meeting-topics?isCustomer=true&customerCategoryId=nope", headers=read_headers
    )
    assert resp.status_code == 404
    assert "nope" in resp.json["message"]


@pytest.mark.parametrize("query", ["", "?isCustomer=", "?isCustomer=maybe"])
def test_topics_need_a_valid_is_customer_flag(client, read_headers, query):
    resp = client.get(f"/bookme/meeting-topics{query}", headers=read_headers)
    assert resp.status_code == 400
    assert resp.json["errors"][0]["field"] == "isCustomer"


@pytest.mark.parametrize("kind", ["employees", "rooms"])
def test_the_prose_paths_under_bookme_answer_as_the_config_paths(client, read_headers, world, kind):
    listed = client.get(f"/config/{kind}", headers=read_headers).json
    assert listed and client.get(f"/bookme/{kind}", headers=read_headers).json == listed
    one = listed[0]["id"]
    assert client.get(f"/bookme/{kind}/{one}", headers=read_headers).json == listed[0]
    missing = client.get(f"/bookme/{kind}/no-such-id", headers=read_headers)
    assert missing.status_code == 404 and "no-such-id" in missing.get_data(as_text=True)
    assert client.get(f"/bookme/{kind}").status_code == 401
