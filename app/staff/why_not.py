"""Why not? (/staff/why-not): for any time in the staff booking grid, the engine's own reasons in
plain words. Read-only. The parameters name no person: ids of the topic, advisors, place, room,
customer type and meeting, and a local time."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import clock
from app.booking import why_not as service
from app.booking.errors import InvalidRequest, NotFound
from app.booking.reasons import Verdict
from app.booking.rules import MEETING_TYPES
from app.booking.timeline import GRID
from app.booking.why_not import AUTO, NO_ROOM, Proposal
from app.extensions import db
from app.i18n import local, org_zone
from app.models import OrganisationSettings
from app.staff import bp
from app.staff.auth import staff_required
from app.staff.why_not_answer import answer, question
from app.wizard.routes import is_htmx
from app.wizard.week import MAX_ADVISORS_PER_SLOT, Day, Week, monday_of

START = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
ARGS = ("topic", "type", "location", "room", "customer_type", "notice", "minutes", "meeting")
MAX_MINUTES = 24 * 60
EARLIEST, LATEST = timedelta(days=366), timedelta(days=3653)  # the days one may ask about, from now


NOT_FOUND = {  # NotFound.kind -> what the page says
    "topic": _l("The topic is not one we know."),
    "customerType": _l("The customer type is not one we know."),
    "location": _l("The place is not one we know."),
    "room": _l("The room is not one we know."),
    "employee": _l("An advisor is not one we know."),
    "meeting": _l("The meeting is not one we know."),
}


PARAM_KINDS = {  # parameter -> NotFound.kind
    "topic": "topic",
    "customer_type": "customerType",
    "location": "location",
    "room": "room",
    "meeting": "meeting",
}


class BadArgs(Exception):
    """A parameter the page cannot use (400), with the message shown next to the answer."""


@dataclass
class Asked:
    """The request's parameters as strings (for the form and its hidden fields) and the start."""

    args: dict[str, Any] = field(default_factory=dict)
    start: datetime | None = None


def _one_id(args: Mapping[str, str], name: str) -> str | None:
    value = args.get(name, "").strip()
    if not value:
        return None
    if not ID.fullmatch(value):
        raise BadArgs(str(NOT_FOUND[PARAM_KINDS[name]]))
    return value


def _start(args: Mapping[str, str]) -> datetime:
    """`start` (local, 2026-12-03T10:00), else `day` and `time` (the form's two lists)."""
    value = args.get("start", "").strip()
    if not value and args.get("day") and args.get("time"):
        value = f"{args['day'].strip()}T{args['time'].strip()}"
    if not START.fullmatch(value):
        raise BadArgs(_("Choose a day and a time (written like 2026-12-03T10:00)."))
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        raise BadArgs(_("Choose a day and a time (written like 2026-12-03T10:00).")) from None
    today = local(clock.now()).replace(tzinfo=None)
    if not today - EARLIEST <= naive <= today + LATEST:  # (the engine's date maths stays finite)
        raise BadArgs(_("Choose a day from a year ago to ten years ahead."))
    return naive.replace(tzinfo=org_zone())


def _minutes(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_MINUTES:
        raise BadArgs(_("The meeting length must be a number of minutes up to a day."))
    return int(value)


def parse(args: Any, asked: Asked) -> Proposal:
    """The proposal the parameters describe (raises BadArgs); `asked` keeps what was given."""
    asked.args = {name: args.get(name, "").strip() for name in ARGS}
    advisors = [a.strip() for a in args.getlist("advisor") if a.strip()]
    asked.args["advisor"] = advisors
    asked.start = _start(args)
    topic = _one_id(args, "topic")
    if topic is None:
        raise BadArgs(_("Choose a topic."))
    mtype = asked.args["type"] or None
    if mtype is not None and mtype not in MEETING_TYPES:
        raise BadArgs(_("Choose a meeting type we know."))
    if len(advisors) > MAX_ADVISORS_PER_SLOT or not all(ID.fullmatch(a) for a in advisors):
        raise BadArgs(_("Choose the advisors again."))
    room = asked.args["room"] or AUTO
    if room not in (AUTO, NO_ROOM):
        room = _one_id(args, "room") or AUTO
    if asked.args["notice"] not in ("", "ignore"):
        raise BadArgs(_("The notice can only be kept or ignored."))
    return Proposal(
        topic_id=topic,
        start=asked.start,
        meeting_type=mtype,
        location_id=_one_id(args, "location"),
        advisor_ids=tuple(dict.fromkeys(advisors)),
        room=room,
        customer_type_id=_one_id(args, "customer_type"),
        ignore_notice=asked.args["notice"] == "ignore",
        minutes=_minutes(asked.args["minutes"]),
        meeting_id=_one_id(args, "meeting"),
    )


@bp.get("/staff/why-not")
@staff_required("advisor")
def why_not() -> tuple[str, int, dict[str, str]]:
    """Whether the engine offers one time and, if not, every reason in plain words."""
    asked, error, status = Asked(), None, 200
    verdict: Verdict | None = None
    try:
        proposal = parse(request.args, asked)
        verdict = service.why_not(proposal, clock.now())
    except BadArgs as exc:
        error, status = str(exc), 400
    except NotFound as exc:
        error, status = (
            str(NOT_FOUND.get(exc.kind, _("Something asked for is not one we know."))),
            404,
        )
    except InvalidRequest:
        error, status = _("Choose a meeting type we know."), 400
    said = None
    if verdict:
        said = answer(verdict, pool=not asked.args["advisor"], any_type=not asked.args["type"])
    context = {
        "why_not": said,
        "why_not_error": error,
        "why_not_verdict": verdict,
        "why_not_question": question(asked.args, verdict) if verdict else [],
    }
    headers = {"Vary": "HX-Request"}
    if is_htmx():
        return render_template("staff/_why_not.html", **context), status, headers
    return (
        render_template(
            "staff/why_not.html",
            why_not_args=asked.args,
            week=_week(asked.start),
            why_not_start=local(asked.start) if asked.start else None,
            **context,
        ),
        status,
        headers,
    )


def _week(start: datetime | None) -> Week:
    """The week of the asked day (Monday to Sunday) for the page's own form."""
    day = local(start).date() if start else local(clock.now()).date()
    monday = monday_of(day)
    zone = org_zone()
    days = [
        Day(d, datetime.combine(d, time(0), tzinfo=zone))
        for d in (monday + timedelta(days=i) for i in range(7))
    ]
    return Week(monday=monday, days=days, has_previous=False, has_next=False)


def why_not_times() -> list[str]:
    """The form's times: every half hour from the organisation's opening to its closing."""
    row = db.session.scalars(select(OrganisationSettings).limit(1)).first()
    opening = row.opening_time if row else time(8)
    closing = row.closing_time if row else time(18)
    at = datetime.combine(date(2000, 1, 3), opening)
    at += timedelta(minutes=-(at.hour * 60 + at.minute) % GRID)  # the first start on the grid
    end = datetime.combine(date(2000, 1, 3), closing)
    found = []
    while at < end:
        found.append(at.strftime("%H:%M"))
        at += timedelta(minutes=GRID)
    return found


@bp.app_context_processor
def _why_not_globals() -> dict[str, Any]:
    """The form partial reads its times when it is rendered, wherever it is included."""
    return {"why_not_times": why_not_times}
