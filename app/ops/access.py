"""One access-log line and one latency observation per request, keyed by the route pattern.

The line carries the request id (the one API error bodies show and `X-Request-Id` echoes on every
answer), method, route pattern, status and duration: never the path or query string, which may
hold a private link or a customer's answers. `/healthz` and `/readyz` log at debug level only, so a
probe every few seconds does not flood the log.
"""

from __future__ import annotations

import time

import structlog
from flask import Flask, Response, g, request

from app.api.errors import request_id
from app.ops import metrics
from app.ops.logs import get_logger

REQUEST_ID_HEADER = "X-Request-Id"
QUIET_ROUTES = frozenset({"/healthz", "/readyz"})
NO_ROUTE = "(no route)"  # 404s for unknown paths, and requests refused before routing
log = get_logger("bookme.access")


def route_of_request() -> str:
    """The matched URL rule (`/m/<token>`), never the raw path."""
    return request.url_rule.rule if request.url_rule is not None else NO_ROUTE


def _start() -> None:
    g.ops_started = time.perf_counter()
    g.pop("request_id", None)  # a new request, a new id (even where an app context is reused)
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id())


def _finish(response: Response) -> Response:
    response.headers.setdefault(REQUEST_ID_HEADER, request_id())
    started = g.get("ops_started")
    if started is None:  # a request that failed before any before_request ran
        return response
    seconds = time.perf_counter() - started
    route = route_of_request()
    metrics.observe_request(request.method, route, response.status_code, seconds)
    log_at = log.debug if route in QUIET_ROUTES else log.info
    log_at(
        "request",
        method=request.method,
        route=route,
        status=response.status_code,
        duration_ms=round(seconds * 1000, 2),
    )
    return response


def _clear(_exc: BaseException | None) -> None:
    structlog.contextvars.clear_contextvars()


def init_access(app: Flask) -> None:
    """Time from before every other hook to after every other one (also for early refusals)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    # after_request functions run last-registered first: the first one in the list runs last.
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
    app.teardown_request(_clear)
