"""Advisors: the list, a new advisor, one advisor's details and skills, their busy times, and delete
(refused while they have meetings: untick "Can be booked" instead). The weekly schedule editor is in
app/admin/schedule.py. Every write goes through `app.configuration.items`, as the import's and the
admin API's do."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app import clock
from app.admin import bp
from app.admin.forms import ActionForm, AdvisorForm, BusyTimeForm, show_problems
from app.booking.errors import Conflict, NotFound
from app.configuration.document import ConfigurationError, Problem
from app.configuration.items import create_item, delete_item, save_item
from app.extensions import db
from app.models import BusyTime, CustomerType, Employee, Location, Topic
from app.staff.auth import staff_required


def advisor(ident: str) -> Employee:
    """The advisor with this id, else 404."""
    row = db.session.get(Employee, ident)
    if row is None:
        abort(404)
    return row


def location_choices(empty: str) -> list[tuple[str, str]]:
    """Every branch as a choice, after `empty` (no branch)."""
    rows = db.session.execute(select(Location.id, Location.name).order_by(Location.name))
    return [("", empty)] + [(ident, name) for ident, name in rows]


def field_of(problem: Problem) -> Problem:
    """A problem's path as a form field: `skills.topics[2]` -> `topics`, `busy_times[0].end` ->
    `end`, and a problem of a whole busy time (start after end) on its `end`."""
    path = re.sub(r"\[\d+\]", "", problem.path)
    path = path.removeprefix("skills.").removeprefix("busy_times").removeprefix(".")
    return Problem(
        path or ("end" if problem.path.startswith("busy_times") else ""), problem.message
    )


def _advisor_form(row: Employee | None = None, *, bound: bool = True) -> AdvisorForm:
    """The form, from the request when `bound` and it was sent, else from the stored advisor."""
    form = AdvisorForm() if bound else AdvisorForm(formdata=None)
    form.home_location.choices = location_choices(_("No home branch"))
    topics = db.session.execute(select(Topic.id, Topic.name).order_by(Topic.order, Topic.name))
    form.topics.choices = [(i, n) for i, n in topics]
    kinds = db.session.execute(
        select(CustomerType.id, CustomerType.name).order_by(CustomerType.name)
    )
    form.customer_types.choices = [(i, n) for i, n in kinds]
    if not bound or not form.is_submitted():
        form.can_be_booked.data = True
        if row is not None:
            form.first_name.data, form.last_name.data = row.first_name, row.last_name
            form.email.data, form.can_be_booked.data = row.email, row.can_be_booked
            form.home_location.data = row.home_location_id or ""
            form.topics.data = [t.id for t in row.topics]
            form.customer_types.data = [c.id for c in row.customer_types]
    return form


def _advisor_data(form: AdvisorForm, row: Employee | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "email": form.email.data or "",
        "first_name": form.first_name.data or "",
        "last_name": form.last_name.data or "",
        "home_location": form.home_location.data or None,
        "can_be_booked": bool(form.can_be_booked.data),
        "skills": {
            "topics": form.topics.data or [],
            "customer_types": form.customer_types.data or [],
        },
    }
    if row is not None:
        data["id"] = row.id
        names = f"{data['first_name']} {data['last_name']}"
        if row.display_name != f"{row.first_name} {row.last_name}":
            names = row.display_name  # a display name set elsewhere is kept
        data["display_name"] = names
    return data


@bp.get("/advisors")
@staff_required("admin")
def advisors() -> str:
    """Every advisor with their home branch and whether customers can book them."""
    rows = db.session.scalars(
        select(Employee)
        .options(selectinload(Employee.home_location))
        .order_by(Employee.display_name)
    )
    return render_template("admin/advisors.html", advisors=list(rows))


@bp.route("/advisors/new", methods=["GET", "POST"])
@staff_required("admin")
def advisor_new() -> Response | tuple[str, int]:
    """A new advisor (without a week yet: every day is off until the schedule is set)."""
    form = _advisor_form()
    if form.validate_on_submit():
        try:
            ident = create_item("employees", _advisor_data(form, None))
        except ConfigurationError as exc:
            show_problems(form, [field_of(p) for p in exc.problems])
            return render_template("admin/advisor_form.html", form=form, row=None), 400
        flash(_("The advisor is saved. Set their weekly schedule next."), "success")
        return redirect(url_for("admin.advisor_schedule", ident=ident))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/advisor_form.html", form=form, row=None), status


def _advisor_page(row: Employee, form: AdvisorForm, busy: BusyTimeForm, status: int = 200) -> Any:
    query = select(BusyTime).where(BusyTime.employee_id == row.id, BusyTime.end_at > clock.now())
    busy_times = db.session.scalars(query.order_by(BusyTime.start_at))
    return render_template(
        "admin/advisor_form.html",
        form=form,
        row=row,
        busy_form=busy,
        busy_times=list(busy_times),
        action=ActionForm(),
    ), status


@bp.get("/advisors/<ident>")
@staff_required("admin")
def advisor_edit(ident: str) -> tuple[str, int]:
    """One advisor: details and skills, the link to the week, busy times."""
    row = advisor(ident)
    return _advisor_page(row, _advisor_form(row), BusyTimeForm(formdata=None))


@bp.post("/advisors/<ident>")
@staff_required("admin")
def advisor_save(ident: str) -> Response | tuple[str, int]:
    """Save an advisor's details and skills; errors next to the fields."""
    row = advisor(ident)
    form = _advisor_form(row)
    if not form.validate_on_submit():
        return _advisor_page(row, form, BusyTimeForm(formdata=None), 400)
    try:
        save_item("employees", _advisor_data(form, row))
    except ConfigurationError as exc:
        show_problems(form, [field_of(p) for p in exc.problems])
        return _advisor_page(row, form, BusyTimeForm(formdata=None), 400)
    flash(_("The advisor is saved."), "success")
    return redirect(url_for("admin.advisor_edit", ident=ident))


