"""Over HTTP: the seed's reserve body (no meetingType) on a slot with a room books only a physical meeting."""

from __future__ import annotations

import pytest

from tests.booking.conftest import HOUR, SLOT_START, make_bank

SCOPES = ("bookme.read", "bookme.book")


def z(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


def seed_reserve(client, bank, headers) -> dict:  # type: ignore[no-untyped-def, type-arg]
    slot = {
        "startDate": z(SLOT_START),
        "endDate": z(SLOT_START + HOUR),
        "status": "Reserved",
        "employeeId": bank.advisor.id,
        "roomId": bank.room.id,
    }
    resp = client.post(
        "/bookme/time-slots/reserve", json={"timeSlot": slot, "token": "t-1"}, headers=headers
    )
    assert resp.status_code == 200, resp.json
    return resp.json  # type: ignore[no-any-return]


def create(client, bank, headers, slot_id: str, meeting_type: str):  # type: ignore[no-untyped-def]
    body = {
        "bookedBy": "customer",
        "customerCategoryId": bank.customer_type.id,
        "timeSlotId": slot_id,
        "type": meeting_type,
        "themeId": bank.topic.id,
        "employeeId": bank.advisor.id,
        "customerId": "67890",
    }
    return client.post("/bookme/meetings", json=body, headers=headers)


def test_an_online_meeting_on_a_hold_with_a_room_answers_409_saying_why(client, bank, auth):
    headers = auth(*SCOPES)
    hold = seed_reserve(client, bank, headers)
    resp = create(client, bank, headers, hold["id"], "online")
    assert resp.status_code == 409
    assert "room" in resp.json["message"] and "Physical" in resp.json["message"]
    assert client.get(f"/bookme/time-slots/{hold['id']}", headers=headers).json["status"] == (
        "Reserved"
    )
    booked = create(client, bank, headers, hold["id"], "physical")
    assert booked.status_code == 201
    assert (booked.json["type"], booked.json["roomId"]) == ("Physical", bank.room.id)
