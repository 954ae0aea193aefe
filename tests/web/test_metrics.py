"""/metrics: refused without the token, and the numbers an operator watches move when customers
book through the wizard and the API; labels carry route patterns, never ids."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.ops.metrics import OutboxState, register_outbox_probe
from tests.booking.conftest import make_bank
from tests.web.helpers import book
from tests.web.ops_helpers import (
    LATER,
    METRICS_TOKEN,
    api_book,
    api_headers,
    api_reserve,
    scrape,
    value,
)


@pytest.fixture
def metrics_on(app):  # type: ignore[no-untyped-def]
    app.config["BOOKME_METRICS_TOKEN"] = METRICS_TOKEN
    return app


@pytest.fixture
def bank(app):  # type: ignore[no-untyped-def]
    return make_bank()


@pytest.fixture
def api(app, bank):  # type: ignore[no-untyped-def]
    """A client for the API against the small bank (not the wizard's world)."""
    app.config["BOOKME_METRICS_TOKEN"] = METRICS_TOKEN
    return app.test_client()


@pytest.mark.parametrize(
    "authorization",
    # A non-ASCII token (a header is read as Latin-1) must be refused, not crash the comparison.
    [None, "Bearer wrong-token", f"Basic {METRICS_TOKEN}", "Bearer ", "Bearer \u00e9t\u00e9"],
)
def test_metrics_without_the_right_bearer_token_answer_401(metrics_on, client, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    resp = client.get("/metrics", headers=headers)
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert "bookme_" not in resp.get_data(as_text=True)
    assert "Set-Cookie" not in resp.headers


def test_metrics_are_not_served_at_all_without_a_configured_token(app, client):
    app.config["BOOKME_METRICS_TOKEN"] = None
    resp = client.get("/metrics", headers={"Authorization": "Bearer None"})
    assert resp.status_code == 404
    assert "Set-Cookie" not in resp.headers


def test_a_wizard_booking_moves_the_search_hold_and_booking_numbers(metrics_on, client, world):
    before = scrape(client)
    resp = book(client, world)
    assert resp.status_code == 302, resp.data[:300]
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("bookme_holds_created_total", channel="wizard") == 1
    assert delta("bookme_meetings_total", action="booked", channel="wizard") == 1
    assert delta("bookme_meetings_total", action="booked", channel="api") == 0
    assert delta("bookme_availability_search_duration_seconds_count", channel="wizard") >= 1
    assert delta("bookme_availability_search_slots_sum", channel="wizard") > 0
    route = {"method": "POST", "route": "/book/confirm", "status": "302"}
    assert delta("bookme_http_request_duration_seconds_count", **route) == 1


def test_api_bookings_moves_and_cancellations_count_under_the_api(api, bank):
    before = scrape(api)
    held = api_reserve(api, bank, "tok-a").json
    meeting = api_book(api, bank, held["id"]).json
    move = api_reserve(api, bank, "tok-b", start=LATER, existingMeetingId=meeting["id"]).json
    ops = [{"op": "replace", "path": "/timeSlotId", "value": move["id"]}]
    url = f"/bookme/meetings/{meeting['id']}"
    assert api.patch(url, json=ops, headers=api_headers()).status_code == 200
    assert api.delete(url, headers=api_headers()).status_code == 204
    after = scrape(api)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("bookme_holds_created_total", channel="api") == 2
    for action in ("booked", "moved", "cancelled"):
        assert delta("bookme_meetings_total", action=action, channel="api") == 1


def test_a_409_counts_under_its_route_and_error_code(api, bank):
    api_reserve(api, bank, "tok-first")
    before = scrape(api)
    taken = api_reserve(api, bank, "tok-second")
    assert taken.status_code == 409
    after = scrape(api)
    labels = {"route": "/bookme/time-slots/reserve", "code": "CONFLICT"}
    assert (
        value(after, "bookme_http_errors_total", **labels)
        - value(before, "bookme_http_errors_total", **labels)
        == 1
    )


def test_latency_is_labelled_with_the_route_pattern_never_the_id(api, bank):
    held = api_reserve(api, bank, "tok-id").json
    meeting = api_book(api, bank, held["id"]).json
    assert api.get(f"/bookme/meetings/{meeting['id']}", headers=api_headers()).status_code == 200
    api.get("/no/such/page/karen@example.com")
    samples = scrape(api)
    routes = {
        dict(labels).get("route")
        for (name, labels) in samples
        if name == "bookme_http_request_duration_seconds_count"
    }
    assert "/bookme/meetings/<meeting_id>" in routes
    assert "(no route)" in routes
    text = " ".join(str(key) for key in samples)
    for private in (meeting["id"], held["id"], "karen@example.com", "/no/such/page"):
        assert private not in text


def test_the_outbox_gauges_come_from_the_registered_probe(metrics_on, client):
    assert value(scrape(client), "bookme_outbox_backlog") == 0  # the outbox's probe: none owed
    register_outbox_probe(lambda: OutboxState(backlog=3, oldest_age_seconds=42.5, dead=1))
    try:
        samples = scrape(client)
    finally:
        register_outbox_probe(None)
    assert value(samples, "bookme_outbox_backlog") == 3
    assert value(samples, "bookme_outbox_oldest_age_seconds") == 42.5
    assert value(samples, "bookme_outbox_dead") == 1


def test_a_failing_outbox_probe_costs_its_gauges_not_the_scrape(metrics_on, client):
    def broken() -> OutboxState:
        raise RuntimeError("outbox table missing")

    register_outbox_probe(broken)
    try:
        samples = scrape(client)
    finally:
        register_outbox_probe(None)
    assert ("bookme_outbox_backlog", frozenset()) not in samples
    assert any(name == "bookme_http_request_duration_seconds_count" for name, _ in samples)


MULTIPROCESS_SCRIPT = """
from app import create_app
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                  "BOOKME_METRICS_TOKEN": "t"})
client = app.test_client()
client.get("/healthz")
print(client.get("/metrics", headers={"Authorization": "Bearer t"}).get_data(as_text=True))
"""


def test_with_a_multiprocess_dir_the_scrape_adds_up_every_process(tmp_path):
    """Two processes (as two gunicorn workers) write to the folder; the second one's scrape
    counts both probes."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    outputs = [
        subprocess.run(
            [sys.executable, "-c", MULTIPROCESS_SCRIPT],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        for _ in range(2)
    ]
    line = 'bookme_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'
    counts = [float(row.split()[-1]) for row in outputs[1].splitlines() if row.startswith(line)]
    assert counts == [2.0]
    assert list(tmp_path.glob("*.db"))
