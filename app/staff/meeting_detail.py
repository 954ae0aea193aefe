"""One meeting in the advisor workspace (/staff/meetings/<id>): when, with whom, about what, where,
who booked it and how, who moved it last, its status, and Move and Cancel while it is open."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from app import clock
from app.booking.reservations import CLIENT_OWNER, STAFF_OWNER
from app.extensions import db
from app.models import Employee, Meeting, Reservation, User
from app.staff import bp
from app.staff.auth import staff_required
from app.staff.forms import CancelMeetingForm
from app.staff.meeting_access import advisor_ids, still_open, their_meeting
from app.wizard.meeting_view import MeetingView, meeting_view


@dataclass
class Detail:
    """A meeting with the names an advisor needs."""

    view: MeetingView
    advisors: list[str]  # the lead first
    room: str
    booked_by: str
    moved_by: str  # "" when it was never moved
    cancelled_by: str
    open: bool  # booked and not started: it can be moved or cancelled


def _account(user_id: str | None) -> str | None:
    user = db.session.get(User, user_id) if user_id else None
    return user.email if user else None


def booked_by(meeting: Meeting) -> str:
    """Who booked the meeting, and how."""
    if meeting.booked_by == "employee":
        # loaded with the meeting (for a list, one query for all of them)
        email = meeting.booked_by_user.email if meeting.booked_by_user else None
        return _("by staff (%(who)s)", who=email) if email else _("by staff")
    if meeting.client_id:
        return _("the customer, through the API (%(client)s)", client=meeting.client_id)
    return _("the customer, in the booking pages")


def moved_by(meeting: Meeting) -> str:
    """Who moved the meeting last, read from the hold it was moved to ("" if it never moved)."""
    hold = db.session.get(Reservation, meeting.time_slot_id) if meeting.time_slot_id else None
    if hold is None or hold.existing_meeting_id != meeting.id:
        return ""
    if hold.owner.startswith(STAFF_OWNER):
        email = _account(hold.owner.removeprefix(STAFF_OWNER))
        return _("by staff (%(who)s)", who=email) if email else _("by staff")
    if hold.owner.startswith(CLIENT_OWNER):
        return _("through the API (%(client)s)", client=hold.owner.removeprefix(CLIENT_OWNER))
    return _("the customer, from the private link")


def _cancelled_by(meeting: Meeting) -> str:
    """Who cancelled: the customer, an API client or a staff account (its e-mail)."""
    who = meeting.cancelled_by or ""
    if who == "customer":
        return _("the customer, from the private link")
    if who.startswith(CLIENT_OWNER):
        return _("through the API (%(client)s)", client=who.removeprefix(CLIENT_OWNER))
    return _("by staff (%(who)s)", who=who) if who else ""


def advisor_names(row: Meeting | Reservation) -> list[str]:
    """The names of a meeting's (or a hold's) advisors, the lead first (one query; an id that names
    no employee stands as itself)."""
    ids = advisor_ids(row)
    rows = db.session.execute(
        select(Employee.id, Employee.display_name).where(Employee.id.in_(ids))
    )
    names = {ident: name for ident, name in rows}
    return [names.get(i, i) for i in ids]


def detail_of(meeting: Meeting) -> Detail:
    """The detail page's view of a meeting."""
    view = meeting_view(meeting)
    return Detail(
        view=view,
        advisors=advisor_names(meeting),
        room=view.room,
        booked_by=booked_by(meeting),
        moved_by=moved_by(meeting),
        cancelled_by=_cancelled_by(meeting),
        open=still_open(meeting, clock.now()),
    )


def detail_page(meeting: Meeting, form: CancelMeetingForm | None = None) -> str:
    """The detail page, with the cancel form (a failed one open, its error at the field)."""
    return render_template(
        "staff/meeting.html",
        d=detail_of(meeting),
        form=form or CancelMeetingForm(formdata=None),
    )


@bp.get("/staff/meetings/<meeting_id>")
@staff_required("advisor")
def meeting_page(meeting_id: str) -> str:
    """One of this advisor's meetings (404 for anyone else's), with Move and Cancel while open."""
    return detail_page(their_meeting(meeting_id))
