"""The wizard's drafts: what one browser chose and typed, kept on the server between steps.

Flask's session cookie is signed, not encrypted, so it carries only the draft's unguessable id
(besides the browser's reservation token). A draft lives as long as its hold plus a grace period,
in which a customer whose hold ran out can pick another time without typing their details again.
Booking the meeting wipes the details at once; `purge_drafts` deletes the drafts that ran out.

Every write of the customer's own (a hold taken, details saved, the meeting booked) goes into a
draft with a new id and deletes the old one (`_reissue`): a copy of the cookie that someone else
planted in the browser, or kept from before, names a draft that is gone and reaches nothing the
customer chose, typed or booked (a repeat of the very same request aside: app/wizard/repeats.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Reservation, WizardDraft

DRAFT_ID_BYTES = 32  # 43 URL-safe characters
DETAIL_MAX_CHARS = 2000  # above every field's limit: a value too long is kept long enough to refuse


def draft_grace() -> timedelta:
    """How long a draft outlives its hold (`BOOKME_DRAFT_GRACE_MINUTES`)."""
    return timedelta(minutes=int(current_app.config["BOOKME_DRAFT_GRACE_MINUTES"]))


def live_draft(draft_id: str | None, now: datetime) -> WizardDraft | None:
    """The draft with this id, unless it is unknown or has run out."""
    if not draft_id:
        return None
    draft = db.session.get(WizardDraft, draft_id)
    if draft is None or draft.expires_at + draft_grace() <= now:
        return None
    return draft


def unnamed(reservation_id: str) -> bool:
    """Whether no draft names this hold (its draft was never saved)."""
    stmt = select(WizardDraft.id).where(WizardDraft.reservation_id == reservation_id).limit(1)
    return db.session.scalar(stmt) is None


def save_hold(
    draft_id: str | None, reservation_id: str, choices: Mapping[str, str], week: str, now: datetime
) -> str:
    """Remember the hold just taken in a new draft (keeping the details typed so far); returns its id."""
    draft = _reissue(live_draft(draft_id, now), now)
    reservation = db.session.get(Reservation, reservation_id)
    draft.reservation_id = reservation_id
    draft.choices = dict(choices)
    draft.week = _iso_day(week)
    draft.expires_at = max(reservation.expires_at, now) if reservation else now
    db.session.commit()
    return draft.id


def save_details(draft_id: str | None, details: Mapping[str, Any], now: datetime) -> str | None:
    """Keep what the customer typed (also when it has errors) in a new draft; returns its id (None
    when the draft is gone)."""
    old = live_draft(draft_id, now)
    if old is None:
        return None
    draft = _reissue(old, now)
    draft.details = {k: _capped(v) for k, v in details.items()}
    draft.expires_at = max(draft.expires_at, now)
    db.session.commit()
    return draft.id


def forget_hold(draft_id: str | None, now: datetime) -> None:
    """Drop the draft's hold (it is gone for good); the details stay."""
    draft = live_draft(draft_id, now)
    if draft is not None and draft.reservation_id is not None:
        draft.reservation_id = None
        db.session.commit()


def finish(draft_id: str | None, now: datetime) -> str | None:
    """The meeting is booked and holds the details now: wipe the draft's copy at once and move the
    draft to a new id; returns it (None when the draft is gone).

    The new draft names the consumed hold until the purge, so a double submit or the back button
    finds the meeting; a copy of the cookie taken before booking names a draft that is gone.
    """
    old = live_draft(draft_id, now)
    if old is None:
        return None
    draft = _reissue(old, now)
    draft.details = {}
    draft.expires_at = now
    db.session.commit()
    return draft.id


def purge_drafts(now: datetime) -> int:
    """Delete the drafts whose hold ran out more than the grace period ago; returns how many."""
    cutoff = now - draft_grace()
    result = db.session.execute(delete(WizardDraft).where(WizardDraft.expires_at <= cutoff))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _reissue(old: WizardDraft | None, now: datetime) -> WizardDraft:
    """A draft under a new unguessable id with what `old` kept; `old` is deleted (not committed)."""
    draft = WizardDraft(id=secrets.token_urlsafe(DRAFT_ID_BYTES), details={}, expires_at=now)
    if old is not None:
        draft.reservation_id = old.reservation_id
        draft.choices = dict(old.choices)
        draft.week = old.week
        draft.details = dict(old.details)
        draft.expires_at = old.expires_at
        db.session.delete(old)
    db.session.add(draft)
    return draft


def _iso_day(value: str) -> str:
    """The week as an ISO date, or empty when it is not one (it came from a form)."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return ""


def _capped(value: Any) -> Any:
    """A typed value cut to `DETAIL_MAX_CHARS` (the request itself may be much longer)."""
    return value[:DETAIL_MAX_CHARS] if isinstance(value, str) else value
