"""Prometheus metrics at `/metrics`, for a bearer token (`BOOKME_METRICS_TOKEN`; unset: 404).

Labels hold route patterns, methods, status codes, channels and error codes only: never a path,
an id or anything a customer typed. Under gunicorn set `PROMETHEUS_MULTIPROC_DIR` (an empty folder,
wiped before start; `gunicorn.conf.py` tidies up after workers): every worker writes its numbers
there and a scrape, whichever worker answers it, adds them up. Without it the process's own
registry answers (`make run`, tests).

The booking numbers come from the services' events (`app.booking.events`), counted by the channel
that asked: the API, the customer wizard, the staff pages, or a command (`cli`).
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from app.api.errors import CODES
from app.booking import events
from app.ops import bp

log = logging.getLogger("app.ops.metrics")

CHANNELS = {"api": "api", "wizard": "wizard", "staff": "staff"}  # blueprint -> channel
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SLOT_COUNT_BUCKETS = (0, 1, 10, 50, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000)

REQUEST_SECONDS = Histogram(
    "bookme_http_request_duration_seconds",
    "Time to answer a request, by method, route pattern and status",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
HTTP_ERRORS = Counter(
    "bookme_http_errors",
    "Answers of 400 and above, by route pattern and the API's error code (409: CONFLICT)",
    ["route", "code"],
)
SEARCH_SECONDS = Histogram(
    "bookme_availability_search_duration_seconds",
    "Time the slot service takes to answer an availability search",
    ["channel"],
    buckets=LATENCY_BUCKETS,
)
SEARCH_SLOTS = Histogram(
    "bookme_availability_search_slots",
    "Slots an availability search offered",
    ["channel"],
    buckets=SLOT_COUNT_BUCKETS,
)
HOLDS = Counter("bookme_holds_created", "Holds (reservations) written", ["channel"])
MEETINGS = Counter(
    "bookme_meetings",
    "Meetings booked, moved to another time, or cancelled",
    ["action", "channel"],
)


@dataclass(frozen=True)
class OutboxState:
    """What the outbox reports at a scrape: messages waiting, the oldest one's age, dead ones."""

    backlog: int
    oldest_age_seconds: float
    dead: int


OutboxProbe = Callable[[], OutboxState]
_outbox_probe: OutboxProbe | None = None


def register_outbox_probe(probe: OutboxProbe | None) -> None:
    """Let the outbox (app/notifications) report its state at each scrape (None: stop)."""
    global _outbox_probe
    _outbox_probe = probe


class OutboxCollector(Collector):
    """The outbox gauges, read from the registered probe when scraped (nothing until one is)."""

    def describe(self) -> list[GaugeMetricFamily]:
        """Nothing to describe up front (registering must not call the probe)."""
        return []

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Ask the probe; a probe that fails costs its gauges, not the whole scrape."""
        if _outbox_probe is None:
            return
        try:
            state = _outbox_probe()
        except Exception:  # noqa: BLE001 - the rest of the scrape must still answer
            log.warning("outbox probe failed", exc_info=True)
            return
        yield GaugeMetricFamily(
            "bookme_outbox_backlog", "Outbox messages waiting to be sent", value=state.backlog
        )
        yield GaugeMetricFamily(
            "bookme_outbox_oldest_age_seconds",
            "Age of the oldest message waiting in the outbox",
            value=state.oldest_age_seconds,
        )
        yield GaugeMetricFamily(
            "bookme_outbox_dead", "Outbox messages given up on (dead)", value=state.dead
        )


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Record one answered request (called by the access hook)."""
    method = method if method in METHODS else "OTHER"
    REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)
    if status >= 400:
        HTTP_ERRORS.labels(route, CODES.get(status, f"HTTP_{status}")).inc()


def channel() -> str:
    """Who asked: the blueprint of the current request, or `cli` outside any request."""
    if not has_request_context():
        return "cli"
    return CHANNELS.get(request.blueprint or "", "other")


def _on_search(_sender: Any, *, duration_seconds: float, slot_count: int) -> None:
    asking = channel()
    SEARCH_SECONDS.labels(asking).observe(duration_seconds)
    SEARCH_SLOTS.labels(asking).observe(slot_count)


def _on_hold(_hold: Any) -> None:
    HOLDS.labels(channel()).inc()


def _counter_for(action: str) -> Callable[[Any], None]:
    def count(_meeting: Any) -> None:
        MEETINGS.labels(action, channel()).inc()

    return count


_LISTENERS: list[Callable[..., None]] = [
    _on_search,
    _on_hold,
    _counter_for("booked"),
    _counter_for("moved"),
    _counter_for("cancelled"),
]
_SIGNALS = [
    events.slots_searched,
    events.hold_created,
    events.meeting_booked,
    events.meeting_moved,
    events.meeting_cancelled,
]


def _listen() -> None:
    """Connect the counters to the services' events (strong references: they live as long as
    the module; connecting again is a no-op)."""
    for signal, listener in zip(_SIGNALS, _LISTENERS, strict=True):
        signal.connect(listener, weak=False)


def _registry() -> CollectorRegistry:
    """All workers' numbers in multiprocess mode, else this process's registry; plus the outbox."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(OutboxCollector())
        return registry
    return REGISTRY


REGISTRY.register(OutboxCollector())  # once, when this module is first imported


def _authorised() -> bool:
    """The request carries `Authorization: Bearer <BOOKME_METRICS_TOKEN>` (compared in constant
    time, as bytes: `compare_digest` refuses non-ASCII text, which any caller can send)."""
    expected = str(current_app.config["BOOKME_METRICS_TOKEN"]).encode()
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected)


@bp.get("/metrics")
def metrics() -> Response:
    """The Prometheus text format; 404 when no token is configured, 401 without the right one."""
    if not current_app.config.get("BOOKME_METRICS_TOKEN"):  # plain text: no page, no cookie
        return Response("not found\n", status=404, mimetype="text/plain")
    if not _authorised():
        challenge = {"WWW-Authenticate": 'Bearer realm="metrics"'}
        return Response("unauthorised\n", status=401, mimetype="text/plain", headers=challenge)
    body = generate_latest(_registry())
    return Response(
        body, headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"}
    )


def init_metrics(_app: Flask) -> None:
    """Count the services' events (connecting twice changes nothing)."""
    _listen()
