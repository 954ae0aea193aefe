"""Time as integer minutes since the Unix epoch (UTC), local days, and sorted interval lists. Pure."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

Interval = tuple[int, int]  # [start, end) in epoch minutes
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GRID = 30  # slot starts fall on local :00 and :30


@lru_cache(maxsize=1 << 16)  # searches cover the coming weeks: the same minutes again and again
def instant(minute: int) -> datetime:
    """The aware UTC datetime of an epoch minute: the one minute-to-datetime cache. Bounded,
    since a long-running worker meets new minutes every minute (64 Ki of them are ~45 days)."""
    return EPOCH + timedelta(minutes=minute)


def floor_minute(value: datetime) -> int:
    """The epoch minute at or before `value`."""
    return math.floor(value.timestamp() / 60)


def ceil_minute(value: datetime) -> int:
    """The epoch minute at or after `value`."""
    return math.ceil(value.timestamp() / 60)


class Calendar:
    """Local days of one time zone, with the conversions cached (many advisors share them)."""

    def __init__(self, zone: str) -> None:
        self.tz = ZoneInfo(zone)
        self._local: dict[tuple[date, time], int] = {}
        self._offsets: dict[int, int] = {}
        self._shifts: dict[date, int | None] = {}
        self._bounds: dict[date, Interval] = {}

    def local_minute(self, day: date, at: time) -> int:
        """The epoch minute of local wall time `at` on `day` (a skipped time maps past the gap)."""
        key = (day, at)
        found = self._local.get(key)
        if found is None:
            found = floor_minute(datetime.combine(day, at, tzinfo=self.tz))
            self._local[key] = found
        return found

    def day_bounds(self, day: date) -> Interval:
        """Local midnight to the next local midnight (23 or 25 hours on change-over days)."""
        found = self._bounds.get(day)
        if found is None:
            found = self._bounds[day] = (
                self.local_minute(day, time(0)),
                self.local_minute(day + timedelta(days=1), time(0)),
            )
        return found

    def local_date(self, minute: int) -> date:
        """The local date of an epoch minute."""
        return instant(minute).astimezone(self.tz).date()

    def offset(self, minute: int) -> int:
        """The zone's UTC offset in minutes at an epoch minute (cached per quarter hour, since
        zones change their offset on a quarter hour)."""
        key = minute // 15
        found = self._offsets.get(key)
        if found is None:
            at = EPOCH + timedelta(minutes=minute)
            delta = at.astimezone(self.tz).utcoffset() or timedelta()
            found = self._offsets[key] = int(delta.total_seconds() // 60)
        return found

    def instant(self, minute: int) -> datetime:
        """The aware UTC datetime of an epoch minute (`timeline.instant`)."""
        return instant(minute)

    def days(self, lo: int, hi: int) -> Iterator[date]:
        """Every local date touched by [lo, hi)."""
        day, last = self.local_date(lo), self.local_date(max(lo, hi - 1))
        while day <= last:
            yield day
            day += timedelta(days=1)

    def day_shift(self, day: date) -> int | None:
        """`start % GRID` of every local :00/:30 start on `day`, or None when the zone's offset
        changes that day by other than a multiple of GRID (then use `grid_starts`)."""
        if day not in self._shifts:
            lo, hi = self.day_bounds(day)
            off_lo, off_hi = self.offset(lo), self.offset(hi - 1)
            self._shifts[day] = (-off_lo) % GRID if off_lo % GRID == off_hi % GRID else None
        return self._shifts[day]

    def grid_starts(self, lo: int, hi: int, length: int) -> range | list[int]:
        """Starts on local :00/:30 with `start >= lo` and `start + length <= hi`."""
        off_lo, off_hi = self.offset(lo), self.offset(hi)
        if off_lo % GRID == off_hi % GRID:
            return range(lo + (-(lo + off_lo)) % GRID, hi - length + 1, GRID)
        return [  # a zone whose offset changes by other than a half-hour multiple that day
            start
            for start in range(lo, hi - length + 1)
            if (start + self.offset(start)) % GRID == 0
        ]


def subtract(window: Interval, blocks: list[Interval], starts: list[int]) -> list[Interval]:
    """`window` minus merged `blocks` (`starts` = their start minutes, for bisection)."""
    lo, hi = window
    if lo >= hi:
        return []
    i = max(bisect_right(starts, lo) - 1, 0)
    free: list[Interval] = []
    cursor = lo
    for start, end in blocks[i:]:
        if start >= hi:
            break
        if end <= cursor:
            continue
        if start > cursor:
            free.append((cursor, start))
        cursor = max(cursor, end)
        if cursor >= hi:
            break
    if cursor < hi:
        free.append((cursor, hi))
    return free


def intersect(left: list[Interval], right: list[Interval]) -> list[Interval]:
    """Intersection of two sorted interval lists."""
    result: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        lo = max(left[i][0], right[j][0])
        hi = min(left[i][1], right[j][1])
        if lo < hi:
            result.append((lo, hi))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def overlaps(blocks: list[Interval], starts: list[int], lo: int, hi: int) -> bool:
    """Whether merged `blocks` overlap [lo, hi)."""
    i = bisect_left(starts, hi)
    return i > 0 and blocks[i - 1][1] > lo


def overlap_minutes(intervals: Iterable[Interval], lo: int, hi: int) -> int:
    """Minutes of `intervals` inside [lo, hi)."""
    return sum(max(0, min(e, hi) - max(s, lo)) for s, e in intervals)
