"""What a request may carry before any view sees it: one place for the limits every route shares.

- Path variables (`<id>`, `<token>`) match only printable text: an id with a NUL or another control
  character matches no route, so it is a 404 like any unknown id (PostgreSQL refuses NUL in text,
  and it used to reach the database as a 500).
- A NUL in a header, or in a form field of a page, is a 400 (API query fields refuse control
  characters themselves, naming the field: `app.api.schemas.Id` and `Text`; the token endpoint
  treats a client id no database can hold as an unknown client).
- JSON bodies (`request.get_json()`): nested deeper than `MAX_JSON_DEPTH` or carrying a NUL in any
  string is a 400 (a body nested 1,000 deep used to be a RecursionError).
- A body longer than `MAX_CONTENT_LENGTH` (`BOOKME_MAX_CONTENT_LENGTH`, 1 MB by default) is a 413
  before it is read, whether or not the route reads bodies.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import Map, UnicodeConverter

from app.api.errors import is_api_path

MAX_JSON_DEPTH = 32
_CONTROL = "\\x00-\\x1f\\x7f"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class PrintableConverter(UnicodeConverter):
    """The default `<name>` converter: one path segment without control characters."""

    part_isolating = True

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", f"[^/{_CONTROL}]", 1)


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, refusing bodies nested too deeply or carrying NUL characters."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse `s`; a body the API could never accept is a 400, not a crash."""
        try:
            data = super().loads(s, **kwargs)
        except RecursionError:
            raise BadRequest(
                f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels"
            ) from None
        check_json_shape(data)
        return data


def check_json_shape(data: Any) -> None:
    """Raise a 400 when `data` nests deeper than `MAX_JSON_DEPTH` or holds a NUL in a string."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise BadRequest("the JSON body must not contain NUL characters (\\u0000)")
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise BadRequest(f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels")
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        pending.extend((item, depth + 1) for item in items)


def refuse_oversized_and_nul() -> None:
    """Before any view: 413 for a declared body over the limit, 400 for a NUL in a header, or in a
    page's query string or form (every value of a repeated field; the API's schemas name theirs)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)
    if any("\x00" in value for value in request.headers.values()):
        abort(400, description="headers must not contain NUL characters")
    if is_api_path(request.path):  # the API's schemas judge each field and name it
        return
    if _any_nul(request.args):
        abort(400, description="query parameters must not contain NUL characters")
    if request.mimetype in _FORM_TYPES and _any_nul(request.form):
        abort(400, description="form fields must not contain NUL characters")


def _any_nul(fields: MultiDict[str, str]) -> bool:
    """Whether any value of any (repeated) field holds a NUL."""
    return any("\x00" in value for values in fields.listvalues() for value in values)


def init_request_guard(app: Flask) -> None:
    """Install the converter (before any route is added), the JSON provider and the checks."""
    app.url_map.converters["default"] = PrintableConverter
    app.url_map.converters["string"] = PrintableConverter
    app.json = GuardedJSONProvider(app)
    app.before_request(refuse_oversized_and_nul)
