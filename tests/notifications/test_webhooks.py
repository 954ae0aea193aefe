"""Webhooks to a real HTTP receiver on loopback that checks every signature with the
`standardwebhooks` package: it answers 500 for a while and still gets every event, once, in order
per meeting."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from app.api.schemas_booking import wire_time
from app.booking.meeting_changes import MeetingChanges, cancel_meeting, update_meeting
from app.booking.reservations import reserve
from app.extensions import db
from app.notifications.models import OutboxMessage, WebhookAttempt, WebhookEndpoint
from tests.notifications.conftest import book, deliver
from tests.notifications.test_worker import _slots


class Receiver:
    """Accepts signed POSTs; `failures` answers 500 that many times first."""

    def __init__(self) -> None:
        self.secret = ""
        self.failures = 0
        self.accepted: list[dict[str, Any]] = []
        self.ids: list[str] = []
        self.forged = 0
        self.lock = threading.Lock()

    def handle(self, raw: bytes, headers: dict[str, str]) -> int:
        with self.lock:
            try:
                event = Webhook(self.secret).verify(raw, headers)
            except WebhookVerificationError:
                self.forged += 1
                return 400
            if self.failures > 0:
                self.failures -= 1
                return 500
            self.accepted.append(event)
            self.ids.append(headers["webhook-id"])
            return 204


@pytest.fixture
def receiver(app) -> Iterator[tuple[Receiver, str]]:  # type: ignore[no-untyped-def]
    app.config["BOOKME_WEBHOOK_ALLOW_PRIVATE"] = True  # the receiver is on loopback
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            raw = self.rfile.read(int(self.headers["content-length"]))
            self.send_response(state.handle(raw, dict(self.headers.items())))
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_port}/hooks/bookme"
    server.shutdown()
    thread.join(timeout=5)


def _register(runner, receiver: Receiver, url: str, *events: str) -> str:  # type: ignore[no-untyped-def]
    args = ["bookme", "webhook-add", url, "--name", "CRM"]
    for event in events:
        args += ["--event", event]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    created = json.loads(result.output)
    receiver.secret = created["secret"]
    return str(created["id"])


def _move_and_cancel(bank, clock, meeting, n: int) -> None:  # type: ignore[no-untyped-def]
    later = meeting.start_at + timedelta(days=21)
    hold = reserve(
        bank.hold(f"move-{n}", start=later, existing_meeting_id=meeting.id), now=clock.now
    )
    update_meeting(
        meeting.id, MeetingChanges(time_slot_id=hold.id), hold_owner=hold.owner, now=clock.now
    )
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="adviser@bank.test", reason="Ill")


def test_a_receiver_down_for_an_hour_gets_every_event_once_in_order_per_meeting(
    mail_app, smtp, bank, clock, runner, receiver
):
    state, url = receiver
    mail_app.config.update(
        BOOKME_OUTBOX_BACKOFF_BASE_SECONDS=60, BOOKME_OUTBOX_BACKOFF_MAX_SECONDS=600
    )
    endpoint_id = _register(runner, state, url)
    state.failures = 10**6  # down
    meetings = [book(bank, clock, token=f"tok-{n}", start=s) for n, s in enumerate(_slots(3))]
    booked_at = {m.id: wire_time(m.start_at) for m in meetings}
    for n, meeting in enumerate(meetings):
        _move_and_cancel(bank, clock, meeting, n)
    for _ in range(8):  # an hour and more of failed attempts
        deliver(clock)
        clock.advance(minutes=10)
    assert state.accepted == []
    state.failures = 0  # back
    for _ in range(30):
        deliver(clock)
        clock.advance(minutes=10)
        if len(state.accepted) == 9:
            break
    assert state.forged == 0
    assert len(state.ids) == 9 and len(set(state.ids)) == 9
    for meeting in meetings:
        mine = [e for e in state.accepted if e["data"]["meeting"]["id"] == meeting.id]
        assert [e["type"] for e in mine] == ["meeting.booked", "meeting.moved", "meeting.cancelled"]
        assert [e["data"]["event"]["sequence"] for e in mine] == [0, 1, 2]
        assert mine[1]["data"]["event"]["previousStartDate"] == booked_at[meeting.id]
        assert mine[2]["data"]["meeting"]["startDate"] != booked_at[meeting.id]
        assert mine[2]["data"]["event"]["reason"] == "Ill"
    assert "karen@example.test" not in json.dumps(state.accepted)  # ids, not contact details
    log = db.session.scalars(
        select(WebhookAttempt).where(WebhookAttempt.endpoint_id == endpoint_id)
    )
    statuses = [a.status_code for a in log]
    assert statuses.count(204) == 9 and 500 in statuses
    listing = runner.invoke(args=["bookme", "webhook-log", endpoint_id]).output
    assert "500" in listing and "204" in listing


def test_an_endpoint_gets_only_the_events_it_asked_for(mail_app, bank, clock, runner, receiver):
    state, url = receiver
    _register(runner, state, url, "meeting.cancelled")
    meeting = book(bank, clock)
    cancel_meeting(meeting.id, now=clock.now, cancelled_by="customer")
    deliver(clock)
    assert [e["type"] for e in state.accepted] == ["meeting.cancelled"]
    assert state.accepted[0]["data"]["meeting"]["status"] == "Cancelled"


def test_a_switched_off_endpoint_is_owed_nothing_more(mail_app, bank, clock, runner, receiver):
    state, url = receiver
    endpoint_id = _register(runner, state, url)
    book(bank, clock, customer_email="")
    assert runner.invoke(args=["bookme", "webhook-remove", endpoint_id]).exit_code == 0
    book(bank, clock, token="tok-2", start=_slots(2)[1], customer_email="")
    deliver(clock)
    webhooks = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "webhook"))
    assert len(list(webhooks)) == 1  # the first booking's, written before the switch
    assert state.accepted == []  # and not sent: the endpoint is off now


def test_a_wrong_secret_fails_the_receivers_check(mail_app, bank, clock, runner, receiver):
    state, url = receiver
    _register(runner, state, url)
    state.secret = "whsec_" + "A" * 43  # the receiver holds another secret
    book(bank, clock, customer_email="")
    deliver(clock)
    assert state.forged == 1 and state.accepted == []


def test_webhook_add_refuses_a_url_that_is_not_http(runner, app):
    result = runner.invoke(args=["bookme", "webhook-add", "file:///etc/passwd"])
    assert result.exit_code != 0 and "absolute http(s) URL" in result.output


def test_by_default_nothing_is_sent_into_the_internal_network(
    mail_app, bank, clock, runner, receiver
):
    state, url = receiver
    endpoint_id = _register(runner, state, url.replace("127.0.0.1", "localhost.example.test"))
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    endpoint.url = url  # as if registered while allowed, or a name that now resolves to loopback
    db.session.commit()
    mail_app.config["BOOKME_WEBHOOK_ALLOW_PRIVATE"] = False
    book(bank, clock, customer_email="")
    deliver(clock)
    assert state.accepted == [] and state.forged == 0  # no request reached the receiver
    (attempt,) = db.session.scalars(select(WebhookAttempt))
    assert attempt.status_code is None and attempt.error == "InternalAddress"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/",
        "http://localhost:6379/",
        "http://[::1]/h",
        "http://[::ffff:127.0.0.1]/h",
        "http://169.254.169.254/latest/meta-data/",
        "https://10.1.2.3/h",
        "http://192.168.0.1/h",
    ],
)
def test_webhook_add_refuses_an_internal_address(runner, app, url):
    result = runner.invoke(args=["bookme", "webhook-add", url])
    assert result.exit_code != 0 and "internal network" in result.output
    assert db.session.query(WebhookEndpoint).count() == 0


def test_a_secret_sealed_before_the_shared_crypto_module_still_opens(app):
    import base64
    import hashlib

    from cryptography.fernet import Fernet

    from app.notifications.webhooks import seal, unseal

    seed = b"bookme-webhook-secret:" + str(app.secret_key).encode()
    old = Fernet(base64.urlsafe_b64encode(hashlib.sha256(seed).digest()))
    assert unseal(old.encrypt(b"whsec_old").decode()) == "whsec_old"
    assert unseal(seal("whsec_new")) == "whsec_new"


def test_a_secret_sealed_under_another_secret_key_fails_the_delivery_not_the_worker(app):
    from app.notifications.webhooks import WebhookFailed, seal, unseal

    stored = seal("whsec_x")
    app.secret_key = "rotated"
    with pytest.raises(WebhookFailed, match="secret"):
        unseal(stored)
