"""Query-string parsing shared by every API route: arrays, booleans, instants, durations, enums.

Each `parse_*` takes the raw text and raises `ValueError` with a message fit for the caller; wrap it
with `field(name, parse, value)` (or use the pydantic validators in `app.api.schemas`) to turn that
into a 400 naming the field. `parse_query(Model, request.args)` validates a whole query string
against a pydantic model, reading list-typed fields with every repetition.

Arrays accept all three forms: `a=1&a=2`, `a=1,2` and the bracket/JSON form `a=[]`, `a=["1","2"]`.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import AliasChoices, BaseModel, ValidationError
from pydantic.fields import FieldInfo
from werkzeug.datastructures import MultiDict

from app.api.errors import RequestValidationError, pydantic_errors
from app.booking.constants import canonical_meeting_type
from app.booking.errors import InvalidRequest
from app.booking.query import POOLS
from app.booking.timespan import parse_timespan

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

_POOLS = {p.lower(): p for p in POOLS}
_TRUE, _FALSE = {"true", "1"}, {"false", "0"}
EARLIEST, LATEST = datetime(1900, 1, 1, tzinfo=UTC), datetime(2999, 12, 31, tzinfo=UTC)


def parse_list(values: str | Iterable[str] | None) -> list[str]:
    """Flatten repeated, comma-separated and bracket/JSON-form values into a list of strings."""
    if values is None:
        return []
    raw = [values] if isinstance(values, str) else values
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        raise ValueError("must be a list of strings")
    items: list[str] = []
    for value in raw:
        items.extend(_split_one(value))
    return [i for i in items if i]


def _split_one(value: str) -> list[str]:
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        except RecursionError:
            raise ValueError("must be a flat list of strings, not lists nested in lists") from None
        if isinstance(parsed, list) and all(isinstance(p, str | int) for p in parsed):
            return [str(p).strip() for p in parsed]
        text = text[1:-1]
    return [part.strip().strip("\"'").strip() for part in text.split(",")]


def parse_bool(value: str | bool) -> bool:
    """`true`/`false`/`1`/`0`, any case."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{value!r} is not a boolean (use true, false, 1 or 0)")


def parse_instant(value: str | datetime) -> datetime:
    """An ISO 8601 instant with `Z` or an offset, as aware UTC."""
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "zZ" else text)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date and time") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"{value!r} needs a time zone: end it with Z or an offset like +01:00")
    try:
        result = parsed.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00 falls before year 1 in UTC
        raise ValueError(f"{value!r} is out of range") from None
    if not EARLIEST <= result <= LATEST:
        raise ValueError(f"{value!r} is out of range")
    return result


def parse_duration(value: str | timedelta) -> timedelta:
    """A positive duration: .NET TimeSpan (`7.00:00:00`) or ISO 8601 (`P7D`)."""
    span = value if isinstance(value, timedelta) else parse_timespan(str(value))
    if span <= timedelta(0):
        raise ValueError(f"{value!r} must be longer than zero")
    return span


def parse_meeting_type(value: str) -> str:
    """A meeting type in any case (`phone` for Telephone) as its canonical name."""
    found = canonical_meeting_type(value)
    if found is None:
        raise ValueError(f"{value!r} is not a meeting type (Physical, Online, Telephone, OffSite)")
    return found


def parse_pool(value: str) -> str:
    """An employee pool (`Explicit`, `Local`, `ServiceGroup`) in any case."""
    found = _POOLS.get(str(value).strip().lower())
    if found is None:
        raise ValueError(f"{value!r} is not an employee type ({', '.join(POOLS)})")
    return found


def field(name: str, parse: Callable[[Any], T], value: Any) -> T:
    """Run `parse(value)`; a `ValueError` becomes a 400 naming `name`."""
    try:
        return parse(value)
    except ValueError as exc:
        raise InvalidRequest(f"{name}: {exc}", field=name) from None


def _is_list_field(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_list_field(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_list_field(a) for a in typing.get_args(annotation))
    return origin in (list, tuple) or annotation in (list, tuple)


def _keys(name: str, info: FieldInfo) -> list[str]:
    """Every query key that fills a field: its alias choices, else its alias, else its name."""
    choices = info.validation_alias
    if isinstance(choices, AliasChoices):
        return [c for c in choices.choices if isinstance(c, str)]
    return [choices if isinstance(choices, str) else (info.alias or name)]


def parse_query(model: type[M], args: MultiDict[str, str]) -> M:
    """Validate a query string against `model` (fields by alias); 400 listing every bad field.

    List-typed fields read every repetition; an empty scalar (`topic=`) counts as not given.
    """
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        for key in _keys(name, info):
            if key not in args:
                continue
            if _is_list_field(info.annotation):
                data[key] = args.getlist(key)
            elif args.get(key, "").strip():
                data[key] = args.get(key)
            break
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(pydantic_errors(exc)) from None
