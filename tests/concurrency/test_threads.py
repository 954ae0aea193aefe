"""Many threads at once against one app: per conflicting set exactly one wins, and nothing overlaps."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.api.oauth import issue_token
from app.extensions import db
from app.models import Meeting, Reservation
from tests.booking.conftest import HOUR, SLOT_START, make_bank
from tests.concurrency.scan import live_overlaps

THREADS = 12


def z(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


@pytest.fixture
def headers(app, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = issue_token("test-client", ("bookme.read", "bookme.book"), now=clock.now)
    return {"Authorization": f"Bearer {token}"}


def all_at_once(app, calls: list[Callable[[Any], Any]]) -> list[Any]:  # type: ignore[no-untyped-def]
    """Run every call on its own thread with its own test client, released together."""
    barrier = threading.Barrier(len(calls), timeout=20)

    def run(call: Callable[[Any], Any]) -> Any:
        client = app.test_client()
        barrier.wait()
        return call(client)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls, timeout=60))


def reserve_call(headers, employee_id, room_id, start, token):  # type: ignore[no-untyped-def]
    slot = {
        "startDate": z(start),
        "endDate": z(start + HOUR),
        "employeeId": employee_id,
        "roomId": room_id,
        "meetingType": "Physical",
    }

    def call(client):  # type: ignore[no-untyped-def]
        resp = client.post(
            "/bookme/time-slots/reserve", json={"timeSlot": slot, "token": token}, headers=headers
        )
        return resp.status_code, resp.get_json()

    return call


def test_overlapping_reserves_from_many_threads_leave_one_winner_per_conflicting_set(
    app, bank, headers, clock
):
    sets = [SLOT_START, SLOT_START + 2 * HOUR]
    calls = []
    for k, start in enumerate(sets):
        for i in range(THREADS // len(sets)):
            employee = bank.advisor if i % 2 else bank.other_advisor
            shifted = start + timedelta(minutes=30 * (i % 3 == 0))
            calls.append(reserve_call(headers, employee.id, bank.room.id, shifted, f"t{k}-{i}"))
    results = all_at_once(app, calls)
    statuses = Counter(code for code, _ in results)
    assert set(statuses) <= {200, 409}, results
    assert statuses[200] == len(sets)
    assert live_overlaps(clock.now) == []


def test_one_advisor_reserved_by_many_threads_without_rooms_is_held_once(app, bank, headers, clock):
    calls = [
        reserve_call(headers, bank.advisor.id, None, SLOT_START, f"tok-{i}") for i in range(THREADS)
    ]
    results = all_at_once(app, calls)
    assert sorted(code for code, _ in results) == [200] + [409] * (THREADS - 1)
    assert live_overlaps(clock.now) == []


def test_concurrent_meetings_on_one_reservation_make_exactly_one_meeting(
    app, client, bank, headers, clock
):
    hold = reserve_call(headers, bank.advisor.id, bank.room.id, SLOT_START, "tok-1")(client)[1]
    body = {
        "bookedBy": "customer",
        "timeSlotId": hold["id"],
        "type": "Physical",
        "employeeId": bank.advisor.id,
        "roomId": bank.room.id,
    }

    def create(c):  # type: ignore[no-untyped-def]
        return c.post("/bookme/meetings", json=body, headers=headers).status_code

    codes = all_at_once(app, [create] * 8)
    assert sorted(codes) == [201] + [409] * 7
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1
    assert live_overlaps(clock.now) == []


def test_the_same_token_reserving_concurrently_keeps_exactly_one_live_hold(
    app, bank, headers, clock
):
    starts = [SLOT_START + i * HOUR for i in range(6)]
    calls = [reserve_call(headers, bank.advisor.id, None, s, "one-token") for s in starts]
    results = all_at_once(app, calls)
    assert all(code == 200 for code, _ in results), results
    db.session.rollback()
    live = db.session.scalars(
        select(Reservation).where(
            Reservation.token == "one-token", Reservation.status == "Reserved"
        )
    ).all()
    assert len(live) == 1
    assert live_overlaps(clock.now) == []


def test_a_hold_that_expires_mid_flow_loses_its_meeting_and_the_slot_goes_to_one_other(
    app, client, bank, headers, clock
):
    hold = reserve_call(headers, bank.advisor.id, bank.room.id, SLOT_START, "slow")(client)[1]
    clock.advance(minutes=5, seconds=1)
    meeting = {"bookedBy": "customer", "timeSlotId": hold["id"], "type": "Physical"}

    def create(c):  # type: ignore[no-untyped-def]
        return c.post("/bookme/meetings", json=meeting, headers=headers).status_code

    others = [
        reserve_call(headers, bank.advisor.id, bank.room.id, SLOT_START, f"fast-{i}")
        for i in range(5)
    ]
    results = all_at_once(app, [create, *[lambda c, call=call: call(c)[0] for call in others]])
    assert results[0] == 409
    assert sorted(results[1:]) == [200, 409, 409, 409, 409]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0
    assert live_overlaps(clock.now) == []
