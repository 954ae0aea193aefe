"""Hostile input answers 400, 404 or 413 with the JSON error body, never a 500 (issue 9, item 8)."""

from __future__ import annotations

import pytest

from tests.api.test_meetings import meeting_body, reserve
from tests.booking.conftest import make_bank

PATCH = [{"op": "replace", "path": "/title", "value": "x"}]
ALL = ("bookme.read", "bookme.book", "bookme.admin")
NUL_PATHS = [
    ("GET", "/bookme/meetings/a%00b"),
    ("PATCH", "/bookme/meetings/a%00b"),
    ("DELETE", "/bookme/meetings/a%00b"),
    ("POST", "/bookme/meetings/a%00b/ical"),
    ("GET", "/bookme/time-slots/a%00b"),
    ("DELETE", "/bookme/time-slots/a%00b?token=t"),
    ("GET", "/config/employees/a%00b"),
    ("GET", "/config/employees/a%00b/schedule"),
    ("GET", "/config/employees/a%00b/busy-times"),
    ("GET", "/config/locations/%00"),
    ("GET", "/config/rooms/x%01y"),
    ("GET", "/config/customer-types/x%7fy"),
]


@pytest.fixture
def headers(auth):  # type: ignore[no-untyped-def]
    return auth(*ALL)


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


def assert_json_error(resp, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    assert resp.is_json and resp.json["code"] == code
    assert resp.json["message"]
    return resp.json


@pytest.mark.parametrize(("method", "path"), NUL_PATHS)
def test_an_id_with_a_nul_or_control_character_is_an_unknown_id(client, headers, method, path):
    resp = client.open(
        path, method=method, headers=headers, json=PATCH if method == "PATCH" else None
    )
    assert_json_error(resp, 404, "NOT_FOUND")


def test_json_nested_a_thousand_deep_is_a_400(client, headers):
    deep = "[" * 1000 + "]" * 1000
    for path in ("/bookme/meetings", "/bookme/time-slots/reserve", "/config/locations"):
        resp = client.post(path, data=deep, headers={**headers, "Content-Type": "application/json"})
        assert_json_error(resp, 400, "BAD_REQUEST")


def test_json_deeper_than_the_limit_but_parseable_is_a_400(client, headers):
    body = '{"timeSlotId": "x", "title": ' + "[" * 50 + "]" * 50 + "}"
    resp = client.post(
        "/bookme/meetings", data=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert_json_error(resp, 400, "BAD_REQUEST")


@pytest.mark.parametrize("value", [True, False, 0, 1, "x", {"a": "b"}, [True], [1]])
def test_additional_employees_must_be_a_list_of_ids(client, headers, value):
    resp = client.post(
        "/bookme/meetings",
        json={"timeSlotId": "abc", "additionalEmployees": value},
        headers=headers,
    )
    body = assert_json_error(resp, 400, "BAD_REQUEST")
    assert any(e["field"].startswith("additionalEmployees") for e in body["errors"])


@pytest.mark.parametrize("value", [True, False, 0, "e1,e2", [False]])
def test_a_slots_employee_ids_must_be_a_list_of_ids(client, headers, value):
    slot = {
        "startDate": "2030-01-01T10:00:00Z",
        "endDate": "2030-01-01T11:00:00Z",
        "employeeId": "e1",
        "employeeIds": value,
    }
    resp = client.post(
        "/bookme/time-slots/reserve", json={"token": "t1", "timeSlot": slot}, headers=headers
    )
    body = assert_json_error(resp, 400, "BAD_REQUEST")
    assert any(e["field"].startswith("timeSlot.employeeIds") for e in body["errors"])


def test_a_nul_in_a_body_text_is_refused_before_the_database(client, headers, bank):
    hold = reserve(client, bank, headers)
    body = meeting_body(bank, hold["id"], description="a\u0000b")
    resp = client.post("/bookme/meetings", json=body, headers=headers)
    assert_json_error(resp, 400, "BAD_REQUEST")
    made = client.post("/bookme/meetings", json=meeting_body(bank, hold["id"]), headers=headers)
    assert made.status_code == 201
    patch = [{"op": "replace", "path": "/description", "value": "x\u0000"}]
    resp = client.patch(f"/bookme/meetings/{made.json['id']}", json=patch, headers=headers)
    assert_json_error(resp, 400, "BAD_REQUEST")


def test_a_body_over_the_size_limit_is_a_413_before_it_is_parsed(app, client, headers):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 1024 * 1024
    big = b'{"timeSlotId": "' + b"a" * limit + b'"}'
    for path in ("/bookme/meetings", "/config/locations", "/bookme/meetings/x/ical"):
        resp = client.post(path, data=big, headers={**headers, "Content-Type": "application/json"})
        assert_json_error(resp, 413, "PAYLOAD_TOO_LARGE")


def test_a_body_just_under_the_size_limit_is_read(app, client, headers):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = b'{"timeSlotId": "' + b"a" * (limit - 100) + b'"}'
    resp = client.post(
        "/bookme/meetings", data=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert_json_error(resp, 400, "BAD_REQUEST")  # too long an id, not too large a body


def test_a_nul_in_a_header_is_a_400_before_the_database(client, headers, bank):
    hold = reserve(client, bank, headers)
    resp = client.post(
        "/bookme/meetings",
        json=meeting_body(bank, hold["id"]),
        headers={**headers, "Idempotency-Key": "key\u0000one"},
    )
    assert_json_error(resp, 400, "BAD_REQUEST")


def test_a_nul_in_a_header_of_a_token_request_is_an_oauth_400(client):
    resp = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "c", "client_secret": "x"},
        headers={"X-Trace": "a\u0000b"},
    )
    assert resp.status_code == 400
    assert resp.json["error"] == "invalid_request" and resp.json["code"] == "BAD_REQUEST"


def test_an_optional_body_that_is_not_json_is_refused(client, headers, bank):
    hold = reserve(client, bank, headers)
    made = client.post("/bookme/meetings", json=meeting_body(bank, hold["id"]), headers=headers)
    url = f"/bookme/meetings/{made.json['id']}/ical"
    assert client.post(url, headers=headers).status_code == 200  # no body at all is fine
    resp = client.post(url, data=b"\x00", headers={**headers, "Content-Type": "application/json"})
    assert_json_error(resp, 400, "BAD_REQUEST")


DEEP_LIST = "[" * 1500 + "]" * 1500  # 3,000 characters: fits a proxy's request line


@pytest.mark.parametrize(
    "query",
    [
        f"requireEmployeeParticipation=false&explicitEmployeeIds={DEEP_LIST}",
        f"requireEmployeeParticipation=false&meetingTypes={DEEP_LIST}",
        f"requireEmployeeParticipation=false&employeeTypes={DEEP_LIST}",
    ],
)
def test_a_query_list_nested_1500_deep_is_a_400(client, headers, query):
    resp = client.get(f"/bookme/time-slots/available?{query}", headers=headers)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:200]


def test_a_wrong_method_on_the_api_says_method_not_allowed(client, headers):
    resp = client.put("/bookme/time-slots/reserve", json={}, headers=headers)
    assert_json_error(resp, 405, "METHOD_NOT_ALLOWED")
