"""Reminders: owed by the worker's periodic job once per meeting and time, at the right instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select

from app.booking import meetings as meetings_service
from app.booking.meeting_changes import MeetingChanges, cancel_meeting, update_meeting
from app.booking.reservations import reserve
from app.extensions import db
from app.models import Customer
from app.notifications import reminders
from app.notifications.jobs import run_due_jobs, take_turn
from app.notifications.models import OutboxMessage
from app.notifications.reminders import record_due_reminders
from tests import factories
from tests.notifications.conftest import book, deliver

# Monday 26 October 2026, 10:00 in Copenhagen: winter time (UTC+1) since Sunday 03:00 CEST.
MONDAY_AFTER_CHANGE = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)


def _tick(clock, worker: str = "w1") -> None:  # type: ignore[no-untyped-def]
    run_due_jobs(worker, clock.now)
    deliver(clock, worker)


def _reminders(smtp):  # type: ignore[no-untyped-def]
    return [m for m in smtp.sink.messages if m["Subject"].startswith("Reminder")]


def test_the_reminder_goes_out_once_exactly_the_lead_before_across_a_clock_change(
    mail_app, smtp, bank, clock
):
    mail_app.config["BOOKME_REMINDER_HOURS"] = 48
    bank.advisor.email = ""
    factories.meeting(
        bank.advisor,
        MONDAY_AFTER_CHANGE,
        customer_name="Karen",
        customer_email="karen@example.test",
        locale="en",
    )
    db.session.commit()
    # 48 hours before is Saturday 09:00 UTC = 11:00 summer time; the wall clock's "Saturday
    # 10:00" (08:00 UTC) would be an hour early.
    clock.set(datetime(2026, 10, 24, 8, 0, tzinfo=UTC))
    _tick(clock)
    clock.set(datetime(2026, 10, 24, 8, 59, tzinfo=UTC))
    _tick(clock)
    assert _reminders(smtp) == []
    clock.set(datetime(2026, 10, 24, 9, 0, tzinfo=UTC))
    _tick(clock)
    (reminder,) = _reminders(smtp)
    assert "Monday 26 October, 10:00–11:00" in reminder["Subject"]
    for minutes in (1, 2, 60, 60 * 24):
        clock.set(datetime(2026, 10, 24, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes))
        _tick(clock, worker=f"w{minutes % 2}")
    assert len(_reminders(smtp)) == 1


def test_one_worker_per_tick_runs_a_job(app, clock):
    interval = timedelta(seconds=60)
    assert take_turn("reminders", "a", clock.now, interval) is True
    assert take_turn("reminders", "b", clock.now, interval) is False
    clock.advance(seconds=59)
    assert take_turn("reminders", "b", clock.now, interval) is False
    clock.advance(seconds=1)
    assert take_turn("reminders", "b", clock.now, interval) is True


def test_a_moved_meeting_is_reminded_of_its_new_time_not_the_old_one(mail_app, smtp, bank, clock):
    meeting = book(bank, clock, locale="en")  # Tuesday 10:00; now is Monday 08:00
    run_due_jobs("w1", clock.now)  # the reminder for Tuesday 10:00 is owed (26 hours: not yet)
    clock.advance(hours=3)
    run_due_jobs("w1", clock.now)  # now it is owed, then the meeting moves before it is sent
    later = meeting.start_at + timedelta(hours=2)
    hold = reserve(bank.hold("tok-2", start=later, existing_meeting_id=meeting.id), now=clock.now)
    update_meeting(
        meeting.id, MeetingChanges(time_slot_id=hold.id), hold_owner=hold.owner, now=clock.now
    )
    deliver(clock)
    assert _reminders(smtp) == []  # the old time's reminder is not sent
    clock.advance(hours=2)
    _tick(clock)
    (reminder,) = _reminders(smtp)
    assert "Tuesday 3 March, 12:00–13:00" in reminder["Subject"]
    keys = db.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.is_not(None))
    )
    assert len(list(keys)) == 2


def test_a_cancelled_meeting_is_not_reminded(mail_app, smtp, bank, clock):
    meeting = book(bank, clock, locale="en")
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="customer")
    clock.advance(hours=20)
    _tick(clock)
    assert _reminders(smtp) == []


def test_the_worker_purges_expired_holds_without_cron(app, bank, clock):
    from app.models import Reservation

    hold = reserve(bank.hold("tok-1"), now=clock.now)
    clock.advance(minutes=6)
    assert run_due_jobs("w1", clock.now)["purge-expired"] >= 1
    db.session.expire_all()
    assert db.session.get(Reservation, hold.id).status == "Expired"


def _customers_with_meetings(bank, first: int, count: int) -> None:  # type: ignore[no-untyped-def]
    """Meetings known only by the customer's number: the address is the customer record's."""
    for n in range(first, first + count):
        db.session.add(Customer(id=f"C-{n}", name=f"Customer {n}", email=f"c{n}@example.test"))
        factories.meeting(
            bank.advisor,
            datetime(2026, 3, 3, 7, 0, tzinfo=UTC) + timedelta(hours=n),
            customer_id=f"C-{n}",
        )
    db.session.commit()


def _reads_while_owing(now: datetime) -> tuple[int, list[str]]:
    reads: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        owed = record_due_reminders(now)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return owed, reads


def test_the_customers_of_due_meetings_are_read_in_one_query(app, bank, clock):
    app.config["BOOKME_REMINDER_HOURS"] = 48
    _customers_with_meetings(bank, 0, 2)
    owed_few, few = _reads_while_owing(clock.now)
    _customers_with_meetings(bank, 2, 6)
    owed_many, many = _reads_while_owing(clock.now)
    assert (owed_few, owed_many) == (2, 6)
    assert len(many) == len(few)
    assert sum("FROM customers" in s for s in many) == 1
    addresses = db.session.scalars(select(OutboxMessage.meeting_id)).all()
    assert len(addresses) == 8


def test_reminders_take_the_booked_status_from_the_meetings_service():
    assert reminders.BOOKED is meetings_service.BOOKED