@bp.post("/advisors/<ident>/delete")
@staff_required("admin")
def advisor_delete(ident: str) -> Response | tuple[str, int]:
    """Delete an advisor who never had a meeting; otherwise say to stop their bookings instead."""
    row = advisor(ident)
    try:
        delete_item("employees", row.id, now=clock.now())
    except Conflict:
        db.session.rollback()
        flash(
            _(
                "This advisor has meetings and is kept for the record. Untick “Can be booked” instead."
            ),
            "error",
        )
        return _advisor_page(row, _advisor_form(row, bound=False), BusyTimeForm(formdata=None), 409)
    flash(_("The advisor is deleted."), "success")
    return redirect(url_for("admin.advisors"))


@bp.post("/advisors/<ident>/busy-times")
@staff_required("admin")
def advisor_busy_add(ident: str) -> Response | tuple[str, int]:
    """Add an absence, an outside appointment or a period of working elsewhere."""
    row = advisor(ident)
    busy = BusyTimeForm()
    if busy.validate_on_submit():
        item = {"start": busy.start.data, "end": busy.end.data, "kind": busy.kind.data}
        data: dict[str, Any] = {"id": row.id, "email": row.email, "first_name": row.first_name}
        data |= {"last_name": row.last_name, "busy_times": [item | {"note": busy.note.data or ""}]}
        try:
            save_item("employees", data)
        except ConfigurationError as exc:
            show_problems(busy, [field_of(p) for p in exc.problems])
        else:
            flash(_("The busy time is added."), "success")
            return redirect(url_for("admin.advisor_edit", ident=ident) + "#busy-times")
    return _advisor_page(row, _advisor_form(row, bound=False), busy, 400)


@bp.post("/advisors/<ident>/busy-times/<busy_id>/delete")
@staff_required("admin")
def advisor_busy_delete(ident: str, busy_id: str) -> Response:
    """Remove one of this advisor's busy times."""
    row = advisor(ident)
    busy = db.session.get(BusyTime, busy_id)
    if busy is None or busy.employee_id != row.id:
        abort(404)
    try:
        delete_item("busy_times", busy.id, now=clock.now())
    except NotFound:
        abort(404)
    flash(_("The busy time is removed."), "success")
    return redirect(url_for("admin.advisor_edit", ident=ident) + "#busy-times")
