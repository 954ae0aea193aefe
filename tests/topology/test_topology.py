"""Two instances behind nginx on one PostgreSQL and one Redis (scripts/topology.py, as `make
prod-demo` starts them): what one instance does, the other sees; nothing is double-booked; the
limits count once; a killed instance loses no booking and doubles none."""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Meeting
from scripts.flows import ApiClient, WizardCustomer, csrf_of
from scripts.topology import Topology, missing
from tests.concurrency.scan import live_overlaps

LACKS = missing()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(LACKS), reason="the topology needs: " + "; ".join(LACKS)),
]
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(scope="module")
def topology() -> Iterator[Topology]:
    """The whole topology, started once for this module (about 30-50 s on a busy 2-core machine)."""
    started = Topology(log_level="WARNING").start(seed=True)
    try:
        yield started
    finally:
        started.stop()
        started.remove_folder()


@pytest.fixture(scope="module")
def database(topology: Topology) -> Iterator[Flask]:
    """An app in this process on the topology's database, to look at what the instances wrote."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": topology.database_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def signed_in(topology: Topology, client: dict[str, str] | None = None) -> str:
    """An Authorization header for `client` (default: the topology's admin client), fetched
    through the proxy."""
    creds = client or topology.client
    scope = "bookme.read bookme.book" + (" bookme.admin" if client is None else "")
    caller = ApiClient([topology.url], client_id=creds["client_id"], secret=creds["client_secret"])
    caller.scope = scope
    caller.sign_in()
    return str(caller.session.headers["Authorization"])


@pytest.fixture(scope="module")
def admin(topology: Topology) -> str:
    """The admin client's Authorization header (one token: the token limit counts per address)."""
    return signed_in(topology)


def api(authorization: str, *bases: str) -> ApiClient:
    """An API client with that header, sending to `bases` in turn."""
    caller = ApiClient(list(bases))
    caller.session.headers["Authorization"] = authorization
    return caller


def urls(topology: Topology) -> tuple[str, str]:
    return topology.instances["a"].url, topology.instances["b"].url


def test_hundreds_of_conflicting_holds_and_bookings_over_both_instances_overlap_nowhere(
    topology, database, admin
):
    a, b = urls(topology)
    slots = api(admin, a).available(days=7)[:12]  # many share a room or an advisor
    assert len(slots) == 12

    def reserve(i: int) -> tuple[int, Any]:
        caller = api(admin, [a, b, topology.url][i % 3])
        answer = caller.reserve(slots[i % 12], token=f"conflict-{i}")
        assert answer is not None
        return answer.status_code, answer.json()

    with ThreadPoolExecutor(12) as pool:
        holds = list(pool.map(reserve, range(300)))
    codes = Counter(code for code, _ in holds)
    assert set(codes) <= {200, 409}, codes
    won = [body["id"] for code, body in holds if code == 200]
    assert 1 <= len(won) <= 12

    def create(job: tuple[int, str]) -> int:
        i, hold_id = job
        answer = api(admin, [a, b][i % 2]).book(hold_id)
        assert answer is not None
        return answer.status_code

    jobs = [(i, hold_id) for hold_id in won for i in range(8)]
    with ThreadPoolExecutor(12) as pool:
        created = Counter(pool.map(create, jobs))
    assert created == {201: len(won), 409: 7 * len(won)}
    assert live_overlaps(datetime.now(UTC)) == []
    booked = db.session.scalar(
        select(func.count()).select_from(Meeting).where(Meeting.time_slot_id.in_(won))
    )
    assert booked == len(won)


def test_the_wizard_session_and_hold_survive_every_step_going_to_the_other_instance(
    topology, database
):
    a, b = urls(topology)
    customer = WizardCustomer([a, b])  # times on a, hold on b, the held time on a, ...
    assert customer.book(random.Random(1)), (customer.outcome, customer.steps)
    assert [s.status for s in customer.steps] == [200, 302, 200, 200, 302, 200, 302, 200]
    through_proxy = WizardCustomer([topology.url])
    assert through_proxy.book(random.Random(2)), (through_proxy.outcome, through_proxy.steps)
    token = customer.meeting_path.rsplit("/", 1)[-1] if customer.meeting_path else ""
    db.session.rollback()
    assert (
        db.session.scalar(
            select(func.count()).select_from(Meeting).where(Meeting.manage_token == token)
        )
        == 1
    )
    used = re.findall(
        r" 127\.0\.0\.1:(\d+) ", (topology.folder / "nginx/logs/access.log").read_text()
    )
    assert {int(p) for p in used} == {i.port for i in topology.instances.values()}


def test_each_instance_serves_its_metrics_and_the_proxy_serves_none(topology):
    a, _ = urls(topology)
    token = {"Authorization": f"Bearer {topology.metrics_token}"}
    scraped = requests.get(f"{a}/metrics", headers=token, timeout=30)
    assert scraped.status_code == 200
    for name in ("bookme_http_request_duration_seconds_bucket", "bookme_outbox_backlog"):
        assert name in scraped.text
    assert requests.get(f"{topology.url}/metrics", headers=token, timeout=30).status_code == 404


def test_a_configuration_change_through_one_instance_is_what_the_other_offers_next(topology, admin):
    a, b = urls(topology)
    admin_a, reader_b = api(admin, a), api(admin, b)

    def latest_local_end(slots: list[dict[str, Any]]) -> str:
        ends = [datetime.fromisoformat(s["endDate"].replace("Z", "+00:00")) for s in slots]
        return max(e.astimezone(CPH).strftime("%H:%M") for e in ends)

    assert latest_local_end(reader_b.available(days=7)) > "12:00"  # b's cache is warm
    changed = admin_a.session.patch(f"{a}/config/settings", json={"closingTime": "12:00"})
    assert changed.status_code == 200, changed.text
    try:
        assert latest_local_end(reader_b.available(days=7)) <= "12:00"
    finally:
        restored = admin_a.session.patch(f"{a}/config/settings", json={"closingTime": "18:00"})
        assert restored.status_code == 200
    assert latest_local_end(reader_b.available(days=7)) > "12:00"


def test_the_rate_limits_count_once_for_both_instances(topology):
    a, b = urls(topology)
    address = f"198.51.100.{random.randrange(1, 250)}"  # as the proxy would forward it

    def wrong_secret(i: int) -> int:
        caller = ApiClient([(a, b)[i % 2]], client_id="nobody", secret="wrong")
        caller.forwarded_for = address
        answer = caller.send(
            caller.session, "token", "POST", "/oauth/token",
            data={"grant_type": "client_credentials"}, auth=("nobody", "wrong"),
        )  # fmt: skip
        return answer.status_code if answer is not None else 0

    with ThreadPoolExecutor(8) as pool:
        assert Counter(pool.map(wrong_secret, range(80))) == {401: 60, 429: 20}

    browser = WizardCustomer([a, b], forwarded_for=f"198.51.100.{random.randrange(1, 250)}")
    page = browser.send(browser.session, "times", "GET", "/book")
    assert page is not None
    form = {"slot": "nonsense", "csrf_token": csrf_of(page.text)}
    lock = threading.Lock()

    def hold(_: int) -> int:
        with lock:  # one browser, one cookie jar: requests in turn, still spread over a and b
            answer = browser.send(browser.session, "hold", "POST", "/book/hold", data=form)
        return answer.status_code if answer is not None else 0

    with ThreadPoolExecutor(4) as pool:
        assert Counter(pool.map(hold, range(40))) == {302: 30, 429: 10}


def test_killing_one_instance_mid_load_loses_no_booking_and_doubles_none(topology, database):
    """Last in the module: instance b stays down. Clients book through the proxy and retry an
    unanswered reserve or booking (nginx does not re-send a POST that reached an instance) with
    the same token or Idempotency-Key."""
    creds = topology.new_client("killed-mid-load", "bookme.read bookme.book")
    authorization = signed_in(topology, creds)
    results: list[tuple[float, int, str | None]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + 25

    killed = threading.Event()

    def customer(n: int) -> None:
        """Books until a few attempts after the kill (bounded: 40 attempts, the deadline)."""
        caller = api(authorization, topology.url)
        rng = random.Random(n)
        after_kill = 0
        for _ in range(40):
            if time.monotonic() > deadline or after_kill >= 3:
                return
            if killed.is_set():
                after_kill += 1
            offered = caller.available(days=28)
            if not offered:
                continue
            held = caller.reserve(rng.choice(offered[:40]), token=uuid.uuid4().hex)
            status = 0 if held is None else held.status_code
            if status == 200:
                made = caller.book(held.json()["id"])  # type: ignore[union-attr]
                status = 0 if made is None else made.status_code
                body = made.json() if made is not None and status == 201 else {}
                with lock:
                    results.append((time.monotonic(), status, body.get("id")))
            else:
                with lock:
                    results.append((time.monotonic(), status, None))

    with ThreadPoolExecutor(6) as pool:
        running = [pool.submit(customer, n) for n in range(6)]
        time.sleep(3)
        killed_at = time.monotonic()
        topology.kill_instance("b")
        killed.set()
        for future in running:
            future.result(timeout=60)
    statuses = Counter(status for _, status, _ in results)
    assert set(statuses) <= {201, 409}, statuses  # no 5xx and no lost answer reached a client
    booked = [meeting for _, status, meeting in results if status == 201]
    assert any(at > killed_at for at, status, _ in results if status == 201)
    assert len(booked) == len(set(booked)) >= 10
    db.session.rollback()
    stored = db.session.scalars(select(Meeting.id).where(Meeting.client_id == creds["client_id"]))
    assert sorted(stored) == sorted(booked)  # each booking exactly once, none the client missed
    assert live_overlaps(datetime.now(UTC)) == []
