"""Customer wizard, steps 1-3: what about, pick a time, hold it.

Views are thin: read the answers, call one service, render the page or (for htmx) its partial.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from app import clock
from app.booking.errors import Conflict, DomainError
from app.booking.reservations import HoldRequest, reserve, wizard_owner
from app.extensions import db, limiter
from app.i18n import fmt_time, org_zone
from app.localized import localized_name
from app.models import OrganisationSettings
from app.unavailable import database_usable
from app.wizard import bp, state
from app.wizard.choices import (
    MEETING_TYPE_LABELS,
    Choices,
    StepOne,
    advisors_for,
    customer_type_label,
    customer_type_name,
    resolve,
)
from app.wizard.holds import hold_view
from app.wizard.week import Mine, build_week, monday_of, parse_slot_value, parse_week, slot_value


def is_htmx() -> bool:
    """Whether htmx asked for a partial (a history restore wants the whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


@bp.after_app_request
def _vary(response: Response) -> Response:
    """Pages and partials share URLs, so caches must key on `HX-Request`."""
    if request.blueprint == "wizard":
        response.vary.add("HX-Request")
    return response


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    """The organisation's name and the meeting-type and customer-type labels, for every template."""
    org = db.session.get(OrganisationSettings, 1) if database_usable() else None
    return {
        "org_name": org.name if org else "BookMe Bank",
        "type_labels": MEETING_TYPE_LABELS,
        "customer_type_label": customer_type_label,
        "customer_type_name": customer_type_name,
        "localized_name": localized_name,
        "timedelta": timedelta,
        "fmt_iso_week": lambda dt: monday_of(dt.astimezone(org_zone()).date()).isoformat(),
    }


@bp.get("/")
def start() -> Response:
    """The site's front door is the booking wizard."""
    return redirect(url_for("wizard.step_one"))


@bp.get("/book")
def step_one() -> Response | str:
    """Step 1; htmx refreshes the dependent choices, without JS the same form answers here."""
    step = resolve(Choices.from_args(request.args))
    go = request.args.get("go")
    # Without JS the customer type comes alone first: sending it is no attempt to finish step 1.
    submitted = bool(go) and not (go == "type" and not step.asks_type_first)
    if submitted and step.complete:
        return redirect(url_for("wizard.times", **step.choices.args()))
    template = "wizard/_choices.html" if is_htmx() else "wizard/step_one.html"
    return render_template(template, step=step, show_errors=submitted)


def _times_context(step: StepOne, week_arg: str | None) -> dict[str, Any]:
    """What the times page and its partials show: the week, the advisors and the current hold.

    Without a chosen week an empty current week (a Friday evening) gives way to the week of the
    next free time, and the page says so.
    """
    now = clock.now()
    week = build_week(step, parse_week(week_arg, org_zone(), now), now)
    notes = []
    if not week_arg and week.empty and week.next_free is not None:
        monday = monday_of(week.next_free.start.astimezone(org_zone()).date())
        week = build_week(step, monday, now)
        notes.append(
            (
                "info",
                _(
                    "There are no free times left this week, so we show the next week with free times."
                ),
            )
        )
    hold = hold_view(now)
    if step.moving is not None:
        week.mark(Mine(step.moving.start_at, "current"))
    if hold is not None and hold.live and hold.choices.topic == step.choices.topic:
        week.mark(Mine(hold.reservation.start_at, "held"))
    return {
        "step": step,
        "week": week,
        "advisors": advisors_for(step),
        "hold": hold,
        "slot_value": slot_value,
        "refresh_seconds": current_app.config["BOOKME_GRID_REFRESH_SECONDS"],
        "extra_messages": notes,
    }


@bp.get("/book/times")
def times() -> Response | str:
    """Step 2: the week grid (htmx asks for the grid alone on navigation and refresh)."""
    step = resolve(Choices.from_args(request.args))
    if not step.complete:
        return redirect(url_for("wizard.step_one", go=1, **step.choices.args()))
    context = _times_context(step, request.args.get("week"))
    if is_htmx():
        return render_template("wizard/_slot_grid.html", **context)
    return render_template("wizard/times.html", **context)


def _hold_limit() -> str:
    return str(current_app.config["BOOKME_HOLD_RATE_LIMIT"])


@bp.post("/book/hold")
@limiter.limit(_hold_limit, key_func=lambda: request.remote_addr or "unknown")
@state.repeatable
def hold() -> Response | tuple[str, int] | str:
    """Step 3: hold the chosen time with this browser's token (its previous hold is released)."""
    step = resolve(Choices.from_args(request.form))
    week = request.form.get("week", "")
    if not step.complete:
        return redirect(url_for("wizard.step_one", go=1, **step.choices.args()))
    slot = parse_slot_value(request.form.get("slot", ""), step.choices.topic)
    status, message = 200, None
    try:
        if slot is None:
            raise Conflict("malformed slot")
        held = reserve(_hold_request(step, slot), now=clock.now())
        state.remember_hold(held, step.choices, week)
        message = ("sr", _("Held for you until %(time)s.", time=fmt_time(held.expires_at)))
    except DomainError:
        db.session.rollback()
        status = 409
        message = (
            "error",
            _("Sorry, that time is no longer free. The times below are up to date."),
        )
    if not is_htmx():
        flash(message[1], message[0])
        anchor = "hold" if status == 200 else "grid"
        return redirect(url_for("wizard.times", week=week, _anchor=anchor, **step.choices.args()))
    context = _times_context(step, week)
    context["extra_messages"] = [message]
    body = render_template("wizard/_hold_response.html", **context)
    return body, status


def _hold_request(step: StepOne, slot: Any) -> HoldRequest:
    """The hold request for a slot chosen in the grid."""
    token = state.hold_token()
    return HoldRequest(
        token=token,
        start=slot.start,
        end=slot.end,
        employee_id=slot.employee_id,
        additional_employee_ids=tuple(slot.employee_ids[1:]),
        room_id=slot.room_id,
        meeting_type=slot.meeting_type,
        topic_id=step.choices.topic,
        customer_type_id=step.choices.customer_type,
        existing_meeting_id=step.moving.id if step.moving else None,
        is_customer_initiated=True,
        owner=wizard_owner(token),
    )


@bp.errorhandler(RateLimitExceeded)
def too_many_holds(error: RateLimitExceeded) -> tuple[str, int]:
    """A friendly page (or panel, for htmx) instead of a raw 429."""
    template = "wizard/_rate_limited.html" if is_htmx() else "wizard/rate_limited.html"
    return render_template(template), 429


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """A form sent without its token, or after the session changed: ask to try again.

    For htmx (a grid left open past the token's lifetime) the page reloads with a fresh token.
    """
    if is_htmx():
        return "", 400, {"HX-Refresh": "true"}
    return render_template("wizard/error.html"), 400
