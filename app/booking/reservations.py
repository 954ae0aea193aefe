"""Reservations ("time slots"): 5-minute holds on a slot, tied to their owner's hold token.

The only code that writes reservations. Services take plain values and `now`. A hold belongs to
its `owner` (`client_owner(client_id)`, `wizard_owner(browser_token)`, `staff_owner(user_id)`), and
tokens are namespaced by it: the same token string from two owners is two sessions. Where a
service takes `owner=None`, the caller is trusted (tests, commands) and every hold is visible.

- `reserve(request: HoldRequest, *, now, max_live_holds=None) -> Reservation`: hold a slot the
  engine would offer right now (else `Conflict` saying why); the owner's token's previous hold is
  released in the same transaction; the very same slot again with the same token returns the
  existing live hold unchanged. `existing_meeting_id` makes it the target of a move: that
  meeting's own time does not block. `TooManyHolds` when the owner already has `max_live_holds`.
- `get_reservation(reservation_id, *, owner=None) -> Reservation` (`NotFound`, also for another
  owner's hold).
- `release(reservation_id, token, *, owner=None, now) -> None`: `NotFound` for another owner's
  hold, `Forbidden` for another token, `Conflict` once it became a meeting; releasing a released
  or expired hold is a no-op.
- `hand_over(reservation_id, owner, token, new_owner, new_token, *, now) -> Reservation`: the hold
  changes owner and token (the wizard's session-fixation defence); `NotFound` for another owner's
  hold, `Forbidden` for another token, `Conflict` once it was released or became a meeting. A hold
  that ran out moves too, so its new owner can take it again.
- `purge_expired(now) -> int`: delete expired holds' claims and mark the holds `Expired`.
- `live_hold_of(owner, token, *, now) -> Reservation | None`: the token's hold that is still live.
- `live_status(reservation, now) -> str`: `Reserved`, `Expired`, `Released` or `Consumed`.

Expired holds never block: the engine ignores them by `expires_at`, and `reserve` deletes the
overlapping expired claims before inserting its own (the database guard counts every claim row).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, literal, select, union_all, update

from app.booking import events
from app.booking.claims import Buffers, add_claims, organisation_buffers, resources_for
from app.booking.errors import Conflict, Forbidden, InvalidRequest, NotFound, TooManyHolds
from app.booking.locking import lock_more, owner_key, token_key, write_transaction
from app.extensions import db
from app.models import BookingClaim, Employee, Meeting, Reservation, Room, Topic

HOLD = timedelta(minutes=5)
FAR_FUTURE = timedelta(days=5 * 366)  # beyond any organisation's horizon; keeps date maths finite
RESERVED, CONSUMED, RELEASED, EXPIRED = "Reserved", "Consumed", "Released", "Expired"
CLIENT_OWNER, WIZARD_OWNER, STAFF_OWNER = "client:", "wizard:", "staff:"


def client_owner(client_id: str) -> str:
    """The owner of the holds an API client makes."""
    return CLIENT_OWNER + client_id


def wizard_owner(browser_token: str) -> str:
    """The owner of the holds one wizard browser session makes."""
    return WIZARD_OWNER + browser_token


def staff_owner(user_id: str) -> str:
    """The owner of the holds one staff account makes (booking for a customer, moving a meeting)."""
    return STAFF_OWNER + user_id


def _client_id_of(owner: str) -> str | None:
    """The API client behind an owner, None for other owners."""
    return owner.removeprefix(CLIENT_OWNER) if owner.startswith(CLIENT_OWNER) else None


@dataclass(frozen=True)
class HoldRequest:
    """What a caller wants held: the slot as availability offered it, and the hold token."""

    token: str
    start: datetime
    end: datetime
    employee_id: str
    additional_employee_ids: tuple[str, ...] = ()
    room_id: str | None = None
    meeting_type: str | None = None
    topic_id: str | None = None
    customer_type_id: str | None = None
    service_group: str | None = None
    existing_meeting_id: str | None = None
    is_customer_initiated: bool = False
    ignore_minimum_notice: bool = False  # staff may lift the notice of a customer-initiated hold
    owner: str = field(kw_only=True)

    @property
    def employee_ids(self) -> tuple[str, ...]:
        """Every advisor the slot names, the lead first."""
        return tuple(dict.fromkeys((self.employee_id, *self.additional_employee_ids)))

    @property
    def resources(self) -> list[str]:
        """The claim resources the hold occupies."""
        return resources_for(self.employee_ids, self.room_id)


def live_status(reservation: Reservation, now: datetime) -> str:
    """The status a caller sees: a `Reserved` hold past its expiry reads `Expired`."""
    if reservation.status == RESERVED and reservation.expires_at <= now:
        return EXPIRED
    return reservation.status


def reserve(
    request: HoldRequest, *, now: datetime, max_live_holds: int | None = None
) -> Reservation:
    """Hold the slot for 5 minutes, replacing the token's previous hold, in one transaction.

    `max_live_holds` caps the owner's live holds (None: no cap); the replaced hold does not count.
    """
    _validate(request, now)
    keys = [*request.resources, token_key(request.owner, request.token)]
    with write_transaction(keys):
        _check_known(request, now)
        previous = _live_hold_of(request.owner, request.token)
        if previous is not None and previous.expires_at > now and _same_slot(previous, request):
            return previous
        buffers = organisation_buffers()
        purge_overlapping_expired(
            request.resources, *buffers.around(request.start, request.end), now
        )
        if previous is not None:
            _release_row(previous, RELEASED if previous.expires_at > now else EXPIRED, now)
        _check_offered(request, previous, buffers, now)
        if max_live_holds is not None:
            _check_hold_cap(request.owner, max_live_holds, now)
        hold = _insert_hold(request, buffers, now)
    events.announce(events.hold_created, hold)
    return hold


def _check_hold_cap(owner: str, cap: int, now: datetime) -> None:
    """`TooManyHolds` when the owner already has `cap` live holds.

    The owner's lock is taken last (after the slot's), so counting and inserting are serialised
    per owner without holding that lock while the slot is checked.
    """
    lock_more([owner_key(owner)])
    live = (
        Reservation.owner == owner,
        Reservation.status == RESERVED,
        Reservation.expires_at > now,
    )
    count, first_expiry = db.session.execute(
        select(func.count(), func.min(Reservation.expires_at)).where(*live)
    ).one()
    if count >= cap:
        wait = max(1, int((first_expiry - now).total_seconds()) + 1) if first_expiry else 1
        raise TooManyHolds(
            f"this client already has {count} live reservations (at most {cap}); "
            "release those it no longer needs or wait until one expires",
            retry_after=wait,
        )


def _validate(request: HoldRequest, now: datetime) -> None:
    """Refuse malformed holds before touching the database."""
    if not request.token:
        raise InvalidRequest("token is required", field="token")
    if request.end <= request.start:
        raise InvalidRequest("endDate must be after startDate", field="timeSlot.endDate")
    if request.start <= now:
        raise Conflict("the slot has already started")
    if request.end - now > FAR_FUTURE:
        raise Conflict("the slot is further ahead than anyone can book")


def _check_known(request: HoldRequest, now: datetime) -> None:
    """404 for unknown advisors, room or topic (one round trip); the meeting to move must be open."""
    unknown = first_unknown(
        [
            *[("employee", Employee, e) for e in request.employee_ids],
            ("room", Room, request.room_id),
            ("topic", Topic, request.topic_id),
        ]
    )
    if unknown is not None:
        raise NotFound(*unknown)
    if request.existing_meeting_id:
        meeting = db.session.get(Meeting, request.existing_meeting_id, populate_existing=True)
        if meeting is None:
            raise NotFound("meeting", request.existing_meeting_id)
        if meeting.status != "Booked" or meeting.start_at <= now:
            raise Conflict("the meeting to move is cancelled, started or past")


def first_unknown(wanted: list[tuple[str, Any, str | None]]) -> tuple[str, str] | None:
    """The first `(kind, id)` whose row does not exist, checked in one query; None ids are skipped."""
    wanted = [(kind, model, ident) for kind, model, ident in wanted if ident]
    if not wanted:
        return None
    probes = [
        select(literal(i)).where(model.id == ident) for i, (_, model, ident) in enumerate(wanted)
    ]
    found = set(db.session.execute(union_all(*probes)).scalars())
    for i, (kind, _, ident) in enumerate(wanted):
        if i not in found:
            return kind, str(ident)
    return None


def live_hold_of(owner: str, token: str, *, now: datetime) -> Reservation | None:
    """The owner's token's hold that still keeps its time, if any."""
    hold = _live_hold_of(owner, token)
    return hold if hold is not None and hold.expires_at > now else None


def _live_hold_of(owner: str, token: str) -> Reservation | None:
    """The owner's token's current `Reserved` row (at most one: a partial unique index says so)."""
    stmt = select(Reservation).where(
        Reservation.owner == owner, Reservation.token == token, Reservation.status == RESERVED
    )
    return db.session.scalar(stmt.execution_options(populate_existing=True))


def _same_slot(hold: Reservation, request: HoldRequest) -> bool:
    """True when `hold` already is exactly the requested slot."""
    return (
        hold.start_at == request.start
        and hold.end_at == request.end
        and hold.employee_id == request.employee_id
        and tuple(hold.additional_employee_ids or ()) == request.additional_employee_ids
        and hold.room_id == request.room_id
        and (request.meeting_type is None or hold.meeting_type == request.meeting_type)
        and hold.existing_meeting_id == request.existing_meeting_id
    )


def _release_row(hold: Reservation, status: str, now: datetime) -> None:
    """Mark a hold released (or expired) and free its claims at once."""
    hold.status = status
    hold.modified_at = now
    db.session.execute(delete(BookingClaim).where(BookingClaim.reservation_id == hold.id))
    db.session.flush()


def purge_overlapping_expired(
    resources: list[str], blocked_from: datetime, blocked_until: datetime, now: datetime
) -> None:
    """Delete expired holds' claims whose blocked span overlaps this one on these resources."""
    db.session.execute(
        delete(BookingClaim).where(
            BookingClaim.resource.in_(resources),
            BookingClaim.expires_at.is_not(None),
            BookingClaim.expires_at <= now,
            BookingClaim.blocked_from < blocked_until,
            BookingClaim.blocked_until > blocked_from,
        )
    )


