"""The facts the availability engine reasons over: plain frozen values, no Flask, no SQLAlchemy.

Instants are timezone-aware UTC datetimes; schedule times are local wall-clock times in the
organisation's time zone. Busy times and claims may instead carry epoch minutes (`int`: the start
floored, the end ceiled), which is how the slot service loads them: thousands per search.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property
from operator import itemgetter
from typing import Any, NamedTuple, overload

import numpy as np
from numpy.typing import NDArray

from app.booking.constants import DEFAULT_TIME_ZONE
from app.booking.priority import DEFAULT_PRIORITY_LEVELS, PriorityLevel
from app.booking.timeline import ceil_minute, floor_minute


@dataclass(frozen=True)
class OrgFacts:
    """The organisation's settings that shape availability."""

    time_zone: str = DEFAULT_TIME_ZONE
    opening_time: time = time(8, 0)
    closing_time: time = time(18, 0)
    max_days_ahead: int = 90
    default_meeting_minutes: int = 60
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    min_notice_minutes: int = 0
    max_meeting_minutes_per_day: int | None = None
    priority_levels: tuple[PriorityLevel, ...] = DEFAULT_PRIORITY_LEVELS  # best-slot choice


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
    label: str | None = None  # chooses the group's priority level (`app.booking.priority`)


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
    """A live commitment of `employee:<id>` or `room:<id>`: a meeting or a reservation.

    `blocked_from`/`blocked_until` are the span it keeps from every other commitment (itself and
    the buffers in force when it was made); None: itself widened by the organisation's buffers now.
    """

    resource: str
    start: datetime | int
    end: datetime | int
    meeting_id: str | None = None
    reservation_id: str | None = None
    expires_at: datetime | None = None
    blocked_from: datetime | int | None = None
    blocked_until: datetime | int | None = None


# What the engine reads of busy times and claims: the named tuples above or plain tuples in their
# order (the slot service passes plain ones).
BusyRow = tuple[str, datetime | int, datetime | int, str]
ClaimRow = tuple[Any, ...]  # `ClaimFacts` order; the blocked span may be left off


def employee_resource(employee_id: str) -> str:
    """The claim resource of an advisor."""
    return f"employee:{employee_id}"


def room_resource(room_id: str) -> str:
    """The claim resource of a room."""
    return f"room:{room_id}"


class ClaimColumns(Sequence[ClaimRow]):
    """Claim rows with their start and end epoch minutes as int64 arrays (the start floored, the
    end ceiled): the engine reads the minutes and the resources as columns, never row by row, and
    the other columns only when it needs them. Read as a sequence, the rows in `ClaimFacts` order
    with the minutes. `all_live`: no row carries an expiry (the slot service's query keeps only
    live claims). `blocked`: the blocked spans' minutes, None when no row carries one (each claim
    then keeps itself and the organisation's buffers now). `unkept`: with `blocked`, True for
    the rows that carry no span of their own (they, too, keep the buffers now)."""

    def __init__(
        self,
        rows: Sequence[tuple[Any, ...]],
        starts: NDArray[np.int64],
        ends: NDArray[np.int64],
        all_live: bool = False,
        blocked: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None,
        unkept: NDArray[np.bool_] | None = None,
    ) -> None:
        self.rows, self.starts, self.ends, self.all_live = rows, starts, ends, all_live
        self.blocked, self.unkept = blocked, unkept

    @classmethod
    def of(cls, rows: Sequence[ClaimRow]) -> ClaimColumns:
        """Columns of claim rows whose instants are datetimes or epoch minutes."""
        if isinstance(rows, ClaimColumns):
            return rows
        starts = np.array([_floor(r[1]) for r in rows], np.int64)
        ends = np.array([_ceil(r[2]) for r in rows], np.int64)
        blocked, unkept = None, None
        if any(len(r) > 7 and r[6] is not None for r in rows):
            unkept = np.array([len(r) <= 7 or r[6] is None for r in rows], bool)
            blocked = (
                np.array(
                    [
                        _floor(r[6]) if len(r) > 7 and r[6] is not None else _floor(r[1])
                        for r in rows
                    ],
                    np.int64,
                ),
                np.array(
                    [_ceil(r[7]) if len(r) > 7 and r[7] is not None else _ceil(r[2]) for r in rows],
                    np.int64,
                ),
            )
        return cls(rows, starts, ends, blocked=blocked, unkept=unkept)

    @cached_property
    def resources(self) -> list[str]:
        return list(map(itemgetter(0), self.rows))

    @cached_property
    def meetings(self) -> list[str | None]:
        return list(map(itemgetter(3), self.rows))

    @cached_property
    def holds(self) -> list[str | None]:
        """The reservation id of each hold, None (or empty) for a meeting."""
        return list(map(itemgetter(4), self.rows))

    @cached_property
    def expires(self) -> list[datetime | None]:
        return list(map(itemgetter(5), self.rows))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[ClaimRow]:
        columns = (self.starts.tolist(), self.ends.tolist(), self.meetings, self.holds)
        return zip(self.resources, *columns, self.expires, strict=True)

    @overload
    def __getitem__(self, index: int) -> ClaimRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[ClaimRow]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return list(self)[index]
        row = self.rows[index]
        return (row[0], int(self.starts[index]), int(self.ends[index]), *row[3:6])


def _floor(instant: datetime | int) -> int:
    return instant if isinstance(instant, int) else floor_minute(instant)


def _ceil(instant: datetime | int) -> int:
    return instant if isinstance(instant, int) else ceil_minute(instant)


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
