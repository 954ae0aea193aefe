"""Many threads at once against one app: per conflicting set exactly one wins, and nothing overlaps."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app.booking.claims import add_claims, employee_resource
from app.booking.errors import Conflict
from app.booking.locking import write_transaction
from app.extensions import db
from app.models import BookingClaim, Meeting, Reservation
from tests import factories
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
    token = factories.token("test-client", ("bookme.read", "bookme.book"), now=clock.now)
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


def test_threads_holding_back_to_back_hours_keep_the_buffers_between_winners(
    app, bank, headers, clock
):
    """10 minutes before and 15 after every meeting: holds on adjacent hours of one advisor
    exclude each other, whichever commits first; the winners are never closer than 25 minutes."""
    factories.settings(buffer_before_minutes=10, buffer_after_minutes=15)
    db.session.commit()
    starts = [SLOT_START + i * HOUR + timedelta(minutes=15 * (i % 2)) for i in range(THREADS)]
    starts = [s for s in starts if s < SLOT_START + 6 * HOUR]
    calls = [
        reserve_call(headers, bank.advisor.id, None, s, f"near-{i}") for i, s in enumerate(starts)
    ]
    results = all_at_once(app, calls)
    assert {code for code, _ in results} <= {200, 409}, results
    assert sum(code == 200 for code, _ in results) >= 2
    assert live_overlaps(clock.now) == []


def test_the_database_alone_keeps_the_buffers_between_concurrent_writers(app, bank, clock):
    """Bypassing the engine and the locks, writers inserting claims closer than the buffers
    still cannot both commit: the exclusion constraint or the trigger refuses the later one."""
    factories.settings(buffer_before_minutes=10, buffer_after_minutes=15)
    # one-hour claims 70 minutes apart: 10 minutes between them, less than the 25 required
    spans = [
        (SLOT_START + timedelta(minutes=70 * i), SLOT_START + timedelta(minutes=70 * i + 60))
        for i in range(6)
    ]
    holds = [_bare_hold(bank.advisor.id, s, e, clock.now) for s, e in spans]
    db.session.commit()
    barrier = threading.Barrier(len(holds), timeout=20)

    def write(hold_id: str, start, end) -> str:  # type: ignore[no-untyped-def]
        with app.app_context():
            barrier.wait()
            try:
                with write_transaction([]):  # no advisory lock: only the guard decides
                    add_claims(
                        [employee_resource(bank.advisor.id)],
                        start,
                        end,
                        reservation_id=hold_id,
                        expires_at=clock.now + timedelta(minutes=5),
                    )
                    db.session.flush()
                return "ok"
            except Conflict:
                return "refused"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(len(holds)) as pool:
        outcomes = list(pool.map(write, [h.id for h in holds], *zip(*spans, strict=True)))
    assert "ok" in outcomes and "refused" in outcomes, outcomes
    db.session.rollback()
    claims = db.session.execute(
        text("SELECT COUNT(*) FROM booking_claims WHERE reservation_id IS NOT NULL")
    ).scalar()
    assert claims == outcomes.count("ok")
    assert _claims_too_close(bank.advisor.id, before=10, after=15) == []


def _bare_hold(employee_id: str, start, end, now) -> Reservation:  # type: ignore[no-untyped-def]
    """A live reservation row without its claims (the test writes those itself)."""
    row = Reservation(
        token=f"bare-{start:%H%M}",
        owner="client:test-client",
        start_at=start,
        end_at=end,
        employee_id=employee_id,
        meeting_type="Physical",
        created_at=now,
        modified_at=now,
        expires_at=now + timedelta(minutes=5),
    )
    db.session.add(row)
    db.session.flush()
    return row


def _claims_too_close(employee_id: str, *, before: int, after: int) -> list[tuple]:
    """Pairs of the advisor's claims whose own times are closer than after + before minutes."""
    rows = db.session.execute(
        select(BookingClaim.start_at, BookingClaim.end_at).where(
            BookingClaim.resource == employee_resource(employee_id)
        )
    ).all()
    gap = timedelta(minutes=before + after)
    return [
        (a, b)
        for i, a in enumerate(rows)
        for b in rows[i + 1 :]
        if a.start_at < b.end_at + gap and b.start_at < a.end_at + gap
    ]
