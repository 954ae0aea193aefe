"""What the wizard keeps in the visitor's (signed cookie) session between steps.

- `token`: one reservation token per browser, created on first need and reused for every hold, so
  a new choice releases the old hold at once (the seed's rule).
- `hold`: the current hold's id and the step-1 answers and week it was chosen from.
- `details`: what the customer typed in step 4, kept until the meeting is booked.
- `booked`: reservation id -> private link token of meetings booked in this browser, so a double
  submit lands on the confirmation instead of an error.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import session

from app.booking.reservations import wizard_owner
from app.wizard.choices import Choices


def reservation_token() -> str:
    """This browser's reservation token (created on first need)."""
    token = session.get("token")
    if not token:
        token = str(uuid.uuid4())
        session["token"] = token
    return str(token)


def hold_owner() -> str:
    """The owner of this browser's holds: nobody else can see, replace or book them."""
    return wizard_owner(reservation_token())


def remember_hold(reservation_id: str, choices: Choices, week: str) -> None:
    """Remember the hold just taken, with the answers it was taken for."""
    session["hold"] = {"id": reservation_id, "choices": choices.args(), "week": week}
    session.pop("last_booked", None)


def current_hold() -> dict[str, Any] | None:
    """The remembered hold: `{"id", "choices", "week"}`, or None."""
    hold = session.get("hold")
    return hold if isinstance(hold, dict) and hold.get("id") else None


def hold_choices() -> Choices:
    """The step-1 answers the current hold was taken for."""
    hold = current_hold()
    return Choices.from_args(hold["choices"]) if hold else Choices()


def forget_hold() -> None:
    """Drop the remembered hold (after booking, or when it is gone for good)."""
    session.pop("hold", None)


def save_details(data: dict[str, Any]) -> None:
    """Keep the customer's details so that nothing typed is lost on the way."""
    session["details"] = {k: v for k, v in data.items() if k not in ("csrf_token", "submit")}


def saved_details() -> dict[str, Any]:
    """The details typed so far (empty when none)."""
    details = session.get("details")
    return details if isinstance(details, dict) else {}


def remember_booking(reservation_id: str, manage_token: str) -> None:
    """Remember that this browser booked the hold `reservation_id` (double submits find it)."""
    booked = dict(session.get("booked") or {})
    booked = dict(list(booked.items())[-4:])
    booked[reservation_id] = manage_token
    session["booked"] = booked
    session["last_booked"] = manage_token


def last_booking() -> str | None:
    """The private-link token of the meeting just booked, until a new hold is taken."""
    token = session.get("last_booked")
    return str(token) if token else None


def booking_for(reservation_id: str) -> str | None:
    """The private link token of the meeting this browser made from `reservation_id`."""
    return (session.get("booked") or {}).get(reservation_id)
