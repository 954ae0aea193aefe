"""Reminders: a message to the customer `BOOKME_REMINDER_HOURS` (elapsed time) before a meeting.

The job owes one reminder per meeting and start time: its `dedupe_key` names both, so a second
worker (or a second run) cannot owe it again, while a meeting moved to a later time is reminded
of its new time. The lead is elapsed time, not wall-clock time: 24 hours before is 24 hours
before, whatever daylight-saving change falls between.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.booking.locking import write_transaction
from app.booking.meetings import BOOKED
from app.extensions import db
from app.models import Meeting
from app.notifications.models import OutboxMessage
from app.notifications.outbox import CUSTOMER, EMAIL, REMINDER, customer_addresses


def reminder_key(meeting: Meeting) -> str:
    """The reminder's identity: this meeting at this start time."""
    return f"reminder:{meeting.id}:{meeting.start_at.isoformat()}"


def record_due_reminders(now: datetime) -> int:
    """Owe a reminder for every booked meeting starting within the lead that has none yet."""
    lead = timedelta(hours=float(current_app.config["BOOKME_REMINDER_HOURS"]))
    meetings = db.session.scalars(
        select(Meeting).where(
            Meeting.status == BOOKED, Meeting.start_at > now, Meeting.start_at <= now + lead
        )
    ).all()
    addressed = customer_addresses(meetings)  # one query for the customer records
    # built before the transaction: its first commit expires the meetings (a reload each)
    due = {
        reminder_key(m): _reminder(m, reminder_key(m), now) for m in meetings if m.id in addressed
    }
    if not due:
        return 0
    with write_transaction([]):
        owed = set(
            db.session.scalars(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(due))
            )
        )
        db.session.add_all(message for key, message in due.items() if key not in owed)
    return len(due) - len(owed)


def _reminder(meeting: Meeting, key: str, now: datetime) -> OutboxMessage:
    return OutboxMessage(
        kind=EMAIL,
        event=REMINDER,
        meeting_id=meeting.id,
        payload={
            "to": CUSTOMER,
            "channel": "service",
            "actor": "system",
            "sequence": meeting.sequence,
            "start": meeting.start_at.isoformat(),
        },
        created_at=now,
        available_at=now,
        attempts=0,
        dedupe_key=key,
    )
