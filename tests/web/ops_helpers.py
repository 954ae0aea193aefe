"""Helpers for the operations tests: scraping /metrics, reading the JSON log lines, API bookings."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from app import clock as app_clock
from tests import factories
from tests.booking.conftest import HOUR, SLOT_START, Bank

METRICS_TOKEN = "metrics-token-for-tests"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: FlaskClient) -> Samples:
    """Every sample /metrics shows, keyed by name and labels."""
    resp = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert resp.status_code == 200, resp.data[:300]
    samples: Samples = {}
    for family in text_string_to_metric_families(resp.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value (0 when it is not there yet)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def log_lines(err: str) -> list[dict[str, Any]]:
    """Our JSON log lines on stderr (another handler left on the root logger, such as the one
    Alembic's logging setup installs when the tests migrate in-process, may write its own)."""
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


def api_headers(client_id: str = "ops-client") -> dict[str, str]:
    """A bearer token that may read and book."""
    token = factories.token(client_id, ("bookme.read", "bookme.book"), now=app_clock.now())
    return {"Authorization": "Bearer " + token}


def _z(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def api_reserve(
    client: FlaskClient, bank: Bank, token: str, start: datetime = SLOT_START, **extra: Any
):  # type: ignore[no-untyped-def]
    """POST /bookme/time-slots/reserve for the bank's advisor and room; the raw response."""
    slot = {
        "startDate": _z(start),
        "endDate": _z(start + HOUR),
        "status": "Reserved",
        "employeeId": bank.advisor.id,
        "roomId": bank.room.id,
        "meetingType": "Physical",
    }
    body = {"timeSlot": slot, "token": token, **extra}
    return client.post("/bookme/time-slots/reserve", json=body, headers=api_headers())


def api_book(client: FlaskClient, bank: Bank, slot_id: str, **customer: str):  # type: ignore[no-untyped-def]
    """POST /bookme/meetings for a held slot; the raw response."""
    body = {
        "bookedBy": "customer",
        "customerCategoryId": bank.customer_type.id,
        "timeSlotId": slot_id,
        "type": "physical",
        "themeId": bank.topic.id,
        "roomId": bank.room.id,
        "employeeId": bank.advisor.id,
        **customer,
    }
    return client.post("/bookme/meetings", json=body, headers=api_headers())


LATER = SLOT_START + timedelta(minutes=30)
