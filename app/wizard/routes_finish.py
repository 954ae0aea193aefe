"""Customer wizard, steps 4-5 and after: details, confirm, the confirmation and the private link."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import clock
from app.booking.errors import Conflict, DomainError
from app.booking.meeting_changes import cancel_meeting
from app.booking.meeting_create import MeetingRequest, create_meeting
from app.extensions import db
from app.models import Meeting
from app.wizard import bp, state
from app.wizard.forms import CancelForm, ConfirmForm, details_form_class
from app.wizard.holds import HoldView, consumed_meeting_id, hold_view, retake
from app.wizard.meeting_view import customer_ics, meeting_view


def _back_to_times(view: HoldView | None, message: str) -> Response:
    """Send the customer to the grid they came from, with a message; their details stay saved."""
    flash(message, "warning")
    choices = view.choices if view else state.hold_choices()
    if not choices.topic:
        return redirect(url_for("wizard.step_one"))
    week = view.week if view else ""
    return redirect(url_for("wizard.times", week=week, _anchor="grid", **choices.args()))


def _no_hold() -> Response:
    """No usable hold: a hold this browser already booked shows its confirmation.

    That is a double submit, or the back button after booking: the draft still names the hold.
    """
    remembered = state.current_hold()
    if remembered:
        made = consumed_meeting_id(remembered["id"])
        meeting = db.session.get(Meeting, made) if made else None
        if meeting is not None and meeting.manage_token:
            if state.saved_details():  # wiping them after booking failed: now
                state.finish_booking()
            return redirect(url_for("wizard.booked", token=meeting.manage_token))
    return _back_to_times(None, _("Please choose a time first."))


@bp.route("/book/details", methods=["GET", "POST"])
@state.repeatable
def details() -> Response | str | tuple[str, int]:
    """Step 4: who the meeting is with; what is typed is kept even when it has errors."""
    view = hold_view(clock.now())
    if view is None:
        return _no_hold()
    if view.choices.move:
        return redirect(url_for("wizard.confirm_move", token=view.choices.move))
    form_class = details_form_class(view.reservation.meeting_type)
    form = form_class(data=state.saved_details()) if request.method == "GET" else form_class()
    if request.method == "POST":
        state.save_details(form.data)
        if form.validate():
            return redirect(url_for("wizard.confirm"))
        return render_template("wizard/details.html", form=form, hold=view), 422
    return render_template("wizard/details.html", form=form, hold=view)


def _details_complete(meeting_type: str | None) -> bool:
    """Whether the saved details pass the same checks as the form."""
    form_class = details_form_class(meeting_type)
    form = form_class(formdata=None, data=state.saved_details(), meta={"csrf": False})
    return form.validate()


@bp.route("/book/confirm", methods=["GET", "POST"])
@state.repeatable
def confirm() -> Response | str:
    """Step 5: a summary and one button; a hold that ran out is re-taken when the time is free."""
    now = clock.now()
    view = hold_view(now)
    if view is None:
        return _no_hold()
    if not _details_complete(view.reservation.meeting_type):
        return redirect(url_for("wizard.details"))
    form = ConfirmForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template(
            "wizard/confirm.html", form=form, hold=view, details=state.saved_details()
        )
    if not view.live and retake(view, now) is None:
        return _back_to_times(
            view,
            _(
                "Your hold ran out and someone else has taken that time. Please choose another time; your details are saved."
            ),
        )
    return _book(now)


def _book(now: datetime) -> Response:
    """Turn the hold into the meeting; a second click finds the meeting the first one made."""
    view = hold_view(now)
    if view is None:
        return _no_hold()
    manage_token = secrets.token_urlsafe(24)
    meeting: Meeting | None
    try:
        meeting = create_meeting(_meeting_request(view, manage_token), now=now)
    except DomainError:
        db.session.rollback()
        made = consumed_meeting_id(view.reservation.id)
        meeting = db.session.get(Meeting, made) if made else None
        if meeting is None or not meeting.manage_token:
            return _back_to_times(
                view,
                _(
                    "Sorry, that time could not be booked. Please choose another time; your details are saved."
                ),
            )
    state.finish_booking()
    return redirect(url_for("wizard.booked", token=meeting.manage_token))


def _meeting_request(view: HoldView, manage_token: str) -> MeetingRequest:
    """The meeting request for the held time and the saved details."""
    d = state.saved_details()
    hold = view.reservation
    return MeetingRequest(
        time_slot_id=hold.id,
        booked_by="customer",
        meeting_type=hold.meeting_type,
        topic_id=hold.topic_id,
        customer_type_id=view.choices.customer_type,
        employee_id=hold.employee_id,
        room_id=hold.room_id,
        customer_id=(d.get("customer_number") or "").strip() or None,
        customer_name=(d.get("name") or "").strip(),
        customer_email=(d.get("email") or "").strip(),
        customer_phone=(d.get("phone") or "").strip(),
        customer_address=_offsite(hold.meeting_type, d.get("address")),
        customer_address_note=_offsite(hold.meeting_type, d.get("address_note")),
        description=(d.get("note") or "").strip(),
        locale=str(get_locale()),
        manage_token=manage_token,
        owner=state.hold_owner(),
    )


def _offsite(meeting_type: str | None, value: object) -> str:
    """An address detail, kept only for a meeting at the customer's place."""
    return str(value or "").strip() if meeting_type == "OffSite" else ""


def _meeting_by_token(token: str) -> Meeting:
    """The meeting behind a private link (404 for anything else)."""
    meeting = db.session.query(Meeting).filter_by(manage_token=token).one_or_none()
    if meeting is None or len(token) < 16:
        abort(404)
    return meeting


@bp.get("/book/booked/<token>")
def booked(token: str) -> str:
    """The confirmation: summary, calendar file and the private link."""
    meeting = _meeting_by_token(token)
    return render_template("wizard/booked.html", m=meeting_view(meeting), token=token)


@bp.get("/m/<token>")
def manage(token: str) -> str:
    """The private link: shows the meeting; changing it needs a POST."""
    meeting = _meeting_by_token(token)
    moved = request.args.get("moved") == "1" and meeting.status == "Booked"
    return render_template("wizard/manage.html", m=meeting_view(meeting), token=token, moved=moved)


@bp.get("/m/<token>/meeting.ics")
def ics(token: str) -> Response:
    """The meeting as a calendar file."""
    meeting = _meeting_by_token(token)
    link = url_for("wizard.manage", token=token, _external=True)
    body = customer_ics(meeting_view(meeting), link, clock.now())
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{meeting.id}.ics"'
    return response


@bp.route("/m/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str) -> Response | str:
    """Cancel from the private link: the GET asks to be sure, the POST cancels."""
    meeting = _meeting_by_token(token)
    form = CancelForm()
    if request.method == "GET":
        if meeting.status != "Booked":
            return redirect(url_for("wizard.manage", token=token))
        view = meeting_view(meeting)
        return render_template("wizard/cancel_confirm.html", m=view, token=token, form=form)
    if not form.validate_on_submit():
        abort(400)
    try:
        cancel_meeting(
            meeting.id,
            now=clock.now(),
            cancelled_by="customer",
            reason=request.form.get("reason") or None,
        )
        flash(_("Your meeting is cancelled. The time is free for others again."), "success")
    except Conflict:
        db.session.rollback()
        flash(
            _("This meeting can no longer be cancelled online, because it has started or is over."),
            "error",
        )
    return redirect(url_for("wizard.manage", token=token))
