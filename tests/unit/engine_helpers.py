"""Small builders for the pure engine's facts, shared by the engine's unit and property tests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.booking.availability import available_slots
from app.booking.facts import (
    ClaimFacts,
    EmployeeFacts,
    Facts,
    LocationFacts,
    OrgFacts,
    ScheduleDay,
)
from app.booking.query import Slot, SlotQuery

TZ = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 08:00 in Copenhagen
ORG = OrgFacts(opening_time=time(7, 0), closing_time=time(20, 0))
NORTH = LocationFacts("loc-north", "Branch-North", ("Copenhagen", "Frederiksberg"))
SOUTH = LocationFacts("loc-south", "Branch-South", ("Aarhus",))


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A Copenhagen wall-clock time in 2026 as a UTC instant."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ).astimezone(UTC)


def week(
    start: time = time(8, 0),
    end: time = time(16, 0),
    types: tuple[str, ...] = ("Physical", "Online"),
    location: str | None = NORTH.id,
    days: tuple[int, ...] = (0, 1, 2, 3, 4),
) -> tuple[ScheduleDay, ...]:
    """The same hours, meeting types and branch on each of `days`."""
    return tuple(ScheduleDay(d, start, end, frozenset(types), location) for d in days)


def advisor(ident: str, **kw) -> EmployeeFacts:  # type: ignore[no-untyped-def]
    """An advisor working Monday-Friday 08-16 at Branch-North unless told otherwise."""
    kw.setdefault("schedule", week())
    return EmployeeFacts(ident, **kw)


def facts(**kw) -> Facts:  # type: ignore[no-untyped-def]
    """Facts with the default organisation and both branches."""
    kw.setdefault("org", ORG)
    kw.setdefault("locations", (NORTH, SOUTH))
    kw.setdefault("employees", (advisor("e1"),))
    return Facts(**kw)


def query(**kw) -> SlotQuery:  # type: ignore[no-untyped-def]
    """A staff search for advisor e1's Online slots over one day from NOW."""
    kw.setdefault("require_employee_participation", True)
    kw.setdefault("explicit_employee_ids", ("e1",))
    kw.setdefault("start", NOW)
    kw.setdefault("look_forward", timedelta(days=1))
    kw.setdefault("meeting_types", ("Online",))
    return SlotQuery(**kw)


def meeting(emp: str, start: datetime, minutes: int = 60, **kw) -> ClaimFacts:  # type: ignore[no-untyped-def]
    """A meeting claim on one advisor."""
    kw.setdefault("meeting_id", f"m-{emp}-{start:%d%H%M}")
    return ClaimFacts(f"employee:{emp}", start, start + timedelta(minutes=minutes), **kw)


def hold(emp: str, start: datetime, expires: datetime, minutes: int = 60) -> ClaimFacts:
    """A reservation claim on one advisor that expires at `expires`."""
    end = start + timedelta(minutes=minutes)
    return ClaimFacts(f"employee:{emp}", start, end, reservation_id="r1", expires_at=expires)


def run(q: SlotQuery, f: Facts, now: datetime = NOW) -> list[Slot]:
    return available_slots(q, f, now)


def clock_times(slots: list[Slot]) -> list[str]:
    """Local start times as HH:MM."""
    return [s.start.astimezone(TZ).strftime("%H:%M") for s in slots]