def _check_offered(
    request: HoldRequest, previous: Reservation | None, buffers: Buffers, now: datetime
) -> None:
    """Ask the engine whether it would offer exactly this slot right now, with the buffers the
    hold will be written with (`Conflict` if not)."""
    from app.booking.slots import check_slot

    check_slot(
        employee_ids=request.employee_ids,
        room_id=request.room_id,
        start=request.start,
        end=request.end,
        meeting_type=request.meeting_type,
        topic_id=request.topic_id,
        customer_type_id=request.customer_type_id,
        is_customer_initiated=request.is_customer_initiated,
        ignore_meeting_ids=(request.existing_meeting_id,) if request.existing_meeting_id else (),
        ignore_reservation_ids=(previous.id,) if previous is not None else (),
        buffers=buffers.minutes,
        ignore_minimum_notice=request.ignore_minimum_notice,
        now=now,
    )


def _insert_hold(request: HoldRequest, buffers: Buffers, now: datetime) -> Reservation:
    """Insert the reservation and its claims (a move's overlap with its own meeting is skipped)."""
    before, after = buffers.minutes
    hold = Reservation(
        token=request.token,
        start_at=request.start,
        end_at=request.end,
        employee_id=request.employee_id,
        additional_employee_ids=list(request.additional_employee_ids),
        room_id=request.room_id,
        meeting_type=request.meeting_type,
        topic_id=request.topic_id,
        service_group=request.service_group,
        status=RESERVED,
        created_at=now,
        modified_at=now,
        expires_at=now + HOLD,
        existing_meeting_id=request.existing_meeting_id,
        owner=request.owner,
        client_id=_client_id_of(request.owner),
        buffer_before_minutes=before,
        buffer_after_minutes=after,
    )
    db.session.add(hold)
    db.session.flush()
    own = _own_meeting_claims(request.existing_meeting_id)
    span, blocked = (request.start, request.end), buffers.around(request.start, request.end)
    for resource in request.resources:
        for piece in subtract(blocked, own.get(resource, [])):
            start, end = _inside(span, piece)
            add_claims(
                [resource],
                start,
                end,
                reservation_id=hold.id,
                expires_at=hold.expires_at,
                blocked=piece,
            )
    db.session.flush()
    return hold


