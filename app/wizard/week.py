"""Step 2: the week grid of free start times, built from the availability engine's answer.

`build_week_for` lays out any search (a `Search`: the query for a window); the customer wizard's
`build_week` and the staff pages' booking for a customer both use it, and both render the grid
with templates/wizard/_slot_grid.html.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.booking.query import Slot, SlotQuery
from app.extensions import db
from app.i18n import zone_name
from app.models import ClosingDay, OrganisationSettings
from app.wizard.choices import StepOne

SEP = "|"
MAX_ADVISORS_PER_SLOT = (
    20  # a joint meeting names a handful; the button value is the browser's text
)
Search = Callable[[datetime, timedelta], SlotQuery]  # the query for `start` and `look_forward`
LATEST_WEEK = timedelta(weeks=520)  # far beyond any horizon; keeps the week's date maths finite


@dataclass(frozen=True)
class Mine:
    """A time that is already the customer's: `held` for now, or the `current` time of a meeting
    being moved. The grid shows it in its place, marked, instead of leaving a gap."""

    start: datetime
    kind: str  # "held" / "current"


@dataclass
class Day:
    """One column of the grid: a local day, its free slots, and the closing day's name if closed."""

    day: date
    start: datetime
    slots: list[Slot] = field(default_factory=list)
    closed: str | None = None
    mine: Mine | None = None

    @property
    def times(self) -> list[Slot | Mine]:
        """The free slots and the customer's own time, in order (a free slot at that time gives
        way to it)."""
        if self.mine is None:
            return list(self.slots)
        others = [s for s in self.slots if s.start != self.mine.start]
        return sorted([*others, self.mine], key=lambda t: t.start)


@dataclass
class Week:
    """The grid for one week (Monday first) plus where the next free time is when the week is empty."""

    monday: date
    days: list[Day]
    has_previous: bool
    has_next: bool
    next_free: Slot | None = None

    @property
    def empty(self) -> bool:
        """True when the week offers no free time at all."""
        return not any(d.slots for d in self.days)

    def mark(self, mine: Mine) -> None:
        """Show `mine` on its day, when that day is in this week's grid."""
        for day in self.days:
            if day.start <= mine.start < day.start + timedelta(days=1):
                day.mine = mine


def slot_value(slot: Slot) -> str:
    """The button value that identifies a slot in the hold form."""
    parts = [slot.start.isoformat(), slot.end.isoformat(), slot.meeting_type]
    return SEP.join([*parts, ",".join(slot.employee_ids), slot.room_id or ""])


def parse_slot_value(value: str, topic_id: str | None) -> Slot | None:
    """The slot a button value names, or None when it is malformed (no time zone, or more
    advisors than a joint meeting has)."""
    try:
        start, end, meeting_type, employees, room = value.split(SEP)
        ids = tuple(e for e in employees.split(",") if e)
        begins, ends = datetime.fromisoformat(start), datetime.fromisoformat(end)
        if begins.tzinfo is None or ends.tzinfo is None or len(ids) > MAX_ADVISORS_PER_SLOT:
            return None
        return Slot(
            start=begins,
            end=ends,
            meeting_type=meeting_type,
            employee_id=ids[0],
            employee_ids=ids,
            room_id=room or None,
            topic_id=topic_id,
        )
    except (ValueError, IndexError):
        return None


def monday_of(day: date) -> date:
    """The Monday of the week that contains `day`."""
    return day - timedelta(days=day.weekday())


def parse_week(value: str | None, zone: ZoneInfo, now: datetime) -> date:
    """The requested week's Monday; this week when missing, malformed or in the past."""
    this_week = monday_of(now.astimezone(zone).date())
    try:
        asked = monday_of(date.fromisoformat(value)) if value else this_week
    except ValueError:
        asked = this_week
    return min(max(asked, this_week), this_week + LATEST_WEEK)


def query_for(step: StepOne, start: datetime, length: timedelta) -> SlotQuery:
    """The customer-initiated search for the step-1 answers (a preferred advisor falls back)."""
    c = step.choices
    location = step.location
    preferred = (c.advisor,) if c.advisor else ()
    return SlotQuery(
        require_employee_participation=not preferred,
        explicit_employee_ids=preferred,
        employee_types=("Explicit", "Local", "ServiceGroup") if preferred else (),
        start=start,
        look_forward=length,
        topic_id=c.topic,
        customer_type_id=c.customer_type,
        meeting_types=(c.meeting_type,) if c.meeting_type else (),
        meeting_location=location.name if location else None,
        ignore_meeting_ids=(step.moving.id,) if step.moving else (),
        is_customer_initiated=True,
        best_slots=True,
    )


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def build_week(step: StepOne, monday: date, now: datetime) -> Week:
    """The customer's week: the step-1 answers' search laid out by local day."""
    return build_week_for(lambda start, length: query_for(step, start, length), monday, now)


def build_week_for(search: Search, monday: date, now: datetime) -> Week:
    """Search the week and lay the slots out by local day; Saturday and Sunday only when offered."""
    from app.booking.slots import find_slots

    org = db.session.get(OrganisationSettings, 1)
    zone = ZoneInfo(zone_name(org.time_zone if org else None))
    week_start, week_end = (
        _local_midnight(monday, zone),
        _local_midnight(monday + timedelta(7), zone),
    )
    start = max(now, week_start)
    slots = find_slots(search(start, week_end - start), now) if week_end > now else []
    days = [
        Day(monday + timedelta(i), _local_midnight(monday + timedelta(i), zone)) for i in range(7)
    ]
    for slot in slots:
        days[(slot.start.astimezone(zone).date() - monday).days].slots.append(slot)
    _mark_closed(days, monday)
    today = now.astimezone(zone).date()  # days already gone are no use to anyone
    days = [d for d in days if d.day >= today and (d.day.weekday() < 5 or d.slots)]
    max_ahead = now + timedelta(days=org.max_days_ahead if org else 90)
    week = Week(
        monday=monday,
        days=days,
        has_previous=week_start > now,
        has_next=week_end < max_ahead,
    )
    if week.empty and week.has_next:
        week.next_free = _next_free(search, max(now, week_end), max_ahead, now)
    return week


def _mark_closed(days: list[Day], monday: date) -> None:
    """Name the closing days of the week in their columns."""
    rows = db.session.scalars(
        select(ClosingDay).where(ClosingDay.day >= monday, ClosingDay.day < monday + timedelta(7))
    )
    for row in rows:
        days[(row.day - monday).days].closed = row.name or "-"


def _next_free(search: Search, start: datetime, until: datetime, now: datetime) -> Slot | None:
    """The first free slot from `start`, looking as far ahead as the organisation allows."""
    from app.booking.slots import find_slots

    if until <= start:
        return None
    slots = find_slots(search(start, until - start), now)
    return slots[0] if slots else None
