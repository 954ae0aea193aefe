"""Reading a configuration file and parsing it item by item, so every problem is found at once."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from app.configuration.schema import SECTIONS, Item, SettingsIn


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, at a path such as `employees[3].schedule.tuesday.from`."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ConfigurationError(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the configuration")
        self.problems = problems


@dataclass
class Document:
    """The parsed items of a file with their indexes (items that failed to parse are left out)."""

    settings: SettingsIn | None = None
    sections: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)

    def items(self, section: str) -> list[tuple[int, Any]]:
        """(index in the file, parsed item) for one section."""
        return self.sections.get(section, [])


class _YamlLoader(yaml.SafeLoader):
    """YAML without 1.1's base-60 numbers, so `16:00` stays the text "16:00" rather than 960."""


_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_YamlLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT)]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?(0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_YamlLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def read_file(path: str | Path) -> Any:
    """The file's content as plain data; JSON for `.json`, YAML otherwise (YAML also reads JSON)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_YamlLoader)  # noqa: S506 (a SafeLoader subclass)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ConfigurationError([Problem("", f"{path.name} is not valid: {exc}")]) from None


def format_loc(loc: tuple[int | str, ...]) -> str:
    """('employees', 3, 'schedule', 'tuesday', 'from') -> 'employees[3].schedule.tuesday.from'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pydantic_problems(prefix: tuple[int | str, ...], exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors():
        message = str(err["msg"]).removeprefix("Value error, ")
        problems.append(Problem(format_loc(prefix + tuple(err["loc"])), message))
    return problems


def parse_document(raw: Any) -> tuple[Document, list[Problem]]:
    """Validate the shape of every item on its own; return what parsed and every problem found."""
    doc, problems = Document(), []
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return doc, [Problem("", "the file must hold a mapping of sections")]
    for key in raw:
        if key != "settings" and key not in SECTIONS:
            allowed = ", ".join(["settings", *SECTIONS])
            problems.append(Problem(str(key), f"unknown section (expected one of {allowed})"))
    if raw.get("settings") is not None:
        try:
            doc.settings = SettingsIn.model_validate(raw["settings"])
        except ValidationError as exc:
            problems += _pydantic_problems(("settings",), exc)
    for section, model in SECTIONS.items():
        parsed, found = _parse_section(section, model, raw.get(section))
        doc.sections[section] = parsed
        problems += found
    return doc, problems


def _parse_section(
    section: str, model: type[Item], items: Any
) -> tuple[list[tuple[int, Any]], list[Problem]]:
    if items is None:
        return [], []
    if not isinstance(items, list):
        return [], [Problem(section, "must be a list")]
    parsed, problems = [], []
    for index, item in enumerate(items):
        try:
            parsed.append((index, model.model_validate(item)))
        except ValidationError as exc:
            problems += _pydantic_problems((section, index), exc)
            salvaged = _salvage(model, item, exc)
            if salvaged is not None:
                parsed.append((index, salvaged))
    return parsed, problems


_GONE = object()


def _salvage(model: type[Item], raw: Any, exc: ValidationError) -> Item | None:
    """The item without its invalid parts, so the cross-item checks still see the rest.

    Only for finding more problems: a document with problems is never written.
    """
    data = copy.deepcopy(raw)
    for _ in range(3):
        for err in exc.errors():
            # a required key that is missing takes the object holding it with it
            loc = err["loc"][:-1] if err["type"] == "missing" else err["loc"]
            if not _mark_gone(data, loc):
                return None
        data = _without_gone(data)
        try:
            return model.model_validate(data)
        except ValidationError as again:
            exc = again
    return None


def _mark_gone(data: Any, loc: tuple[int | str, ...]) -> bool:
    """Mark the value at `loc` for removal; False when there is nothing there to remove."""
    if not loc:
        return False
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return False
    try:
        parent[loc[-1]] = _GONE
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _without_gone(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_gone(v) for k, v in data.items() if v is not _GONE}
    if isinstance(data, list):
        return [_without_gone(v) for v in data if v is not _GONE]
    return data
