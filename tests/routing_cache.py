"""Werkzeug's URL builders, compiled once per distinct rule for the whole test run.

Every test builds its own app (`create_app`), and each app adds about 390 URL rules (the API is
also mounted under the vendor's three base paths). For every rule werkzeug writes two small
Python functions as an AST and compiles them: most of the time `create_app` takes, paid again by
each of the ~2 400 tests. The function is determined by the rule's parsed parts and the names of
its defaults alone (it reads the converters from the rule it is bound to when it runs), so the
same rule text gets the same code: this memo hands back the function compiled the first time.
Rules with a default for one of their own variables bake a converted value into the code; those
are compiled as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing.rules import Rule

_compiled: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}
_original = Rule._compile_builder


def _key(rule: Rule, append_unknown: bool) -> tuple[Any, ...] | None:
    defaults = rule.defaults or {}
    if any(dynamic and data in defaults for dynamic, data in rule._trace):
        return None
    return (rule.rule, tuple(rule._trace), tuple(defaults), append_unknown)


def _compile_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    key = _key(self, append_unknown)
    if key is None:
        return _original(self, append_unknown)
    if key not in _compiled:
        _compiled[key] = _original(self, append_unknown)
    return _compiled[key]


def install() -> None:
    """Remember compiled URL builders across apps (idempotent)."""
    Rule._compile_builder = _compile_builder  # type: ignore[method-assign]
