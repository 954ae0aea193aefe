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
        )
        values.update(kw)
        return HoldRequest(**values)  # type: ignore[arg-type]


@pytest.fixture
def bank(app) -> Bank:  # type: ignore[no-untyped-def]
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


def _install_stand_in_engine() -> None:  # TEMPORARY until app/booking/slots.py lands
    import sys
    import types

    try:
        import app.booking.slots  # noqa: F401

        return
    except ImportError:
        pass
    from sqlalchemy import or_, select

    from app.booking.claims import resources_for
    from app.booking.errors import Conflict
    from app.models import BookingClaim

    def check_slot(*, employee_ids, room_id, start, end, now, **kw):  # type: ignore[no-untyped-def]
        if start.hour >= 15:
            raise Conflict("outside working hours")
        rows = db.session.scalars(
            select(BookingClaim).where(
                BookingClaim.resource.in_(resources_for(employee_ids, room_id)),
                BookingClaim.start_at < end,
                BookingClaim.end_at > start,
                or_(BookingClaim.expires_at.is_(None), BookingClaim.expires_at > now),
                BookingClaim.meeting_id.not_in(kw.get("ignore_meeting_ids") or ("",)),
            )
        ).all()
        if rows:
            raise Conflict("taken")

    module = types.ModuleType("app.booking.slots")
    module.check_slot = check_slot  # type: ignore[attr-defined]
    sys.modules["app.booking.slots"] = module


_install_stand_in_engine()
