"""The vendor's base paths `/api/v1`, `/api/v2`, `/api/v3` serve the same operations."""

from __future__ import annotations

import pytest

from tests.api.test_meetings import BOOK, meeting_body, reserve
from tests.booking.conftest import make_bank

BASES = ("/api/v1", "/api/v2", "/api/v3")


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


@pytest.mark.parametrize("base", BASES)
def test_a_read_under_a_base_path_answers_as_the_plain_path(client, bank, read_headers, base):
    plain = client.get("/config/employees", headers=read_headers)
    prefixed = client.get(f"{base}/config/employees", headers=read_headers)
    assert prefixed.status_code == 200
    assert prefixed.json == plain.json
    assert bank.advisor.id in {e["id"] for e in prefixed.json}


@pytest.mark.parametrize("base", BASES)
def test_a_base_path_needs_the_same_token_and_scope(client, bank, auth, base):
    assert client.get(f"{base}/bookme/meetings").status_code == 401
    slot = {"timeSlot": {}, "token": "t"}
    resp = client.post(f"{base}/bookme/time-slots/reserve", json=slot, headers=auth("bookme.read"))
    assert resp.status_code == 403


def test_booking_through_the_v3_base_path_creates_a_meeting_readable_everywhere(client, bank, auth):
    headers = auth(*BOOK)
    slot = reserve(client, bank, headers)
    resp = client.post(
        "/api/v3/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=headers
    )
    assert resp.status_code == 201, resp.json
    meeting_id = resp.json["id"]
    for base in ("", *BASES):
        assert client.get(f"{base}/bookme/meetings/{meeting_id}", headers=headers).json == resp.json
    gone = client.delete(f"/api/v2/bookme/meetings/{meeting_id}", headers=headers)
    assert gone.status_code == 204


def test_unknown_paths_and_methods_under_a_base_path_answer_json(client, read_headers):
    missing = client.get("/api/v2/bookme/nothing-here", headers=read_headers)
    assert missing.status_code == 404
    assert missing.json["code"] == "NOT_FOUND"
    wrong = client.put("/api/v1/config/employees", headers=read_headers)
    assert wrong.status_code == 405
    assert wrong.json["code"] == "METHOD_NOT_ALLOWED"


def test_the_oauth_and_document_routes_are_not_repeated_under_base_paths(client):
    assert client.post("/api/v1/oauth/token").status_code == 404
    assert client.get("/api/v3/openapi.json").status_code == 404
