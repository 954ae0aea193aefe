"""Through the API, every booking, move and cancellation owes its messages, once, named as the
API client's doing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.api.test_meetings import bank, book, create, meeting_body, reserve  # noqa: F401
from tests.booking.conftest import SLOT_START


def _events(meeting_id: str) -> list[tuple[str, str, str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.meeting_id == meeting_id)
        .order_by(OutboxMessage.created_at, OutboxMessage.event)
    )
    return [(r.event, r.payload["to"], r.payload["channel"], r.payload["actor"]) for r in rows]


def test_book_move_and_cancel_over_the_api_each_owe_the_advisor_a_message(client, bank, book):  # noqa: F811
    meeting = create(client, bank, book).json
    hold = reserve(
        client,
        bank,
        book,
        token="tok-move",
        start=SLOT_START + timedelta(hours=2),
        existingMeetingId=meeting["id"],
    )
    ops = [{"op": "replace", "path": "/timeSlotId", "value": hold["id"]}]
    assert (
        client.patch(f"/bookme/meetings/{meeting['id']}", json=ops, headers=book).status_code == 200
    )
    assert client.delete(f"/bookme/meetings/{meeting['id']}", headers=book).status_code == 204
    who = ("advisor", "api", "client:test-client")
    assert sorted(_events(meeting["id"])) == sorted(
        [("meeting.booked", *who), ("meeting.moved", *who), ("meeting.cancelled", *who)]
    )


def test_an_idempotent_replay_owes_nothing_more(client, bank, book):  # noqa: F811
    slot = reserve(client, bank, book)
    headers = {**book, "Idempotency-Key": "k-1"}
    first = client.post("/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=headers)
    client.post("/bookme/meetings", json=meeting_body(bank, slot["id"]), headers=headers)
    assert len(_events(first.json["id"])) == 1


def test_a_refused_booking_owes_nothing(client, bank, book):  # noqa: F811
    slot = reserve(client, bank, book)
    refused = client.post(
        "/bookme/meetings",
        json=meeting_body(bank, slot["id"], employeeId=bank.other_advisor.id),
        headers=book,
    )
    assert refused.status_code == 409
    assert db.session.scalars(select(OutboxMessage)).all() == []
