"""Two workers at once over 200 messages: each reaches the mail server exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.notifications import outbox
from app.notifications.models import OutboxMessage
from app.notifications.transport import configured_transport
from app.notifications.worker import run_once
from tests import factories
from tests.booking.conftest import SLOT_START


def _pending() -> int:
    stmt = select(func.count()).where(OutboxMessage.delivered_at.is_(None))
    return int(db.session.scalar(stmt) or 0)


def test_two_workers_deliver_two_hundred_messages_exactly_once(mail_app, smtp, bank, clock):
    mail_app.config["BOOKME_OUTBOX_BATCH"] = 7  # many small claims, so the workers interleave
    bank.advisor.email = ""
    for n in range(200):
        meeting = factories.meeting(
            bank.advisor,
            SLOT_START + timedelta(hours=n),
            customer_name=f"Customer {n}",
            customer_email=f"c{n}@example.test",
            locale="en",
        )
        outbox.record_booked(meeting, actor="customer", now=clock.now)
    db.session.commit()
    handled: dict[str, int] = {}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with mail_app.app_context():
                for _ in range(200):  # bounded: 200 passes are far more than needed
                    result = run_once(configured_transport(), worker_id=name, clock=clock)
                    handled[name] = handled.get(name, 0) + result.handled
                    if result.handled == 0 and _pending() == 0:
                        return
                    db.session.rollback()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    ids = smtp.sink.ids()
    assert len(ids) == 200 and len(set(ids)) == 200
    assert sum(handled.values()) == 200 and all(handled.values())  # both took a share
    db.session.expire_all()
    assert _pending() == 0
