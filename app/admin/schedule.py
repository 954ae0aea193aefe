"""An advisor's weekly schedule editor: per weekday the hours, the place and the meeting types, with
a preview of the free times of the next two weeks (htmx refreshes it as a row changes; without
JavaScript the "Preview" button does) and, before saving, the booked meetings the new week would
leave outside the rules, which must be confirmed. Saving goes through `app.configuration.items`."""

from __future__ import annotations

import re
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import clock
from app.admin import bp
from app.admin.advisors import advisor, location_choices
from app.admin.forms import MEETING_TYPE_LABELS, ScheduleForm, show_problems
from app.configuration.document import ConfigurationError, Problem
from app.configuration.items import parse_item, save_item
from app.configuration.schedule_plan import affected_meetings, preview, proposed_week
from app.configuration.schema import WEEKDAYS
from app.models import Employee
from app.staff.auth import staff_required

# the file's names of a day's keys -> the editor's field names
FIELD_NAMES = {
    "from": "start",
    "to": "end",
    "meeting_types": "meeting_types",
    "location": "location",
}


def _form(row: Employee, *, bound: bool = True) -> ScheduleForm:
    """The editor, from the request when sent, else from the stored week."""
    form = ScheduleForm() if bound else ScheduleForm(formdata=None)
    home = row.home_location.name if row.home_location else _("no home branch")
    for _name, day in form.days():
        day.location.choices = location_choices(_("Home branch (%(name)s)", name=home))
    if bound and form.is_submitted():
        return form
    stored = {s.weekday: s for s in row.schedules}
    for number, (_name, day) in enumerate(form.days()):
        entry = stored.get(number)
        day.works.data = bool(entry and entry.available)
        day.start.data = f"{entry.start_time:%H:%M}" if entry else "09:00"
        day.end.data = f"{entry.end_time:%H:%M}" if entry else "16:00"
        day.location.data = (entry.location_id if entry else None) or ""
        day.meeting_types.data = list(entry.meeting_types or []) if entry else ["Physical"]
    return form


def _week_data(form: ScheduleForm) -> dict[str, Any]:
    """The week as the configuration file writes it: a day not worked is left out."""
    week: dict[str, Any] = {}
    for name, day in form.days():
        if day.works.data:
            week[name] = {
                "from": day.start.data or "",
                "to": day.end.data or "",
                "meeting_types": day.meeting_types.data or [],
                "location": day.location.data or None,
            }
    return week


def _item(row: Employee, form: ScheduleForm) -> dict[str, Any]:
    names = {"first_name": row.first_name, "last_name": row.last_name}
    return {"id": row.id, "email": row.email, **names, "schedule": _week_data(form)}


def _field(problem: Problem) -> Problem:
    """`schedule.thursday.to` -> `thursday.end`; a whole day's problem -> its `end`."""
    parts = re.sub(r"\[\d+\]", "", problem.path).removeprefix("schedule.").split(".")
    if parts[0] not in WEEKDAYS:
        return problem
    leaf = FIELD_NAMES.get(parts[1], parts[1]) if len(parts) > 1 else "end"
    return Problem(f"{parts[0]}.{leaf}", problem.message)


def _plan(row: Employee, form: ScheduleForm) -> dict[str, Any]:
    """Validate the proposed week; with no problems, its preview and the meetings it would strand."""
    item, problems = parse_item("employees", _item(row, form))
    if problems or item is None:
        left = show_problems(form, [_field(p) for p in problems])
        return {"valid": False, "left": left, "days": [], "affected": [], "errors": _errors(form)}
    week = proposed_week(row, item.schedule)
    now = clock.now()
    return {
        "valid": True,
        "left": [],
        "days": preview(row, week, now),
        "affected": affected_meetings(row, week, now),
    }


def _errors(form: ScheduleForm) -> list[tuple[str, str, str]]:
    """(weekday, field, message) of every field with an error, for the preview region."""
    return [
        (str(day.label.text), str(f.label.text), str(f.errors[0]))
        for _name, day in form.days()
        for f in day.form
        if f.errors
    ]


def _page(row: Employee, form: ScheduleForm, plan: dict[str, Any], status: int = 200) -> Any:
    names = {loc_id: name for loc_id, name in form.monday.location.choices}
    return render_template(
        "admin/schedule.html",
        row=row,
        form=form,
        plan=plan,
        places=names,
        type_labels=MEETING_TYPE_LABELS,
    ), status


@bp.get("/advisors/<ident>/schedule")
@staff_required("admin")
def advisor_schedule(ident: str) -> tuple[str, int]:
    """The editor with the stored week and its preview."""
    row = advisor(ident)
    form = _form(row, bound=False)
    return _page(row, form, _plan(row, form))


@bp.post("/advisors/<ident>/schedule/preview")
@staff_required("admin")
def advisor_schedule_preview(ident: str) -> Any:
    """The preview of the week as edited, nothing saved: the region alone for htmx, else the page."""
    row = advisor(ident)
    form = _form(row)
    form.validate_on_submit()
    plan = _plan(row, form)
    if request.headers.get("HX-Request"):
        names = {loc_id: name for loc_id, name in form.monday.location.choices}
        html = render_template(
            "admin/_schedule_preview.html",
            row=row,
            plan=plan,
            places=names,
            type_labels=MEETING_TYPE_LABELS,
            oob=True,
        )
        return html, 200, {"Vary": "HX-Request"}
    return _page(row, form, plan, 200 if plan["valid"] else 400)


@bp.post("/advisors/<ident>/schedule")
@staff_required("admin")
def advisor_schedule_save(ident: str) -> Response | tuple[str, int]:
    """Save the week; refused next to the fields when invalid, and held back until confirmed when
    booked meetings would fall outside it (they are never moved or cancelled)."""
    row = advisor(ident)
    form = _form(row)
    if not form.validate_on_submit():
        return _page(row, form, {"valid": False, "left": [], "days": [], "affected": []}, 400)
    plan = _plan(row, form)
    if not plan["valid"]:
        return _page(row, form, plan, 400)
    if plan["affected"] and not form.keep_meetings.data:
        return _page(row, form, plan | {"confirm": True}, 409)
    try:
        save_item("employees", _item(row, form))
    except ConfigurationError as exc:
        plan["left"] = show_problems(form, [_field(p) for p in exc.problems])
        return _page(row, form, plan | {"valid": False}, 400)
    flash(_("The weekly schedule is saved."), "success")
    return redirect(url_for("admin.advisor_schedule", ident=ident))
