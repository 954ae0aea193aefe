"""`/bookme/time-slots/reserve`, `GET` and `DELETE /bookme/time-slots/{id}` over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.booking.conftest import HOUR, SLOT_START, make_bank

BOOK = "bookme.book"


def z(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def body(bank, token="tok-1", start=SLOT_START, **slot):  # type: ignore[no-untyped-def]
    time_slot = {
        "startDate": z(start),
        "endDate": z(start + HOUR),
        "status": "Reserved",
        "employeeId": bank.advisor.id,
        "roomId": bank.room.id,
        "meetingType": "physical",
    }
    time_slot.update(slot)
    return {"timeSlot": time_slot, "token": token}


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


@pytest.fixture
def book(auth):  # type: ignore[no-untyped-def]
    return auth(BOOK)


def test_reserve_answers_the_reservation_expiring_exactly_five_minutes_later(client, bank, book):
    resp = client.post("/bookme/time-slots/reserve", json=body(bank), headers=book)
    assert resp.status_code == 200, resp.json
    data = resp.json
    assert data["status"] == "Reserved" and data["token"] == "tok-1"
    assert data["startDate"] == "2026-03-03T09:00:00.000Z"
    assert data["endDate"] == "2026-03-03T10:00:00.000Z"
    assert data["dateCreated"] == "2026-03-02T07:00:00.000Z"
    assert data["expiresAt"] == "2026-03-02T07:05:00.000Z"
    assert (data["employeeId"], data["roomId"], data["meetingType"]) == (
        bank.advisor.id,
        bank.room.id,
        "Physical",
    )
    for name in ("id", "dateModified", "serviceGroup"):
        assert name in data


def test_the_same_slot_and_token_again_answers_200_with_the_same_reservation(client, bank, book):
    first = client.post("/bookme/time-slots/reserve", json=body(bank), headers=book).json
    again = client.post("/bookme/time-slots/reserve", json=body(bank), headers=book)
    assert again.status_code == 200 and again.json["id"] == first["id"]


def test_a_held_slot_answers_409_to_another_token_with_a_reason(client, bank, book):
    client.post("/bookme/time-slots/reserve", json=body(bank), headers=book)
    resp = client.post("/bookme/time-slots/reserve", json=body(bank, "tok-2"), headers=book)
    assert resp.status_code == 409
    assert resp.json["code"] == "CONFLICT" and resp.json["message"]


def test_the_same_token_moving_to_another_slot_frees_the_first(client, bank, book):
    first = client.post("/bookme/time-slots/reserve", json=body(bank), headers=book).json
    later = SLOT_START + 2 * HOUR
    moved = client.post("/bookme/time-slots/reserve", json=body(bank, start=later), headers=book)
    assert moved.status_code == 200 and moved.json["id"] != first["id"]
    other = client.post("/bookme/time-slots/reserve", json=body(bank, "tok-2"), headers=book)
    assert other.status_code == 200
    old = client.get(f"/bookme/time-slots/{first['id']}", headers=book)
    assert old.status_code == 404  # replaced: gone, as the vendor deletes it


def test_a_slot_outside_working_hours_answers_409(client, bank, book):
    evening = SLOT_START.replace(hour=19)
    resp = client.post("/bookme/time-slots/reserve", json=body(bank, start=evening), headers=book)
    assert resp.status_code == 409


def test_an_unknown_advisor_answers_404(client, bank, book):
    resp = client.post(
        "/bookme/time-slots/reserve", json=body(bank, employeeId="nobody"), headers=book
    )
    assert resp.status_code == 404


def test_a_body_without_a_token_answers_400_naming_the_field(client, bank, book):
    data = body(bank)
    del data["token"]
    resp = client.post("/bookme/time-slots/reserve", json=data, headers=book)
    assert resp.status_code == 400
    assert any(e["field"] == "token" for e in resp.json["errors"])


def test_reserving_needs_the_book_scope(client, bank, auth):
    resp = client.post("/bookme/time-slots/reserve", json=body(bank), headers=auth("bookme.read"))
    assert resp.status_code == 403


def test_a_reservation_is_gone_after_five_minutes(client, bank, book, clock):
    hold = client.post("/bookme/time-slots/reserve", json=body(bank), headers=book).json
    clock.advance(minutes=4, seconds=59)
    assert client.get(f"/bookme/time-slots/{hold['id']}", headers=book).json["status"] == "Reserved"
    clock.advance(seconds=1)
    assert client.get(f"/bookme/time-slots/{hold['id']}", headers=book).status_code == 404
    again = client.post("/bookme/time-slots/reserve", json=body(bank, "tok-2"), headers=book)
    assert again.status_code == 200


def test_another_client_cannot_read_a_reservation(client, bank, book, auth):
    hold = client.post("/bookme/time-slots/reserve", json=body(bank), headers=book).json
    other = auth(BOOK, client_id="someone-else")
    assert client.get(f"/bookme/time-slots/{hold['id']}", headers=other).status_code == 404


def test_delete_with_the_token_releases_with_204_and_frees_the_slot(client, bank, book):
    hold = client.post("/bookme/time-slots/reserve", json=body(bank), headers=book).json
    resp = client.delete(f"/bookme/time-slots/{hold['id']}?reservationToken=tok-1", headers=book)
    assert resp.status_code == 204
    other = client.post("/bookme/time-slots/reserve", json=body(bank, "tok-2"), headers=book)
    assert other.status_code == 200


def test_delete_with_another_token_answers_403_and_keeps_the_hold(client, bank, book):
    hold = client.post("/bookme/time-slots/reserve", json=body(bank), headers=book).json
    resp = client.delete(f"/bookme/time-slots/{hold['id']}?reservationToken=nope", headers=book)
    assert resp.status_code == 403
    assert client.get(f"/bookme/time-slots/{hold['id']}", headers=book).json["status"] == "Reserved"


def test_delete_without_a_token_answers_400_and_unknown_ids_404(client, bank, book):
    hold = client.post("/bookme/time-slots/reserve", json=body(bank), headers=book).json
    assert client.delete(f"/bookme/time-slots/{hold['id']}", headers=book).status_code == 400
    assert client.delete("/bookme/time-slots/x?reservationToken=t", headers=book).status_code == 404


def test_a_move_hold_may_overlap_its_own_meetings_time(client, bank, book):
    from app.extensions import db
    from tests import factories

    meeting = factories.meeting(bank.advisor, SLOT_START, room=bank.room, client_id="test-client")
    db.session.commit()
    data = body(bank, start=SLOT_START + timedelta(minutes=30))
    blocked = client.post("/bookme/time-slots/reserve", json=data, headers=book)
    assert blocked.status_code == 409
    data["existingMeetingId"] = meeting.id
    resp = client.post("/bookme/time-slots/reserve", json=data, headers=book)
    assert resp.status_code == 200, resp.json
    assert resp.json["existingMeetingId"] == meeting.id


def offered_starts(client, bank, headers) -> set[str]:  # type: ignore[no-untyped-def]
    query = (
        "/bookme/time-slots/available?requireEmployeeParticipation=true"
        f"&explicitEmployeeIds={bank.advisor.id}&startDate=2026-03-03T08:00:00Z"
        "&lookForwardTime=04:00:00&meetingTypes=physical&getBestTimeSlots=false"
    )
    resp = client.get(query, headers=headers)
    assert resp.status_code == 200, resp.json
    return {s["startDate"] for s in resp.json if s["employeeId"] == bank.advisor.id}


def test_a_held_slot_is_hidden_from_search_and_back_the_moment_the_hold_expires(
    client, bank, auth, clock
):
    headers = auth("bookme.read", BOOK)
    start = "2026-03-03T09:00:00.000Z"
    assert start in offered_starts(client, bank, headers)
    client.post("/bookme/time-slots/reserve", json=body(bank), headers=headers)
    assert start not in offered_starts(client, bank, headers)
    clock.advance(minutes=5)
    headers = auth("bookme.read", BOOK)
    assert start in offered_starts(client, bank, headers)


def test_a_slot_at_the_end_of_time_answers_409_not_500(client, bank, book):
    data = body(bank)
    data["timeSlot"].update(startDate="2500-01-04T09:00:00Z", endDate="2500-01-04T10:00:00Z")
    assert client.post("/bookme/time-slots/reserve", json=data, headers=book).status_code == 409


def test_a_move_hold_for_another_clients_meeting_answers_404(client, bank, auth):
    from app.extensions import db
    from tests import factories

    meeting = factories.meeting(bank.advisor, SLOT_START, room=bank.room, client_id="owner")
    db.session.commit()
    data = body(bank, start=SLOT_START + timedelta(minutes=30))
    data["existingMeetingId"] = meeting.id
    stranger = auth(BOOK, client_id="stranger")
    assert client.post("/bookme/time-slots/reserve", json=data, headers=stranger).status_code == 404
