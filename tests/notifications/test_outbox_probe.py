"""The outbox reports itself to /metrics: messages owed, the oldest one's age, dead messages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.probe import outbox_state
from tests.booking.conftest import SLOT_START
from tests.notifications.conftest import book
from tests.web.ops_helpers import METRICS_TOKEN, scrape, value


def test_an_empty_outbox_reports_nothing_owed_and_no_age(bank):
    state = outbox_state()
    assert (state.backlog, state.oldest_age_seconds, state.dead) == (0, 0.0, 0)


def test_a_booking_owes_two_messages_whose_age_grows_with_the_clock(bank, clock):
    book(bank, clock)
    clock.advance(minutes=7)
    state = outbox_state()
    assert state.backlog == 2
    assert state.oldest_age_seconds == 7 * 60
    assert state.dead == 0


def test_delivered_messages_leave_the_backlog_and_dead_ones_are_counted_apart(bank, clock):
    book(bank, clock, token="tok-1")
    clock.advance(minutes=3)
    book(bank, clock, token="tok-2", start=SLOT_START + timedelta(hours=2))
    first, second, *_ = db.session.scalars(
        db.select(OutboxMessage).order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == first.id).values(delivered_at=clock.now)
    )
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == second.id).values(dead_at=clock.now)
    )
    db.session.commit()
    clock.advance(minutes=1)
    state = outbox_state()
    assert state.backlog == 2  # the second booking's two messages
    assert state.oldest_age_seconds == 60
    assert state.dead == 1


def test_the_scrape_shows_the_outbox_gauges_from_the_database(app, bank, clock):
    app.config["BOOKME_METRICS_TOKEN"] = METRICS_TOKEN
    book(bank, clock)
    clock.advance(seconds=90)
    samples = scrape(app.test_client())
    assert value(samples, "bookme_outbox_backlog") == 2
    assert value(samples, "bookme_outbox_oldest_age_seconds") == 90
    assert ("bookme_outbox_dead", frozenset()) in samples
