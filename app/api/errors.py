"""JSON errors for the API: one helper, one place that maps domain exceptions to status codes.

Reuse from any API route module (views need not catch anything):

- raise `app.booking.errors.InvalidRequest(msg, field=...)` -> 400 `{code, message, errors: [...]}`,
  `NotFound(kind, id)` -> 404, `Conflict(msg)` -> 409, `Forbidden(msg)` -> 403,
  `TooManyHolds(msg, retry_after=s)` -> 429 with `Retry-After`;
- raise `RequestValidationError([{"field": ..., "message": ...}, ...])` for several bad fields at once;
  a `pydantic.ValidationError` raised by a view becomes the same 400 with one entry per field;
- `error_response(status, message, errors=..., headers=...)` builds the body by hand;
- `json_response(data, status=200, headers=None)` serialises fast (orjson when installed).

Every API answer carries `X-Request-Id`; a 500 logs the trace under that id and shows only the id.
A database that cannot be reached (`app.unavailable.is_unavailable`) is a 503 with `Retry-After`.
"""

from __future__ import annotations

import gzip
import logging
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from flask import Blueprint, Flask, Response, g, request
from pydantic import ValidationError
from sqlalchemy import exc as sa
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from app.booking.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidRequest,
    NotFound,
    TooManyHolds,
)
from app.unavailable import RETRY_AFTER_SECONDS, is_unavailable, log_unavailable

try:  # orjson is several times faster for the large availability answers
    import orjson

    def _dumps(data: Any) -> bytes:
        return orjson.dumps(data)

except ImportError:  # pragma: no cover - the stdlib is the fallback
    import json

    def _dumps(data: Any) -> bytes:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


log = logging.getLogger("app.api")

API_PREFIXES = ("/bookme", "/config", "/oauth", "/.well-known", "/openapi", "/api")
CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    422: "UNPROCESSABLE",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
GZIP_MIN_BYTES = 32 * 1024
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")


class RequestValidationError(InvalidRequest):
    """Several malformed inputs at once (400); `errors` is a list of `{field, message}`."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        first = errors[0] if errors else {"field": None, "message": "invalid request"}
        super().__init__(str(first["message"]), field=first.get("field"))
        self.errors = errors


def is_api_path(path: str) -> bool:
    """True for paths the JSON API answers (so errors there are JSON, not HTML)."""
    return path.startswith(API_PREFIXES)


def request_id() -> str:
    """This request's id: the caller's `X-Request-Id` when it looks sane, else a fresh one."""
    rid = g.get("request_id")
    if rid is None:
        incoming = request.headers.get("X-Request-Id", "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        g.request_id = rid
    return rid


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON response with the request id header; large bodies go gzipped to clients that accept it.

    `bytes` are taken as JSON already written (the availability answer writes its own)."""
    body = data if isinstance(data, bytes) else _dumps(data)
    resp = Response(body, status=status, mimetype="application/json")
    if len(body) >= GZIP_MIN_BYTES:
        resp.vary.add("Accept-Encoding")
        if request.accept_encodings["gzip"]:
            # Level 1: a 13 MB slot list becomes about 0.2 MB in about 60 ms.
            resp.set_data(gzip.compress(body, compresslevel=1, mtime=0))
            resp.headers["Content-Encoding"] = "gzip"
    resp.headers["X-Request-Id"] = request_id()
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def error_response(
    status: int,
    message: str,
    *,
    errors: Iterable[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    code: str | None = None,
) -> Response:
    """The one error body: `{"code", "message"}` plus `errors` for validation failures."""
    body: dict[str, Any] = {"code": code or CODES.get(status, _fallback_code(status))}
    body["message"] = message
    if errors is not None:
        body["errors"] = [dict(e) for e in errors]
    if status >= 500:
        body["requestId"] = request_id()
    return json_response(body, status, headers)


def _fallback_code(status: int) -> str:
    return "INTERNAL_SERVER_ERROR" if status >= 500 else "BAD_REQUEST"


def domain_error_response(exc: DomainError) -> Response:
    """Map a domain exception to its status code and JSON body."""
    if isinstance(exc, RequestValidationError):
        return error_response(400, exc.message, errors=exc.errors)
    if isinstance(exc, InvalidRequest):
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else None
        return error_response(400, exc.message, errors=errors)
    if isinstance(exc, NotFound):
        return error_response(404, exc.message)
    if isinstance(exc, Conflict):
        return error_response(409, exc.message)
    if isinstance(exc, Forbidden):
        return error_response(403, exc.message)
    if isinstance(exc, TooManyHolds):
        return error_response(429, exc.message, headers={"Retry-After": str(exc.retry_after)})
    return error_response(400, exc.message)


def pydantic_errors(exc: ValidationError) -> list[dict[str, str]]:
    """`{field, message}` entries for a pydantic failure, fields as dotted camelCase paths."""
    return [
        {
            "field": ".".join(str(p) for p in err["loc"]) or "body",
            "message": err["msg"].removeprefix("Value error, "),
        }
        for err in exc.errors(include_url=False)
    ]


def _validation_response(exc: ValidationError) -> Response:
    errors = pydantic_errors(exc)
    return error_response(
        400, f"invalid {errors[0]['field']}: {errors[0]['message']}", errors=errors
    )


def _http_response(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status >= 500:
        return _server_error_response(exc)
    message = exc.description or exc.name
    if status == 400 and request.path.startswith("/oauth/"):
        # RFC 6749: a refused token request names the OAuth error too (e.g. a NUL in a form field)
        body = {"error": "invalid_request", "error_description": message}
        return json_response({**body, "code": CODES[400], "message": message}, 400)
    headers = {}
    if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))  # type: ignore[attr-defined]
    return error_response(status, message, headers=headers)


