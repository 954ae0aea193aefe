"""Structured logs: every log line, ours and the libraries', as JSON (production) or readable
console text (development), carrying the request id of the request that wrote it.

`BOOKME_LOG_FORMAT` is `json` (default) or `console`; `BOOKME_LOG_LEVEL` the root level (`INFO`).
Existing `logging.getLogger(...)` calls keep working: their records go through the same renderer.
What goes into a line is the caller's choice: never a customer's name, e-mail, phone or note, never
a path or query string (a private link is a path), only route patterns and ids.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog
from flask import Flask

LOG_FORMATS = ("json", "console")
_HANDLER_NAME = "bookme"
# Added to every line: level, logger name and an ISO timestamp in UTC; the request's bound
# context (request_id) from structlog's context variables.
_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


class _StderrHandler(logging.Handler):
    """Writes to whatever `sys.stderr` is at the time (gunicorn and test runners replace it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # noqa: BLE001 - logging must never fail the request
            self.handleError(record)


def formatter(log_format: str) -> logging.Formatter:
    """The formatter that renders stdlib and structlog records as `log_format` (json|console)."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"BOOKME_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
    last: list[Any] = (
        [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
        if log_format == "json"
        else [structlog.dev.ConsoleRenderer(colors=False)]
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *last],
    )


def configure_logging(app: Flask) -> None:
    """Route all logging through one handler on the root logger (replacing our earlier one, so
    building several apps in one process does not double the lines)."""
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    handler = _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter(str(app.config["BOOKME_LOG_FORMAT"])))
    root.addHandler(handler)
    root.setLevel(str(app.config["BOOKME_LOG_LEVEL"]).upper())
    from flask.logging import default_handler

    app.logger.removeHandler(default_handler)  # the root handler renders Flask's lines too
    # The development server's own request lines carry the raw path and query string.
    logging.getLogger("werkzeug").addFilter(_drop_request_lines)


def _drop_request_lines(record: logging.LogRecord) -> bool:
    """False for werkzeug's per-request line (`... "GET /path?query HTTP/1.1" 200 -`)."""
    return not (record.levelno == logging.INFO and '"' in record.getMessage())


def get_logger(name: str) -> Any:
    """A structlog logger whose lines go through the root handler."""
    return structlog.stdlib.get_logger(name)
