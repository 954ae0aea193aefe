"""The vendor's time slots (`GET`/`POST /bookme/time-slots`): what occupies advisors' and rooms'
calendars, in the vendor's `TimeSlotStatus` words.

Ours are three kinds of rows: live reservations (`Reserved`), booked meetings (`Booked`) and busy
times (`Busy`, or `WorkingFromElsewhere`). Released, replaced and expired holds and cancelled
meetings are not listed: the vendor deletes those.

- `list_time_slots(window: SlotWindow, *, owner, meeting_owner, with_busy, now)`: the entries
  overlapping the window, by start; `owner` (the caller's hold owner) and `meeting_owner` (its
  client id) hide other callers' holds and meetings (None: every one, for admins); busy times
  only `with_busy` (admins: busy times are configuration).
- `add_busy_time(request: BusyRequest, *, now)`: a busy time of an advisor (`Busy*` statuses,
  `WorkingFromElsewhere`); `Conflict` when the advisor has a meeting or a live hold then, unless
  `ignore_conflicts` (the vendor's `ignoreTimeSlotConflicts`); the same busy time again answers
  the stored one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from app.booking.claims import employee_resource
from app.booking.errors import Conflict, InvalidRequest, NotFound
from app.booking.locking import write_transaction
from app.booking.meetings import BOOKED
from app.booking.reservations import RESERVED
from app.extensions import db
from app.models import BookingClaim, BusyTime, Employee, Meeting, Reservation

MAX_WINDOW = timedelta(days=62)  # one listing covers at most two months
VENDOR_BOOKED, VENDOR_RESERVED = "Booked", "Reserved"
BUSY, ELSEWHERE = "Busy", "WorkingFromElsewhere"
# The vendor's statuses a caller may create as a busy time, and the kind we store for each.
BUSY_KIND_OF = {
    BUSY: "external",
    "BusyAppointmentInstance": "external",
    "BusyAppointmentOccurence": "external",
    "BusyEventInstance": "external",
    "BusyEventOccurence": "external",
    ELSEWHERE: "elsewhere",
}
VENDOR_STATUS_OF_KIND = {"absence": BUSY, "external": BUSY, "elsewhere": ELSEWHERE}


@dataclass(frozen=True)
class SlotWindow:
    """`GET /bookme/time-slots`: entries overlapping [start, end), filtered (None/empty: any)."""

    start: datetime
    end: datetime
    employee_id: str | None = None
    room_id: str | None = None
    statuses: frozenset[str] = frozenset()

    def wants(self, status: str) -> bool:
        """Whether entries of this vendor status are asked for."""
        return not self.statuses or status in self.statuses


@dataclass(frozen=True)
class TimeSlotEntry:
    """One entry of an advisor's or a room's calendar, as the vendor's TimeSlot shows it."""

    id: str
    created_at: datetime | None
    modified_at: datetime | None
    start: datetime
    end: datetime
    status: str
    employee_ids: tuple[str, ...]
    room_id: str | None = None
    meeting_type: str | None = None
    service_group: str | None = None
    meeting_id: str | None = None


def check_window(start: datetime, end: datetime) -> None:
    """400 unless the window is forward and at most `MAX_WINDOW` long."""
    if end <= start:
        raise InvalidRequest("endDate must be after startDate", field="endDate")
    if end - start > MAX_WINDOW:
        raise InvalidRequest(f"the window may span at most {MAX_WINDOW.days} days", field="endDate")


def list_time_slots(
    window: SlotWindow,
    *,
    owner: str | None,
    meeting_owner: str | None,
    with_busy: bool,
    now: datetime,
) -> list[TimeSlotEntry]:
    """The holds, meetings and (`with_busy`) busy times overlapping the window, by start."""
    check_window(window.start, window.end)
    found: list[TimeSlotEntry] = []
    if window.wants(VENDOR_RESERVED):
        found += _holds(window, owner, now)
    if window.wants(VENDOR_BOOKED):
        found += _meetings(window, meeting_owner)
    if with_busy and window.room_id is None:
        found += [b for b in _busy_times(window) if window.wants(b.status)]
    return sorted((e for e in found if _names(e, window)), key=lambda e: (e.start, e.status, e.id))


def _names(entry: TimeSlotEntry, window: SlotWindow) -> bool:
    """Whether the entry is of the advisor and room the window asks for."""
    if window.employee_id and window.employee_id not in entry.employee_ids:
        return False
    return not window.room_id or entry.room_id == window.room_id


