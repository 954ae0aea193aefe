"""Reservations: 5-minute holds, same-token replacement, expiry and release."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.booking import reservations
from app.booking.errors import Conflict, Forbidden, NotFound
from app.booking.reservations import hand_over, purge_expired, release, reserve, subtract
from app.extensions import db
from app.models import BookingClaim, Reservation
from tests.booking.conftest import HOUR, SLOT_START

OWNER = "client:client-a"  # the owner of `bank.hold`'s holds


def claims_of(reservation_id: str) -> list[BookingClaim]:
    return list(
        db.session.scalars(
            select(BookingClaim).where(BookingClaim.reservation_id == reservation_id)
        )
    )


def test_a_hold_expires_exactly_five_minutes_after_it_was_made(bank, clock):
    hold = reserve(bank.hold(), now=clock.now)
    assert hold.status == "Reserved"
    assert hold.expires_at - hold.created_at == timedelta(minutes=5)
    assert hold.created_at == clock.now


def test_a_hold_claims_its_advisor_and_its_room_until_it_expires(bank, clock):
    hold = reserve(bank.hold(), now=clock.now)
    claims = claims_of(hold.id)
    assert sorted(c.resource for c in claims) == [
        f"employee:{bank.advisor.id}",
        f"room:{bank.room.id}",
    ]
    assert all(c.expires_at == hold.expires_at for c in claims)


def test_another_token_cannot_hold_an_overlapping_slot_of_the_same_advisor(bank, clock):
    reserve(bank.hold("tok-1"), now=clock.now)
    with pytest.raises(Conflict):
        reserve(bank.hold("tok-2", start=SLOT_START + timedelta(minutes=30)), now=clock.now)


def test_another_token_cannot_hold_the_same_room_with_another_advisor(bank, clock):
    reserve(bank.hold("tok-1"), now=clock.now)
    with pytest.raises(Conflict):
        reserve(bank.hold("tok-2", employee_id=bank.other_advisor.id), now=clock.now)


def test_the_same_slot_with_the_same_token_returns_the_existing_hold(bank, clock):
    first = reserve(bank.hold(), now=clock.now)
    clock.advance(minutes=1)
    again = reserve(bank.hold(), now=clock.now)
    assert again.id == first.id
    assert again.expires_at == first.expires_at


def test_a_new_slot_with_the_same_token_releases_the_previous_hold_at_once(bank, clock):
    first = reserve(bank.hold("tok-1"), now=clock.now)
    second = reserve(bank.hold("tok-1", start=SLOT_START + 2 * HOUR), now=clock.now)
    assert db.session.get(Reservation, first.id).status == "Released"
    assert claims_of(first.id) == []
    taken = reserve(bank.hold("tok-2"), now=clock.now)
    assert taken.status == "Reserved" and second.status == "Reserved"
    live = db.session.scalars(
        select(Reservation).where(Reservation.token == "tok-1", Reservation.status == "Reserved")
    ).all()
    assert [r.id for r in live] == [second.id]


def test_an_expired_hold_never_blocks_and_its_claims_are_purged_by_the_next_reserve(bank, clock):
    first = reserve(bank.hold("tok-1"), now=clock.now)
    clock.advance(minutes=5)
    taken = reserve(bank.hold("tok-2"), now=clock.now)
    assert taken.status == "Reserved"
    assert claims_of(first.id) == []


def test_a_hold_still_blocks_one_second_before_it_expires(bank, clock):
    reserve(bank.hold("tok-1"), now=clock.now)
    clock.advance(minutes=4, seconds=59)
    with pytest.raises(Conflict):
        reserve(bank.hold("tok-2"), now=clock.now)


def test_a_slot_outside_working_hours_is_refused_with_a_reason(bank, clock):
    evening = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
    with pytest.raises(Conflict) as err:
        reserve(bank.hold(start=evening), now=clock.now)
    assert err.value.message


def test_a_slot_in_the_past_is_refused(bank, clock):
    with pytest.raises(Conflict):
        reserve(bank.hold(start=clock.now - HOUR), now=clock.now)


def test_an_unknown_advisor_is_not_found(bank, clock):
    with pytest.raises(NotFound) as err:
        reserve(bank.hold(employee_id="no-such-advisor"), now=clock.now)
    assert err.value.kind == "employee"


def test_release_with_another_token_is_forbidden(bank, clock):
    hold = reserve(bank.hold("tok-1"), now=clock.now)
    with pytest.raises(Forbidden):
        release(hold.id, "tok-2", now=clock.now)


def test_release_frees_the_slot_for_others_at_once(bank, clock):
    hold = reserve(bank.hold("tok-1"), now=clock.now)
    release(hold.id, "tok-1", now=clock.now)
    assert db.session.get(Reservation, hold.id).status == "Released"
    assert reserve(bank.hold("tok-2"), now=clock.now).status == "Reserved"


def test_a_handed_over_hold_belongs_to_the_new_token_alone(bank, clock):
    hold = reserve(bank.hold("tok-1"), now=clock.now)
    hand_over(hold.id, OWNER, "tok-1", OWNER, "tok-2", now=clock.now)
    reserve(bank.hold("tok-1", start=SLOT_START + 2 * HOUR), now=clock.now)
    assert db.session.get(Reservation, hold.id).status == "Reserved"  # the old token let go
    with pytest.raises(Forbidden):
        release(hold.id, "tok-1", now=clock.now)
    reserve(bank.hold("tok-2", start=SLOT_START + 4 * HOUR), now=clock.now)
    assert db.session.get(Reservation, hold.id).status == "Released"  # the new one replaces it


def test_only_the_owner_hands_over_a_hold_and_only_before_it_is_released(bank, clock):
    hold = reserve(bank.hold("tok-1"), now=clock.now)
    with pytest.raises(NotFound):
        hand_over(hold.id, "client:other", "tok-1", "client:other", "tok-3", now=clock.now)
    with pytest.raises(Forbidden):
        hand_over(hold.id, OWNER, "tok-2", OWNER, "tok-3", now=clock.now)
    release(hold.id, "tok-1", now=clock.now)
    with pytest.raises(Conflict):
        hand_over(hold.id, OWNER, "tok-1", OWNER, "tok-3", now=clock.now)


def test_a_hold_that_ran_out_is_handed_over_so_its_new_owner_can_take_it_again(bank, clock):
    hold = reserve(bank.hold("tok-1"), now=clock.now)
    clock.advance(minutes=6)
    purge_expired(clock.now)
    assert hand_over(hold.id, OWNER, "tok-1", OWNER, "tok-2", now=clock.now).token == "tok-2"


def test_purge_marks_expired_holds_and_deletes_their_claims(bank, clock):
    old = reserve(bank.hold("tok-1"), now=clock.now)
    clock.advance(minutes=3)
    young = reserve(bank.hold("tok-2", start=SLOT_START + 2 * HOUR), now=clock.now)
    clock.advance(minutes=2)
    assert purge_expired(clock.now) == 1
    assert db.session.get(Reservation, old.id).status == "Expired"
    assert claims_of(old.id) == []
    assert len(claims_of(young.id)) == 2


def test_live_status_reads_expired_once_the_hold_runs_out(bank, clock):
    hold = reserve(bank.hold(), now=clock.now)
    assert reservations.live_status(hold, clock.now) == "Reserved"
    assert reservations.live_status(hold, clock.now + timedelta(minutes=5)) == "Expired"


T0 = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


def t(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("holes", "expected"),
    [
        ([], [(0, 60)]),
        ([(0, 60)], []),
        ([(-30, 30)], [(30, 60)]),
        ([(30, 90)], [(0, 30)]),
        ([(15, 45)], [(0, 15), (45, 60)]),
        ([(60, 120)], [(0, 60)]),
        ([(0, 15), (45, 60)], [(15, 45)]),
    ],
)
def test_subtract_leaves_the_parts_of_a_span_no_hole_covers(holes, expected):
    got = subtract((t(0), t(60)), [(t(a), t(b)) for a, b in holes])
    assert got == [(t(a), t(b)) for a, b in expected]
