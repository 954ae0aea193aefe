"""Durations as the API speaks them: .NET TimeSpan (`7.00:00:00`, `00:45:00`) and ISO 8601 (`P7D`).

Pure functions, no framework imports. `parse_timespan` raises `ValueError` with a message fit for a
400 answer; `format_timespan` writes the .NET form back.
"""

from __future__ import annotations

import re
from datetime import timedelta

# .NET TimeSpan "c" format: [-][d.]hh:mm[:ss[.fffffff]], or a bare day count.
_DOTNET = re.compile(
    r"^(?P<sign>-)?(?:(?P<days>\d{1,8})\.)?(?P<hours>\d{1,2}):(?P<minutes>\d{1,2})"
    r"(?::(?P<seconds>\d{1,2})(?:\.(?P<fraction>\d{1,7}))?)?$"
)
_DAYS_ONLY = re.compile(r"^(?P<sign>-)?(?P<days>\d{1,8})$")
# ISO 8601 durations with fixed-length units only (weeks, days, hours, minutes, seconds).
_ISO = re.compile(
    r"^(?P<sign>-)?P(?:(?P<weeks>\d{1,7}(?:[.,]\d+)?)W)?(?:(?P<days>\d{1,8}(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d{1,9}(?:[.,]\d+)?)H)?(?:(?P<minutes>\d{1,11}(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d{1,13}(?:[.,]\d+)?)S)?)?$",
    re.IGNORECASE,
)
MAX_DAYS = 10_675_199  # .NET TimeSpan.MaxValue in whole days
HELP = (
    "a .NET TimeSpan such as 7.00:00:00 or 00:45:00, or an ISO 8601 duration such as P7D or PT45M"
)


def parse_timespan(text: str) -> timedelta:
    """Parse a TimeSpan or ISO 8601 duration; `ValueError` when it is neither."""
    value = text.strip().strip('"')
    for parse in (_parse_dotnet, _parse_days, _parse_iso):
        result = parse(value)
        if result is not None:
            if abs(result) > timedelta(days=MAX_DAYS):
                raise ValueError(f"{text!r} is longer than the largest TimeSpan")
            return result
    raise ValueError(f"{text!r} is not {HELP}")


def _parse_dotnet(value: str) -> timedelta | None:
    match = _DOTNET.match(value)
    if not match:
        return None
    hours, minutes = int(match["hours"]), int(match["minutes"])
    seconds = int(match["seconds"] or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(f"{value!r}: hours must be 0-23, minutes and seconds 0-59")
    fraction = int((match["fraction"] or "0").ljust(7, "0")) / 10_000_000
    span = timedelta(
        days=int(match["days"] or 0), hours=hours, minutes=minutes, seconds=seconds + fraction
    )
    return -span if match["sign"] else span


def _parse_days(value: str) -> timedelta | None:
    match = _DAYS_ONLY.match(value)
    if not match:
        return None
    span = timedelta(days=int(match["days"]))
    return -span if match["sign"] else span


def _parse_iso(value: str) -> timedelta | None:
    match = _ISO.match(value)
    if not match or value.upper().endswith(("P", "T")):
        return None
    parts = {
        k: float(v.replace(",", ".")) for k, v in match.groupdict().items() if v and k != "sign"
    }
    if not parts:
        return None
    try:
        span = timedelta(**parts)
    except OverflowError:
        raise ValueError(f"{value!r} is longer than the largest TimeSpan") from None
    return -span if match["sign"] else span


def format_timespan(span: timedelta) -> str:
    """The .NET form: `d.hh:mm:ss` when a day or more, else `hh:mm:ss`."""
    sign = "-" if span < timedelta(0) else ""
    total = abs(span)
    days, rest = total.days, total.seconds
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if total.microseconds:
        clock += f".{total.microseconds * 10:07d}"
    return f"{sign}{days}.{clock}" if days else f"{sign}{clock}"
