"""The facts the availability engine reasons over: plain frozen values, no Flask, no SQLAlchemy.

Instants are timezone-aware UTC datetimes; schedule times are local wall-clock times in the
organisation's time zone. Busy times and claims may instead carry epoch minutes (`int`: the start
floored, the end ceiled), which is how the slot service loads them: thousands per search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import NamedTuple


@dataclass(frozen=True)
class OrgFacts:
    """The organisation's settings that shape availability."""

    time_zone: str = "Europe/Copenhagen"
    opening_time: time = time(8, 0)
    closing_time: time = time(18, 0)
    max_days_ahead: int = 90
    default_meeting_minutes: int = 60
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    min_notice_minutes: int = 0
    max_meeting_minutes_per_day: int | None = None


@dataclass(frozen=True)
class LocationFacts:
    """A branch and the area names it serves."""

    id: str
    name: str
    areas: tuple[str, ...] = ()
    require_room: bool = False


@dataclass(frozen=True)
class ScheduleDay:
    """One weekday of an advisor's week (0 = Monday)."""

    weekday: int
    start: time
    end: time
    meeting_types: frozenset[str]
    location_id: str | None = None
    available: bool = True


@dataclass(frozen=True)
class EmployeeFacts:
    """An advisor with direct skills and weekly schedule."""

    id: str
    can_be_booked: bool = True
    only_explicitly_available: bool = False
    max_meeting_minutes_per_day: int | None = None
    topic_ids: frozenset[str] = frozenset()
    customer_type_ids: frozenset[str] = frozenset()
    schedule: tuple[ScheduleDay, ...] = ()

    def day(self, weekday: int) -> ScheduleDay | None:
        """The schedule entry for `weekday`, when the advisor works that day."""
        for entry in self.schedule:
            if entry.weekday == weekday and entry.available:
                return entry
        return None


@dataclass(frozen=True)
class CompetenceGroupFacts:
    """A skill group; members of it and of its subgroups qualify for its topics."""

    id: str
    parent_id: str | None = None
    member_ids: frozenset[str] = frozenset()
    topic_ids: frozenset[str] = frozenset()
    customer_type_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ServiceGroupFacts:
    """A pool activated by topic/customer type/customer location; empty rules match anything."""

    id: str
    topic_ids: frozenset[str] = frozenset()
    customer_type_ids: frozenset[str] = frozenset()
    customer_locations: tuple[str, ...] = ()
    meeting_types: frozenset[str] = frozenset()
    location_ids: frozenset[str] = frozenset()
    employee_ids: frozenset[str] = frozenset()
    competence_group_ids: frozenset[str] = frozenset()
    max_meeting_minutes_per_day: int | None = None


@dataclass(frozen=True)
class RoomFacts:
    """A meeting room at a branch."""

    id: str
    location_id: str
    can_be_booked: bool = True
    name: str = ""


@dataclass(frozen=True)
class TopicFacts:
    """A meeting topic: its length, the meeting types and customer types it allows."""

    id: str
    duration_minutes: int | None = None
    meeting_types: frozenset[str] = frozenset()
    customer_type_ids: frozenset[str] = frozenset()


class BusyFacts(NamedTuple):
    """Time an advisor cannot be booked; kind `elsewhere` blocks Physical meetings only.

    Busy times and claims are named tuples: thousands are built per search, and cheaply.
    """

    employee_id: str
    start: datetime | int
    end: datetime | int
    kind: str = "absence"


class ClaimFacts(NamedTuple):
    """A live commitment of `employee:<id>` or `room:<id>`: a meeting or a reservation."""

    resource: str
    start: datetime | int
    end: datetime | int
    meeting_id: str | None = None
    reservation_id: str | None = None
    expires_at: datetime | None = None


# What the engine reads of busy times and claims: the named tuples above or plain tuples in their
# order (the slot service passes plain ones).
BusyRow = tuple[str, datetime | int, datetime | int, str]
ClaimRow = tuple[str, datetime | int, datetime | int, str | None, str | None, datetime | None]


@dataclass(frozen=True)
class Facts:
    """Everything the engine needs besides the query and `now`."""

    org: OrgFacts
    employees: tuple[EmployeeFacts, ...] = ()
    locations: tuple[LocationFacts, ...] = ()
    rooms: tuple[RoomFacts, ...] = ()
    topic: TopicFacts | None = None
    competence_groups: tuple[CompetenceGroupFacts, ...] = ()
    service_groups: tuple[ServiceGroupFacts, ...] = ()
    closing_days: frozenset[date] = frozenset()
    busy: Sequence[BusyRow] = ()
    claims: Sequence[ClaimRow] = ()
    # Whether any advisor or competence group lists the topic / customer type at all (None: judge
    # from the advisors given). The service sets them when it loads only some advisors.
    topic_listed: bool | None = None
    customer_type_listed: bool | None = None
    # Whether every busy time and claim carries epoch minutes (the slot service's do): the engine
    # then reads them as they are, without looking at each.
    in_minutes: bool = False
