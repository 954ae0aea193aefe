"""Slots as small integers, so that tens of thousands are sorted and serialised in C loops. Pure.

The engine gathers the slots it finds as named columns (`Found`: start, meeting type, pool
priority, load, advisor, room), numbered by a `SlotCodec`. The best-slot choice is one
`numpy.lexsort` over those columns. What is kept is filed under its start minute as a plain `tag`
(meeting type, advisor and room numbered and folded into one integer in that order of
significance, so sorting a start's tags sorts its slots by meeting type and advisor).
`SlotRows` builds `Slot` objects only on demand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from typing import Any, NamedTuple, overload

import numpy as np
from numpy.typing import NDArray

from app.booking.query import Slot
from app.booking.tables import Ints, ints
from app.booking.timeline import instant

NO_ROOM_RANK = 0  # the codec's number for "no room"


class Found(NamedTuple):
    """Candidate slots as columns, one row per (start, meeting type, advisor, room), numbered by a
    `SlotCodec`; `priority` (the advisor's pool level, lower wins) and `load` (minutes booked that
    day) only matter to the best-slot choice."""

    start: Ints
    mtype: Ints
    priority: Ints
    load: Ints
    advisor: Ints
    room: Ints

    @classmethod
    def of_rows(cls, rows: Sequence[tuple[int, int, int, int, int, int]]) -> Found:
        """Rows `(start, mtype, priority, load, advisor, room)` as columns."""
        if not rows:
            return cls(*(ints(()) for _ in range(6)))
        return cls(*np.asarray(rows, dtype=np.int64).T)


def best_rows(found: Found) -> Ints:
    """The rows of the best candidates: per start and meeting type, the best pool level, then the
    lightest day, then the first advisor (an advisor is found at most once per start and meeting
    type, so the room never decides). Returned sorted by start and meeting type."""
    keys = (found.advisor, found.load, found.priority, found.mtype)
    order = np.lexsort((*map(_narrow, keys), found.start))
    start, mtype = found.start[order], found.mtype[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (start[1:] != start[:-1]) | (mtype[1:] != mtype[:-1])
    return order[first]


def _narrow(column: Ints) -> NDArray[np.integer[Any]]:
    """A sort key in the smallest unsigned type that holds it: NumPy sorts 8- and 16-bit keys by
    radix, several times faster than int64 (every key here is a small count or number)."""
    if not len(column) or column.min() < 0:
        return column
    return column.astype(np.min_scalar_type(int(column.max())))


class SlotCodec:
    """The numbering of one answer's meeting types, advisors and rooms (`None` is room 0), and
    the plain tags that fold them into one integer."""

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
        self.best = best  # keep only the best candidate per start and meeting type

    def tag(self, mtype: str, employee: str, room: str | None = None) -> int:
        """The plain tag of a meeting type, advisor and room."""
        return int(
            self.tags(
                ints(self.type_rank[mtype]),
                ints(self.employee_rank[employee]),
                ints(self.room_rank[room]),
            )
        )

    def tags(self, mtype: Ints, advisor: Ints, room: Ints) -> Ints:
        """The plain tags of numbered meeting types, advisors and rooms."""
        return (mtype * len(self.employees) + advisor) * len(self.rooms) + room

    def buckets(self, found: Iterable[Found]) -> tuple[list[int], list[list[int]]]:
        """The start minutes of the candidates found, sorted, and per start its sorted plain
        tags; for best slots only the best candidate of each meeting type (`best_rows`)."""
        chunks = [f for f in found if len(f.start)]
        if not chunks:
            return [], []
        every = Found(*(np.concatenate(column) for column in zip(*chunks, strict=True)))
        tags = self.tags(every.mtype, every.advisor, every.room)
        if self.best:
            keep = best_rows(every)
            starts, tags = every.start[keep], tags[keep]
        else:
            order = np.lexsort((_narrow(tags), every.start))
            starts, tags = every.start[order], tags[order]
        heads = np.flatnonzero(starts[1:] != starts[:-1]) + 1
        bounds = [0, *heads.tolist(), len(tags)]
        flat = tags.tolist()
        return starts[bounds[:-1]].tolist(), [flat[a:b] for a, b in pairwise(bounds)]

    def label(self, tag: int) -> tuple[str, str, str | None]:
        """Meeting type, advisor and room of a plain tag."""
        rest, room = divmod(tag, len(self.rooms))
        mtype, advisor = divmod(rest, len(self.employees))
        return self.types[mtype], self.employees[advisor], self.rooms[room]


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


def _as_slots(found: SlotRows, buckets: Iterable[tuple[int, list[int]]]) -> list[Slot]:
    """Slots built without the frozen dataclass's per-field `__setattr__` detour: a 30-day search
    makes tens of thousands, and this is about three times faster. Same fields, same values."""
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
