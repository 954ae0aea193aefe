"""The audit trail for admins (/staff/admin/audit): filter by what, who, action and days; read each
change field by field; export the same selection as CSV (/staff/admin/audit.csv).

The filters travel in the query string as ids only (an entity name, `kind:id` of the actor, dates):
never a name or an e-mail.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Response, render_template, request, stream_with_context
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from app import clock
from app.admin import bp
from app.audit.actors import ACTOR_KINDS
from app.audit.fields import ENTITIES
from app.audit.trail import ACTIONS, AuditFilter, actors_seen, csv_text, every, find
from app.i18n import org_zone
from app.staff.auth import staff_required

ENTITY_LABELS: dict[str, Any] = {
    "settings": _l("Organisation settings"),
    "closing_day": _l("Closing day"),
    "location": _l("Branch"),
    "customer_type": _l("Customer type"),
    "topic": _l("Topic"),
    "employee": _l("Advisor"),
    "weekly_schedule": _l("Weekly schedule"),
    "busy_time": _l("Busy time"),
    "room": _l("Room"),
    "competence_group": _l("Competence group"),
    "service_group": _l("Service group"),
    "api_client": _l("API client"),
    "staff_account": _l("Staff account"),
    "reservation": _l("Hold"),
    "meeting": _l("Meeting"),
}
ACTION_LABELS: dict[str, Any] = {
    "create": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "hold": _l("Held"),
    "release": _l("Released"),
    "consume": _l("Hold used"),
    "book": _l("Booked"),
    "move": _l("Moved"),
    "cancel": _l("Cancelled"),
}
ACTOR_LABELS: dict[str, Any] = {
    "staff": _l("Staff"),
    "api_client": _l("API client"),
    "customer": _l("Customer"),
    "system": _l("System"),
    "cli": _l("Command line"),
}
MAX_DAY_SPAN = 3660  # a filter's days: no earlier than ten years back


def parse_filter(args: MultiDict[str, str]) -> tuple[AuditFilter, dict[str, Any], dict[str, str]]:
    """The filter from the query string; (filter, the values to show again, errors by field)."""
    errors: dict[str, Any] = {}
    entity = _choice(args, "entity", ENTITIES, errors)
    action = _choice(args, "action", ACTIONS, errors)
    kind, ident = _actor(args.get("actor", ""), errors)
    since, until = _day(args, "from", errors), _day(args, "to", errors)
    if since and until and until < since:
        errors["to"] = _l("The last day must not be before the first.")
    shown = {k: args.get(k, "") for k in ("entity", "action", "actor", "from", "to")}
    zone = org_zone()
    found = AuditFilter(
        entity=entity,
        actor_kind=kind,
        actor_id=ident,
        action=action,
        since=datetime.combine(since, time(), zone) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), zone) if until else None,
    )
    return found, shown, errors


def _choice(args: MultiDict[str, str], name: str, allowed: tuple[str, ...], errors: dict) -> Any:  # type: ignore[type-arg]
    value = args.get(name, "")
    if value and value not in allowed:
        errors[name] = _l("Choose one of the options.")
        return None
    return value or None


def _actor(value: str, errors: dict[str, Any]) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    kind, _, ident = value.partition(":")
    if kind not in ACTOR_KINDS or not ident or len(ident) > 100 or not ident.isprintable():
        errors["actor"] = _l("Choose one of the options.")
        return None, None
    return kind, ident


def _day(args: MultiDict[str, str], name: str, errors: dict[str, Any]) -> date | None:
    value = args.get(name, "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors[name] = _l("Enter a date such as 2026-03-02.")
        return None
    today = clock.now().astimezone(org_zone()).date()
    if abs((day - today).days) > MAX_DAY_SPAN:
        errors[name] = _l("Enter a date within ten years of today.")
        return None
    return day


def _page_number(args: MultiDict[str, str]) -> int:
    value = args.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) <= 6 and int(value) > 0 else 1


@bp.get("/audit")
@staff_required("admin")
def audit() -> tuple[str, int]:
    """The audit trail, newest first, filtered; 400 with the errors next to the fields."""
    found, shown, errors = parse_filter(request.args)
    page = None if errors else find(found, page=_page_number(request.args))
    actors = [
        (f"{k}:{i}", f"{ACTOR_LABELS.get(k, k)}: {label or i}") for k, i, label in actors_seen()
    ]
    return render_template(
        "admin/audit.html",
        page=page,
        shown=shown,
        errors=errors,
        actors_options=actors,
        stamp=_stamp,
        entities=[(e, ENTITY_LABELS.get(e, e)) for e in ENTITIES],
        actions=[(a, ACTION_LABELS.get(a, a)) for a in ACTIONS],
        entity_labels=ENTITY_LABELS,
        action_labels=ACTION_LABELS,
        actor_labels=ACTOR_LABELS,
        filters={k: v for k, v in shown.items() if v},
    ), (400 if errors else 200)


@bp.get("/audit.csv")
@staff_required("admin")
def audit_csv() -> Response:
    """The filtered trail as CSV, one row per changed field (cells that look like formulas are
    quoted); 400 for filters the page would refuse."""
    found, _, errors = parse_filter(request.args)
    if errors:
        return Response(
            "bad filter: " + ", ".join(sorted(errors)) + "\n", 400, mimetype="text/plain"
        )
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    lines = stream_with_context(_with_bom(csv_text(every(found))))
    return Response(
        lines,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="bookme-audit-{stamp}.csv"'},
    )


def _stamp(at: datetime) -> str:
    """An instant in the organisation's time zone, to the second."""
    return at.astimezone(org_zone()).strftime("%Y-%m-%d %H:%M:%S")


def _with_bom(lines: Any) -> Any:
    """A byte order mark first, so spreadsheets read the Danish letters as UTF-8."""
    yield "\ufeff"
    yield from lines
