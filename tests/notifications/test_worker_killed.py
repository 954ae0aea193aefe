"""A real worker process killed in the middle of a delivery: the message still goes out, once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app import ROOT
from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.notifications.conftest import book, deliver


class Stall:
    """Holds the first MAIL FROM until released: the worker has claimed but not yet sent."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    async def __call__(self, server: Any, session: Any, envelope: Any, address: str, options: Any):  # type: ignore[no-untyped-def]
        if not self.entered.is_set():
            self.entered.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
            return "421 4.3.0 closing"
        envelope.mail_from = address
        return "250 OK"


def test_a_worker_killed_after_claiming_and_before_sending_still_delivers_once(
    mail_app, smtp, bank, clock, database_url
):
    stall = Stall()
    smtp.sink.handle_MAIL = stall  # type: ignore[attr-defined]
    book(bank, clock, customer_email="")  # one message: to the advisor
    env = {
        **os.environ,
        "BOOKME_DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "BOOKME_SMTP_HOST": "127.0.0.1",
        "BOOKME_SMTP_PORT": str(smtp.port),
        "BOOKME_SMTP_SECURITY": "none",
        "BOOKME_OUTBOX_LEASE_SECONDS": "600",
    }
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    worker = subprocess.Popen(
        [flask, "--app", "wsgi", "bookme", "worker", "--once"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert stall.entered.wait(60), "the worker never reached the mail server"
        worker.kill()
        worker.wait(10)
    finally:
        stall.release.set()
        if worker.poll() is None:
            worker.kill()
    db.session.expire_all()
    row = db.session.scalars(select(OutboxMessage)).one()
    assert row.delivered_at is None and row.locked_by and row.attempts == 1
    assert deliver(clock).handled == 0  # still leased to the dead worker
    assert smtp.sink.messages == []
    clock.set(row.locked_until + timedelta(seconds=1))  # the dead worker's lease ends
    assert deliver(clock).delivered == 1
    assert deliver(clock).handled == 0
    assert len(smtp.sink.messages) == 1
    assert smtp.sink.messages[0]["Message-ID"].startswith(f"<{row.id}@")


def test_the_looping_worker_delivers_then_stops_cleanly_on_sigterm(
    mail_app, smtp, bank, clock, database_url
):
    import signal
    import time

    book(bank, clock, customer_email="")
    env = {
        **os.environ,
        "BOOKME_DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "BOOKME_SMTP_HOST": "127.0.0.1",
        "BOOKME_SMTP_PORT": str(smtp.port),
        "BOOKME_SMTP_SECURITY": "none",
        "BOOKME_WORKER_POLL_SECONDS": "0.2",
    }
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    worker = subprocess.Popen(
        [flask, "--app", "wsgi", "bookme", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not smtp.sink.messages and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(smtp.sink.messages) == 1
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(15) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    output = worker.stdout.read() if worker.stdout else ""
    assert "started" in output and bank.advisor.email not in output
