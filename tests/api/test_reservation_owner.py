"""A reservation belongs to the API client that made it: nobody else reads, releases, replaces or books it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.booking.conftest import HOUR, SLOT_START, make_bank

SCOPES = ("bookme.read", "bookme.book")


def z(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


@pytest.fixture
def alice(auth):  # type: ignore[no-untyped-def]
    return auth(*SCOPES, client_id="client-a")


@pytest.fixture
def bob(auth):  # type: ignore[no-untyped-def]
    return auth(*SCOPES, client_id="client-b")


def reserve(client, bank, headers, token="shared-token", start=SLOT_START, **extra):  # type: ignore[no-untyped-def]
    slot = {
        "startDate": z(start),
        "endDate": z(start + HOUR),
        "status": "Reserved",
        "employeeId": bank.advisor.id,
        "roomId": bank.room.id,
        "meetingType": "Physical",
    }
    body = {"timeSlot": slot, "token": token, **extra}
    return client.post("/bookme/time-slots/reserve", json=body, headers=headers)


def meeting_body(bank, slot_id: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "bookedBy": "customer",
        "customerCategoryId": bank.customer_type.id,
        "timeSlotId": slot_id,
        "type": "physical",
        "themeId": bank.topic.id,
        "roomId": bank.room.id,
        "employeeId": bank.advisor.id,
        "customerId": "67890",
    }


def test_another_client_cannot_book_a_reservation_and_its_owner_still_can(client, bank, alice, bob):
    hold = reserve(client, bank, alice).json
    stolen = client.post("/bookme/meetings", json=meeting_body(bank, hold["id"]), headers=bob)
    assert stolen.status_code == 404
    assert stolen.json["code"] == "NOT_FOUND"
    own = client.post("/bookme/meetings", json=meeting_body(bank, hold["id"]), headers=alice)
    assert own.status_code == 201


def test_the_same_token_from_another_client_is_another_session(client, bank, alice, bob):
    held = reserve(client, bank, alice).json
    later = SLOT_START + 3 * HOUR
    theirs = reserve(client, bank, bob, start=later)
    assert theirs.status_code == 200
    assert theirs.json["id"] != held["id"]
    mine = client.get(f"/bookme/time-slots/{held['id']}", headers=alice).json
    assert mine["status"] == "Reserved"


def test_the_same_token_and_slot_from_another_client_does_not_return_the_owners_hold(
    client, bank, alice, bob
):
    held = reserve(client, bank, alice).json
    resp = reserve(client, bank, bob)
    assert resp.status_code == 409
    assert "id" not in resp.json
    assert client.get(f"/bookme/time-slots/{held['id']}", headers=alice).json["status"] == (
        "Reserved"
    )


def test_another_client_cannot_release_a_reservation_even_with_its_token(client, bank, alice, bob):
    held = reserve(client, bank, alice).json
    url = f"/bookme/time-slots/{held['id']}?reservationToken=shared-token"
    resp = client.delete(url, headers=bob)
    assert resp.status_code == 404
    assert client.get(f"/bookme/time-slots/{held['id']}", headers=alice).json["status"] == (
        "Reserved"
    )
    assert client.delete(url, headers=alice).status_code == 204


def test_another_client_cannot_move_its_own_meeting_onto_someone_elses_hold(
    client, bank, alice, bob
):
    first = reserve(client, bank, bob, token="bob-1").json
    meeting = client.post("/bookme/meetings", json=meeting_body(bank, first["id"]), headers=bob)
    assert meeting.status_code == 201
    later = SLOT_START + timedelta(hours=4)
    hold = reserve(client, bank, alice, start=later).json
    patch = [{"op": "replace", "path": "/timeSlotId", "value": hold["id"]}]
    url = f"/bookme/meetings/{meeting.json['id']}"
    resp = client.patch(url, json=patch, headers=bob)
    assert resp.status_code == 404
    assert client.get(f"/bookme/time-slots/{hold['id']}", headers=alice).json["status"] == (
        "Reserved"
    )


def test_an_admin_may_read_another_clients_hold_but_not_book_it(client, bank, alice, auth):
    admin = auth(*SCOPES, "bookme.admin", client_id="operator")
    hold = reserve(client, bank, alice).json
    assert client.get(f"/bookme/time-slots/{hold['id']}", headers=admin).status_code == 200
    resp = client.post("/bookme/meetings", json=meeting_body(bank, hold["id"]), headers=admin)
    assert resp.status_code == 404
