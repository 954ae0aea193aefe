"""Book for a customer (/staff/book): the customer, what the meeting is, a time in the week grid,
the hold, confirm, done. Thin views over app/staff/booking.py (the rules), app/staff/book_state.py
(the server-side draft) and the booking services (app/booking/*), behind `staff_required("advisor")`.

The week grid is the customer wizard's (app/wizard/week.py, templates/wizard/_slot_grid.html);
"Why not?" (templates/staff/_why_not_form.html, built apart) is included under it with
`why_not_args` (app/staff/booking.py `why_not_args`) and the `week` shown.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import clock
from app.booking.customers import remember_customer, search_customers
from app.booking.errors import Conflict, DomainError, NotFound
from app.booking.meeting_create import MeetingRequest, create_meeting
from app.booking.meetings import get_meeting
from app.booking.query import Slot
from app.booking.reservations import CONSUMED, RESERVED, get_reservation, live_status, reserve
from app.extensions import db
from app.i18n import fmt_time, org_zone
from app.models import Customer, Meeting, WizardDraft
from app.staff import book_state as state
from app.staff import bp
from app.staff.auth import hold_owner, staff_required
from app.staff.book_views import hold_summary, meeting_summary, what_form
from app.staff.booking import (
    StaffChoices,
    choice_errors,
    hold_request,
    proposal_for,
    staff_search,
    why_not_args,
)
from app.staff.forms import (
    BookForCustomerForm,
    CustomerSearchForm,
    MeetingChoicesForm,
    NewCustomerForm,
)
from app.staff.refusals import hold_refused, why_refused
from app.wizard.routes import is_htmx
from app.wizard.week import build_week_for, parse_slot_value, parse_week, slot_value


def _customer_page(
    search: CustomerSearchForm, new: NewCustomerForm, found: list[Customer] | None, status: int
) -> tuple[str, int]:
    draft = state.current(clock.now())
    return render_template(
        "staff/book_customer.html",
        search=search,
        new=new,
        found=found,
        chosen=state.customer(draft),
    ), status


@bp.get("/staff/book")
@staff_required("advisor")
def book_start() -> tuple[str, int]:
    """Step 1: find a known customer, or type in a new one."""
    return _customer_page(CustomerSearchForm(), NewCustomerForm(formdata=None), None, 200)


@bp.post("/staff/book/search")
@staff_required("advisor")
def book_search() -> tuple[str, int]:
    """The customers matching the typed text (htmx: the result list alone; a POST, so the text
    never goes into a URL)."""
    form = CustomerSearchForm()
    if not form.validate():
        if is_htmx():
            return render_template("staff/_customer_results.html", found=None, search=form), 400
        return _customer_page(form, NewCustomerForm(formdata=None), None, 400)
    found = search_customers(form.q.data or "")
    if is_htmx():
        return render_template("staff/_customer_results.html", found=found, search=form), 200
    return _customer_page(form, NewCustomerForm(formdata=None), found, 200)


@bp.post("/staff/book/customer")
@staff_required("advisor")
def book_customer() -> Response | tuple[str, int]:
    """Choose a known customer (`known` = their number), or take the new customer typed in."""
    now = clock.now()
    known = request.form.get("known")
    if known is not None:
        if not BookForCustomerForm().validate_on_submit():
            abort(400)
        row = db.session.get(Customer, known)
        if row is None:
            abort(404)
        values = {"number": row.id, "name": row.name, "email": row.email, "phone": row.phone}
        state.save_customer(values, known=True, now=now)
        return redirect(url_for("staff.book_what"))
    form = NewCustomerForm()
    valid = form.validate_on_submit()
    if valid and form.customer_number.data and db.session.get(Customer, form.customer_number.data):
        valid = False  # a known customer is chosen from the search, never retyped over
        form.customer_number.errors = [
            _("A customer with this number is already known. Find them above instead.")
        ]
    if not valid:
        return _customer_page(CustomerSearchForm(formdata=None), form, None, 422)
    values = {
        "number": form.customer_number.data or "",
        "name": form.name.data or "",
        "email": form.email.data or "",
        "phone": form.phone.data or "",
    }
    state.save_customer(values, known=False, now=now)
    return redirect(url_for("staff.book_what"))


@bp.route("/staff/book/what", methods=["GET", "POST"])
@staff_required("advisor")
def book_what() -> Response | tuple[str, int]:
    """Step 2: topic (staff-only ones too), meeting type, branch or area, advisors, room, notice."""
    now = clock.now()
    draft = state.current(now)
    if state.customer(draft) is None:
        return redirect(url_for("staff.book_start"))
    kept = state.choices(draft)
    form = what_form(MeetingChoicesForm() if request.method == "POST" else None, kept)
    if request.method == "POST":
        chosen = _chosen(form) if form.validate_on_submit() else None
        errors = choice_errors(chosen) if chosen else {}
        for name, message in errors.items():
            form[name].errors = [*form[name].errors, message]
        if chosen is not None and not errors:
            state.save_choices(chosen, now)
            return redirect(url_for("staff.book_times"))
        status = 400 if form.errors.get("csrf_token") else 422
        return render_template("staff/book_what.html", form=form, **state.as_dict(draft)), status
    return render_template("staff/book_what.html", form=form, **state.as_dict(draft)), 200


def _chosen(form: MeetingChoicesForm) -> StaffChoices:
    """The answers of a valid form."""
    return StaffChoices(
        topic=form.topic.data or "",
        meeting_type=form.meeting_type.data or "",
        customer_type=form.customer_type.data or None,
        location=form.location.data or None,
        area=form.area.data or None,
        advisors=tuple(dict.fromkeys(form.advisors.data or [])),
        room=form.room.data or "auto",
        ignore_notice=bool(form.ignore_notice.data),
    )


def _ready(draft: WizardDraft | None) -> StaffChoices | None:
    """The choices, when the customer and the "what" step are both answered."""
    if draft is None or state.customer(draft) is None:
        return None
    return state.choices(draft)


def _times_context(
    draft: WizardDraft, chosen: StaffChoices, week_arg: str | None
) -> dict[str, Any]:
    """What the times page and its partials show: the week for the choices, the hold, and the
    arguments of "Why not?"."""
    now = clock.now()
    week = build_week_for(staff_search(chosen), parse_week(week_arg, org_zone(), now), now)
    return {
        **state.as_dict(draft),
        "week": week,
        "hold": hold_summary(draft, now),
        "slot_value": slot_value,
        "refresh_seconds": current_app.config["BOOKME_GRID_REFRESH_SECONDS"],
        "grid_args": {},
        "times_endpoint": "staff.book_times",
        "hold_endpoint": "staff.book_hold",
        "grid_footer": "staff/_book_grid_footer.html",
        "no_times_text": _(
            "There is no free time for these choices in the coming weeks. Try other advisors, "
            "another branch or room, or ignore the minimum notice."
        ),
        "why_not_args": why_not_args(chosen),
    }


@bp.get("/staff/book/times")
@staff_required("advisor")
def book_times() -> Response | str:
    """Step 3: the week grid (htmx asks for the grid alone on navigation and refresh)."""
    draft = state.current(clock.now())
    chosen = _ready(draft)
    if draft is None or chosen is None:
        return redirect(url_for("staff.book_start"))
    context = _times_context(draft, chosen, request.args.get("week"))
    if is_htmx():
        return render_template("wizard/_slot_grid.html", **context)
    return render_template("staff/book_times.html", **context)


@bp.post("/staff/book/hold")
@staff_required("advisor")
def book_hold() -> Response | tuple[str, int]:
    """Hold the chosen time with the account's own owner and the booking's token; a refusal
    shows the engine's reason next to the grid."""
    now = clock.now()
    draft = state.current(now)
    chosen = _ready(draft)
    if draft is None or chosen is None:
        return redirect(url_for("staff.book_start"))
    week = request.form.get("week", "")
    slot = parse_slot_value(request.form.get("slot", ""), chosen.topic)
    cap = current_app.config["BOOKME_MAX_LIVE_HOLDS_PER_STAFF"]
    try:
        if slot is None:
            raise Conflict("the slot is not available")
        asked = hold_request(chosen, slot, state.token(draft), hold_owner())
        held = reserve(asked, now=now, max_live_holds=cap)
        state.remember_hold(draft, held, week, now)
        status, message = 200, ("sr", _("Held until %(time)s.", time=fmt_time(held.expires_at)))
    except DomainError as refused:
        db.session.rollback()
        status, message = 409, ("error", _refusal(refused, chosen, slot, draft.reservation_id))
    if not is_htmx():
        flash(message[1], message[0])
        anchor = "hold" if status == 200 else "grid"
        return redirect(url_for("staff.book_times", week=week, _anchor=anchor))
    context = _times_context(draft, chosen, week)
    context["extra_messages"] = [message]
    return render_template("staff/_book_hold_response.html", **context), status


