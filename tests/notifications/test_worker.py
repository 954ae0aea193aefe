"""The worker against a real SMTP server: crashes, outages, retries, dead messages and the CLI."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.worker import backoff_seconds, claim
from tests.booking.conftest import SLOT_START
from tests.notifications.conftest import book, deliver


def _all() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage)))


def _slots(count: int) -> list[datetime]:
    """`count` hour slots on weekdays from Tuesday 3 March, 08:00-16:00 Copenhagen (UTC+1)."""
    found: list[datetime] = []
    day = SLOT_START.replace(hour=0)
    while len(found) < count:
        if day.weekday() < 5:
            found += [day.replace(hour=h) for h in range(7, 15)]
        day += timedelta(days=1)
    return found[:count]


@pytest.mark.parametrize("seed", range(5))
def test_backoff_is_full_jitter_under_an_exponential_cap(seed):
    rng = random.Random(seed)
    for attempt, cap in ((1, 30), (2, 60), (3, 120), (8, 3600), (20, 3600)):
        delays = [backoff_seconds(attempt, base=30, cap=3600, rng=rng) for _ in range(50)]
        assert all(0 <= d <= cap for d in delays)
        assert max(delays) > cap / 2 and min(delays) < cap / 2  # spread over the whole range


def test_a_worker_that_dies_after_claiming_leaves_the_message_to_another_once_its_lease_ends(
    mail_app, smtp, bank, clock
):
    book(bank, clock)
    claimed = claim("crashed-worker", clock.now)  # ...and the process is killed here
    assert len(claimed) == 2
    assert deliver(clock).handled == 0  # leased: nobody else sends it meanwhile
    clock.advance(seconds=mail_app.config["BOOKME_OUTBOX_LEASE_SECONDS"] + 1)
    assert deliver(clock).delivered == 2
    assert deliver(clock).handled == 0
    assert len(smtp.sink.messages) == 2 and len(set(smtp.sink.ids())) == 2
    assert all(r.delivered_at is not None and r.locked_by is None for r in _all())


def test_a_late_finish_by_the_crashed_worker_cannot_undo_the_new_owners_work(
    mail_app, smtp, bank, clock
):
    from app.notifications.worker import _finish

    book(bank, clock, customer_email="")
    (message_id,) = claim("slow-worker", clock.now)
    clock.advance(seconds=mail_app.config["BOOKME_OUTBOX_LEASE_SECONDS"] + 1)
    assert deliver(clock).delivered == 1
    _finish(message_id, "slow-worker", delivered_at=None, last_error="late")  # not its lease now
    (row,) = _all()
    assert row.delivered_at is not None and row.last_error is None


def test_smtp_down_while_fifty_meetings_are_booked_loses_nothing_and_sends_each_once(
    mail_app, smtp, bank, clock
):
    mail_app.config.update(
        BOOKME_OUTBOX_BACKOFF_BASE_SECONDS=1, BOOKME_OUTBOX_BACKOFF_MAX_SECONDS=60
    )
    smtp.stop()
    for n, start in enumerate(_slots(50)):
        book(bank, clock, token=f"tok-{n}", start=start)
    for _ in range(3):
        assert deliver(clock).delivered == 0
        clock.advance(seconds=61)
    rows = _all()
    assert len(rows) == 100 and all(r.delivered_at is None and r.dead_at is None for r in rows)
    assert {r.last_error for r in rows} == {"Unreachable ConnectionRefusedError"}
    smtp.start()
    for _ in range(10):
        if deliver(clock).handled == 0 and all(r.delivered_at for r in _all()):
            break
        clock.advance(seconds=61)
    assert len(smtp.sink.messages) == 100
    assert len(set(smtp.sink.ids())) == 100
    assert {str(m["To"]).split("<")[-1].rstrip(">") for m in smtp.sink.messages} == {
        "karen@example.test",
        bank.advisor.email,
    }


def test_retries_back_off_then_the_message_is_dead_and_the_cli_brings_it_back(
    mail_app, smtp, bank, clock, runner
):
    mail_app.config.update(BOOKME_OUTBOX_MAX_ATTEMPTS=3)
    book(bank, clock, customer_email="")
    smtp.sink.refuse = True  # 451: try again later
    waits = []
    for _ in range(3):
        assert deliver(clock).handled == 1
        (row,) = _all()
        waits.append(row.available_at - clock.now)
        assert deliver(clock).handled == 0  # not due before its backoff ends
        clock.set(max(clock.now, row.available_at))
    (row,) = _all()
    assert row.dead_at is not None and row.attempts == 3 and row.last_error == "SMTPDataError 451"
    assert all(timedelta(0) <= w <= timedelta(seconds=30 * 2**i) for i, w in enumerate(waits[:2]))
    listing = runner.invoke(args=["bookme", "outbox-dead"])
    assert row.id in listing.output and "SMTPDataError 451" in listing.output
    assert bank.advisor.email not in listing.output and "Karen" not in listing.output
    smtp.sink.refuse = False
    assert deliver(clock).handled == 0
    retried = runner.invoke(args=["bookme", "outbox-retry", row.id])
    assert "1 message(s)" in retried.output
    assert deliver(clock).delivered == 1
    assert runner.invoke(args=["bookme", "outbox-dead"]).stdout.strip() == "no dead messages"


def test_outbox_retry_needs_an_id_or_all_and_says_when_the_id_is_unknown(mail_app, runner):
    assert runner.invoke(args=["bookme", "outbox-retry"]).exit_code != 0
    unknown = runner.invoke(args=["bookme", "outbox-retry", "nope"])
    assert unknown.exit_code != 0 and "no dead message nope" in unknown.output
    assert "0 message(s)" in runner.invoke(args=["bookme", "outbox-retry", "--all"]).output


def test_a_recipient_the_server_refuses_for_good_is_dead_at_once(mail_app, smtp, bank, clock):
    async def refuse_rcpt(server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        return "550 5.1.1 no such mailbox"

    smtp.sink.handle_RCPT = refuse_rcpt  # type: ignore[attr-defined]
    book(bank, clock, customer_email="")
    assert deliver(clock).dead == 1
    (row,) = _all()
    assert row.last_error == "SMTPRecipientsRefused 550" and row.attempts == 1


def test_a_message_for_a_meeting_cancelled_since_is_not_sent_but_its_cancellation_is(
    mail_app, smtp, bank, clock
):
    from app.booking.meeting_changes import cancel_meeting

    meeting = book(bank, clock, customer_email="")
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="customer")
    assert deliver(clock).delivered == 2
    (mail,) = smtp.sink.messages
    assert mail["Subject"].startswith("Møde aflyst")


def test_the_worker_command_delivers_once_and_refuses_to_start_without_a_mail_server(
    mail_app, smtp, bank, clock, runner
):
    book(bank, clock)
    result = runner.invoke(args=["bookme", "worker", "--once"])
    assert result.exit_code == 0 and "delivered 2" in result.output
    assert len(smtp.sink.messages) == 2
    mail_app.config["BOOKME_SMTP_HOST"] = None
    refused = runner.invoke(args=["bookme", "worker", "--once"])
    assert refused.exit_code != 0 and "BOOKME_SMTP_HOST" in refused.output


def test_without_a_server_a_development_maildir_receives_the_mail(mail_app, bank, clock, tmp_path):
    import mailbox

    mail_app.config.update(BOOKME_SMTP_HOST=None, BOOKME_MAIL_DIR=str(tmp_path / "mail"))
    book(bank, clock)
    assert deliver(clock).delivered == 2
    assert len(mailbox.Maildir(str(tmp_path / "mail"))) == 2


def test_times_in_mail_follow_the_organisations_zone_across_summer_time(
    mail_app, smtp, bank, clock
):
    summer = datetime(2026, 3, 31, 8, 0, tzinfo=UTC)  # Tuesday, 10:00 in Copenhagen (UTC+2)
    book(bank, clock, start=summer, locale="en", customer_email="")
    deliver(clock)
    (mail,) = smtp.sink.messages
    assert "Tuesday 31 March, 10:00–11:00" in mail["Subject"]


def test_the_worker_logs_no_personal_data(mail_app, smtp, bank, clock, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    book(bank, clock, customer_name="Karen Kunde")
    smtp.stop()
    deliver(clock)  # fails: logged
    smtp.start()
    clock.advance(hours=2)
    assert deliver(clock).delivered == 2  # succeeds: logged
    ours = [r for r in caplog.records if not r.name.startswith("mail.log")]  # not the test server's
    text = "\n".join(r.getMessage() for r in ours)
    assert "outbox message" in text
    for personal in ("Karen", "karen@example.test", bank.advisor.email, "private-link"):
        assert personal not in text


def test_a_message_whose_lease_ran_out_during_the_pass_is_left_to_the_next_claim(
    mail_app, smtp, bank, clock
):
    # A slow mail server can stretch one pass past the lease: another worker may have claimed
    # what is left, so the first one must not send it as well.
    import random

    from app.notifications.transport import configured_transport
    from app.notifications.worker import _deliver, claim

    book(bank, clock)
    ids = claim("slow-worker", clock.now)
    assert len(ids) == 2
    clock.advance(seconds=mail_app.config["BOOKME_OUTBOX_LEASE_SECONDS"] + 1)
    with configured_transport() as transport:
        outcome = _deliver(ids[0], transport, "slow-worker", lambda: clock.now, random.Random(0))
    assert outcome == "lost" and smtp.sink.messages == []
    assert deliver(clock, worker_id="next-worker").delivered == 2  # claimed again, sent once
    assert len(smtp.sink.messages) == 2
