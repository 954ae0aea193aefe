"""The injectable clock: domain code takes `now` as an argument; views ask this module for it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app


def system_now() -> datetime:
    """The real time, timezone-aware UTC."""
    return datetime.now(UTC)


def now() -> datetime:
    """The app's current time: `app.config["BOOKME_CLOCK"]` when set (tests), else the system clock."""
    clock: Callable[[], datetime] = current_app.config.get("BOOKME_CLOCK") or system_now
    value = clock()
    if value.tzinfo is None:
        raise ValueError("the clock must return timezone-aware datetimes")
    return value.astimezone(UTC)