def _holds(window: SlotWindow, owner: str | None, now: datetime) -> list[TimeSlotEntry]:
    stmt = select(Reservation).where(
        Reservation.status == RESERVED,
        Reservation.expires_at > now,
        Reservation.start_at < window.end,
        Reservation.end_at > window.start,
    )
    if owner is not None:
        stmt = stmt.where(Reservation.owner == owner)
    if window.room_id:
        stmt = stmt.where(Reservation.room_id == window.room_id)
    return [
        TimeSlotEntry(
            id=h.id,
            created_at=h.created_at,
            modified_at=h.modified_at,
            start=h.start_at,
            end=h.end_at,
            status=VENDOR_RESERVED,
            employee_ids=(h.employee_id, *(h.additional_employee_ids or ())),
            room_id=h.room_id,
            meeting_type=h.meeting_type,
            service_group=h.service_group,
        )
        for h in db.session.scalars(stmt)
    ]


def _meetings(window: SlotWindow, client_id: str | None) -> list[TimeSlotEntry]:
    stmt = select(Meeting).where(
        Meeting.status == BOOKED, Meeting.start_at < window.end, Meeting.end_at > window.start
    )
    if client_id is not None:
        stmt = stmt.where(Meeting.client_id == client_id)
    if window.room_id:
        stmt = stmt.where(Meeting.room_id == window.room_id)
    return [
        TimeSlotEntry(
            id=m.time_slot_id or m.id,
            created_at=m.created_at,
            modified_at=m.modified_at,
            start=m.start_at,
            end=m.end_at,
            status=VENDOR_BOOKED,
            employee_ids=(m.employee_id, *(m.additional_employee_ids or ())),
            room_id=m.room_id,
            meeting_type=m.meeting_type,
            meeting_id=m.id,
        )
        for m in db.session.scalars(stmt)
    ]


def _busy_times(window: SlotWindow) -> list[TimeSlotEntry]:
    stmt = select(BusyTime).where(BusyTime.start_at < window.end, BusyTime.end_at > window.start)
    if window.employee_id:
        stmt = stmt.where(BusyTime.employee_id == window.employee_id)
    return [_busy_entry(b) for b in db.session.scalars(stmt)]


def _busy_entry(row: BusyTime) -> TimeSlotEntry:
    return TimeSlotEntry(
        id=row.id,
        created_at=None,
        modified_at=None,
        start=row.start_at,
        end=row.end_at,
        status=VENDOR_STATUS_OF_KIND.get(row.kind, BUSY),
        employee_ids=(row.employee_id,),
    )


@dataclass(frozen=True)
class BusyRequest:
    """A busy time to add: whose, when, the vendor status, and whether clashes may stand."""

    employee_id: str
    start: datetime
    end: datetime
    status: str
    ignore_conflicts: bool = False


def add_busy_time(request: BusyRequest, *, now: datetime) -> TimeSlotEntry:
    """Add the advisor's busy time (the stored one when it is already there)."""
    kind = BUSY_KIND_OF.get(request.status)
    if kind is None:
        raise InvalidRequest(f"status {request.status} is not a busy status", field="status")
    check_window(request.start, request.end)
    if request.end <= now:
        raise InvalidRequest("the busy time is over already", field="endDate")
    if db.session.get(Employee, request.employee_id) is None:
        raise NotFound("employee", request.employee_id)
    with write_transaction([employee_resource(request.employee_id)]):
        same = db.session.scalar(
            select(BusyTime).where(
                BusyTime.employee_id == request.employee_id,
                BusyTime.start_at == request.start,
                BusyTime.end_at == request.end,
                BusyTime.kind == kind,
            )
        )
        if same is not None:
            return _busy_entry(same)
        if not request.ignore_conflicts:
            _check_free(request, now)
        row = BusyTime(
            employee_id=request.employee_id, start_at=request.start, end_at=request.end, kind=kind
        )
        db.session.add(row)
        db.session.flush()
        entry = _busy_entry(row)
    return entry


def _check_free(request: BusyRequest, now: datetime) -> None:
    """Conflict when a meeting or a live hold of the advisor overlaps the busy time."""
    clash = db.session.scalar(
        select(BookingClaim.id)
        .where(
            BookingClaim.resource == employee_resource(request.employee_id),
            BookingClaim.start_at < request.end,
            BookingClaim.end_at > request.start,
            or_(BookingClaim.expires_at.is_(None), BookingClaim.expires_at > now),
        )
        .limit(1)
    )
    if clash is not None:
        raise Conflict(
            "the advisor has a meeting or a reservation in that time; send "
            "ignoreTimeSlotConflicts=true to add the busy time anyway (they stay booked)"
        )
