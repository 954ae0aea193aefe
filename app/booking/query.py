"""The availability request and answer as plain values, shared by the engine, services and views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

POOLS = ("Explicit", "Local", "ServiceGroup")


@dataclass(frozen=True)
class SlotQuery:
    """What a caller asks availability for, already parsed and canonicalised.

    Meeting types are canonical (`Physical`, `Online`, `Telephone`, `OffSite`); pools are `POOLS`
    members; instants are timezone-aware UTC; `None` means "not given, use the default".
    """

    require_employee_participation: bool
    explicit_employee_ids: tuple[str, ...] = ()
    employee_types: tuple[str, ...] = ()
    start: datetime | None = None
    look_forward: timedelta | None = None
    topic_id: str | None = None
    customer_type_id: str | None = None
    meeting_types: tuple[str, ...] = ()
    customer_location: str | None = None
    meeting_location: str | None = None
    require_room: bool | None = None
    specific_room_ids: tuple[str, ...] = ()
    ignore_meeting_ids: tuple[str, ...] = ()
    duration: timedelta | None = None
    is_customer_initiated: bool = False
    ignore_minimum_notice: bool = False
    best_slots: bool | None = None


@dataclass(frozen=True, order=True)
class Slot:
    """One offered slot: a start time, meeting type, the advisor(s) and, where one applies, a room."""

    start: datetime
    end: datetime
    meeting_type: str
    employee_id: str
    employee_ids: tuple[str, ...]
    room_id: str | None
    topic_id: str | None
