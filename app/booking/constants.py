"""The booking vocabulary and defaults, one home each: meeting types, the organisation's default
time zone and the default search window. Pure: no Flask, no SQLAlchemy."""

from __future__ import annotations

from datetime import timedelta

MEETING_TYPES = ("Physical", "Online", "Telephone", "OffSite")  # canonical names, in this order
PHYSICAL = "Physical"
# Spellings accepted on the way in (any case), by their canonical name.
MEETING_TYPE_ALIASES = {
    **{t.lower(): t for t in MEETING_TYPES},
    "phone": "Telephone",
    "off-site": "OffSite",
    "off_site": "OffSite",
}

# The organisation's zone when nothing else says: the settings row's zone wins, then the
# `BOOKME_TIMEZONE` configuration (whose default this is); read it through `app.i18n.org_zone()`.
DEFAULT_TIME_ZONE = "Europe/Copenhagen"

DEFAULT_LOOK_FORWARD = timedelta(days=7)  # a search without `lookForwardTime`


def canonical_meeting_type(value: object) -> str | None:
    """A meeting type in any case (`phone` for Telephone) as its canonical name, else None."""
    return MEETING_TYPE_ALIASES.get(str(value).strip().lower()) if value is not None else None
