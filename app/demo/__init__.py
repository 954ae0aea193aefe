"""The Nordbank demo: configuration through the import path, then meetings around "today".

`load_demo(now)` writes it all in one transaction; the same day gives the same demo (ids derive
from names, meetings from a fixed random seed).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.configuration import ConfigurationError, check, write
from app.demo.data import TIME_ZONE, demo_document
from app.demo.meetings import book_meetings
from app.extensions import db
from app.models import Employee, Location

__all__ = ["demo_document", "has_configuration", "load_demo"]


def has_configuration() -> bool:
    """Whether the database already holds branches or advisors (then the demo is not loaded)."""
    employees = db.session.scalar(select(func.count()).select_from(Employee)) or 0
    locations = db.session.scalar(select(func.count()).select_from(Location)) or 0
    return employees + locations > 0


def load_demo(now: datetime) -> dict[str, int]:
    """Write the demo configuration and meetings in one transaction; counts of what was added."""
    zone = ZoneInfo(TIME_ZONE)
    today = now.astimezone(zone).date()
    document = demo_document(today)
    doc, problems = check(document)
    if problems:  # the demo is data we own: a problem here is a bug, not user input
        raise ConfigurationError(problems)
    try:
        report = write(doc)
        closed = {h["date"] for h in document["closing_days"]}
        meetings = book_meetings(now, today, zone, closed=closed)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    counts = {
        section: c["created"] for section, c in report.counts.items() if section != "settings"
    }
    return {**counts, "meetings": meetings}
