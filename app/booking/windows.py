"""The working windows the engine cuts into slots, as named values: a window's day, a window, a
free piece of one, and the windows of one weekly schedule (`Week`, shared by every advisor with
that schedule). Pure."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from app.booking.tables import Ints


class WindowDay(NamedTuple):
    """What one working window shares with every advisor of the same week: its day, place, grid
    shift (None: not one shift all day) and whether no room has to be found (the usual case)."""

    day: date
    place: str | None
    shift: int | None
    plain: bool


class Window(NamedTuple):
    """A working window [lo, hi) in epoch minutes, with its grid shift when it goes the array way
    (`fast`: the day's shift when the day is plain, else None: a room to find or an irregular
    grid) and its day."""

    lo: int
    hi: int
    fast: int | None
    day: WindowDay


class Terms(NamedTuple):
    """What a slot found carries besides its start and room, numbered by the `SlotCodec`: its
    meeting type, the advisor's pool priority (lower wins), minutes booked that day (0 when no
    best slot is chosen) and the advisor."""

    mtype: int
    priority: int
    load: int
    advisor: int


class Piece(NamedTuple):
    """A free part [lo, hi) of a window, with the terms its grid starts get."""

    lo: int
    hi: int
    terms: Terms
    day: WindowDay


class Week(NamedTuple):
    """The working windows of every advisor with the same week, for one meeting type: as a list,
    and those with one grid shift and no room to find as columns (with their local day's bounds
    and the number of their place in `places`), and the others."""

    windows: list[Window]
    places: list[str | None]
    lo: Ints
    hi: Ints
    shift: Ints
    day_lo: Ints
    day_hi: Ints
    place: Ints
    general: list[Window]  # with a room to find or an irregular grid
