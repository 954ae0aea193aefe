"""A wizard request sent twice lands where the first one did (double clicks, retries after a blip).

Every hold, save of the details and booking moves the browser to a new draft id (and often a new
token, app/wizard/state.py). When the browser never receives that answer's cookie (a double click
without JavaScript: it drops the first answer, while the server completes it; a database that
drops before the answer is sent), its next request still carries the old ids. So each such request
leaves a note: "this request moved its browser to draft D, token T", for `REPEAT_WINDOW`, under a
hash of everything the browser sent: the ids its cookie named, the step, the form's fields and the
form's CSRF token. A request with the same hash takes the ids of the note and then runs as usual;
on those ids a hold, a details save or a booking is idempotent.

Who else can send the same hash? Only someone holding the old cookie (the planter of a session
fixation) who also sends the very form the customer sent: the same time (or every field typed),
and the same CSRF token, which Flask-WTF signs with the second the page was made, so each page
load has its own. A planter who loads pages every second and guesses the time and the second gets
at most the hold rate limit's tries within the two minutes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import request
from sqlalchemy import delete

from app.extensions import db
from app.models import WizardRepeat

REPEAT_WINDOW = timedelta(minutes=2)


def request_key(draft_id: str | None, token: str | None) -> str:
    """The hash of this request as its browser sent it: cookie ids, step, fields and CSRF token."""
    fields = sorted((k, v) for k, v in request.form.items(multi=True) if k != "csrf_token")
    csrf = request.form.get("csrf_token") or request.headers.get("X-CSRFToken") or ""
    parts = [draft_id or "", token or "", request.endpoint or "", csrf, repr(fields)]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def find(key: str, now: datetime) -> WizardRepeat | None:
    """The note a first sending of this request left, unless it has run out."""
    note = db.session.get(WizardRepeat, key)
    return note if note is not None and note.expires_at > now else None


def leave(key: str, draft_id: str | None, token: str | None, now: datetime) -> None:
    """Note where this request moved its browser (a repeat of a repeat moves the note on)."""
    note = db.session.get(WizardRepeat, key) or WizardRepeat(id=key)
    note.draft_id, note.token, note.expires_at = draft_id, token, now + REPEAT_WINDOW
    db.session.add(note)
    db.session.commit()


def purge_repeats(now: datetime) -> int:
    """Delete the notes that ran out; returns how many."""
    result = db.session.execute(delete(WizardRepeat).where(WizardRepeat.expires_at <= now))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
