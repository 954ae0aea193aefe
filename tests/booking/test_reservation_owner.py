"""Reservations belong to their owner (an API client, a wizard browser): tokens are namespaced by it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.booking.errors import Forbidden, NotFound
from app.booking.locking import token_key
from app.booking.meeting_changes import MeetingChanges, update_meeting
from app.booking.meeting_create import MeetingRequest, create_meeting
from app.booking.reservations import (
    client_owner,
    get_reservation,
    release,
    reserve,
    wizard_owner,
)
from app.extensions import db
from app.models import Reservation
from tests.booking.conftest import HOUR, SLOT_START

A, B = client_owner("client-a"), client_owner("client-b")


def test_owners_are_namespaced_by_kind():
    assert A == "client:client-a"
    assert wizard_owner("tok") == "wizard:tok"
    assert A != B


def test_the_lock_key_of_a_token_is_namespaced_by_its_owner():
    assert token_key(A, "tok-1") != token_key(B, "tok-1")
    assert token_key(A, "tok-1") == token_key(A, "tok-1")


def test_one_token_string_under_two_owners_is_two_sessions(bank, clock):
    first = reserve(bank.hold("tok-1", owner=A), now=clock.now)
    second = reserve(bank.hold("tok-1", owner=B, start=SLOT_START + 2 * HOUR), now=clock.now)
    db.session.expire_all()
    assert db.session.get(Reservation, first.id).status == "Reserved"
    assert db.session.get(Reservation, second.id).status == "Reserved"
    assert (first.owner, second.owner) == (A, B)


def test_the_same_owner_and_token_still_replace_the_previous_hold(bank, clock):
    first = reserve(bank.hold("tok-1", owner=A), now=clock.now)
    reserve(bank.hold("tok-1", owner=A, start=SLOT_START + 2 * HOUR), now=clock.now)
    db.session.expire_all()
    assert db.session.get(Reservation, first.id).status == "Released"


def test_the_database_allows_one_live_hold_per_owner_and_token(bank, clock):
    hold = reserve(bank.hold("tok-1", owner=A), now=clock.now)
    twin = Reservation(
        token="tok-1",
        owner=A,
        start_at=SLOT_START + 3 * HOUR,
        end_at=SLOT_START + 4 * HOUR,
        employee_id=bank.advisor.id,
        status="Reserved",
        created_at=clock.now,
        modified_at=clock.now,
        expires_at=hold.expires_at,
    )
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    twin.owner = B
    db.session.add(twin)
    db.session.commit()


def test_another_owner_cannot_read_release_or_book_a_hold(bank, clock):
    hold = reserve(bank.hold("tok-1", owner=A), now=clock.now)
    with pytest.raises(NotFound):
        get_reservation(hold.id, owner=B)
    with pytest.raises(NotFound):
        release(hold.id, "tok-1", owner=B, now=clock.now)
    with pytest.raises(NotFound):
        create_meeting(
            MeetingRequest(time_slot_id=hold.id, meeting_type="Physical", owner=B), now=clock.now
        )
    db.session.expire_all()
    assert db.session.get(Reservation, hold.id).status == "Reserved"
    with pytest.raises(Forbidden):
        release(hold.id, "tok-2", owner=A, now=clock.now)
    meeting = create_meeting(
        MeetingRequest(time_slot_id=hold.id, meeting_type="Physical", owner=A), now=clock.now
    )
    assert meeting.time_slot_id == hold.id


def test_another_owner_cannot_move_a_meeting_onto_a_hold(bank, clock):
    first = reserve(bank.hold("tok-1", owner=A), now=clock.now)
    meeting = create_meeting(
        MeetingRequest(time_slot_id=first.id, meeting_type="Physical", owner=A), now=clock.now
    )
    later = SLOT_START + timedelta(hours=3)
    target = reserve(
        bank.hold("tok-2", owner=A, start=later, existing_meeting_id=meeting.id), now=clock.now
    )
    with pytest.raises(NotFound):
        update_meeting(
            meeting.id, MeetingChanges(time_slot_id=target.id), hold_owner=B, now=clock.now
        )
    moved = update_meeting(
        meeting.id, MeetingChanges(time_slot_id=target.id), hold_owner=A, now=clock.now
    )
    assert moved.start_at == later
