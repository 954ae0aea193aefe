"""The vendor's `PATCH /bookme/time-slots/{id}?reservationToken=` and `PUT /bookme/meetings/{id}`."""

from __future__ import annotations

import pytest

from tests.api.test_meetings import BOOK, create, reserve, z
from tests.booking.conftest import HOUR, SLOT_START, make_bank

RELEASE = [{"op": "replace", "path": "/status", "value": "Released"}]


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


@pytest.fixture
def book(auth):  # type: ignore[no-untyped-def]
    return auth(*BOOK)


def _patch(client, hold, headers, body, token="tok-1"):  # type: ignore[no-untyped-def]
    url = f"/bookme/time-slots/{hold['id']}?reservationToken={token}"
    return client.patch(url, json=body, headers=headers)


def test_patching_the_status_to_released_releases_the_hold(client, bank, book):
    hold = reserve(client, bank, book)
    assert _patch(client, hold, book, RELEASE).status_code == 204
    assert client.get(f"/bookme/time-slots/{hold['id']}", headers=book).status_code == 404
    assert reserve(client, bank, book, token="tok-2")["status"] == "Reserved"  # the time is free


def test_patching_the_times_holds_the_new_slot_and_frees_the_old(client, bank, book):
    hold = reserve(client, bank, book)
    later = SLOT_START + 2 * HOUR
    body = {"op": "replace", "path": "/startDate", "value": z(later)}
    resp = _patch(
        client, hold, book, [body, {**body, "path": "/endDate", "value": z(later + HOUR)}]
    )
    assert resp.status_code == 200, resp.json
    assert resp.json["startDate"] == z(later) and resp.json["token"] == "tok-1"
    assert client.get(f"/bookme/time-slots/{hold['id']}", headers=book).status_code == 404
    assert reserve(client, bank, book, token="tok-2")["startDate"] == z(SLOT_START)


def test_a_change_the_calendar_refuses_answers_409_and_keeps_the_old_hold(client, bank, book):
    hold = reserve(client, bank, book)
    evening = SLOT_START.replace(hour=19)
    ops = [
        {"op": "replace", "path": "/startDate", "value": z(evening)},
        {"op": "replace", "path": "/endDate", "value": z(evening + HOUR)},
    ]
    assert _patch(client, hold, book, ops).status_code == 409
    kept = client.get(f"/bookme/time-slots/{hold['id']}", headers=book)
    assert kept.status_code == 200 and kept.json["startDate"] == z(SLOT_START)


def test_changing_the_advisor_is_checked_and_held(client, bank, book):
    hold = reserve(client, bank, book)
    op = {"op": "replace", "path": "/employeeId", "value": bank.other_advisor.id}
    resp = _patch(client, hold, book, op)
    assert resp.status_code == 200, resp.json
    assert resp.json["employeeId"] == bank.other_advisor.id


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ([], 400),
        ("Released", 400),
        ([{"op": "remove", "path": "/status"}], 400),
        ([{"op": "replace", "path": "/status", "value": "Booked"}], 400),
        ([{"op": "replace", "path": "/startDate", "value": "tomorrow"}], 400),
        ([{"op": "replace", "path": "/nothing", "value": "x"}], 400),
    ],
)
def test_a_bad_patch_answers_400_and_changes_nothing(client, bank, book, body, status):
    hold = reserve(client, bank, book)
    assert _patch(client, hold, book, body).status_code == status
    assert client.get(f"/bookme/time-slots/{hold['id']}", headers=book).json["status"] == "Reserved"


def test_another_token_is_403_another_client_404_and_no_token_400(client, bank, book, auth):
    hold = reserve(client, bank, book)
    assert _patch(client, hold, book, RELEASE, token="other").status_code == 403
    assert _patch(client, hold, auth(*BOOK, client_id="other"), RELEASE).status_code == 404
    no_token = client.patch(f"/bookme/time-slots/{hold['id']}", json=RELEASE, headers=book)
    assert no_token.status_code == 400
    assert _patch(client, hold, auth("bookme.read"), RELEASE).status_code == 403


def test_a_booked_hold_cannot_be_patched(client, bank, book):
    meeting = create(client, bank, book).json
    hold = {"id": meeting["timeSlotId"]}
    assert _patch(client, hold, book, RELEASE).status_code == 409


def test_put_applies_one_patch_operation_to_a_meeting(client, bank, book):
    meeting = create(client, bank, book).json
    url = f"/bookme/meetings/{meeting['id']}"
    resp = client.put(
        url, json={"op": "replace", "path": "/title", "value": "Pension"}, headers=book
    )
    assert resp.status_code == 200 and resp.json["title"] == "Pension"
    single = {"op": "replace", "path": "/description", "value": "Bring payslips"}
    assert client.patch(url, json=single, headers=book).json["description"] == "Bring payslips"
    assert client.put(url, json={"op": "add", "path": "/title"}, headers=book).status_code == 400
    assert client.put(url, json="x", headers=book).status_code == 400


def test_room_vacancies_lists_the_rooms_free_for_the_hold(client, bank, book, auth):
    from app.extensions import db
    from tests import factories

    second = factories.room(bank.branch)
    closed = factories.room(bank.branch, can_be_booked=False)
    db.session.commit()
    hold = reserve(client, bank, book)  # holds bank.room
    url = f"/bookme/room-vacancies?location=branch-north&timeSlotId={hold['id']}"
    free = client.get(url, headers=book)
    assert free.status_code == 200, free.json
    assert {r["id"] for r in free.json} == {bank.room.id, second.id}  # its own room counts free
    assert closed.id not in {r["id"] for r in free.json}
    slot = {
        "startDate": z(SLOT_START),
        "endDate": z(SLOT_START + HOUR),
        "employeeId": bank.other_advisor.id,
        "roomId": second.id,
        "meetingType": "Physical",
    }
    other = auth(*BOOK, client_id="other")
    theirs = client.post(
        "/bookme/time-slots/reserve", json={"timeSlot": slot, "token": "o-1"}, headers=other
    ).json
    assert {r["id"] for r in client.get(url, headers=book).json} == {bank.room.id}
    mine_later = f"/bookme/room-vacancies?location=Branch-North&timeSlotId={theirs['id']}"
    assert client.get(mine_later, headers=book).status_code == 404  # another client's hold


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("location=Nowhere&timeSlotId={id}", 404),
        ("location=Branch-North&timeSlotId=nope", 404),
        ("timeSlotId={id}", 400),
        ("location=Branch-North", 400),
    ],
)
def test_room_vacancies_refuses_unknown_and_missing_input(client, bank, book, query, status):
    hold = reserve(client, bank, book)
    resp = client.get("/bookme/room-vacancies?" + query.format(id=hold["id"]), headers=book)
    assert resp.status_code == status
