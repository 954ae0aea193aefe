"""A real SMTP server on loopback (aiosmtpd) that the worker delivers to, and a booked meeting."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from app.booking.meeting_create import MeetingRequest, create_meeting
from app.booking.reservations import reserve
from app.notifications.transport import configured_transport
from app.notifications.worker import PassResult, run_once
from tests.booking.conftest import SLOT_START, Bank, make_bank


class Sink:
    """Keeps every message the server accepted; `refuse` makes it answer 451 (try later)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 4.3.0 try again later"
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"

    def ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]


class SmtpServer:
    """aiosmtpd on a free loopback port; `stop()` and `start()` simulate an outage."""

    def __init__(self) -> None:
        self.sink = Sink()
        self.port = _free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A running SMTP server; stopped at the end of the test."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(app, smtp):  # type: ignore[no-untyped-def]
    """The app, delivering to the test SMTP server with plain SMTP and quick retries."""
    app.config.update(
        BOOKME_SMTP_HOST="127.0.0.1",
        BOOKME_SMTP_PORT=smtp.port,
        BOOKME_SMTP_SECURITY="none",
        BOOKME_SMTP_SENDER="booking@nordbank.test",
        BOOKME_SMTP_TIMEOUT_SECONDS=5,
        BOOKME_PUBLIC_URL="https://book.nordbank.test",
        BOOKME_OUTBOX_BATCH=100,
    )
    return app


@pytest.fixture
def bank(app) -> Bank:  # type: ignore[no-untyped-def]
    return make_bank()


def book(bank: Bank, clock, token: str = "tok-1", start=SLOT_START, **kw):  # type: ignore[no-untyped-def]
    """A meeting booked through the service, as the wizard books it (with a private link)."""
    owner = kw.pop("owner", "wizard:browser-1")
    hold_kw = kw.pop("hold_kw", {})  # e.g. another meeting type for the hold
    hold = reserve(bank.hold(token, start=start, owner=owner, **hold_kw), now=clock.now)
    values: dict[str, Any] = dict(
        time_slot_id=hold.id,
        meeting_type="Physical",
        topic_id=bank.topic.id,
        customer_type_id=bank.customer_type.id,
        employee_id=bank.advisor.id,
        room_id=bank.room.id,
        customer_name="Karen Kunde",
        customer_email="karen@example.test",
        locale="da",
        manage_token=f"private-link-{token}-0123456789",
        owner=owner,
    )
    values.update(kw)
    return create_meeting(MeetingRequest(**values), now=clock.now)


def deliver(clock, worker_id: str = "test-worker") -> PassResult:  # type: ignore[no-untyped-def]
    """One pass of the worker through the configured transport."""
    return run_once(configured_transport(), worker_id=worker_id, clock=clock)
