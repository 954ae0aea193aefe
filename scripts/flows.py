"""What customers and API clients do over HTTP, for the topology test and the load test.

`WizardCustomer` walks the booking wizard as a browser does (a cookie jar, the CSRF token from each
page, no redirects followed silently); `ApiClient` books through the JSON API and retries a
booking the proxy could not deliver with the same `Idempotency-Key`. Both send each request to the
next of the base URLs they are given (the proxy, or the instances in turn) and note every step's
status and time.
"""

from __future__ import annotations

import itertools
import random
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import Any

import requests

from app.demo.data import demo_id

TIMEOUT = 30
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CSRF_HEADER = re.compile(r"X-CSRFToken(?:&#34;|\"): (?:&#34;|\")([^&\"]+)")
SLOT = re.compile(r'class="slot"[^>]*name="slot" value="([^"]+)"')
MEETING_PAGE = re.compile(r"/book/booked/[^/?#]+$")
RETRYABLE = {502, 503, 504}


def wizard_choices(location: str = "Branch-North", topic: str = "Mortgage") -> dict[str, str]:
    """Step 1 of the demo bank: a private customer's physical meeting at a branch."""
    return {
        "customer_type": demo_id("customer_type", "Private"),
        "topic": demo_id("topic", topic),
        "meeting_type": "Physical",
        "location": demo_id("location", location),
    }


@dataclass(frozen=True)
class Step:
    """One request: which step, its status (0: no answer at all) and how long it took."""

    name: str
    status: int
    ms: float


def csrf_of(html: str) -> str:
    """The CSRF token a page carries (a form's hidden field or the htmx header on <body>)."""
    match = CSRF_FIELD.search(html) or CSRF_HEADER.search(html)
    if match is None:
        raise ValueError("no CSRF token on the page")
    return match.group(1)


@dataclass
class Walker:
    """Requests to the next base URL in turn, each one timed and noted."""

    bases: list[str]
    steps: list[Step] = field(default_factory=list)
    forwarded_for: str | None = None  # only when talking to the instances directly
    _turn: Iterator[str] = field(init=False)

    def __post_init__(self) -> None:
        self._turn = itertools.cycle(self.bases)

    def send(
        self, session: requests.Session, step: str, method: str, path: str, **kw: Any
    ) -> requests.Response | None:
        """One request, redirects not followed; None when no answer came (noted as status 0)."""
        headers = dict(kw.pop("headers", {}) or {})
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        started = time.perf_counter()
        try:
            answer = session.request(
                method,
                next(self._turn) + path,
                headers=headers,
                allow_redirects=False,
                timeout=TIMEOUT,
                **kw,
            )
        except requests.RequestException:
            self.steps.append(Step(step, 0, (time.perf_counter() - started) * 1000))
            return None
        self.steps.append(Step(step, answer.status_code, (time.perf_counter() - started) * 1000))
        return answer


def _redirected_to(answer: requests.Response | None, pattern: str) -> bool:
    return (
        answer is not None
        and answer.status_code in (302, 303)
        and bool(re.search(pattern, answer.headers.get("Location", "")))
    )


def _path(answer: requests.Response) -> str:
    """Where a redirect points, as a path on the same site (without its #fragment)."""
    location = answer.headers["Location"].split("#", 1)[0]
    return "/" + location.split("/", 3)[-1] if "://" in location else location