def _refusal(
    refused: DomainError, chosen: StaffChoices, slot: Slot | None, own_hold: str | None
) -> str:
    """Why the hold was refused, in Why not?'s words about the time asked for."""
    if slot is None:
        return hold_refused(refused, None, clock.now())
    room = None if chosen.room == "none" else slot.room_id
    asked = proposal_for(chosen, slot.start, slot.end, slot.employee_ids, room, own_hold)
    return hold_refused(refused, asked, clock.now())


@bp.route("/staff/book/confirm", methods=["GET", "POST"])
@staff_required("advisor")
def book_confirm() -> Response | tuple[str, int]:
    """Step 4: everything at a glance and one button; the meeting is booked by this account."""
    now = clock.now()
    draft = state.current(now)
    chosen = _ready(draft)
    hold = hold_summary(draft, now) if draft is not None else None
    if draft is None or chosen is None or hold is None:
        ran_out = draft is not None and draft.reservation_id
        flash(
            _("The hold ran out. Please choose the time again.")
            if ran_out
            else _("Please choose a time first."),
            "warning",
        )
        return redirect(url_for("staff.book_times" if chosen else "staff.book_start"))
    form = BookForCustomerForm()
    context = {**state.as_dict(draft), "hold": hold, "form": form}
    if request.method == "GET":
        return render_template("staff/book_confirm.html", **context), 200
    if not form.validate_on_submit():
        return render_template("staff/book_confirm.html", **context), 400
    week, hold_id = draft.week, str(draft.reservation_id)  # (another click may delete the draft)
    try:
        meeting = _book(draft, chosen, now)
    except DomainError:
        db.session.rollback()
        return _not_booked(chosen, hold_id, week, now)
    state.finish(draft)
    return redirect(url_for("staff.book_done", meeting_id=meeting.id))


