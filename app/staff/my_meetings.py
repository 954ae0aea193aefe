"""My meetings (/staff/meetings): the signed-in advisor's upcoming meetings by day, and cancelling
one with a reason. Reading goes through `booked_meetings_of` (one query for the meetings, one per
table for their names), the write through `cancel_meeting`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import clock
from app.booking.errors import Conflict
from app.booking.meeting_changes import cancel_meeting
from app.booking.meetings import BOOKED
from app.i18n import local
from app.models import Meeting
from app.staff import bp
from app.staff.auth import staff_required
from app.staff.forms import CancelMeetingForm
from app.staff.meeting_access import booked_meetings_of, their_meeting
from app.staff.meeting_detail import booked_by, detail_page
from app.wizard.meeting_view import MeetingView, meeting_views

DAYS_AHEAD = 60


@dataclass
class Row:
    """One meeting as the list shows it."""

    view: MeetingView
    room: str
    booked_by: str
    form: CancelMeetingForm


def upcoming(employee_id: str, now: datetime) -> list[Meeting]:
    """Booked meetings of this advisor (lead or additional) starting from now, next 60 days."""
    return booked_meetings_of(employee_id, now, now + timedelta(days=DAYS_AHEAD))


def _days(
    employee_id: str, now: datetime, failed: tuple[str, CancelMeetingForm] | None = None
) -> list[tuple[date, list[Row]]]:
    days: dict[date, list[Row]] = {}
    for view in meeting_views(upcoming(employee_id, now)):
        meeting = view.meeting
        form = failed[1] if failed and failed[0] == meeting.id else CancelMeetingForm(formdata=None)
        row = Row(view, view.room, booked_by(meeting), form)
        days.setdefault(local(meeting.start_at).date(), []).append(row)
    return list(days.items())


def _page(failed: tuple[str, CancelMeetingForm] | None = None) -> str:
    now = clock.now()
    return render_template(
        "staff/meetings.html",
        days=_days(current_user.employee_id, now, failed),
        today=local(now).date(),
        days_ahead=DAYS_AHEAD,
    )


@bp.get("/staff/meetings")
@staff_required("advisor")
def my_meetings() -> str:
    """This advisor's upcoming meetings, grouped by day, today first."""
    return _page()


@bp.post("/staff/meetings/<meeting_id>/cancel")
@staff_required("advisor")
def cancel(meeting_id: str) -> Response | tuple[str, int]:
    """Cancel one of this advisor's meetings with a reason (404 for anyone else's); sent from the
    meeting's own page (`back=meeting`), a missing reason is shown there and success returns there."""
    meeting = their_meeting(meeting_id)
    from_detail = request.form.get("back") == "meeting"
    if meeting.status != BOOKED:
        return _gone(), 409
    form = CancelMeetingForm()
    if not form.validate_on_submit():
        return (detail_page(meeting, form) if from_detail else _page((meeting.id, form))), 400
    try:
        cancel_meeting(
            meeting.id,
            now=clock.now(),
            cancelled_by=current_user.email,
            reason=form.reason.data,
        )
    except Conflict:
        return _gone(), 409
    flash(_("The meeting is cancelled. The customer's link now shows it as cancelled."), "success")
    if from_detail:
        return redirect(url_for("staff.meeting_page", meeting_id=meeting.id))
    return redirect(url_for("staff.my_meetings"))


def _gone() -> str:
    return render_template("staff/meeting_gone.html")
