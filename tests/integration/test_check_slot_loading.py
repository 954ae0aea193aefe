"""`check_slot` (inside every reservation's transaction) loads only what one proposed slot needs,
and still judges it by the engine's rules: daily caps through capped service groups, named rooms."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from app.booking.errors import Conflict
from app.booking.slots import check_slot
from app.extensions import db
from tests import factories as fx
from tests.factories import MONDAY_0800, at


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    """A branch with two advisors in a capped service group and in a competence group, an
    uncapped service group and a competence group with a subgroup, and two rooms."""
    fx.settings()
    branch = fx.location("Branch-North", ["Copenhagen"])
    ada, bob = fx.employee(branch), fx.employee(branch)
    parent = fx.competence_group("Advice")
    child = fx.competence_group("Pensions", parent=parent)
    child.members = [ada, bob]
    fx.service_group("Capped", max_meeting_minutes_per_day=120, employees=[ada])
    fx.service_group("Open", meeting_types=["Online"], competence_groups=[parent])
    rooms = [fx.room(branch), fx.room(branch)]
    db.session.flush()
    return {"ada": ada, "bob": bob, "rooms": rooms}


def _check(emp, start: datetime, **kw) -> None:  # type: ignore[no-untyped-def]
    check_slot(
        employee_ids=[emp.id],
        room_id=kw.pop("room_id", None),
        start=start,
        end=start + timedelta(hours=1),
        meeting_type="Physical",
        topic_id=None,
        customer_type_id=None,
        is_customer_initiated=kw.pop("is_customer_initiated", True),
        now=MONDAY_0800,
    )


def test_a_capped_service_group_still_caps_a_checked_slot(bank):
    ada, bob = bank["ada"], bank["bob"]
    fx.meeting(ada, at(8))
    fx.meeting(ada, at(9))  # 120 minutes booked: the group's cap
    fx.meeting(bob, at(8))
    fx.meeting(bob, at(9))
    with pytest.raises(Conflict, match="daily"):
        _check(ada, at(11))
    _check(ada, at(11), is_customer_initiated=False)  # caps bind customer bookings only
    _check(bob, at(11))  # not in the capped group


def test_a_named_room_is_judged_by_its_own_claims_only(bank):
    ada, bob = bank["ada"], bank["bob"]
    first, second = bank["rooms"]
    fx.meeting(bob, at(10), room=first)
    with pytest.raises(Conflict, match="room is taken"):
        _check(ada, at(10), room_id=first.id)
    _check(ada, at(10), room_id=second.id)


def test_a_check_with_the_configuration_cached_asks_three_queries(bank):
    _check(bank["ada"], at(11), room_id=bank["rooms"][0].id)  # loads the configuration once
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        _check(bank["ada"], at(11), room_id=bank["rooms"][0].id)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # the configuration version, the busy times and the claims; no configuration table again
    assert len(seen) == 3, "\n".join(seen)
    assert not any("service_group" in s or "weekly_schedules" in s for s in seen)
