"""Driving "Book for a customer" (/staff/book) with the test client."""

from __future__ import annotations

from datetime import datetime

from flask.testing import FlaskClient

from tests.web.data import World
from tests.web.helpers import csrf_from, slot_values

CUSTOMER = {
    "customer_number": "C-4711",
    "name": "Karen Blixen",
    "email": "karen@example.dk",
    "phone": "+45 12 34 56 78",
}


def page(client: FlaskClient, path: str) -> str:
    """GET a page that must answer 200."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.location)
    return response.get_data(as_text=True)


def new_customer(client: FlaskClient, **overrides: str):  # type: ignore[no-untyped-def]
    """Type in a new customer on the first step."""
    html = page(client, "/staff/book")
    data = {**CUSTOMER, **overrides, "csrf_token": csrf_from(html)}
    return client.post("/staff/book/customer", data=data)


def what(client: FlaskClient, world: World, **overrides):  # type: ignore[no-untyped-def]
    """Answer the "what" step: by default a staff-only topic at the branch, the system choosing."""
    html = page(client, "/staff/book/what")
    data = {
        "topic": world.staff_only.id,
        "meeting_type": "Physical",
        "location": world.branch.id,
        "room": "auto",
        "csrf_token": csrf_from(html),
        **overrides,
    }
    return client.post("/staff/book/what", data={k: v for k, v in data.items() if v is not None})


def starts(html: str) -> list[datetime]:
    """The start times of the time buttons on a page."""
    return [datetime.fromisoformat(v.split("|")[0]) for v in slot_values(html)]


def hold_at(client: FlaskClient, html: str, start: datetime, **headers: str):  # type: ignore[no-untyped-def]
    """Press the time button for `start`."""
    value = next(v for v in slot_values(html) if datetime.fromisoformat(v.split("|")[0]) == start)
    data = {"slot": value, "week": "", "csrf_token": csrf_from(html)}
    return client.post("/staff/book/hold", data=data, headers=headers)


def confirm(client: FlaskClient):  # type: ignore[no-untyped-def]
    """Press "Book the meeting"."""
    html = page(client, "/staff/book/confirm")
    return client.post("/staff/book/confirm", data={"csrf_token": csrf_from(html)})
