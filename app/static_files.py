"""Static files cached for a year under names that change with their content, and text answers
compressed with gzip.

Every `url_for("static", filename=...)` gets `?v=<content hash>`: a changed file is a new URL, so
an answer asked for with the current hash may be cached a year (`immutable`); one without (or with
an old hash) is revalidated as before. HTML, CSS, JavaScript and SVG are sent gzip-compressed to
browsers that accept it (the standard library's gzip; a proxy in front may add brotli). JSON and
calendar files are left as they are, so the API's answers do not change.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from typing import Any

from flask import Flask, Response, current_app, request

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
COMPRESSIBLE = frozenset(
    {"text/html", "text/css", "application/javascript", "text/javascript", "image/svg+xml"}
)
MIN_SIZE = 512  # smaller answers gain nothing
_hashes: dict[tuple[str, float], str] = {}
_gzipped: dict[tuple[str, str], bytes] = {}


def content_hash(app: Flask, filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256 (remembered per modification time)."""
    folder = app.static_folder or ""
    path = os.path.realpath(os.path.join(folder, filename))
    if not path.startswith(os.path.realpath(folder) + os.sep) or not os.path.isfile(path):
        return None
    key = (path, os.path.getmtime(path))
    if key not in _hashes:
        with open(path, "rb") as handle:
            _hashes[key] = hashlib.sha256(handle.read()).hexdigest()[:12]
    return _hashes[key]


def _hashed_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    """`url_defaults`: give static URLs their content hash."""
    if endpoint == "static" and "filename" in values and "v" not in values:
        digest = content_hash(current_app, values["filename"])
        if digest:
            values["v"] = digest


def _cache_and_compress(response: Response) -> Response:
    """A year of caching for a static file asked for by its current hash; gzip for text."""
    if request.endpoint == "static" and response.status_code == 200:
        filename = (request.view_args or {}).get("filename", "")
        asked = request.args.get("v")
        if asked and asked == content_hash(current_app, filename):
            response.headers["Cache-Control"] = IMMUTABLE
    return _gzip(response)


def _gzip(response: Response) -> Response:
    """Compress a whole text answer when the browser accepts gzip."""
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or (response.is_streamed and request.endpoint != "static")
        or "gzip" not in request.headers.get("Accept-Encoding", "")
    ):
        return response
    response.direct_passthrough = False  # static files: read the body so it can be compressed
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    key = (request.path, response.headers.get("ETag", ""))
    packed = _gzipped.get(key) if request.endpoint == "static" else None
    if packed is None:
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        if request.endpoint == "static":
            _gzipped[key] = packed
    response.set_data(packed)
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}-gzip", weak=bool(weak))
    return response


def init_static_files(app: Flask) -> None:
    """Hash the static URLs; cache and compress the answers."""
    app.url_defaults(_hashed_static_urls)
    app.after_request(_cache_and_compress)
