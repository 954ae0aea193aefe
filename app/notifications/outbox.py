"""Writing the outbox: the booking services call these inside the transaction of their change.

`record_booked`, `record_changed` and `record_cancelled` add one `OutboxMessage` per recipient
(the customer, each advisor, each webhook endpoint that wants the event) to the session the service is about to commit, so a change and its
messages commit together or not at all. Nothing here commits or flushes on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Customer, Employee, Meeting, User
from app.notifications.models import OutboxMessage, WebhookEndpoint

EMAIL, WEBHOOK = "email", "webhook"
BOOKED, MOVED, CANCELLED = "meeting.booked", "meeting.moved", "meeting.cancelled"
REMINDER = "meeting.reminder"  # owed by the reminder job (app/notifications/reminders.py)
EVENTS = (BOOKED, MOVED, CANCELLED, REMINDER)
CUSTOMER, ADVISOR = "customer", "advisor"
# Who made the change, from the owner/actor strings the services already receive.
WIZARD, API, STAFF, SERVICE = "wizard", "api", "staff", "service"


@dataclass(frozen=True)
class Before:
    """What a change needs to remember about the meeting as it was."""

    start_at: datetime
    end_at: datetime
    employee_ids: tuple[str, ...]
    place: tuple[str | None, ...] = ()


def snapshot(meeting: Meeting) -> Before:
    """The meeting's time, advisors and place before a change."""
    return Before(meeting.start_at, meeting.end_at, _advisors(meeting), _place(meeting))


def _place(meeting: Meeting) -> tuple[str | None, ...]:
    """Where and how the meeting is held: the e-mails name them."""
    return (meeting.meeting_type, meeting.location_id, meeting.room_id)


def record_booked(meeting: Meeting, *, actor: str | None, now: datetime) -> None:
    """Owe the customer a confirmation and each advisor a "new meeting" message."""
    _record(BOOKED, meeting, _origin(meeting, actor), _advisors(meeting), now)


def record_changed(meeting: Meeting, before: Before, *, actor: str | None, now: datetime) -> None:
    """Owe "moved" messages when the time, the advisors or the place (meeting type, branch,
    room) changed (a new title alone: none)."""
    if (meeting.start_at, meeting.end_at, _advisors(meeting), _place(meeting)) == (
        before.start_at,
        before.end_at,
        before.employee_ids,
        before.place,
    ):
        return
    extra = {"old_start": before.start_at.isoformat(), "old_end": before.end_at.isoformat()}
    advisors = tuple(dict.fromkeys((*_advisors(meeting), *before.employee_ids)))
    _record(MOVED, meeting, {**_origin(meeting, actor), **extra}, advisors, now)


def record_cancelled(
    meeting: Meeting, *, actor: str | None, reason: str | None, now: datetime
) -> None:
    """Owe cancellation messages; the reason is kept with the event (it belongs to it)."""
    extra = {"reason": reason or ""}
    _record(CANCELLED, meeting, {**_origin(meeting, actor), **extra}, _advisors(meeting), now)


def _advisors(meeting: Meeting) -> tuple[str, ...]:
    return tuple(dict.fromkeys([meeting.employee_id, *(meeting.additional_employee_ids or [])]))


def _origin(meeting: Meeting, actor: str | None) -> dict[str, Any]:
    """Channel and actor without personal data: an API client's id, a staff account's id."""
    channel, who = SERVICE, "system"
    if actor and actor.startswith("client:"):
        channel, who = API, actor
    elif actor and (actor.startswith("wizard:") or actor == "customer"):
        channel, who = WIZARD, "customer"
    elif actor and "@" in actor:
        user = db.session.scalar(select(User).where(User.email == actor))
        channel, who = STAFF, f"user:{user.id}" if user else "staff"
    elif meeting.booked_by_user_id:
        channel, who = STAFF, f"user:{meeting.booked_by_user_id}"
    elif meeting.client_id:
        channel, who = API, f"client:{meeting.client_id}"
    return {"channel": channel, "actor": who, "sequence": meeting.sequence}


def _record(
    event: str,
    meeting: Meeting,
    data: dict[str, Any],
    advisor_ids: tuple[str, ...],
    now: datetime,
) -> None:
    """One e-mail per recipient who has an address now (looked up again at delivery), and one
    webhook per enabled endpoint that wants the event (in order per meeting and endpoint)."""
    recipients: list[dict[str, Any]] = []
    if customer_address(meeting):
        recipients.append({"to": CUSTOMER})
    with_address = advisor_addresses(advisor_ids)
    recipients += [{"to": ADVISOR, "employee_id": e} for e in advisor_ids if e in with_address]
    messages: list[tuple[str, dict[str, Any], str | None]]
    messages = [(EMAIL, {**data, **r}, None) for r in recipients]
    messages += [
        (WEBHOOK, {**data, "endpoint_id": endpoint.id}, f"webhook:{endpoint.id}")
        for endpoint in db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.enabled))
        if event in (endpoint.events or [])
    ]
    for kind, payload, stream in messages:
        db.session.add(
            OutboxMessage(
                kind=kind,
                event=event,
                meeting_id=meeting.id,
                payload=payload,
                created_at=now,
                available_at=now,
                attempts=0,
                stream=stream,
                position=meeting.sequence,
            )
        )


def customer_address(meeting: Meeting) -> tuple[str, str] | None:
    """The customer's (address, name): the meeting's own, else the customer record's."""
    record = None
    if not meeting.customer_email and meeting.customer_id:
        record = db.session.get(Customer, meeting.customer_id)
    return _address(meeting, record)


def customer_addresses(meetings: Sequence[Meeting]) -> dict[str, tuple[str, str]]:
    """`customer_address` of many meetings by meeting id (those with none left out): the customer
    records they need in one query."""
    wanted = {m.customer_id for m in meetings if not m.customer_email and m.customer_id}
    records = (
        {c.id: c for c in db.session.scalars(select(Customer).where(Customer.id.in_(wanted)))}
        if wanted
        else {}
    )
    found = {}
    for meeting in meetings:
        address = _address(meeting, records.get(meeting.customer_id or ""))
        if address:
            found[meeting.id] = address
    return found


def _address(meeting: Meeting, record: Customer | None) -> tuple[str, str] | None:
    email, name = meeting.customer_email, meeting.customer_name
    if not email and record is not None:
        email, name = record.email or "", name or record.name or ""
    return (email, name) if email else None


def advisor_addresses(employee_ids: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Each advisor's (address, name): the advisor's own, else their staff account's (2 queries)."""
    if not employee_ids:
        return {}
    employees = db.session.scalars(select(Employee).where(Employee.id.in_(employee_ids))).all()
    accounts = db.session.scalars(
        select(User).where(User.employee_id.in_(employee_ids), User.disabled_at.is_(None))
    ).all()
    account_email = {u.employee_id: u.email for u in accounts}
    found = {}
    for employee in employees:
        email = employee.email or account_email.get(employee.id, "")
        if email:
            found[employee.id] = (email, employee.display_name)
    return found
