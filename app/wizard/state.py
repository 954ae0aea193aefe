"""What the wizard remembers about a visitor between steps.

The session cookie is signed, not encrypted, so it carries ids only:

- `token`: one reservation token per browser, created on first need and reused for every hold, so
  a new choice releases the old hold at once (the seed's rule).
- `draft`: the id of this browser's draft on the server (app/wizard/drafts.py), which keeps the
  current hold's id with the step-1 answers and week it was chosen from, and the details typed in
  step 4 until the meeting is booked.

After booking the draft still names the hold, now consumed: a double submit or the back button
finds the meeting through it (and through this browser's token), so no private-link token is kept.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import session

from app import clock
from app.models import WizardDraft
from app.wizard import drafts
from app.wizard.choices import Choices

# Keys that older versions kept in the cookie (personal data, private-link tokens): dropped on sight.
LEGACY_KEYS = ("hold", "details", "booked", "last_booked")


def reservation_token() -> str:
    """This browser's reservation token (created on first need)."""
    token = session.get("token")
    if not token:
        token = str(uuid.uuid4())
        session["token"] = token
    return str(token)


def _draft_id() -> str | None:
    """The id of this browser's draft, if it has one."""
    for key in LEGACY_KEYS:
        session.pop(key, None)
    draft_id = session.get("draft")
    return draft_id if isinstance(draft_id, str) else None


def _draft() -> WizardDraft | None:
    return drafts.live_draft(_draft_id(), clock.now())


def remember_hold(reservation_id: str, choices: Choices, week: str) -> None:
    """Remember the hold just taken, with the answers it was taken for."""
    session["draft"] = drafts.save_hold(
        _draft_id(), reservation_id, choices.args(), week, clock.now()
    )


def current_hold() -> dict[str, Any] | None:
    """The remembered hold: `{"id", "choices", "week"}`, or None."""
    draft = _draft()
    if draft is None or not draft.reservation_id:
        return None
    return {"id": draft.reservation_id, "choices": dict(draft.choices), "week": draft.week}


def hold_choices() -> Choices:
    """The step-1 answers the current hold was taken for."""
    hold = current_hold()
    return Choices.from_args(hold["choices"]) if hold else Choices()


def forget_hold() -> None:
    """Drop the remembered hold (when it is gone for good)."""
    drafts.forget_hold(_draft_id(), clock.now())


def save_details(data: dict[str, Any]) -> None:
    """Keep the customer's details so that nothing typed is lost on the way."""
    typed = {k: v for k, v in data.items() if k not in ("csrf_token", "submit")}
    drafts.save_details(_draft_id(), typed, clock.now())


def saved_details() -> dict[str, Any]:
    """The details typed so far (empty when none)."""
    draft = _draft()
    return dict(draft.details) if draft is not None else {}


def finish_booking() -> None:
    """The hold became a meeting: the typed details are wiped from the server at once."""
    drafts.finish(_draft_id(), clock.now())
