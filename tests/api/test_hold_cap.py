"""Each API client may keep at most BOOKME_MAX_LIVE_HOLDS_PER_CLIENT live holds (OWASP OAT-021)."""

from __future__ import annotations

import pytest

from app import create_app
from tests.booking.conftest import HOUR, SLOT_START, make_bank

SCOPES = ("bookme.read", "bookme.book")
CAP = "BOOKME_MAX_LIVE_HOLDS_PER_CLIENT"


def z(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    app.config[CAP] = 2
    return make_bank()


@pytest.fixture
def alice(auth):  # type: ignore[no-untyped-def]
    return auth(*SCOPES, client_id="client-a")


def reserve(client, bank, headers, token: str, hour: int):  # type: ignore[no-untyped-def]
    start = SLOT_START + hour * HOUR
    slot = {
        "startDate": z(start),
        "endDate": z(start + HOUR),
        "employeeId": bank.advisor.id,
        "meetingType": "Online",
    }
    body = {"timeSlot": slot, "token": token}
    return client.post("/bookme/time-slots/reserve", json=body, headers=headers)


def test_the_default_cap_is_generous_enough_for_a_bank_web_back_end():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert app.config[CAP] == 500


def test_a_client_at_its_cap_gets_429_with_retry_after_and_the_slot_stays_free(
    client, bank, alice, auth, clock
):
    assert reserve(client, bank, alice, "t1", 0).status_code == 200
    clock.advance(minutes=1)
    assert reserve(client, bank, alice, "t2", 1).status_code == 200
    refused = reserve(client, bank, alice, "t3", 2)
    assert refused.status_code == 429
    assert refused.json["code"] == "TOO_MANY_REQUESTS"
    assert "at most 2" in refused.json["message"]
    assert refused.headers["Retry-After"] == "241"  # t1 expires 4 minutes from now (plus 1 s)
    other = auth(*SCOPES, client_id="client-b")
    assert reserve(client, bank, other, "t3", 2).status_code == 200


def test_a_client_at_its_cap_may_still_move_a_token_to_another_slot(client, bank, alice):
    first = reserve(client, bank, alice, "t1", 0).json
    reserve(client, bank, alice, "t2", 1)
    assert reserve(client, bank, alice, "t1", 0).json["id"] == first["id"]
    moved = reserve(client, bank, alice, "t1", 3)
    assert moved.status_code == 200 and moved.json["id"] != first["id"]


def test_released_and_expired_holds_do_not_count(client, bank, alice, clock):
    first = reserve(client, bank, alice, "t1", 0).json
    reserve(client, bank, alice, "t2", 1)
    url = f"/bookme/time-slots/{first['id']}?reservationToken=t1"
    assert client.delete(url, headers=alice).status_code == 204
    assert reserve(client, bank, alice, "t3", 2).status_code == 200
    assert reserve(client, bank, alice, "t4", 3).status_code == 429
    clock.advance(minutes=5)
    assert reserve(client, bank, alice, "t4", 3).status_code == 200