def _not_booked(chosen: StaffChoices, hold_id: str, week: str | None, now: Any) -> Response:
    """The booking was refused. When the hold already became a meeting (the button pressed twice
    at once: the other press booked it), show that meeting; else say why, back to the grid."""
    try:
        hold = get_reservation(hold_id, owner=hold_owner())
    except NotFound:
        hold = None
    if hold is not None and hold.status == CONSUMED and hold.meeting_id:
        flash(_("The meeting is booked (the button was pressed twice)."), "info")
        return redirect(url_for("staff.book_done", meeting_id=hold.meeting_id))
    reason = _("Please choose the time again.")
    if hold is not None:
        ids = (hold.employee_id, *(hold.additional_employee_ids or ()))
        asked = proposal_for(chosen, hold.start_at, hold.end_at, ids, hold.room_id, hold.id)
        ran_out = live_status(hold, now) != RESERVED
        reason = why_refused(asked, now, _("The hold ran out.") if ran_out else None)
    flash(_("The meeting could not be booked: %(reason)s", reason=reason), "error")
    return redirect(url_for("staff.book_times", week=week, _anchor="grid"))


def _book(draft: WizardDraft, chosen: StaffChoices, now: Any) -> Meeting:
    """Turn the booking's hold into the meeting, and remember a numbered customer, in one
    transaction."""
    who = state.customer(draft) or {}
    hold = get_reservation(str(draft.reservation_id), owner=hold_owner())
    if live_status(hold, now) != RESERVED:
        raise Conflict("the reservation has expired; reserve the slot again")
    request_ = MeetingRequest(
        time_slot_id=hold.id,
        booked_by="employee",
        booked_by_user_id=str(current_user.id),
        meeting_type=hold.meeting_type,
        topic_id=chosen.topic,
        customer_type_id=chosen.customer_type,
        customer_id=who.get("number") or None,
        customer_name=who.get("name", ""),
        customer_email=who.get("email", ""),
        customer_phone=who.get("phone", ""),
        locale=str(get_locale()),
        manage_token=secrets.token_urlsafe(24),
        owner=hold_owner(),
    )

    def remember(meeting: Meeting) -> None:
        if meeting.customer_id:
            remember_customer(
                meeting.customer_id,
                meeting.customer_name,
                meeting.customer_email,
                meeting.customer_phone,
            )

    return create_meeting(request_, now=now, on_created=remember)


@bp.get("/staff/book/done/<meeting_id>")
@staff_required("advisor")
def book_done(meeting_id: str) -> str:
    """The meeting just booked, with the customer's private link to pass on (only for the account
    that booked it)."""
    try:
        meeting = get_meeting(meeting_id)
    except DomainError:
        abort(404)
    if meeting.booked_by_user_id != str(current_user.id):
        abort(404)
    return render_template("staff/book_done.html", m=meeting_summary(meeting))
