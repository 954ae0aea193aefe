"""Where booking for a customer keeps its answers between pages: a server-side draft (the wizard's
`wizard_drafts` table, app/wizard/drafts.py), named in the session by its unguessable id.

The draft belongs to the staff account that started it (`choices["user"]`): a draft id carried
into another account's session reaches nothing. The customer's details live only in the draft
(never in a URL or the cookie) and the draft is deleted when the meeting is booked. The hold is
taken with the account's own owner (app/staff/auth.py `hold_owner`, `staff:<user id>`) and the
draft's token; `purge-expired` deletes a draft left behind (app/wizard/drafts.py `purge_drafts`), a
grace period after its last write.
"""

from __future__ import annotations

import contextlib
import secrets
from datetime import datetime
from typing import Any

from flask import session
from flask_login import current_user

from app.booking.errors import DomainError
from app.booking.reservations import release
from app.extensions import db
from app.models import Reservation, WizardDraft
from app.staff.auth import hold_owner
from app.staff.booking import StaffChoices
from app.wizard.drafts import DRAFT_ID_BYTES, live_draft

SESSION_KEY = "staff_book"
CUSTOMER_FIELDS = ("number", "name", "email", "phone")


def current(now: datetime) -> WizardDraft | None:
    """The signed-in account's booking draft, if it has one that has not run out."""
    draft = live_draft(session.get(SESSION_KEY), now)
    if draft is None or draft.choices.get("user") != str(current_user.id):
        return None
    return draft


def _open(now: datetime) -> WizardDraft:
    """The account's draft, or a new one (with a new hold token)."""
    draft = current(now)
    if draft is None:
        draft = WizardDraft(
            id=secrets.token_urlsafe(DRAFT_ID_BYTES),
            choices={"user": str(current_user.id), "token": secrets.token_urlsafe(16)},
            details={},
            week="",
            expires_at=now,
        )
        db.session.add(draft)
        session[SESSION_KEY] = draft.id
    return draft


def customer(draft: WizardDraft | None) -> dict[str, str] | None:
    """The customer chosen or typed for this booking."""
    if draft is None or not draft.details.get("name"):
        return None
    return {k: str(draft.details.get(k) or "") for k in (*CUSTOMER_FIELDS, "known")}


def choices(draft: WizardDraft | None) -> StaffChoices | None:
    """The "what" answers of this booking."""
    return StaffChoices.from_draft(draft.choices) if draft is not None else None


def save_customer(values: dict[str, str], *, known: bool, now: datetime) -> None:
    """Keep the customer (a known one, or a new one typed in) for this booking."""
    draft = _open(now)
    draft.details = {
        **{k: values.get(k, "") for k in CUSTOMER_FIELDS},
        "known": "1" if known else "",
    }
    draft.expires_at = now
    db.session.commit()


def save_choices(chosen: StaffChoices, now: datetime) -> None:
    """Keep the "what" answers (the account and the hold token stay). Changed answers give up the
    time held for the old ones: it may not fit them, and it would block the calendar meanwhile."""
    draft = _open(now)
    if draft.reservation_id and choices(draft) != chosen:
        _give_up_hold(draft, now)
    kept: dict[str, str] = {k: draft.choices[k] for k in ("user", "token") if k in draft.choices}
    draft.choices = {**kept, **chosen.to_draft()}
    draft.expires_at = now
    db.session.commit()


def _give_up_hold(draft: WizardDraft, now: datetime) -> None:
    """Release the booking's hold (nothing when it already ran out or is gone)."""
    with contextlib.suppress(DomainError):  # gone, or already a meeting: nothing to release
        release(str(draft.reservation_id), token(draft), owner=hold_owner(), now=now)
    draft.reservation_id = None


def token(draft: WizardDraft) -> str:
    """The token of this booking's holds."""
    return str(draft.choices.get("token") or "")


def remember_hold(draft: WizardDraft, hold: Reservation, week: str, now: datetime) -> None:
    """The hold just taken is this booking's."""
    draft.reservation_id = hold.id
    draft.week = week[:10]
    draft.expires_at = now
    db.session.commit()


def finish(draft: WizardDraft) -> None:
    """The meeting is booked: the draft (with the customer's details) is deleted."""
    db.session.delete(draft)
    db.session.commit()
    session.pop(SESSION_KEY, None)


def as_dict(draft: WizardDraft | None) -> dict[str, Any]:
    """For the templates: the customer and the choices of the booking so far."""
    return {"customer": customer(draft), "choices": choices(draft)}
