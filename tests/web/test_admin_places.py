"""Branches and rooms: create, edit, delete or make unbookable, refused input (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Location, Meeting, Room, Topic
from tests import factories
from tests.web.admin_helpers import field_error, send, sign_in_admin, text


def test_an_admin_creates_edits_and_deletes_a_branch(client, world):
    sign_in_admin(client)
    form = {"name": "Branch-Odense", "address": "Vestergade 1\n5000 Odense", "areas": "Odense, Fyn"}
    assert send(client, "/staff/admin/locations/new", form).status_code == 302
    branch = db.session.scalar(select(Location).where(Location.name == "Branch-Odense"))
    assert branch.areas == ["Odense", "Fyn"] and branch.address.startswith("Vestergade 1")
    url = f"/staff/admin/locations/{branch.id}"
    assert (
        send(client, url, {**form, "areas": "Odense\nSvendborg", "require_room": "1"}).status_code
        == 302
    )
    db.session.expire_all()
    branch = db.session.get(Location, branch.id)
    assert (branch.areas, branch.require_room) == (["Odense", "Svendborg"], True)
    assert send(client, url, {}, f"{url}/delete").status_code == 302
    assert db.session.get(Location, branch.id) is None


def test_a_branch_with_a_taken_name_or_an_unknown_time_zone_is_refused(client, world):
    sign_in_admin(client)
    form = {"name": "Branch-North", "time_zone": "Mars/Olympus"}
    response = send(client, "/staff/admin/locations/new", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, "time_zone") == "Enter a time zone such as Europe/Copenhagen."
    assert db.session.scalar(select(Location).where(Location.time_zone == "Mars/Olympus")) is None


def test_a_branch_with_booked_meetings_is_kept(client, world):
    factories.meeting(world.anna, datetime(2026, 3, 4, 9, tzinfo=UTC), location_id=world.branch.id)
    db.session.commit()
    sign_in_admin(client)
    url = f"/staff/admin/locations/{world.branch.id}"
    send(client, "/staff/admin/locations", {}, f"{url}/delete")
    listing = text(client.get("/staff/admin/locations").get_data(as_text=True))
    assert "Booked meetings still depend on it" in listing
    assert db.session.get(Location, world.branch.id) is not None


def test_an_admin_adds_a_room_and_a_bad_capacity_is_refused(client, world):
    sign_in_admin(client)
    form = {"name": "Fjord", "location": world.branch.id, "capacity": "6", "can_be_booked": "1"}
    assert send(client, "/staff/admin/rooms/new", form).status_code == 302
    room = db.session.scalar(select(Room).where(Room.name == "Fjord"))
    assert (room.location_id, room.capacity, room.can_be_booked) == (world.branch.id, 6, True)
    refused = send(
        client, "/staff/admin/rooms/new", {**form, "name": "Sky", "capacity": "0", "location": ""}
    )
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert field_error(html, "capacity") == "Enter a number greater than 0."
    assert field_error(html, "location") == "Enter a value."
    assert db.session.scalar(select(Room).where(Room.name == "Sky")) is None


def test_making_a_booked_room_unbookable_lists_its_meetings_first(client, world):
    room = factories.room(world.branch, name="Fjord")
    factories.meeting(
        world.anna, datetime(2026, 3, 5, 8, tzinfo=UTC), room=room, topic=world.mortgage
    )
    factories.meeting(world.bo, datetime(2026, 2, 5, 8, tzinfo=UTC), room=room)  # past: not listed
    db.session.commit()
    sign_in_admin(client)
    url = f"/staff/admin/rooms/{room.id}"
    form = {"name": "Fjord", "location": world.branch.id, "capacity": "4"}
    response = send(client, url, form)
    assert response.status_code == 409
    page = text(response.get_data(as_text=True))
    assert "This change affects 1 booked meeting" in page
    assert "Thursday 5 March, 09:00" in page and "Anna Andersen" in page and "Mortgage" in page
    db.session.expire_all()
    assert db.session.get(Room, room.id).can_be_booked is True

    assert send(client, url, {**form, "confirm_affected": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Room, room.id).can_be_booked is False
    assert (
        db.session.scalar(select(Meeting.room_id).where(Meeting.employee_id == world.anna.id))
        == room.id
    )


def test_an_unused_room_is_deleted(client, world):
    room = factories.room(world.branch, name="Spare")
    db.session.commit()
    sign_in_admin(client)
    url = f"/staff/admin/rooms/{room.id}"
    assert send(client, url, {}, f"{url}/delete").status_code == 302
    assert db.session.get(Room, room.id) is None


def test_an_unknown_item_is_404(client, world):
    sign_in_admin(client)
    assert client.get("/staff/admin/rooms/nope").status_code == 404
    assert client.get("/staff/admin/topics/" + "x" * 300).status_code == 404


def test_deleting_what_other_configuration_uses_never_fails_with_a_500(client, world):
    room = factories.room(world.other_branch, name="Aarhus room")
    db.session.commit()
    sign_in_admin(client)
    for path, ident in (
        ("locations", world.other_branch.id),  # has a room
        ("customer-types", world.private.id),  # topics serve it
        ("topics", world.phone_only.id),
    ):
        url = f"/staff/admin/{path}/{ident}"
        answer = send(client, f"/staff/admin/{path}", {}, f"{url}/delete")
        assert answer.status_code == 302, path
        page = text(client.get(answer.location).get_data(as_text=True))
        if path == "locations":
            assert "This branch still has rooms; delete them or move them first." in page
        if path == "customer-types":
            assert "Topics are limited to this customer type; change them first." in page
    db.session.expire_all()
    assert db.session.get(Room, room.id) is not None
    assert db.session.get(Location, world.other_branch.id) is not None
    assert db.session.get(Topic, world.mortgage.id).customer_types == [world.private]
