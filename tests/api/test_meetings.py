"""`/bookme/meetings`: create from a reservation, read, list, patch, cancel, over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.booking.conftest import HOUR, SLOT_START, make_bank

BOOK = ("bookme.read", "bookme.book")


def z(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


@pytest.fixture
def book(auth):  # type: ignore[no-untyped-def]
    return auth(*BOOK)


def reserve(client, bank, headers, token="tok-1", start=SLOT_START, **extra):  # type: ignore[no-untyped-def]
    slot = {
        "startDate": z(start),
        "endDate": z(start + HOUR),
        "status": "Reserved",
        "employeeId": bank.advisor.id,
        "roomId": bank.room.id,
        "meetingType": "Physical",
    }
    resp = client.post(
        "/bookme/time-slots/reserve",
        json={"timeSlot": slot, "token": token, **extra},
        headers=headers,
    )
    assert resp.status_code == 200, resp.json
    return resp.json


def meeting_body(bank, slot_id, **kw):  # type: ignore[no-untyped-def]
    data = {
        "bookedBy": "customer",
        "customerCategoryId": bank.customer_type.id,
        "timeSlotId": slot_id,
        "type": "physical",
        "themeId": bank.topic.id,
        "roomId": bank.room.id,
        "employeeId": bank.advisor.id,
        "customerId": "67890",
        "description": "Meeting description",
    }
    data.update(kw)
    return data


def create(client, bank, headers, **kw):  # type: ignore[no-untyped-def]
    slot = reserve(client, bank, headers)
    resp = client.post(
        "/bookme/meetings", json=meeting_body(bank, slot["id"], **kw), headers=headers
    )
    assert resp.status_code == 201, resp.json
    return resp


def test_creating_a_meeting_answers_201_with_location_and_every_field(client, bank, book):
    resp = create(client, bank, book)
    data = resp.json
    assert resp.headers["Location"] == f"/bookme/meetings/{data['id']}"
    expected = {
        "bookedBy": "customer",
        "customerCategoryId": bank.customer_type.id,
        "customerTypeId": bank.customer_type.id,
        "themeId": bank.topic.id,
        "topicId": bank.topic.id,
        "type": "Physical",
        "employeeId": bank.advisor.id,
        "additionalEmployees": [],
        "roomId": bank.room.id,
        "customerId": "67890",
        "description": "Meeting description",
        "title": "",
        "startDate": "2026-03-03T09:00:00.000Z",
        "endDate": "2026-03-03T10:00:00.000Z",
        "status": "Booked",
        "dateCreated": "2026-03-02T07:00:00.000Z",
        "dateModified": "2026-03-02T07:00:00.000Z",
    }
    assert {k: data[k] for k in expected} == expected
    assert data["timeSlotId"]
    assert client.get(resp.headers["Location"], headers=book).json == data


def test_the_same_reservation_twice_answers_409(client, bank, book):
    first = create(client, bank, book).json
    again = client.post(
        "/bookme/meetings", json=meeting_body(bank, first["timeSlotId"]), headers=book
    )
    assert again.status_code == 409


def test_an_idempotent_retry_returns_the_first_answer(client, bank, book):
    slot = reserve(client, bank, book)
    headers = {**book, "Idempotency-Key": "k-1"}
    first = client.post("/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=headers)
    retry = client.post("/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json
    assert retry.headers["Location"] == first.headers["Location"]


def test_a_failure_while_answering_leaves_no_meeting_and_a_retry_books_it(
    client, bank, book, monkeypatch
):
    """The idempotency record commits with the meeting: nothing is half-written when the answer
    cannot be made, so the retry with the same key books the slot instead of a 409."""
    from app.api import routes_booking
    from app.extensions import db
    from app.models import IdempotencyRecord, Meeting

    slot = reserve(client, bank, book)
    headers = {**book, "Idempotency-Key": "k-crash"}
    real = routes_booking.meeting_out

    def broken(meeting):  # type: ignore[no-untyped-def]
        raise RuntimeError("the process died while answering")

    monkeypatch.setattr(routes_booking, "meeting_out", broken)
    failed = client.post("/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=headers)
    assert failed.status_code == 500
    db.session.rollback()
    assert db.session.query(Meeting).count() == 0
    assert db.session.query(IdempotencyRecord).count() == 0
    monkeypatch.setattr(routes_booking, "meeting_out", real)
    retry = client.post("/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=headers)
    assert retry.status_code == 201
    again = client.post("/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=headers)
    assert again.status_code == 201 and again.json == retry.json
    assert again.headers["Idempotent-Replayed"] == "true"


def test_an_idempotency_key_reused_with_another_body_answers_422(client, bank, book):
    slot = reserve(client, bank, book)
    headers = {**book, "Idempotency-Key": "k-2"}
    client.post("/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=headers)
    other = client.post(
        "/bookme/meetings", json=meeting_body(bank, slot["id"], title="x"), headers=headers
    )
    assert other.status_code == 422


def test_an_expired_reservation_answers_409_and_the_slot_is_free(client, bank, book, clock):
    slot = reserve(client, bank, book)
    clock.advance(minutes=6)
    resp = client.post("/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=book)
    assert resp.status_code == 409 and "expired" in resp.json["message"]
    reserve(client, bank, book, token="tok-2")


@pytest.mark.parametrize(
    ("field", "value"), [("employeeId", "other"), ("type", "online"), ("roomId", "other-room")]
)
def test_a_body_that_does_not_match_the_reservation_answers_409(client, bank, book, field, value):
    from app.extensions import db
    from tests import factories

    if field == "employeeId":
        value = bank.other_advisor.id
    if field == "roomId":
        value = factories.room(bank.branch).id
        db.session.commit()
    slot = reserve(client, bank, book)
    resp = client.post(
        "/bookme/meetings", json=meeting_body(bank, slot["id"], **{field: value}), headers=book
    )
    assert resp.status_code == 409, resp.json


@pytest.mark.parametrize("field", ["themeId", "customerCategoryId", "employeeId", "roomId"])
def test_unknown_ids_answer_404(client, bank, book, field):
    slot = reserve(client, bank, book)
    resp = client.post(
        "/bookme/meetings", json=meeting_body(bank, slot["id"], **{field: "nope"}), headers=book
    )
    assert resp.status_code == 404


def test_an_unknown_reservation_answers_404(client, bank, book):
    resp = client.post("/bookme/meetings", json=meeting_body(bank, "nope"), headers=book)
    assert resp.status_code == 404


def test_a_client_sees_and_changes_only_its_own_meetings(client, bank, book, auth):
    meeting = create(client, bank, book).json
    other = auth(*BOOK, client_id="other-client")
    url = f"/bookme/meetings/{meeting['id']}"
    assert client.get(url, headers=other).status_code == 404
    assert client.delete(url, headers=other).status_code == 404
    assert client.get("/bookme/meetings", headers=other).json == []
    admin = auth(*BOOK, "bookme.admin", client_id="admin-client")
    assert client.get(url, headers=admin).status_code == 200


def test_listing_filters_by_employee_customer_slot_and_window(client, bank, book):
    meeting = create(client, bank, book).json
    ids = lambda q: [m["id"] for m in client.get(f"/bookme/meetings?{q}", headers=book).json]  # noqa: E731
    assert ids(f"employeeId={bank.advisor.id}") == [meeting["id"]]
    assert ids(f"employeeId={bank.other_advisor.id}") == []
    assert ids("customerId=67890") == [meeting["id"]]
    assert ids(f"timeSlotId={meeting['timeSlotId']}") == [meeting["id"]]
    assert ids("from=2026-03-03T10:00:00Z") == []
    assert ids("from=2026-03-03T09:30:00Z&to=2026-03-04T00:00:00Z") == [meeting["id"]]


def test_patch_replaces_title_and_description(client, bank, book):
    meeting = create(client, bank, book).json
    ops = [
        {"op": "replace", "path": "/title", "value": "Loan"},
        {"op": "replace", "path": "/description", "value": "Bring papers"},
    ]
    resp = client.patch(f"/bookme/meetings/{meeting['id']}", json=ops, headers=book)
    assert resp.status_code == 200
    assert (resp.json["title"], resp.json["description"]) == ("Loan", "Bring papers")


def test_patch_with_an_unsupported_operation_answers_400(client, bank, book):
    meeting = create(client, bank, book).json
    ops = [{"op": "remove", "path": "/title"}]
    resp = client.patch(f"/bookme/meetings/{meeting['id']}", json=ops, headers=book)
    assert resp.status_code == 400


def test_patch_time_slot_id_moves_the_meeting_and_frees_the_old_time(client, bank, book):
    meeting = create(client, bank, book).json
    later = SLOT_START + timedelta(minutes=30)
    hold = reserve(
        client, bank, book, token="tok-move", start=later, existingMeetingId=meeting["id"]
    )
    ops = [{"op": "replace", "path": "/timeSlotId", "value": hold["id"]}]
    resp = client.patch(f"/bookme/meetings/{meeting['id']}", json=ops, headers=book)
    assert resp.status_code == 200, resp.json
    assert resp.json["startDate"] == "2026-03-03T09:30:00.000Z"
    assert resp.json["timeSlotId"] == hold["id"]
    reserve(client, bank, book, token="tok-3", start=SLOT_START - timedelta(minutes=30))


def test_delete_cancels_with_204_and_frees_the_time(client, bank, book):
    meeting = create(client, bank, book).json
    assert client.delete(f"/bookme/meetings/{meeting['id']}", headers=book).status_code == 204
    got = client.get(f"/bookme/meetings/{meeting['id']}", headers=book).json
    assert got["status"] == "Cancelled"
    reserve(client, bank, book, token="tok-2")


def test_a_started_meeting_answers_409_to_patch_and_delete(client, bank, book, clock, auth):
    meeting = create(client, bank, book).json
    clock.set(SLOT_START + timedelta(minutes=5))
    book = auth(*BOOK)  # a fresh token at the new time
    url = f"/bookme/meetings/{meeting['id']}"
    ops = [{"op": "replace", "path": "/title", "value": "late"}]
    assert client.patch(url, json=ops, headers=book).status_code == 409
    assert client.delete(url, headers=book).status_code == 409


def test_reading_meetings_needs_only_the_read_scope(client, bank, book, auth):
    meeting = create(client, bank, book).json
    reader = auth("bookme.read")
    assert client.get(f"/bookme/meetings/{meeting['id']}", headers=reader).status_code == 200
    assert client.delete(f"/bookme/meetings/{meeting['id']}", headers=reader).status_code == 403


def test_concurrent_retries_with_one_idempotency_key_all_get_the_first_answer(app, bank, book):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    slot = reserve(app.test_client(), bank, book)
    headers = {**book, "Idempotency-Key": "k-race"}
    body = meeting_body(bank, slot["id"])
    barrier = threading.Barrier(4, timeout=20)

    def post(_):  # type: ignore[no-untyped-def]
        c = app.test_client()
        barrier.wait()
        return c.post("/bookme/meetings", json=body, headers=headers)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(post, range(4)))
    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.json["id"] for a in answers}) == 1


@pytest.mark.parametrize(
    ("field", "length"), [("customerId", 101), ("customerPhone", 51), ("title", 201)]
)
def test_overlong_fields_answer_400_not_a_database_error(client, bank, book, field, length):
    slot = reserve(client, bank, book)
    body = meeting_body(bank, slot["id"], **{field: "x" * length})
    assert client.post("/bookme/meetings", json=body, headers=book).status_code == 400


def test_an_overlong_title_patch_answers_400(client, bank, book):
    meeting = create(client, bank, book).json
    ops = [{"op": "replace", "path": "/title", "value": "x" * 301}]
    assert (
        client.patch(f"/bookme/meetings/{meeting['id']}", json=ops, headers=book).status_code == 400
    )


def reserve_as_in_the_seed(client, bank, headers):  # type: ignore[no-untyped-def]
    """The seed's reserve body: no meeting type, so the meeting's `type` is checked at creation."""
    slot = {
        "startDate": z(SLOT_START),
        "endDate": z(SLOT_START + HOUR),
        "status": "Reserved",
        "employeeId": bank.advisor.id,
        "roomId": bank.room.id,
    }
    resp = client.post(
        "/bookme/time-slots/reserve", json={"timeSlot": slot, "token": "tok-9"}, headers=headers
    )
    assert resp.status_code == 200, resp.json
    return resp.json


def test_a_meeting_type_the_topic_does_not_offer_is_refused_with_409(client, bank, book):
    slot = reserve_as_in_the_seed(client, bank, book)
    body = meeting_body(bank, slot["id"], type="telephone")
    resp = client.post("/bookme/meetings", json=body, headers=book)
    assert resp.status_code == 409
    # the seed's hold carries a room and no type, so it is refused as a physical meeting's hold
    assert "does not match the reservation" in resp.json["message"]
    ok = client.post("/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=book)
    assert ok.status_code == 201 and ok.json["type"] == "Physical"


def test_a_customer_type_the_topic_does_not_serve_is_refused_with_409(client, bank, book):
    from app.extensions import db
    from tests import factories

    business = factories.customer_type("Business")
    bank.topic.customer_types = [bank.customer_type]
    db.session.commit()
    slot = reserve_as_in_the_seed(client, bank, book)
    body = meeting_body(bank, slot["id"], customerCategoryId=business.id)
    resp = client.post("/bookme/meetings", json=body, headers=book)
    assert resp.status_code == 409
    assert client.get(f"/bookme/time-slots/{slot['id']}", headers=book).json["status"] == "Reserved"


@pytest.mark.parametrize(
    "email",
    ["karen@example.test, mallory@evil.test", "Karen <karen@example.test>", "karen@example"],
)
def test_a_customer_email_that_is_not_one_address_answers_400(client, bank, book, email):
    # The e-mails go to this address: a list would send the private link to someone else.
    slot = reserve(client, bank, book)
    resp = client.post(
        "/bookme/meetings", json=meeting_body(bank, slot["id"], customerEmail=email), headers=book
    )
    assert resp.status_code == 400 and "customerEmail" in str(resp.json)
