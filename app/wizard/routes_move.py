"""Moving a booked meeting from its private link: pick a new time in the same grid, then confirm.

The grid runs with `move=<token>`: the search ignores the meeting's own time and the hold is made
with `existing_meeting_id`, so confirming moves the meeting (the old time frees up at once).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import clock
from app.booking.errors import DomainError
from app.booking.meeting_changes import MeetingChanges, update_meeting
from app.extensions import db
from app.models import Meeting
from app.wizard import bp, state
from app.wizard.choices import choices_of
from app.wizard.forms import ConfirmForm
from app.wizard.holds import hold_view, retake
from app.wizard.meeting_view import meeting_view


def _booked_meeting(token: str) -> Meeting:
    """The meeting behind a private link (404 for anything else)."""
    meeting = db.session.query(Meeting).filter_by(manage_token=token).one_or_none()
    if meeting is None:
        abort(404)
    return meeting


@bp.get("/m/<token>/move")
def move(token: str) -> Response:
    """Open the week grid for the meeting's topic, with its advisor preferred."""
    meeting = _booked_meeting(token)
    if meeting.status != "Booked" or meeting.start_at <= clock.now():
        flash(_("This meeting can no longer be moved online."), "error")
        return redirect(url_for("wizard.manage", token=token))
    return redirect(url_for("wizard.times", **choices_of(meeting, token).args()))


@bp.route("/m/<token>/move/confirm", methods=["GET", "POST"])
def confirm_move(token: str) -> Response | str:
    """Show the old and the new time with one button; the POST moves the meeting."""
    meeting = _booked_meeting(token)
    now = clock.now()
    view = hold_view(now)
    if view is None or view.reservation.existing_meeting_id != meeting.id:
        return redirect(url_for("wizard.move", token=token))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template(
            "wizard/move_confirm.html", form=form, hold=view, m=meeting_view(meeting), token=token
        )
    fresh = view.reservation if view.live else retake(view, now)
    try:
        if fresh is None:
            raise DomainError("the new time was taken")
        update_meeting(
            meeting.id,
            MeetingChanges(time_slot_id=fresh.id),
            hold_owner=state.hold_owner(),
            now=now,
        )
    except DomainError:
        db.session.rollback()
        flash(_("Sorry, the new time was taken meanwhile. Please choose another time."), "warning")
        return redirect(url_for("wizard.times", week=view.week, **view.choices.args()))
    flash(_("Your meeting is moved. The old time is free for others again."), "success")
    return redirect(url_for("wizard.manage", token=token, moved=1))
