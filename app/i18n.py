"""Languages: Danish and English via Flask-Babel, chosen by the browser and switchable by the visitor.

Dates and times are always shown in the organisation's time zone, formatted for the chosen language.
"""

from __future__ import annotations

import os
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_location, get_timezone_name
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, Flask, abort, current_app, redirect, request, session
from flask_babel import Babel, get_locale
from werkzeug.wrappers import Response

LANGUAGES = ("en", "da")
TRANSLATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "translations")

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The visitor's switch (kept in the session) wins, else the browser's preference, else English."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or "en"


def compile_catalogues(directory: str = TRANSLATIONS_DIR) -> list[str]:
    """Compile every `.po` whose `.mo` is missing or older; returns the files written."""
    written = []
    for lang in os.listdir(directory) if os.path.isdir(directory) else ():
        base = os.path.join(directory, lang, "LC_MESSAGES", "messages")
        po, mo = base + ".po", base + ".mo"
        if not os.path.exists(po):
            continue
        if os.path.exists(mo) and os.path.getmtime(mo) >= os.path.getmtime(po):
            continue
        with open(po, "rb") as src:
            catalog = read_po(src, locale=lang)
        with open(mo, "wb") as dst:
            write_mo(dst, catalog)
        written.append(mo)
    return written


def zone_name(stored: str | None) -> str:
    """The organisation's time zone name: the settings row's (`stored`), else the configured
    `BOOKME_TIMEZONE`. The one fallback every module uses."""
    return stored or current_app.config["BOOKME_TIMEZONE"]


def org_zone() -> ZoneInfo:
    """The organisation's time zone (settings row when present, else configuration)."""
    from app.extensions import db
    from app.models import OrganisationSettings
    from app.unavailable import database_usable

    row = db.session.get(OrganisationSettings, 1) if database_usable() else None
    # The session holds rows weakly; keeping this one for the session's life makes a page that
    # formats many times read it once (a commit expires it, so a changed zone is still seen).
    db.session.info["organisation_settings"] = row
    return ZoneInfo(zone_name(row.time_zone if row else None))


def local(dt: datetime) -> datetime:
    """`dt` in the organisation's time zone."""
    return dt.astimezone(org_zone())


def fmt_time(dt: datetime) -> str:
    """A start time such as 10:00 (en, 24-hour as in Denmark) or 10.00 (da)."""
    pattern = "HH.mm" if str(get_locale()) == "da" else "HH:mm"
    return format_time(local(dt), pattern, locale=str(get_locale()))


def fmt_day(dt: datetime) -> str:
    """A day such as "Tuesday 3 March" / "tirsdag 3. marts"."""
    pattern = "EEEE d. MMMM" if str(get_locale()) == "da" else "EEEE d MMMM"
    return format_date(local(dt).date(), pattern, locale=str(get_locale()))


def fmt_day_short(dt: datetime) -> str:
    """A column heading such as "Tue 3 Mar"."""
    pattern = "EEE d. MMM" if str(get_locale()) == "da" else "EEE d MMM"
    return format_date(local(dt).date(), pattern, locale=str(get_locale()))


def fmt_when(dt: datetime) -> str:
    """The full accessible form: "Tuesday 3 March, 10:00"."""
    return f"{fmt_day(dt)}, {fmt_time(dt)}"


def zone_label() -> str:
    """The organisation's time zone as the page names it, e.g. "Central European Time (Copenhagen)"."""
    zone, locale = org_zone(), Locale.parse(str(get_locale()))
    city = get_timezone_location(zone, locale=locale, return_city=True)
    name = get_timezone_name(zone, width="long", locale=locale)
    return f"{name} ({city})"


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after switching language."""
    if not target or not target.isprintable():  # a control character would break the header
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@bp.get("/language/<code>")
def switch_language(code: str) -> Response:
    """Remember the visitor's language and go back to the page they were on."""
    if code not in LANGUAGES:
        abort(404)
    session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))


def init_i18n(app: Flask, babel: Babel) -> None:
    """Bind Flask-Babel with our locale selector and expose the formatters to templates."""
    babel.init_app(
        app,
        default_translation_directories=TRANSLATIONS_DIR,
        locale_selector=select_locale,
    )
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        fmt_time=fmt_time,
        fmt_day=fmt_day,
        fmt_day_short=fmt_day_short,
        fmt_when=fmt_when,
        zone_label=zone_label,
        languages=LANGUAGES,
        current_locale=lambda: str(get_locale()),
    )
