"""The site's own error pages: 400, 404, 413, 500 and 503 in the visitor's language.

`error_page(exc)` renders any HTTP error for the paths the API does not answer (it is the app-level
handler's `page`, see `app.api.errors.install_app_handlers`). A crash whose cause is a database that
cannot be reached becomes the 503 page with `Retry-After`, rendered without asking the database
again. The pages never show a trace; 5xx pages show the start of the request id as a reference
for support (the log has it in full). An htmx request's error page also says `HX-Refresh: true`:
htmx swaps no error answer, so the page reloads and shows it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app.api.errors import request_id
from app.extensions import db
from app.unavailable import RETRY_AFTER_SECONDS, is_unavailable, log_unavailable, mark_unavailable

PAGES = {
    403: "errors/403.html",
    404: "errors/404.html",
    413: "errors/413.html",
    500: "errors/500.html",
    503: "errors/503.html",
}
REFERENCE_CHARS = 8  # short enough to read out on the phone; the log has the whole request id
Page = tuple[str, int, dict[str, str]]
log = logging.getLogger("app.wizard")


def error_page(exc: HTTPException) -> Page:
    """`exc` as a branded page with its own status code (and headers, such as `Allow`)."""
    original = getattr(exc, "original_exception", None)
    if is_unavailable(original):
        return unavailable_page(original)
    status = exc.code or 500
    if status >= 500:
        _rollback()  # a failed statement must not fail the page's own reads
    template = PAGES.get(status, "errors/500.html" if status >= 500 else "errors/400.html")
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    reference = _reference(original) if status >= 500 else None
    return _render(template, reference=reference), status, {**headers, **_htmx_reload()}


def unavailable_page(exc: BaseException | None) -> Page:
    """The 503 page: the database cannot be reached; try again after `Retry-After` seconds."""
    mark_unavailable()
    log_unavailable(exc, request_id())
    body = _render("errors/503.html", reference=request_id()[:REFERENCE_CHARS])
    return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), **_htmx_reload()}


def _htmx_reload() -> dict[str, str]:
    """htmx swaps no error answer (base.html's `responseHandling`), so a click would show nothing:
    ask it to reload the page instead, which shows this error page, or, once the fault has passed,
    the page as it now is."""
    if request.headers.get("HX-Request") == "true":
        return {"HX-Refresh": "true"}
    return {}


def _render(template: str, **context: Any) -> str:
    """Render an error page; if its own reads (the organisation's name) fail, render without them."""
    try:
        return render_template(template, **context)
    except SQLAlchemyError:
        _rollback()
        mark_unavailable()
        return render_template(template, **context)


def _reference(exc: BaseException | None) -> str:
    """The reference a 5xx page shows: the start of the request id, logged here in full.

    Flask has already logged the trace (without our id); this line ties the two together."""
    rid = request_id()
    log.error(
        "error page request_id=%s %s %s: %s",
        rid,
        request.method,
        request.url_rule.rule if request.url_rule else "(no route)",
        type(exc).__name__ if exc is not None else "-",
    )
    return rid[:REFERENCE_CHARS]


def log_exceptions_by_route(app: Flask) -> None:
    """Flask logs a crash as "Exception on <path>"; a path may hold a private link, so name the
    route pattern (`/m/<token>`) instead. The trace is logged as before."""

    def log_exception(exc_info: Any) -> None:
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        app.logger.error("Exception on %s [%s]", rule, request.method, exc_info=exc_info)

    app.log_exception = log_exception  # type: ignore[method-assign]


def _rollback() -> None:
    """Roll the session back; a session that cannot even do that means the database is gone."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - any failure here only means: do not ask the database
        mark_unavailable()