@dataclass
class WizardCustomer(Walker):
    """One person in one browser, booking through the wizard."""

    think: Callable[[], None] = lambda: None
    session: requests.Session = field(default_factory=requests.Session)
    outcome: str = "not started"  # booked, no-slot, taken, refused, failed
    meeting_path: str | None = None

    def book(
        self, rng: random.Random, choices: dict[str, str] | None = None, pick_from: int = 12
    ) -> bool:
        """Times, hold one of the first `pick_from` offered times, details, confirm, the meeting's
        page."""
        choices = choices or wizard_choices()
        times = self.send(self.session, "times", "GET", "/book/times", params=choices)
        if times is None or times.status_code != 200:
            return self._end("failed")
        slots = [unescape(v) for v in SLOT.findall(times.text)]
        if not slots:
            return self._end("no-slot")
        self.think()
        form = {**choices, "slot": rng.choice(slots[:pick_from]), "csrf_token": csrf_of(times.text)}
        held = self.send(self.session, "hold", "POST", "/book/hold", data=form)
        if held is not None and held.status_code == 429:
            return self._end("refused")
        if not _redirected_to(held, r"/book/times.*#hold$"):  # back to the grid, the hold shown
            return self._end("taken" if _redirected_to(held, r"#grid$") else "failed")
        shown = self.send(self.session, "times-held", "GET", _path(held))
        if shown is None or shown.status_code != 200:
            return self._end("failed")
        return self._details_and_confirm(rng)

    def _details_and_confirm(self, rng: random.Random) -> bool:
        page = self.send(self.session, "details", "GET", "/book/details")
        if page is None or page.status_code != 200:
            return self._end("failed")
        self.think()
        details = {
            "name": f"Load Kunde {rng.randrange(10**6)}",
            "email": f"kunde{uuid.uuid4().hex[:10]}@example.test",
            "phone": "+45 12 34 56 78",
            "consent": "y",
            "csrf_token": csrf_of(page.text),
        }
        sent = self.send(self.session, "details-save", "POST", "/book/details", data=details)
        if not _redirected_to(sent, r"/book/confirm$"):
            return self._end("failed")
        page = self.send(self.session, "confirm", "GET", "/book/confirm")
        if page is None or page.status_code != 200:
            return self._end("failed")
        self.think()
        form = {"csrf_token": csrf_of(page.text)}
        booked = self.send(self.session, "book", "POST", "/book/confirm", data=form)
        if not _redirected_to(booked, MEETING_PAGE.pattern):
            return self._end("taken" if _redirected_to(booked, r"/book/times") else "failed")
        assert booked is not None
        self.meeting_path = _path(booked)
        shown = self.send(self.session, "meeting", "GET", self.meeting_path)
        return self._end("booked" if shown is not None and shown.status_code == 200 else "failed")

    def _end(self, outcome: str) -> bool:
        self.outcome = outcome
        return outcome == "booked"


@dataclass
class ApiClient(Walker):
    """A bank system booking through the API with a bearer token of its own."""

    client_id: str = ""
    secret: str = ""
    scope: str = "bookme.read bookme.book"
    session: requests.Session = field(default_factory=requests.Session)
    retries: int = 4

    def sign_in(self) -> None:
        """A bearer token from /oauth/token (client credentials)."""
        answer = self.send(
            self.session,
            "token",
            "POST",
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": self.scope},
            auth=(self.client_id, self.secret),
        )
        if answer is None or answer.status_code != 200:
            raise RuntimeError(f"no token: {None if answer is None else answer.status_code}")
        self.session.headers["Authorization"] = "Bearer " + answer.json()["access_token"]

    def available(self, days: int = 7, location: str = "Copenhagen") -> list[dict[str, Any]]:
        """Physical slots offered for `location` in the next `days` days."""
        params = {
            "requireEmployeeParticipation": "true",
            "lookForwardTime": f"{days}.00:00:00",
            "meetingTypes": "physical",
            "customerLocation": location,
        }
        answer = self.send(
            self.session, "available", "GET", "/bookme/time-slots/available", params=params
        )
        return list(answer.json()) if answer is not None and answer.status_code == 200 else []

    def reserve(self, slot: dict[str, Any], token: str) -> requests.Response | None:
        """Hold `slot` under the reservation token `token`; no answer or 502/503/504: again (one
        token keeps one hold, so a repeat returns the hold the lost answer made)."""
        body = {"timeSlot": slot, "token": token}
        return self._with_retries("reserve", "/bookme/time-slots/reserve", body, {})

    def book(self, hold_id: str, key: str | None = None) -> requests.Response | None:
        """Turn a hold into a meeting; no answer or 502/503/504: the same request again, same key."""
        body = {"bookedBy": "customer", "timeSlotId": hold_id, "type": "Physical"}
        headers = {"Idempotency-Key": key or uuid.uuid4().hex}
        return self._with_retries("create", "/bookme/meetings", body, headers)

    def _with_retries(
        self, step: str, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> requests.Response | None:
        answer = None
        for attempt in range(self.retries + 1):
            answer = self.send(self.session, step, "POST", path, json=body, headers=headers)
            if answer is not None and answer.status_code not in RETRYABLE:
                return answer
            time.sleep(0.2 * (attempt + 1))
        return answer
