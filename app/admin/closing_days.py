"""Closing days: the list-and-form pages, and a year's Danish public holidays in one click."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import clock
from app.admin import bp
from app.admin.crud import Column, Entity, Field, register
from app.configuration import affected
from app.configuration.affected import AffectedMeeting
from app.configuration.document import Problem
from app.configuration.public_holidays import (
    FIRST_YEAR,
    LAST_YEAR,
    import_holidays,
    missing_holidays,
)
from app.extensions import db
from app.i18n import org_zone
from app.models import ClosingDay
from app.staff.auth import staff_required


def _day(item: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(item.get("date")))
    except ValueError:
        return None


def _affected(row: ClosingDay | None, item: dict[str, Any]) -> list[AffectedMeeting]:
    """Booked meetings on a day about to close (renaming a closing day affects none)."""
    day = _day(item)
    if row is not None or day is None:
        return []
    return affected.on_days([day], now=clock.now())


def _refuse(row: ClosingDay | None, item: dict[str, Any]) -> list[Problem]:
    """A new closing day on a date that already has one (the import would rename that one)."""
    day = _day(item)
    taken = select(ClosingDay.id).where(ClosingDay.day == day)
    if row is None and day is not None and db.session.scalar(taken):
        return [Problem("date", str(_("This date is already a closing day.")))]
    return []


def _shown_day(day: date) -> str:
    """A closing day as the list names it: "Fri 5 Jun 2026" / "fre. 5. jun. 2026"."""
    pattern = "EEE d. MMM y" if str(get_locale()) == "da" else "EEE d MMM y"
    return format_date(day, pattern)


def _years() -> list[int]:
    this = clock.now().astimezone(org_zone()).year
    return [this, this + 1, this + 2]


CLOSING_DAYS = Entity(
    name="closing_days",
    section="closing_days",
    model=ClosingDay,
    title=_l("Closing days"),
    singular=_l("closing day"),
    about=_l("Whole days when nobody can be booked. Meetings already booked stay booked."),
    fields=(
        Field("date", _l("Date"), "date", required=True),
        Field("name", _l("Name"), hint=_l("For example Christmas Day.")),
    ),
    values=lambda r: {"date": r.day.isoformat(), "name": r.name},
    columns=(Column(_l("Name"), lambda r: r.name),),
    rows=lambda: [(r, 0) for r in db.session.scalars(select(ClosingDay).order_by(ClosingDay.day))],
    label=lambda r: _shown_day(r.day),
    affected=_affected,
    fixed_on_edit=("date",),
    refuse=_refuse,
    by_id=False,
    extra={"holiday_years": _years, "first_year": FIRST_YEAR, "last_year": LAST_YEAR},
)
register(CLOSING_DAYS)


@bp.post("/closing-days/holidays")
@staff_required("admin")
def closing_days_holidays() -> Any:
    """Add a year's Danish public holidays; first list booked meetings on them, if any."""
    raw = request.form.get("year", "")
    year = int(raw) if raw.isdigit() else 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        flash(_("Choose a year between %(a)s and %(b)s.", a=FIRST_YEAR, b=LAST_YEAR), "error")
        return redirect(url_for("admin.closing_days"))
    missing = missing_holidays(year)
    hits = affected.on_days([h.day for h in missing], now=clock.now())
    if hits and request.form.get("confirm_affected") != "1":
        page = render_template(
            "admin/holidays_confirm.html", year=year, holidays=missing, affected=hits
        )
        return page, 409
    added = import_holidays(year)
    flash(_("Public holidays %(year)s: %(n)s closing days added.", year=year, n=added), "success")
    return redirect(url_for("admin.closing_days"))
