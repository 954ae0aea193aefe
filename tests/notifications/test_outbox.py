"""The outbox is written in the transaction of the change: no change without its event, no event
without its change, and no personal data in what it stores."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.booking.errors import Conflict
from app.booking.meeting_changes import MeetingChanges, cancel_meeting, update_meeting
from app.booking.reservations import reserve
from app.extensions import db
from app.models import Meeting, User
from app.notifications.models import OutboxMessage
from tests.booking.conftest import SLOT_START
from tests.notifications.conftest import book


def _rows(**where) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    stmt = select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.created_at)
    return list(db.session.scalars(stmt))


def test_a_booking_owes_the_customer_and_the_advisor_one_message_each(bank, clock):
    meeting = book(bank, clock)
    rows = _rows(meeting_id=meeting.id)
    assert sorted(r.payload["to"] for r in rows) == ["advisor", "customer"]
    assert {r.event for r in rows} == {"meeting.booked"}
    assert all(r.kind == "email" and r.available_at == clock.now for r in rows)
    assert rows[0].payload["channel"] == "wizard" and rows[0].payload["actor"] == "customer"


def test_the_outbox_holds_ids_not_the_customers_personal_data(bank, clock):
    meeting = book(bank, clock, customer_phone="+45 12 34 56 78")
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="customer")
    stored = json.dumps([r.payload for r in _rows()]) + " ".join(r.id for r in _rows())
    for personal in ("Karen", "karen@example.test", "12 34 56 78", meeting.manage_token):
        assert personal not in stored


def test_a_booking_that_rolls_back_leaves_no_message(bank, clock):
    hold = reserve(bank.hold("tok-9"), now=clock.now)

    def fail(meeting: Meeting) -> None:
        raise RuntimeError("the idempotency record could not be written")

    from app.booking.meeting_create import MeetingRequest, create_meeting

    with pytest.raises(RuntimeError):
        create_meeting(
            MeetingRequest(time_slot_id=hold.id, customer_email="a@b.test", owner=hold.owner),
            now=clock.now,
            on_created=fail,
        )
    assert db.session.scalars(select(Meeting)).all() == []
    assert _rows() == []


def test_a_refused_change_writes_no_message(bank, clock):
    meeting = book(bank, clock)
    clock.set(meeting.start_at + timedelta(minutes=1))
    with pytest.raises(Conflict):
        cancel_meeting(meeting.id, now=clock.now, cancelled_by="customer")
    assert {r.event for r in _rows()} == {"meeting.booked"}


def test_a_message_cannot_exist_without_its_meeting(bank, clock):
    db.session.add(
        OutboxMessage(
            kind="email",
            event="meeting.booked",
            meeting_id="no-such-meeting",
            payload={"to": "customer"},
            created_at=clock.now,
            available_at=clock.now,
            attempts=0,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_move_records_the_old_time_and_the_api_client_that_moved_it(bank, clock):
    meeting = book(bank, clock, owner="client:client-a", client_id="client-a", manage_token=None)
    later = SLOT_START + timedelta(hours=3)
    hold = reserve(bank.hold("tok-2", start=later, existing_meeting_id=meeting.id), now=clock.now)
    update_meeting(
        meeting.id,
        MeetingChanges(time_slot_id=hold.id),
        owner="client-a",
        hold_owner="client:client-a",
        now=clock.now,
    )
    (moved,) = _rows(event="meeting.moved", meeting_id=meeting.id, kind="email")[:1]
    assert moved.payload["old_start"] == SLOT_START.isoformat()
    assert moved.payload["channel"] == "api" and moved.payload["actor"] == "client:client-a"
    assert moved.payload["sequence"] == 1


def test_a_staff_cancellation_names_the_account_by_id_and_keeps_the_reason(bank, clock):
    user = User(email="mette@bank.test", employee_id=bank.advisor.id, created_at=clock.now)
    db.session.add(user)
    db.session.commit()
    meeting = book(bank, clock)
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="mette@bank.test", reason="Ill")
    cancelled = _rows(event="meeting.cancelled")
    assert len(cancelled) == 2
    assert all(r.payload["channel"] == "staff" for r in cancelled)
    assert all(r.payload["actor"] == f"user:{user.id}" for r in cancelled)
    assert all(r.payload["reason"] == "Ill" for r in cancelled)


def test_cancelling_twice_owes_nothing_more(bank, clock):
    meeting = book(bank, clock)
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="customer")
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="customer")
    assert len(_rows(event="meeting.cancelled")) == 2


def test_no_message_for_a_customer_or_advisor_without_an_address(bank, clock):
    bank.advisor.email = ""
    db.session.commit()
    meeting = book(bank, clock, customer_email="")
    assert _rows(meeting_id=meeting.id) == []


def test_an_advisor_without_an_address_of_their_own_is_reached_through_their_staff_account(
    bank, clock
):
    bank.advisor.email = ""
    db.session.add(User(email="staff@bank.test", employee_id=bank.advisor.id, created_at=clock.now))
    db.session.commit()
    meeting = book(bank, clock)
    advisor = [r for r in _rows(meeting_id=meeting.id) if r.payload["to"] == "advisor"]
    assert [r.payload["employee_id"] for r in advisor] == [bank.advisor.id]


def test_a_move_to_another_room_at_the_same_time_is_announced(bank, clock):
    # The e-mail names the branch and the room: a customer sent to another one must hear of it.
    from tests import factories

    other_room = factories.room(bank.branch, name="Room Two")
    db.session.commit()
    meeting = book(bank, clock)
    hold = reserve(
        bank.hold("tok-2", room_id=other_room.id, existing_meeting_id=meeting.id, owner="client:x"),
        now=clock.now,
    )
    update_meeting(
        meeting.id, MeetingChanges(time_slot_id=hold.id), hold_owner="client:x", now=clock.now
    )
    assert db.session.get(Meeting, meeting.id).room_id == other_room.id
    moved = _rows(event="meeting.moved", meeting_id=meeting.id, kind="email")
    assert {r.payload["to"] for r in moved} == {"customer", "advisor"}
