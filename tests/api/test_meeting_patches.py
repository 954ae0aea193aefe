"""`PATCH`/`PUT /bookme/meetings/{id}` on the meeting type, topic, room and advisors: each change
is checked by the availability engine and applies whole or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditRecord, BookingClaim
from app.notifications.models import OutboxMessage
from tests import factories
from tests.api.test_meetings import BOOK, create, meeting_body, reserve
from tests.booking.conftest import HOUR, SLOT_START, make_bank


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


@pytest.fixture
def book(auth):  # type: ignore[no-untyped-def]
    return auth(*BOOK)


def _op(path, value):  # type: ignore[no-untyped-def]
    return {"op": "replace", "path": path, "value": value}


def _patch(client, meeting, headers, body):  # type: ignore[no-untyped-def]
    return client.patch(f"/bookme/meetings/{meeting['id']}", json=body, headers=headers)


def _read(client, meeting, headers):  # type: ignore[no-untyped-def]
    return client.get(f"/bookme/meetings/{meeting['id']}", headers=headers).json


def _claims(meeting_id: str) -> set[str]:
    db.session.expire_all()
    query = select(BookingClaim.resource).where(BookingClaim.meeting_id == meeting_id)
    return set(db.session.scalars(query))


def _book_other_advisor(client, bank, auth, start=SLOT_START):  # type: ignore[no-untyped-def]
    """A meeting of the second advisor (no room), made by another client."""
    headers = auth(*BOOK, client_id="other-client")
    slot = {
        "startDate": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "endDate": (start + HOUR).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "status": "Reserved",
        "employeeId": bank.other_advisor.id,
        "meetingType": "Online",
    }
    held = client.post(
        "/bookme/time-slots/reserve", json={"timeSlot": slot, "token": "t-o"}, headers=headers
    )
    assert held.status_code == 200, held.json
    body = meeting_body(
        bank, held.json["id"], type="online", roomId=None, employeeId=bank.other_advisor.id
    )
    made = client.post("/bookme/meetings", json=body, headers=headers)
    assert made.status_code == 201, made.json
    return made.json


def test_changing_the_advisor_moves_the_claims_and_frees_the_old_advisor(client, bank, book):
    meeting = create(client, bank, book).json
    resp = _patch(client, meeting, book, _op("/employeeId", bank.other_advisor.id))
    assert resp.status_code == 200, resp.json
    assert resp.json["employeeId"] == bank.other_advisor.id
    assert resp.json["startDate"] == meeting["startDate"]
    assert _claims(meeting["id"]) == {
        f"employee:{bank.other_advisor.id}",
        f"room:{bank.room.id}",
    }
    freed = {"timeSlot": {**_slot(bank), "roomId": None, "meetingType": "Online"}, "token": "t2"}
    assert client.post("/bookme/time-slots/reserve", json=freed, headers=book).status_code == 200


def _slot(bank, start=SLOT_START):  # type: ignore[no-untyped-def]
    return {
        "startDate": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "endDate": (start + HOUR).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "status": "Reserved",
        "employeeId": bank.advisor.id,
    }


def test_an_advisor_who_is_not_free_is_a_409_and_nothing_is_half_written(client, bank, book, auth):
    _book_other_advisor(client, bank, auth)
    meeting = create(client, bank, book).json
    ops = [_op("/title", "Changed"), _op("/employeeId", bank.other_advisor.id)]
    resp = _patch(client, meeting, book, ops)
    assert resp.status_code == 409 and resp.json["code"] == "CONFLICT"
    assert "cannot be booked" in resp.json["message"]
    kept = _read(client, meeting, book)
    assert kept["employeeId"] == bank.advisor.id and kept["title"] == meeting["title"]
    assert kept["dateModified"] == meeting["dateModified"]
    assert _claims(meeting["id"]) == {f"employee:{bank.advisor.id}", f"room:{bank.room.id}"}


def test_the_buffers_count_when_changing_the_advisor(client, bank, book, auth):
    factories.settings(buffer_after_minutes=30)
    db.session.commit()
    _book_other_advisor(client, bank, auth, start=SLOT_START + HOUR)  # 10:00, right after ours
    meeting = create(client, bank, book).json  # 09:00-10:00
    resp = _patch(client, meeting, book, _op("/employeeId", bank.other_advisor.id))
    assert resp.status_code == 409, resp.json


def test_adding_an_advisor_makes_a_joint_meeting_that_blocks_them(client, bank, book):
    meeting = create(client, bank, book).json
    resp = _patch(client, meeting, book, _op("/additionalEmployees", [bank.other_advisor.id]))
    assert resp.status_code == 200, resp.json
    assert resp.json["additionalEmployees"] == [bank.other_advisor.id]
    assert f"employee:{bank.other_advisor.id}" in _claims(meeting["id"])
    theirs = {**_slot(bank), "employeeId": bank.other_advisor.id, "meetingType": "Online"}
    taken = client.post(
        "/bookme/time-slots/reserve", json={"timeSlot": theirs, "token": "t3"}, headers=book
    )
    assert taken.status_code == 409
    cleared = _patch(client, meeting, book, _op("/additionalEmployees", []))
    assert cleared.status_code == 200 and cleared.json["additionalEmployees"] == []
    assert f"employee:{bank.other_advisor.id}" not in _claims(meeting["id"])


@pytest.mark.parametrize("form", ["{id}", " {id} ,", "{lead},{id}"])
def test_the_additional_advisors_may_come_as_one_comma_separated_string(client, bank, book, form):
    meeting = create(client, bank, book).json
    value = form.format(id=bank.other_advisor.id, lead=bank.advisor.id)
    resp = _patch(client, meeting, book, _op("/additionalEmployees", value))
    assert resp.status_code == 200, resp.json
    assert resp.json["additionalEmployees"] == [bank.other_advisor.id]
    emptied = _patch(client, meeting, book, _op("/additionalEmployees", ""))
    assert emptied.status_code == 200 and emptied.json["additionalEmployees"] == []


def test_online_without_the_room_frees_the_room(client, bank, book):
    meeting = create(client, bank, book).json
    resp = _patch(client, meeting, book, [_op("/type", "online"), _op("/roomId", None)])
    assert resp.status_code == 200, resp.json
    assert resp.json["type"] == "Online" and resp.json["roomId"] is None
    assert _claims(meeting["id"]) == {f"employee:{bank.advisor.id}"}


def test_another_free_room_is_taken_and_a_taken_room_is_a_409(client, bank, book):
    second = factories.room(bank.branch)
    db.session.commit()
    meeting = create(client, bank, book).json
    resp = _patch(client, meeting, book, _op("/roomId", second.id))
    assert resp.status_code == 200 and resp.json["roomId"] == second.id
    other = {**_slot(bank), "employeeId": bank.other_advisor.id, "roomId": bank.room.id}
    held = client.post(
        "/bookme/time-slots/reserve", json={"timeSlot": other, "token": "t4"}, headers=book
    )
    assert held.status_code == 200  # the first room is free again, and is now held
    back = _patch(client, meeting, book, _op("/roomId", bank.room.id))
    assert back.status_code == 409 and _read(client, meeting, book)["roomId"] == second.id


def test_a_room_at_another_branch_is_a_409_and_nothing_changes(client, bank, book):
    far = factories.room(factories.location("Branch-South", ["Aarhus"]))
    db.session.commit()
    meeting = create(client, bank, book).json
    resp = _patch(client, meeting, book, [_op("/title", "Moved"), _op("/roomId", far.id)])
    assert resp.status_code == 409 and "another branch" in resp.json["message"]
    kept = _read(client, meeting, book)
    assert kept["roomId"] == bank.room.id and kept["title"] == meeting["title"]
    assert _claims(meeting["id"]) == {f"employee:{bank.advisor.id}", f"room:{bank.room.id}"}


def test_an_advisor_working_at_another_branch_cannot_take_over_the_room(client, bank, book):
    southerner = factories.employee(factories.location("Branch-South", ["Aarhus"]))
    db.session.commit()
    meeting = create(client, bank, book).json
    resp = _patch(client, meeting, book, _op("/employeeId", southerner.id))
    assert resp.status_code == 409 and "another branch" in resp.json["message"]
    assert _read(client, meeting, book)["employeeId"] == bank.advisor.id


def test_a_topic_change_is_checked_against_the_meeting_type(client, bank, book):
    phone_only = factories.topic("Phone talk", meeting_types=["Telephone"])
    pension = factories.topic("Pension")
    db.session.commit()
    meeting = create(client, bank, book).json
    refused = _patch(client, meeting, book, _op("/topicId", phone_only.id))
    assert refused.status_code == 409 and "Physical" in refused.json["message"]
    resp = _patch(client, meeting, book, _op("/themeId", pension.id))
    assert resp.status_code == 200 and resp.json["topicId"] == pension.id


def test_a_meeting_type_the_topic_does_not_offer_is_a_409(client, bank, book):
    meeting = create(client, bank, book).json
    resp = _patch(client, meeting, book, [_op("/type", "Telephone"), _op("/roomId", None)])
    assert resp.status_code == 409
    assert _read(client, meeting, book)["type"] == "Physical"


def test_put_takes_one_operation_on_the_new_paths(client, bank, book):
    meeting = create(client, bank, book).json
    url = f"/bookme/meetings/{meeting['id']}"
    resp = client.put(url, json=_op("/employeeId", bank.other_advisor.id), headers=book)
    assert resp.status_code == 200 and resp.json["employeeId"] == bank.other_advisor.id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_op("/type", "banana"), "type"),
        (_op("/type", None), "type"),
        (_op("/employeeId", None), "employeeId"),
        (_op("/employeeId", ["a", "b"]), "employeeId"),
        (_op("/additionalEmployees", 5), None),
        (_op("/title", None), "title"),
        (_op("/customerId", "x"), None),
    ],
)
def test_a_bad_value_is_a_400(client, bank, book, body, field):
    meeting = create(client, bank, book).json
    resp = _patch(client, meeting, book, body)
    assert resp.status_code == 400, resp.json
    if field:
        assert resp.json["errors"][0]["field"] == field


def test_a_move_cannot_be_mixed_with_other_changes(client, bank, book):
    meeting = create(client, bank, book).json
    hold = reserve(
        client, bank, book, token="t5", start=SLOT_START + 2 * HOUR, existingMeetingId=meeting["id"]
    )
    ops = [_op("/timeSlotId", hold["id"]), _op("/roomId", None)]
    assert _patch(client, meeting, book, ops).status_code == 400


@pytest.mark.parametrize("path", ["/employeeId", "/topicId", "/roomId", "/additionalEmployees"])
def test_an_unknown_id_is_a_404(client, bank, book, path):
    meeting = create(client, bank, book).json
    value = ["00000000-0000-0000-0000-000000000000"] if path == "/additionalEmployees" else None
    resp = _patch(client, meeting, book, _op(path, value or "00000000-0000-0000-0000-000000000000"))
    assert resp.status_code == 404, resp.json


def test_another_clients_meeting_is_a_404_and_unknown_meeting_too(client, bank, book, auth):
    meeting = create(client, bank, book).json
    stranger = auth(*BOOK, client_id="stranger")
    op = _op("/employeeId", bank.other_advisor.id)
    assert _patch(client, meeting, stranger, op).status_code == 404
    assert _patch(client, {"id": "nope"}, book, op).status_code == 404
    assert _read(client, meeting, book)["employeeId"] == bank.advisor.id


def test_a_change_of_advisor_owes_messages_and_is_audited(client, bank, book):
    meeting = create(client, bank, book).json
    assert (
        _patch(client, meeting, book, _op("/employeeId", bank.other_advisor.id)).status_code == 200
    )
    db.session.expire_all()
    events = db.session.scalars(
        select(OutboxMessage.event).where(OutboxMessage.meeting_id == meeting["id"])
    ).all()
    assert "meeting.moved" in events
    audited = db.session.scalars(
        select(AuditRecord).where(AuditRecord.entity_id == meeting["id"])
    ).all()
    assert any("employee_id" in str(r.changes) for r in audited)
