"""What the wizard remembers about a visitor between steps.

The session cookie is signed, not encrypted, so it carries ids only:

- `token`: the browser's reservation token, which owns its hold. A hold taken while the token owns
  a live hold reuses it, so the new choice releases the old hold at once (the seed's rule); a hold
  taken afresh gets a new token, and saving the details hands the hold over to a new one.
- `draft`: the id of this browser's draft on the server (app/wizard/drafts.py), which keeps the
  current hold's id with the step-1 answers and week it was chosen from, and the details typed in
  step 4 until the meeting is booked. Every hold, every save of the details and the booking move
  it to a new id.

Both are rotated like a session id after a login (session fixation): a cookie planted in the
customer's browser, or copied from it earlier, names a draft that is gone and a token that owns
nothing, so it reaches nothing the customer chooses, types or books afterwards. A request sent
again with the cookie from before its first answer (`repeatable`, app/wizard/repeats.py) is the
one exception: for two minutes the very same request lands where the first one did.

After booking the new draft still names the hold, now consumed: a double submit or the back button
finds the meeting through it (and through this browser's token), so no private-link token is kept.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import request, session
from sqlalchemy.exc import SQLAlchemyError

from app import clock
from app.booking.errors import DomainError
from app.booking.reservations import hand_over, live_hold_of, wizard_owner
from app.extensions import db
from app.models import Reservation, WizardDraft
from app.wizard import drafts, repeats
from app.wizard.choices import Choices

View = TypeVar("View", bound=Callable[..., Any])
log = logging.getLogger("app.wizard")

# Keys that older versions kept in the cookie (personal data, private-link tokens): dropped on sight.
LEGACY_KEYS = ("hold", "details", "booked", "last_booked")


def reservation_token() -> str:
    """This browser's reservation token (created on first need)."""
    token = session.get("token")
    if not token:
        token = _new_token()
        session["token"] = token
    return str(token)


def _new_token() -> str:
    return str(uuid.uuid4())


def hold_token() -> str:
    """The token for the hold about to be taken; `remember_hold` makes it this browser's.

    The browser's own while its draft keeps a live hold of it, which the new hold then replaces in
    the same transaction, or while the token's live hold is in no draft at all (the database dropped
    after the hold, before its draft was saved); else a new one, so a token that came with a planted
    cookie (or from an earlier booking) never owns the customer's hold, nor replaces it.
    """
    token = session.get("token")
    if not token:
        return _new_token()
    live = live_hold_of(wizard_owner(str(token)), str(token), now=clock.now())
    hold = current_hold()
    if live is not None and ((hold and hold["id"] == live.id) or drafts.unnamed(live.id)):
        return str(token)
    return _new_token()


def _draft_id() -> str | None:
    """The id of this browser's draft, if it has one."""
    for key in LEGACY_KEYS:
        session.pop(key, None)
    draft_id = session.get("draft")
    return draft_id if isinstance(draft_id, str) else None


def _draft() -> WizardDraft | None:
    return drafts.live_draft(_draft_id(), clock.now())


def remember_hold(reservation: Reservation, choices: Choices, week: str) -> None:
    """Remember the hold just taken, with the answers it was taken for, under a new draft id.

    The token goes into the session first: if the database drops before the draft is saved, the
    error page's cookie still owns the hold, and the same click again finds it (`hold_token`).
    """
    session["token"] = reservation.token
    session["draft"] = drafts.save_hold(
        _draft_id(), reservation.id, choices.args(), week, clock.now()
    )


def hold_owner() -> str:
    """The owner of this browser's holds: nobody else can see, replace or book them."""
    return wizard_owner(reservation_token())


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
    """Keep the customer's details so that nothing typed is lost on the way, under new ids: a new
    draft id, and a new token that the hold is handed over to."""
    typed = {k: v for k, v in data.items() if k not in ("csrf_token", "submit")}
    now = clock.now()
    draft = _draft()
    if draft is None:
        return
    token = _new_token()
    if draft.reservation_id:
        try:
            old = reservation_token()
            hand_over(
                draft.reservation_id, wizard_owner(old), old, wizard_owner(token), token, now=now
            )
        except DomainError:  # released or booked meanwhile: the new token owns no hold
            db.session.rollback()
    session["token"] = token
    session["draft"] = drafts.save_details(draft.id, typed, now)


def saved_details() -> dict[str, Any]:
    """The details typed so far (empty when none)."""
    draft = _draft()
    return dict(draft.details) if draft is not None else {}


def finish_booking() -> bool:
    """The hold became a meeting: the typed details are wiped from the server at once, and the
    draft moves to a new id. Best effort: the meeting is booked whatever happens here; when the
    database fails now, the details stay until the next visit wipes them, or the purge (False)."""
    try:
        draft_id = drafts.finish(_draft_id(), clock.now())
    except SQLAlchemyError:
        log.warning("wizard draft not wiped after booking; the next visit or the purge will")
        _rollback_quietly()
        return False
    if draft_id:
        session["draft"] = draft_id
    return True


def repeatable(view: View) -> View:
    """A POST sent again with the cookie from before its first sending (the browser never got that
    answer) runs on the ids the first one moved the browser to, so it lands where that one did
    (app/wizard/repeats.py)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if request.method != "POST":
            return view(*args, **kwargs)
        now = clock.now()
        key = repeats.request_key(_draft_id(), session.get("token"))
        note = repeats.find(key, now)
        if note is not None:
            _set_ids(note.draft_id, note.token)
        before = (session.get("draft"), session.get("token"))
        response = view(*args, **kwargs)
        after = (session.get("draft"), session.get("token"))
        if after != before or note is not None:
            _leave_note(key, *after)
        return response

    return wrapper  # type: ignore[return-value]


def _set_ids(draft_id: str | None, token: str | None) -> None:
    for key, value in (("draft", draft_id), ("token", token)):
        if value:
            session[key] = value
        else:
            session.pop(key, None)


def _leave_note(key: str, draft_id: str | None, token: str | None) -> None:
    """Best effort: without the note a repeat starts over, as before; the answer stands."""
    try:
        repeats.leave(key, draft_id, token, clock.now())
    except SQLAlchemyError:
        log.warning("wizard repeat note not saved")
        _rollback_quietly()


def _rollback_quietly() -> None:
    """Roll back after a failed write; a database that cannot even do that is left to the next
    request."""
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()
