"""The live-hold cap holds under concurrency: N threads of one client, cap C, exactly C holds."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Reservation
from tests import factories
from tests.booking.conftest import HOUR, SLOT_START, make_bank
from tests.concurrency.test_threads import all_at_once, z

CAP, THREADS = 3, 8


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    app.config["BOOKME_MAX_LIVE_HOLDS_PER_CLIENT"] = CAP
    return make_bank()


def test_concurrent_reserves_of_one_client_never_exceed_its_cap(app, bank, clock):
    token = factories.token("hoarder", ("bookme.book",), now=clock.now)
    headers = {"Authorization": f"Bearer {token}"}
    advisors = (bank.advisor.id, bank.other_advisor.id)

    def call_for(i: int):  # type: ignore[no-untyped-def]
        start = SLOT_START + (i // 2) * HOUR
        slot = {
            "startDate": z(start),
            "endDate": z(start + HOUR),
            "employeeId": advisors[i % 2],
            "meetingType": "Online",
        }

        def call(client):  # type: ignore[no-untyped-def]
            body = {"timeSlot": slot, "token": f"customer-{i}"}
            return client.post("/bookme/time-slots/reserve", json=body, headers=headers).status_code

        return call

    statuses = Counter(all_at_once(app, [call_for(i) for i in range(THREADS)]))
    assert statuses == {200: CAP, 429: THREADS - CAP}
    live = select(func.count()).where(Reservation.status == "Reserved")
    assert db.session.scalar(live) == CAP
