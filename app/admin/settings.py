"""Organisation settings: opening hours, buffers, notice, horizon, daily cap, calendar title."""

from __future__ import annotations

from datetime import time
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import clock
from app.admin import bp
from app.admin.crud import Field, field_errors, read_form, shown_values
from app.booking.priority import level_line, stored_levels
from app.configuration import affected
from app.configuration.affected import AffectedMeeting
from app.configuration.document import Problem
from app.configuration.items import check_item, save_settings
from app.configuration.schema import parse_time
from app.extensions import db
from app.models import OrganisationSettings
from app.staff.auth import staff_required

FIELDS = (
    Field("name", _l("Organisation name"), required=True),
    Field("opening_time", _l("Opening time"), "time", required=True),
    Field("closing_time", _l("Closing time"), "time", required=True),
    Field("buffer_before_minutes", _l("Buffer before a meeting, in minutes"), "number"),
    Field("buffer_after_minutes", _l("Buffer after a meeting, in minutes"), "number"),
    Field(
        "min_notice_minutes",
        _l("Minimum notice, in minutes"),
        "number",
        hint=_l("How long before a meeting it can still be booked."),
    ),
    Field("max_days_ahead", _l("Booking horizon, in days"), "number", required=True),
    Field("default_meeting_minutes", _l("Default meeting length, in minutes"), "number"),
    Field(
        "max_meeting_minutes_per_day",
        _l("Daily cap of meeting minutes per advisor"),
        "number",
        hint=_l("Empty: no cap."),
    ),
    Field(
        "meeting_title_template",
        _l("Calendar-file title"),
        hint=_l("Empty: the topic's name. May use {topic}, {advisor}, {organisation} and {type}."),
        nullable=True,
    ),
    Field(
        "meeting_description_template",
        _l("Calendar-file description"),
        "textarea",
        hint=_l("Empty: the topic, the advisor and the meeting type. Same placeholders."),
        nullable=True,
    ),
    Field(
        "priority_levels",
        _l("Advisor priority rules"),
        "lines",
        hint=_l(
            "Which advisor a customer's time goes to when several are free, highest first, one "
            "per line: Explicit, Local, ServiceGroup, or ServiceGroup: label for the service "
            "groups with that label. Empty: Explicit, Local, ServiceGroup."
        ),
    ),
)


def _values(row: OrganisationSettings) -> dict[str, Any]:
    values = {f.name: getattr(row, f.name) for f in FIELDS}
    for key in ("opening_time", "closing_time"):
        values[key] = values[key].strftime("%H:%M")
    levels = stored_levels(values["priority_levels"])
    values["priority_levels"] = "\n".join(level_line(level) for level in levels)
    return {
        k: "" if v is None else (v if isinstance(v, str) else str(v)) for k, v in values.items()
    }


def _item() -> dict[str, Any]:
    item = read_form(FIELDS, request.form)
    item["priority_levels"] = item["priority_levels"] or None  # empty: the default levels
    return item


def _affected(row: OrganisationSettings, item: dict[str, Any]) -> list[AffectedMeeting]:
    """Booked meetings outside shorter opening hours."""
    opening, closing = parse_time(item["opening_time"]), parse_time(item["closing_time"])
    if opening <= row.opening_time and closing >= row.closing_time:
        return []
    return affected.outside_hours(opening, closing, now=clock.now())


def _at_closing(problem: Problem) -> Problem:
    """The hours' order is a problem of the whole item: show it at the closing time."""
    if not problem.path and "closing_time" in problem.message:
        return Problem("closing_time", problem.message)
    return problem


def _row() -> OrganisationSettings:
    row = db.session.get(OrganisationSettings, 1)
    return row or OrganisationSettings(opening_time=time(8), closing_time=time(18))


@bp.route("/settings", methods=["GET", "POST"])
@staff_required("admin")
def settings() -> Any:
    """The organisation's settings; shorter hours first list the meetings left outside them."""
    row = _row()
    if request.method == "GET":
        return render_template("admin/settings.html", fields=FIELDS, values=_values(row))
    item = _item()
    problems = [_at_closing(p) for p in check_item("settings", item)]
    values = shown_values(FIELDS, request.form)
    if problems:
        errors, general = field_errors(FIELDS, problems)
        page = render_template(
            "admin/settings.html", fields=FIELDS, values=values, errors=errors, general=general
        )
        return page, 400
    hits = _affected(row, item)
    if hits and request.form.get("confirm_affected") != "1":
        page = render_template("admin/settings.html", fields=FIELDS, values=values, affected=hits)
        return page, 409
    save_settings(item)
    flash(_("Settings saved."), "success")
    return redirect(url_for("admin.settings"))
