"""Four gunicorn worker processes, many concurrent clients: the database keeps the guarantee."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import func, select

from app.api.clients import register_client
from app.extensions import db
from app.models import Meeting, Reservation
from tests import factories
from tests.booking.conftest import HOUR, make_bank
from tests.concurrency.scan import live_overlaps
from tests.concurrency.server import client_token, local_instant, next_working_day, running_gunicorn

pytestmark = pytest.mark.slow


def z(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def server(app, database_url):  # type: ignore[no-untyped-def]
    """The bank in the test database and gunicorn serving it; yields (base URL, headers, bank)."""
    bank = make_bank()
    factories.settings(buffer_before_minutes=10, buffer_after_minutes=15)  # the scans check them
    creds = register_client("concurrency", "bookme.read bookme.book")
    with running_gunicorn(database_url, workers=4) as base:
        token = client_token(
            base, creds["client_id"], creds["client_secret"], "bookme.read bookme.book"
        )
        yield base, {"Authorization": f"Bearer {token}"}, bank


def post_all(base: str, path: str, bodies: list[dict], headers: dict) -> list[requests.Response]:  # type: ignore[type-arg]
    """POST every body at once from its own thread and session."""

    def post(body):  # type: ignore[no-untyped-def]
        with requests.Session() as session:
            return session.post(base + path, json=body, headers=headers, timeout=30)

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(post, bodies))


def hold_body(employee_id: str, room_id: str | None, start: datetime, token: str) -> dict:  # type: ignore[type-arg]
    slot = {
        "startDate": z(start),
        "endDate": z(start + HOUR),
        "employeeId": employee_id,
        "roomId": room_id,
        "meetingType": "Physical",
    }
    return {"timeSlot": slot, "token": token}


def test_overlapping_reserves_across_processes_leave_one_winner_per_conflicting_set(server):
    base, headers, bank = server
    day = next_working_day(datetime.now(UTC))
    sets = [local_instant(day, 9), local_instant(day, 11), local_instant(day, 13)]
    bodies = []
    for k, start in enumerate(sets):
        for i in range(12):
            employee = bank.advisor if i % 2 else bank.other_advisor
            shifted = start + timedelta(minutes=30 * (i % 3 == 0))
            bodies.append(hold_body(employee.id, bank.room.id, shifted, f"set{k}-{i}"))
    answers = post_all(base, "/bookme/time-slots/reserve", bodies, headers)
    codes = Counter(r.status_code for r in answers)
    assert set(codes) <= {200, 409}, [r.text for r in answers if r.status_code not in (200, 409)]
    assert codes[200] == len(sets)
    assert live_overlaps(datetime.now(UTC)) == []


def test_one_reservation_becomes_one_meeting_and_one_token_keeps_one_hold_across_processes(
    server,
):
    base, headers, bank = server
    day = next_working_day(datetime.now(UTC))
    hold = requests.post(
        base + "/bookme/time-slots/reserve",
        json=hold_body(bank.advisor.id, bank.room.id, local_instant(day, 9), "solo"),
        headers=headers,
        timeout=30,
    ).json()
    meeting = {"bookedBy": "customer", "timeSlotId": hold["id"], "type": "Physical"}
    codes = sorted(
        r.status_code for r in post_all(base, "/bookme/meetings", [meeting] * 8, headers)
    )
    assert codes == [201] + [409] * 7
    starts = [local_instant(day, 11) + i * HOUR for i in range(5)]
    same_token = [hold_body(bank.other_advisor.id, None, s, "shared") for s in starts]
    answers = post_all(base, "/bookme/time-slots/reserve", same_token, headers)
    assert all(r.status_code == 200 for r in answers), [r.text for r in answers]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1
    live = db.session.scalars(
        select(Reservation).where(Reservation.token == "shared", Reservation.status == "Reserved")
    ).all()
    assert len(live) == 1
    assert live_overlaps(datetime.now(UTC)) == []


def test_holds_on_every_half_hour_of_one_advisor_keep_the_buffers_across_processes(server):
    """16 clients hold one-hour slots starting every half hour of one advisor's day: winners are
    at least 25 minutes (15 after plus 10 before) apart, whichever process wrote first."""
    base, headers, bank = server
    day = next_working_day(datetime.now(UTC))
    starts = [local_instant(day, 8) + timedelta(minutes=30 * (i % 8)) for i in range(16)]
    bodies = [hold_body(bank.advisor.id, None, s, f"half-{i}") for i, s in enumerate(starts)]
    answers = post_all(base, "/bookme/time-slots/reserve", bodies, headers)
    codes = Counter(r.status_code for r in answers)
    assert set(codes) <= {200, 409}, [r.text for r in answers if r.status_code not in (200, 409)]
    assert 2 <= codes[200] <= 3
    assert live_overlaps(datetime.now(UTC)) == []
