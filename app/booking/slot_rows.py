"""Slots as small integers, so that tens of thousands are sorted and serialised in C loops. Pure.

The engine files each slot under its start minute as a `tag`: its meeting type, advisor and room
numbered and folded into one integer in that order of significance, so sorting a start's tags
sorts its slots by meeting type and advisor. `SlotRows` builds `Slot` objects only on demand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import overload

import numpy as np

from app.booking.query import Slot
from app.booking.tables import Ints

PRIORITIES = 4  # pool priorities 0..2 fit below this (best-slot tags only)
LOADS = 2048  # booked minutes of a day fit below this (best-slot tags only; 25 h = 1500 min)


class SlotCodec:
    """The numbering of one answer's meeting types, advisors and rooms (`None` is room 0).

    `best=True` also folds a pool priority and a day's load between meeting type and advisor, so
    that a start's smallest tag of each meeting type is the best candidate (`buckets` then drops
    them again).
    """

    def __init__(
        self,
        meeting_types: Iterable[str],
        employee_ids: Iterable[str],
        room_ids: Iterable[str] = (),
        best: bool = False,
    ) -> None:
        self.types = sorted(set(meeting_types))
        self.employees = sorted(set(employee_ids))
        self.rooms: list[str | None] = [None, *sorted(set(room_ids))]
        self.type_rank = {t: i for i, t in enumerate(self.types)}
        self.employee_rank = {e: i for i, e in enumerate(self.employees)}
        self.room_rank = {r: i for i, r in enumerate(self.rooms)}
        self.per_type = len(self.employees) * len(self.rooms)  # plain tags per meeting type
        extra = PRIORITIES * LOADS if best else 1
        self.group = self.per_type * extra  # best-slot tags per meeting type
        self.best = best

    def tag(self, mtype: str, employee: str, room: str | None = None) -> int:
        """The plain tag of a meeting type, advisor and room."""
        return (
            self.type_rank[mtype] * self.per_type
            + self.employee_rank[employee] * len(self.rooms)
            + self.room_rank[room]
        )

    def best_tag(self, mtype: str, priority: int, load: int, employee: str) -> int:
        """A best-slot tag (room 0: add the room's rank for a room)."""
        inner = (priority * LOADS + min(load, LOADS - 1)) * self.per_type
        return (
            self.type_rank[mtype] * self.group
            + inner
            + self.employee_rank[employee] * len(self.rooms)
        )

    def best_tags(self, mtype: str, priority: Ints, load: Ints, rank: Ints) -> Ints:
        """`best_tag` for many at once, given the advisors' ranks."""
        inner = (priority * LOADS + np.minimum(load, LOADS - 1)) * self.per_type
        return self.type_rank[mtype] * self.group + inner + rank * len(self.rooms)

    def buckets(self, found: Iterable[tuple[Ints, Ints]]) -> tuple[list[int], list[list[int]]]:
        """The start minutes of the slots found (pairs of arrays: starts and their tags), sorted,
        and per start its sorted plain tags; for best slots only the best candidate of each
        meeting type (its smallest tag)."""
        chunks = list(found)
        if not chunks:
            return [], []
        starts = np.concatenate([c[0] for c in chunks])
        tags = np.concatenate([c[1] for c in chunks])
        if not len(starts):
            return [], []
        order = np.lexsort((tags, starts))
        starts, tags = starts[order], tags[order]
        if self.best:  # the first tag of each (start, meeting type) is the best one
            kind = tags // self.group
            keep = np.ones(len(tags), dtype=bool)
            keep[1:] = (starts[1:] != starts[:-1]) | (kind[1:] != kind[:-1])
            starts, tags = starts[keep], kind[keep] * self.per_type + tags[keep] % self.per_type
        heads = np.flatnonzero(starts[1:] != starts[:-1]) + 1
        bounds = [0, *heads.tolist(), len(tags)]
        flat = tags.tolist()
        return starts[bounds[:-1]].tolist(), [flat[a:b] for a, b in pairwise(bounds)]

    def label(self, tag: int) -> tuple[str, str, str | None]:
        """Meeting type, advisor and room of a plain tag."""
        rooms = len(self.rooms)
        return (
            self.types[tag // self.per_type],
            self.employees[tag % self.per_type // rooms],
            self.rooms[tag % rooms],
        )


class SlotRows(Sequence[Slot]):
    """Sorted slots kept as the engine's answer: the start minutes, and per start the sorted plain
    tags of the slots starting then. `Slot` objects are built on first use, so a caller that only
    serialises never builds them."""

    def __init__(
        self,
        starts: list[int],
        tags: list[list[int]],
        codec: SlotCodec,
        duration: int,
        topic_id: str | None,
        joint: tuple[str, ...],
    ) -> None:
        self.starts, self.tags, self.codec, self.duration = starts, tags, codec, duration
        self.topic_id, self.joint = topic_id, joint
        self._count = sum(map(len, tags))
        self._slots: list[Slot] | None = None

    @classmethod
    def of(
        cls,
        rows: Iterable[tuple[int, str, str, str | None]],
        duration: int,
        topic_id: str | None,
        joint: tuple[str, ...] = (),
    ) -> SlotRows:
        """Rows `(start minute, meeting type, advisor, room)` sorted by start, in the order given."""
        rows = list(rows)
        codec = SlotCodec((r[1] for r in rows), (r[2] for r in rows), (r[3] for r in rows if r[3]))
        starts: list[int] = []
        tags: list[list[int]] = []
        for start, mtype, emp, room in rows:
            if not starts or starts[-1] != start:
                starts.append(start)
                tags.append([])
            tags[-1].append(codec.tag(mtype, emp, room))
        return cls(starts, tags, codec, duration, topic_id, joint)

    def slots(self) -> list[Slot]:
        """The rows as `Slot` objects (built once)."""
        if self._slots is None:
            self._slots = _as_slots(self, zip(self.starts, self.tags, strict=True))
        return self._slots

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Slot: ...
    @overload
    def __getitem__(self, index: slice) -> list[Slot]: ...
    def __getitem__(self, index: int | slice) -> Slot | list[Slot]:
        if self._slots is None and isinstance(index, int):  # e.g. the first free slot only
            if index < 0:
                index += self._count
            if 0 <= index < self._count:
                for start, tags in zip(self.starts, self.tags, strict=True):
                    if index < len(tags):
                        return _as_slots(self, [(start, [tags[index]])])[0]
                    index -= len(tags)
            raise IndexError("slot index out of range")
        return self.slots()[index]

    def __iter__(self) -> Iterator[Slot]:
        return iter(self.slots())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SlotRows):
            return self.slots() == other.slots()
        return self.slots() == other if isinstance(other, list) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SlotRows({self.slots()!r})"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _as_slots(found: SlotRows, buckets: Iterable[tuple[int, list[int]]]) -> list[Slot]:
    """Slots built without the frozen dataclass's per-field `__setattr__` detour: a 30-day search
    makes tens of thousands, and this is about three times faster. Same fields, same values."""
    instants: dict[int, datetime] = {}

    def instant(minute: int) -> datetime:
        value = instants.get(minute)
        if value is None:
            value = instants[minute] = _EPOCH + timedelta(minutes=minute)
        return value

    codec, dur, topic_id, joint = found.codec, found.duration, found.topic_id, found.joint
    labels: dict[int, tuple[str, str, str | None]] = {}
    new, assign = object.__new__, object.__setattr__
    out: list[Slot] = []
    append = out.append
    for start, tag in ((start, tag) for start, tags in buckets for tag in tags):
        label = labels.get(tag)
        if label is None:
            label = labels[tag] = codec.label(tag)
        mtype, emp, room = label
        slot = new(Slot)
        assign(
            slot,
            "__dict__",
            {
                "start": instant(start),
                "end": instant(start + dur),
                "meeting_type": mtype,
                "employee_id": emp,
                "employee_ids": joint or (emp,),
                "room_id": room,
                "topic_id": topic_id,
            },
        )
        append(slot)
    return out
