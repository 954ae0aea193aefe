"""A year's Danish public holidays as closing days, through the configuration import (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import holidays
from sqlalchemy import select

from app.configuration.importer import import_data
from app.extensions import db
from app.models import ClosingDay

COUNTRY = "DK"
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Holiday:
    """One public holiday: its date and its name (Danish, with the English name when known)."""

    day: date
    name: str


def danish_holidays(year: int) -> list[Holiday]:
    """The public holidays of `year` in Denmark, in date order."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year must be between {FIRST_YEAR} and {LAST_YEAR}")
    danish = holidays.country_holidays(COUNTRY, years=year, language="da")
    english = holidays.country_holidays(COUNTRY, years=year, language="en_US")
    found = []
    for day, name in sorted(danish.items()):
        other = english.get(day)
        shown = f"{name} ({other})" if other and other != name else name
        found.append(Holiday(day, shown[:200]))
    return found


def missing_holidays(year: int) -> list[Holiday]:
    """The year's holidays that are not closing days yet (an existing day keeps its own name)."""
    wanted = danish_holidays(year)
    taken = set(
        db.session.scalars(
            select(ClosingDay.day).where(ClosingDay.day.in_([h.day for h in wanted]))
        )
    )
    return [h for h in wanted if h.day not in taken]


def import_holidays(year: int) -> int:
    """Add the year's missing public holidays as closing days and commit; how many were added."""
    missing = missing_holidays(year)
    if missing:
        items = [{"date": h.day.isoformat(), "name": h.name} for h in missing]
        import_data({"closing_days": items})
    return len(missing)