def _server_error_response(exc: BaseException) -> Response:
    """Log the trace with the request id; answer only the id (503 when the database is down)."""
    original = getattr(exc, "original_exception", None) or exc
    if is_unavailable(original):
        return unavailable_response(original)
    rid = request_id()
    # Alembic's fileConfig() disables loggers that exist when migrations run in-process; a 500
    # must never go unlogged because of that.
    log.disabled = False
    log.error(
        "unhandled error request_id=%s %s %s",
        rid,
        request.method,
        request.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    return error_response(500, f"internal server error (request id {rid})")


def unavailable_response(exc: BaseException) -> Response:
    """503 with `Retry-After`: the database cannot be reached. Logged without the statement."""
    log_unavailable(exc, request_id())
    return error_response(
        503,
        "the service is temporarily unavailable; try again later",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


class ErrorPage(Protocol):
    """Renders an HTTP error as a page for the paths the API does not answer."""

    def __call__(self, exc: HTTPException) -> Any: ...


def _add_request_id(resp: Response) -> Response:
    resp.headers.setdefault("X-Request-Id", request_id())
    return resp


def install_blueprint_handlers(bp: Blueprint) -> None:
    """The API blueprint's handlers (once, at import: a registered blueprint is frozen)."""
    bp.register_error_handler(DomainError, domain_error_response)
    bp.register_error_handler(ValidationError, _validation_response)
    bp.register_error_handler(HTTPException, _http_response)
    bp.register_error_handler(Exception, _server_error_response)
    bp.after_request(_add_request_id)


def install_app_handlers(app: Flask, page: ErrorPage) -> None:
    """App-level errors (routing's 404/405, a crash outside any view): JSON on API paths, `page`
    elsewhere. An unhandled exception arrives as a 500 carrying `original_exception`."""

    def handle(exc: HTTPException) -> Any:
        return _http_response(exc) if is_api_path(request.path) else page(exc)

    def handle_database(exc: Exception) -> Any:
        """A database that cannot be reached is a 503 here, without Flask's trace of the path;
        any other database error goes on to be a 500."""
        if not is_unavailable(exc):
            raise exc
        unavailable = ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS)
        unavailable.original_exception = exc  # type: ignore[attr-defined]
        return handle(unavailable)

    app.register_error_handler(HTTPException, handle)
    app.register_error_handler(sa.DBAPIError, handle_database)
    app.register_error_handler(sa.TimeoutError, handle_database)


__all__ = [
    "API_PREFIXES",
    "RequestValidationError",
    "Conflict",
    "Forbidden",
    "InvalidRequest",
    "NotFound",
    "domain_error_response",
    "error_response",
    "is_api_path",
    "json_response",
    "pydantic_errors",
    "install_app_handlers",
    "install_blueprint_handlers",
    "request_id",
    "unavailable_response",
]