def _inside(
    span: tuple[datetime, datetime], piece: tuple[datetime, datetime]
) -> tuple[datetime, datetime]:
    """The part of the held `span` inside a blocked `piece`; the piece itself when it is all buffer."""
    start, end = max(span[0], piece[0]), min(span[1], piece[1])
    return (start, end) if start < end else piece


def _own_meeting_claims(meeting_id: str | None) -> dict[str, list[tuple[datetime, datetime]]]:
    """The blocked spans the meeting being moved already holds, by resource."""
    if meeting_id is None:
        return {}
    rows = db.session.scalars(select(BookingClaim).where(BookingClaim.meeting_id == meeting_id))
    spans: dict[str, list[tuple[datetime, datetime]]] = {}
    for claim in rows:
        spans.setdefault(claim.resource, []).append((claim.blocked_from, claim.blocked_until))
    return spans


def subtract(
    span: tuple[datetime, datetime], holes: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """The parts of `span` not covered by any of `holes` (half-open intervals)."""
    pieces = [span]
    for hole_start, hole_end in holes:
        cut: list[tuple[datetime, datetime]] = []
        for start, end in pieces:
            if hole_end <= start or end <= hole_start:
                cut.append((start, end))
                continue
            if start < hole_start:
                cut.append((start, hole_start))
            if hole_end < end:
                cut.append((hole_end, end))
        pieces = cut
    return pieces


def get_reservation(reservation_id: str, *, owner: str | None = None) -> Reservation:
    """The reservation with this id; `owner` hides other owners' holds (None: a trusted caller)."""
    hold = db.session.get(Reservation, reservation_id)
    if hold is None or (owner is not None and hold.owner != owner):
        raise NotFound("timeSlot", reservation_id)
    return hold


def get_holding_reservation(
    reservation_id: str, *, owner: str | None = None, now: datetime
) -> Reservation:
    """A reservation that still holds its time or became a meeting; a released or expired one is
    gone (404), as the vendor deletes those."""
    hold = get_reservation(reservation_id, owner=owner)
    if live_status(hold, now) in (RELEASED, EXPIRED):
        raise NotFound("timeSlot", reservation_id)
    return hold


def release(reservation_id: str, token: str, *, owner: str | None = None, now: datetime) -> None:
    """Release a hold early with its token (a no-op when it is already released or expired)."""
    hold = get_reservation(reservation_id, owner=owner)
    if hold.token != token:
        raise Forbidden("the reservation token does not match")
    with write_transaction([token_key(hold.owner, token)]):
        current = db.session.get(Reservation, reservation_id, populate_existing=True)
        if current is None:
            raise NotFound("timeSlot", reservation_id)
        if current.status == CONSUMED:
            raise Conflict("the reservation has already become a meeting")
        if current.status == RESERVED:
            _release_row(current, RELEASED if current.expires_at > now else EXPIRED, now)


def hand_over(
    reservation_id: str, owner: str, token: str, new_owner: str, new_token: str, *, now: datetime
) -> Reservation:
    """Give the owner's hold to `new_owner`'s `new_token`: from now on only they replace, release,
    book or re-take it. `NotFound` for another owner's hold, `Forbidden` for another token."""
    if not new_token:
        raise InvalidRequest("token is required", field="token")
    with write_transaction([token_key(owner, token), token_key(new_owner, new_token)]):
        hold = db.session.get(Reservation, reservation_id, populate_existing=True)
        if hold is None or hold.owner != owner:
            raise NotFound("timeSlot", reservation_id)
        if hold.token != token:
            raise Forbidden("the reservation token does not match")
        if hold.status in (CONSUMED, RELEASED):
            raise Conflict("the reservation was released or has become a meeting")
        hold.owner, hold.token = new_owner, new_token
        hold.client_id = _client_id_of(new_owner)
        hold.modified_at = now
        db.session.flush()
    return hold


def purge_expired(now: datetime, *, attempts: int = 3) -> int:
    """Delete every expired hold's claims and mark those holds `Expired`; returns the holds purged.

    It takes no resource locks, so on PostgreSQL it can rarely deadlock with a concurrent reserve
    deleting the same expired claims; the database then aborts one side and the purge tries again.
    """
    for attempt in range(attempts):
        try:
            with write_transaction([]):
                db.session.execute(
                    delete(BookingClaim).where(
                        BookingClaim.expires_at.is_not(None), BookingClaim.expires_at <= now
                    )
                )
                result = db.session.execute(
                    update(Reservation)
                    .where(Reservation.status == RESERVED, Reservation.expires_at <= now)
                    .values(status=EXPIRED, modified_at=now)
                )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
        except Conflict:
            if attempt == attempts - 1:
                raise
    return 0
