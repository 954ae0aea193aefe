"""Advisor priority rules: which advisor a best slot goes to when several are free. Pure.

The organisation keeps an ordered list of levels (the vendor's "Operating Level" page,
`advisor-priority-rules.md`): Explicitly selected, Local advisor, and any number of Service group
levels, each optionally limited to the service groups carrying a label. An advisor in a pool the
request searches takes the first level they match; one who matches none ranks after every level
(the rules order advisors, they never hide one). Without a configuration the levels are today's
fixed order, Explicit > Local > ServiceGroup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

EXPLICIT, LOCAL, SERVICE_GROUP = "Explicit", "Local", "ServiceGroup"  # the vendor's pool names
LEVEL_KINDS = (EXPLICIT, LOCAL, SERVICE_GROUP)
MAX_LEVELS = 20
MAX_LABEL = 200  # as a service group's label
MAX_DESCRIPTION = 500


@dataclass(frozen=True)
class PriorityLevel:
    """One level: a kind of advisor, for ServiceGroup optionally only groups labelled `label`."""

    kind: str
    label: str | None = None
    description: str = ""

    def as_json(self) -> dict[str, Any]:
        """The level as the configuration stores and shows it."""
        return {"type": self.kind, "label": self.label, "description": self.description}


DEFAULT_PRIORITY_LEVELS = (
    PriorityLevel(EXPLICIT, description="Customer-selected advisors"),
    PriorityLevel(LOCAL, description="Local branch advisors"),
    PriorityLevel(SERVICE_GROUP, description="All service group advisors"),
)


@dataclass(frozen=True)
class AdvisorPools:
    """How one advisor is in a request's pools for one day and meeting type: explicitly named,
    local at the meeting location, and the labels of the service groups that bring them in
    (`None` for a group without a label)."""

    explicit: bool = False
    local: bool = False
    group_labels: tuple[str | None, ...] = ()

    @property
    def any(self) -> bool:
        """In at least one pool."""
        return self.explicit or self.local or bool(self.group_labels)


def level_matches(level: PriorityLevel, pools: AdvisorPools) -> bool:
    """Whether an advisor in these pools belongs to this level."""
    if level.kind == EXPLICIT:
        return pools.explicit
    if level.kind == LOCAL:
        return pools.local
    if level.label is None:
        return bool(pools.group_labels)
    wanted = level.label.casefold()
    return any(label is not None and label.casefold() == wanted for label in pools.group_labels)


def advisor_priority(levels: Sequence[PriorityLevel], pools: AdvisorPools) -> int | None:
    """The advisor's priority (0 is the highest level; lower wins a best slot): the first level
    they match, after every level when they match none, None when they are in no pool."""
    if not pools.any:
        return None
    for number, level in enumerate(levels):
        if level_matches(level, pools):
            return number
    return len(levels)


def parse_levels(raw: object) -> tuple[PriorityLevel, ...]:
    """Levels from their stored or submitted JSON (`[{type, label?, description?}, ...]`),
    checked by the vendor's rules; raises ValueError with the reason."""
    if not isinstance(raw, list):
        raise ValueError("priority levels must be a list of {type, label, description}")
    levels = tuple(_level(item, n) for n, item in enumerate(raw, start=1))
    check_levels(levels)
    return levels


def _level(item: object, number: int) -> PriorityLevel:
    if isinstance(item, str):  # the admin page's line: `Local`, `ServiceGroup: VIP`
        named, _, after = item.partition(":")
        item = {"type": _kind_named(named), "label": after.strip() or None}
    if not isinstance(item, Mapping) or not set(item) <= {"type", "label", "description"}:
        raise ValueError(f"level {number}: expected an object with type, label, description")
    kind, label, text = item.get("type"), item.get("label"), item.get("description") or ""
    if kind not in LEVEL_KINDS:
        raise ValueError(f"level {number}: type must be one of {', '.join(LEVEL_KINDS)}")
    if label is not None and (not isinstance(label, str) or len(label) > MAX_LABEL):
        raise ValueError(f"level {number}: label must be text of at most {MAX_LABEL} characters")
    if not isinstance(text, str) or len(text) > MAX_DESCRIPTION:
        raise ValueError(
            f"level {number}: description must be at most {MAX_DESCRIPTION} characters"
        )
    name = (label or "").strip() or None
    if name is not None and kind != SERVICE_GROUP:
        raise ValueError(f"level {number}: only a ServiceGroup level takes a label")
    return PriorityLevel(str(kind), name, text.strip())


def _kind_named(text: str) -> str:
    """A level's type in any case, `Service group` too."""
    wanted = text.replace(" ", "").casefold()
    return next((kind for kind in LEVEL_KINDS if kind.casefold() == wanted), text.strip())


def level_line(level: PriorityLevel) -> str:
    """A level as one line of the admin page (`ServiceGroup: VIP`)."""
    return f"{level.kind}: {level.label}" if level.label else level.kind


def check_levels(levels: Sequence[PriorityLevel]) -> None:
    """The vendor's validation rules: at least one level, at most one Explicit and one Local,
    and no level twice."""
    if not levels:
        raise ValueError("at least one priority level is required")
    if len(levels) > MAX_LEVELS:
        raise ValueError(f"at most {MAX_LEVELS} priority levels")
    for kind in (EXPLICIT, LOCAL):
        if sum(level.kind == kind for level in levels) > 1:
            raise ValueError(f"only one {kind} level is allowed")
    keys = [(level.kind, (level.label or "").casefold()) for level in levels]
    if len(set(keys)) != len(keys):
        raise ValueError("the same level is listed twice")


def stored_levels(raw: object) -> tuple[PriorityLevel, ...]:
    """The levels kept in the settings row (None: the default). Written only through
    `parse_levels`, so a stored list is valid; one that is not falls back to the default rather
    than failing every search."""
    if raw is None:
        return DEFAULT_PRIORITY_LEVELS
    try:
        return parse_levels(raw)
    except ValueError:
        return DEFAULT_PRIORITY_LEVELS


def levels_json(levels: Iterable[PriorityLevel]) -> list[dict[str, Any]]:
    """Levels as the configuration shows them."""
    return [level.as_json() for level in levels]
