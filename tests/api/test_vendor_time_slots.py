"""The vendor's `GET /bookme/time-slots` (the calendar a caller may see) and `POST
/bookme/time-slots` (hold a slot, or add a busy time)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import BusyTime
from tests import factories
from tests.api.test_meetings import BOOK, create, reserve, z
from tests.booking.conftest import HOUR, SLOT_START, make_bank

DAY = timedelta(days=1)
WINDOW = f"startDate={z(SLOT_START - DAY)}&endDate={z(SLOT_START + DAY)}"
ADMIN = (*BOOK, "bookme.admin")


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


@pytest.fixture
def book(auth):  # type: ignore[no-untyped-def]
    return auth(*BOOK)


def _list(client, headers, query=WINDOW):  # type: ignore[no-untyped-def]
    resp = client.get(f"/bookme/time-slots?{query}", headers=headers)
    assert resp.status_code == 200, resp.json
    return resp.json


def _slot(bank, status="Reserved", start=SLOT_START, **kw):  # type: ignore[no-untyped-def]
    return {
        "startDate": z(start),
        "endDate": z(start + HOUR),
        "status": status,
        "employeeId": bank.advisor.id,
        **kw,
    }


def test_the_list_shows_the_callers_holds_and_meetings_in_the_vendors_shape(client, bank, book):
    meeting = create(client, bank, book).json
    hold = reserve(client, bank, book, token="tok-2", start=SLOT_START + 2 * HOUR)
    listed = _list(client, book)
    assert [(e["id"], e["status"]) for e in listed] == [
        (meeting["timeSlotId"], "Booked"),
        (hold["id"], "Reserved"),
    ]
    booked = listed[0]
    assert booked["meetingId"] == meeting["id"] and booked["roomId"] == bank.room.id
    assert booked["startDate"] == z(SLOT_START) and booked["employeeId"] == bank.advisor.id
    assert set(booked) >= {"id", "dateCreated", "dateModified", "status", "serviceGroup"}
    assert "token" not in listed[1]


def test_the_filters_select_by_status_advisor_room_and_window(client, bank, book):
    create(client, bank, book)
    hold = reserve(client, bank, book, token="tok-2", start=SLOT_START + 2 * HOUR)
    assert [e["id"] for e in _list(client, book, f"{WINDOW}&status=Reserved")] == [hold["id"]]
    assert _list(client, book, f"{WINDOW}&status=reserved,booked") == _list(client, book)
    assert _list(client, book, f"{WINDOW}&employeeId={bank.other_advisor.id}") == []
    assert len(_list(client, book, f"{WINDOW}&roomId={bank.room.id}")) == 2
    later = f"startDate={z(SLOT_START + HOUR)}&endDate={z(SLOT_START + DAY)}"
    assert [e["id"] for e in _list(client, book, later)] == [hold["id"]]


def test_released_holds_and_cancelled_meetings_are_not_listed(client, bank, book):
    meeting = create(client, bank, book).json
    hold = reserve(client, bank, book, token="tok-2", start=SLOT_START + 2 * HOUR)
    client.delete(f"/bookme/time-slots/{hold['id']}?reservationToken=tok-2", headers=book)
    client.delete(f"/bookme/meetings/{meeting['id']}", headers=book)
    assert _list(client, book) == []


def test_another_client_sees_none_of_it_and_an_admin_sees_everything(client, bank, book, auth):
    create(client, bank, book)
    factories.busy(bank.other_advisor, SLOT_START, SLOT_START + HOUR, kind="elsewhere")
    db.session.commit()
    assert _list(client, auth(*BOOK, client_id="stranger")) == []
    seen = _list(client, auth(*ADMIN, client_id="stranger"))
    assert sorted(e["status"] for e in seen) == ["Booked", "WorkingFromElsewhere"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"startDate={z(SLOT_START)}", "endDate"),
        (f"endDate={z(SLOT_START)}", "startDate"),
        (f"startDate={z(SLOT_START)}&endDate={z(SLOT_START)}", "endDate"),
        (f"startDate={z(SLOT_START)}&endDate={z(SLOT_START + 90 * DAY)}", "endDate"),
        (f"{WINDOW}&status=Free", "status"),
        ("startDate=soon&endDate=later", "startDate"),
    ],
)
def test_a_bad_query_is_a_400_naming_the_field(client, bank, book, query, field):
    resp = client.get(f"/bookme/time-slots?{query}", headers=book)
    assert resp.status_code == 400
    assert resp.json["errors"][0]["field"] == field


def test_listing_needs_the_booking_scope(client, bank, auth):
    assert (
        client.get(f"/bookme/time-slots?{WINDOW}", headers=auth("bookme.read")).status_code == 403
    )
    assert client.get(f"/bookme/time-slots?{WINDOW}").status_code == 401


def test_posting_a_reserved_slot_holds_it_like_reserve(client, bank, book):
    body = _slot(bank, roomId=bank.room.id, meetingType="Physical", token="tok-9")
    resp = client.post("/bookme/time-slots", json=body, headers=book)
    assert resp.status_code == 200, resp.json
    assert resp.json["status"] == "Reserved" and resp.json["token"] == "tok-9"
    again = client.post("/bookme/time-slots", json=body, headers=book)
    assert again.json["id"] == resp.json["id"]  # the same slot and token: the same hold
    taken = client.post(
        "/bookme/time-slots/reserve", json={"timeSlot": body, "token": "tok-x"}, headers=book
    )
    assert taken.status_code == 409


def test_a_reserved_slot_without_a_token_gets_a_new_one(client, bank, book):
    resp = client.post("/bookme/time-slots", json=_slot(bank), headers=book)
    assert resp.status_code == 200, resp.json
    token = resp.json["token"]
    url = f"/bookme/time-slots/{resp.json['id']}?reservationToken={token}"
    assert client.delete(url, headers=book).status_code == 204


def test_a_reserved_slot_the_engine_refuses_is_a_409(client, bank, book):
    evening = SLOT_START.replace(hour=19)
    resp = client.post("/bookme/time-slots", json=_slot(bank, start=evening), headers=book)
    assert resp.status_code == 409 and resp.json["code"] == "CONFLICT"
    conflicts = _slot(bank, ignoreTimeSlotConflicts=True)
    assert client.post("/bookme/time-slots", json=conflicts, headers=book).status_code == 400


def test_the_hold_cap_applies_to_posted_slots(app, client, bank, book):
    app.config["BOOKME_MAX_LIVE_HOLDS_PER_CLIENT"] = 1
    assert client.post("/bookme/time-slots", json=_slot(bank), headers=book).status_code == 200
    later = _slot(bank, start=SLOT_START + 2 * HOUR)
    resp = client.post("/bookme/time-slots", json=later, headers=book)
    assert resp.status_code == 429 and "Retry-After" in resp.headers


def test_an_admin_adds_a_busy_time_that_blocks_the_advisor(client, bank, book, auth):
    admin = auth(*ADMIN)
    resp = client.post("/bookme/time-slots", json=_slot(bank, status="Busy"), headers=admin)
    assert resp.status_code == 200, resp.json
    assert resp.json["status"] == "Busy" and resp.json["employeeId"] == bank.advisor.id
    again = client.post("/bookme/time-slots", json=_slot(bank, status="busy"), headers=admin)
    assert again.json["id"] == resp.json["id"]
    held = client.post(
        "/bookme/time-slots/reserve", json={"timeSlot": _slot(bank), "token": "t"}, headers=book
    )
    assert held.status_code == 409
    assert [e["status"] for e in _list(client, admin, f"{WINDOW}&status=Busy")] == ["Busy"]


def test_a_busy_time_over_a_meeting_is_a_409_unless_conflicts_are_ignored(client, bank, book, auth):
    admin = auth(*ADMIN)
    create(client, bank, book)
    busy = _slot(bank, status="WorkingFromElsewhere")
    refused = client.post("/bookme/time-slots", json=busy, headers=admin)
    assert refused.status_code == 409
    assert db.session.scalars(select(BusyTime)).all() == []
    forced = {**busy, "ignoreTimeSlotConflicts": True}
    resp = client.post("/bookme/time-slots", json=forced, headers=admin)
    assert resp.status_code == 200 and resp.json["status"] == "WorkingFromElsewhere"


def test_a_busy_time_needs_the_admin_scope_and_a_known_advisor(client, bank, book, auth):
    assert (
        client.post("/bookme/time-slots", json=_slot(bank, "Busy"), headers=book).status_code == 403
    )
    unknown = _slot(bank, "Busy", employeeId="00000000-0000-0000-0000-000000000000")
    assert client.post("/bookme/time-slots", json=unknown, headers=auth(*ADMIN)).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "Booked"}, "status"),
        ({"status": "ExtraOpen"}, "status"),
        ({"status": "Free"}, "status"),
        ({"status": None}, "status"),
        ({"startDate": "soon"}, "startDate"),
        ({"employeeId": None}, "employeeId"),
    ],
)
def test_a_bad_time_slot_is_a_400(client, bank, auth, change, field):
    body = {**_slot(bank, "Busy"), **change}
    resp = client.post("/bookme/time-slots", json=body, headers=auth(*ADMIN))
    assert resp.status_code == 400, resp.json
    assert resp.json["errors"][0]["field"] == field


def test_a_body_that_is_not_an_object_is_a_400(client, bank, book):
    assert client.post("/bookme/time-slots", json=["x"], headers=book).status_code == 400
    assert client.post("/bookme/time-slots", data="{", headers=book).status_code == 400
