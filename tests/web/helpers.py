"""Small helpers for driving the wizard with Flask's test client."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.web.data import World


def csrf_from(html: str) -> str:
    """The CSRF token a page carries (hidden field or the htmx header on <body>)."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    if match is None:
        match = re.search(r"X-CSRFToken&#34;: &#34;([^&]+)&#34;|X-CSRFToken\": \"([^\"]+)\"", html)
        assert match is not None, "no CSRF token on the page"
        return next(g for g in match.groups() if g)
    return match.group(1)


def choices_for(world: World, **overrides: str) -> dict[str, str]:
    """Step-1 answers for a physical mortgage meeting at the branch, as a private customer."""
    args = {
        "customer_type": world.private.id,
        "topic": world.mortgage.id,
        "meeting_type": "Physical",
        "location": world.branch.id,
    }
    args.update(overrides)
    return {k: v for k, v in args.items() if v}


def slot_values(html: str) -> list[str]:
    """The values of the time buttons on a page, in page order."""
    return [unescape(v) for v in re.findall(r'class="slot"[^>]*name="slot" value="([^"]+)"', html)]


def slot_labels(html: str) -> list[str]:
    """The accessible names of the time buttons (hidden day prefix plus the visible time)."""
    raw = re.findall(r'class="slot"[^>]*>(.*?)</button>', html, flags=re.S)
    return [unescape(re.sub(r"<[^>]+>", "", r)).strip() for r in raw]


def open_times(client: FlaskClient, world: World, **overrides: str) -> str:
    """Load the times page for the default answers."""
    response = client.get("/book/times", query_string=choices_for(world, **overrides))
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def hold(client: FlaskClient, world: World, html: str, index: int = 0, **headers: str):  # type: ignore[no-untyped-def]
    """Press the `index`-th time button on `html`."""
    form = {**choices_for(world), "slot": slot_values(html)[index], "csrf_token": csrf_from(html)}
    return client.post("/book/hold", data=form, headers=headers)


DETAILS = {
    "name": "Karen Kunde",
    "email": "karen@example.com",
    "phone": "+45 12 34 56 78",
    "customer_number": "C-1001",
    "note": "About our new flat",
    "consent": "y",
}


def fill_details(client: FlaskClient, **overrides: str):  # type: ignore[no-untyped-def]
    """Send the details form (taking the CSRF token from the page first)."""
    page = client.get("/book/details").get_data(as_text=True)
    data = {**DETAILS, **overrides, "csrf_token": csrf_from(page)}
    return client.post("/book/details", data={k: v for k, v in data.items() if v is not None})


def book(client: FlaskClient, world: World):  # type: ignore[no-untyped-def]
    """Hold the first time, fill the details and confirm; returns the final response."""
    hold(client, world, open_times(client, world))
    fill_details(client)
    page = client.get("/book/confirm").get_data(as_text=True)
    return client.post("/book/confirm", data={"csrf_token": csrf_from(page)})


def session_cookie(app: Flask) -> str:
    """The session cookie's name (`__Host-session` when cookies are Secure)."""
    return str(app.session_interface.get_cookie_name(app))


def session_of(app: Flask, client: FlaskClient) -> dict[str, Any]:
    """The browser's session cookie decoded: signed, not encrypted, so anyone holding it can read this."""
    cookie = client.get_cookie(session_cookie(app))
    assert cookie is not None
    data = app.session_interface.get_signing_serializer(app).loads(cookie.value)  # type: ignore[attr-defined]
    return dict(data)
