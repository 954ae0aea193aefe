"""A small bank for the booking service tests: one branch, one advisor, one room, one topic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from app.booking.reservations import HoldRequest
from app.extensions import db
from app.models import CustomerType, Employee, Location, Room, Topic
from tests import factories

# Tuesday 2026-03-03 10:00 in Copenhagen (UTC+1): inside the advisor's 08:00-16:00 day.
SLOT_START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@dataclass
class Bank:
    """The rows the tests book against."""

    branch: Location
    advisor: Employee
    other_advisor: Employee
    room: Room
    topic: Topic
    customer_type: CustomerType

    def hold(self, token: str = "tok-1", start: datetime = SLOT_START, **kw) -> HoldRequest:
        """A hold request on this bank's advisor and room, one hour from `start`."""
        values = dict(
            token=token,
            start=start,
            end=start + HOUR,
            employee_id=self.advisor.id,
            room_id=self.room.id,
            meeting_type="Physical",
            topic_id=self.topic.id,
            owner="client:client-a",
        )
        values.update(kw)
        return HoldRequest(**values)  # type: ignore[arg-type]


def make_bank() -> Bank:
    """Organisation settings plus a branch with an advisor, a second advisor, a room and a topic."""
    factories.settings()
    branch = factories.location("Branch-North", ["Copenhagen"])
    advisor = factories.employee(branch)
    other = factories.employee(branch)
    room = factories.room(branch)
    topic = factories.topic("Mortgage", duration=60)
    ctype = factories.customer_type("Private")
    db.session.commit()
    return Bank(branch, advisor, other, room, topic, ctype)


@pytest.fixture
def bank(app) -> Bank:  # type: ignore[no-untyped-def]
    """The small bank, committed."""
    return make_bank()
