"""The reference availability engine: slow, per advisor, per start, minute by minute where counting
is involved, written from docs/availability.md, docs/booking.md ("Buffers") and the domain rules
(/work/shared/spec/domain.md), never from the real engine's code.

`reference_slots(query, facts, now)` takes what `available_slots` takes and returns the same sorted
list of `Slot`s. The differential test (tests/unit/test_engine_differential.py) holds the two equal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from app.booking.facts import EmployeeFacts, Facts, ScheduleDay
from app.booking.query import Slot, SlotQuery
from tests.reference.who import Ask, daily_cap, pool, qualified, resolve, rooms_for

NEVER = 1 << 40  # a minute after every start


def floor_min(value: datetime | int) -> int:
    return value if isinstance(value, int) else math.floor(value.timestamp() / 60)


def ceil_min(value: datetime | int) -> int:
    return value if isinstance(value, int) else math.ceil(value.timestamp() / 60)


def instant(m: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(minutes=m)


@dataclass(frozen=True)
class Kept:
    """A commitment as the buffers rule sees it: the span it keeps and its own minutes."""

    lo: int
    hi: int
    start: int
    end: int


class Reference:
    """One request against the facts, answered one advisor and one start at a time."""

    def __init__(self, q: SlotQuery, f: Facts, now: datetime, ignore_holds: frozenset[str]) -> None:
        self.q, self.f, self.now = q, f, now
        self.tz = ZoneInfo(f.org.time_zone)
        self.ask: Ask = resolve(q, f)
        self.ignore_holds = ignore_holds
        self.now_min = ceil_min(now)
        first = ceil_min(q.start) if q.start else self.now_min
        look = q.look_forward if q.look_forward is not None else timedelta(days=7)
        horizon = floor_min(now + timedelta(days=f.org.max_days_ahead))
        self.lo = max(first, self.now_min)
        self.hi = min(first + int(look.total_seconds() // 60), horizon)
        self.customer = q.is_customer_initiated
        self.best = q.best_slots if q.best_slots is not None else q.is_customer_initiated
        self._notice: dict[str, int] = {}
        self._booked: dict[tuple[str, date], int] = {}
        self._counted: dict[str, list[Kept]] = {}

    # ---- time ------------------------------------------------------------------------------

    @cached_property
    def duration(self) -> int:
        if self.q.duration is not None:
            return max(1, math.ceil(self.q.duration.total_seconds() / 60))
        if self.f.topic and self.f.topic.duration_minutes:
            return self.f.topic.duration_minutes
        return self.f.org.default_meeting_minutes

    def local(self, m: int) -> datetime:
        return instant(m).astimezone(self.tz)

    def wall(self, day: date, at: time) -> int:
        """The minute of a local wall time (a time in a gap maps past it; a repeated one is the
        first); 00:00 as an end is the end of the day."""
        return floor_min(datetime.combine(day, at, tzinfo=self.tz))

    def day_end(self, day: date) -> int:
        return self.wall(day + timedelta(days=1), time(0))

    def on_grid(self, m: int) -> bool:
        at = self.local(m)
        return at.minute % 30 == 0 and at.second == 0

    # ---- one advisor's day -----------------------------------------------------------------

    def schedule(self, emp: EmployeeFacts, day: date) -> ScheduleDay | None:
        """The advisor's schedule entry on `day`, None on a day off or a closing day."""
        if day in self.f.closing_days:
            return None
        entries = [s for s in emp.schedule if s.weekday == day.weekday() and s.available]
        return entries[0] if entries else None

    def window(self, sched: ScheduleDay, day: date) -> tuple[int, int]:
        """The working window: the schedule inside the organisation's opening hours."""
        org = self.f.org

        def end(at: time) -> int:
            return self.day_end(day) if at == time(0) else self.wall(day, at)

        lo = max(self.wall(day, sched.start), self.wall(day, org.opening_time))
        return lo, min(end(sched.end), end(org.closing_time))

    def working(self, emp: EmployeeFacts, m: int) -> bool:
        day = self.local(m).date()
        sched = self.schedule(emp, day)
        if sched is None:
            return False
        lo, hi = self.window(sched, day)
        return lo <= m < hi

    def earliest(self, emp: EmployeeFacts) -> int:
        """Customers: the minute after the advisor's `notice`-th working minute from now."""
        notice = self.f.org.min_notice_minutes
        if not self.customer or self.q.ignore_minimum_notice or notice <= 0:
            return self.now_min
        if emp.id not in self._notice:
            found, counted, m = NEVER, 0, self.now_min
            while m < self.hi:  # a notice running out at `hi` or later offers nothing anyway
                counted += self.working(emp, m)
                if counted == notice:
                    found = m + 1
                    break
                m += 1
            self._notice[emp.id] = found
        return self._notice[emp.id]

    # ---- commitments -----------------------------------------------------------------------

    def counted(self, resource: str) -> list[Kept]:
        """The live commitments of one resource the request counts, with the spans they keep."""
        if resource not in self._counted:
            self._counted[resource] = self._count(resource)
        return self._counted[resource]

    def _count(self, resource: str) -> list[Kept]:
        before, after = self.f.org.buffer_before_minutes, self.f.org.buffer_after_minutes
        found = []
        for row in self.f.claims:
            c = tuple(row) + (None,) * (8 - len(row))
            res, start, end, meeting, hold, expires, b_from, b_until = c[:8]
            if res != resource or (meeting and meeting in self.q.ignore_meeting_ids):
                continue
            if hold and (hold in self.ignore_holds or not (expires is None or expires > self.now)):
                continue
            s, e = floor_min(start), ceil_min(end)
            lo = floor_min(b_from) if b_from is not None else s - before
            hi = ceil_min(b_until) if b_until is not None else e + after
            found.append(Kept(lo, hi, s, e))
        return found

    def too_close(self, resource: str, t: int) -> bool:
        """The slot, kept with its buffers, overlaps a span some commitment keeps."""
        lo = t - self.f.org.buffer_before_minutes
        hi = t + self.duration + self.f.org.buffer_after_minutes
        return any(k.lo < hi and lo < k.hi for k in self.counted(resource))

    def busy(self, emp: str, t: int, physical: bool) -> bool:
        return any(
            who == emp
            and (kind != "elsewhere" or physical)
            and floor_min(start) < t + self.duration
            and t < ceil_min(end)
            for who, start, end, kind in self.f.busy
        )

    def booked(self, emp: str, day: date) -> int:
        """Minutes of the advisor's meetings and live holds on one local day, one by one."""
        key = (emp, day)
        if key not in self._booked:
            minutes: set[int] = set()
            for k in self.counted(f"employee:{emp}"):
                minutes.update(m for m in range(k.start, k.end) if self.local(m).date() == day)
            self._booked[key] = len(minutes)
        return self._booked[key]

    # ---- one advisor, one start --------------------------------------------------------------

    def can_meet(self, emp: EmployeeFacts, t: int, mt: str) -> ScheduleDay | None:
        """The day's schedule entry when the advisor can take the slot at `t` as `mt`."""
        day = self.local(t).date()
        sched = self.schedule(emp, day)
        if sched is None or mt not in sched.meeting_types:
            return None
        if mt == "Physical":
            if sched.location_id is None:
                return None
            if self.ask.places and sched.location_id not in self.ask.places:
                return None
        lo, hi = self.window(sched, day)
        if not (lo <= t and t + self.duration <= hi):
            return None
        if self.customer:
            if t < self.earliest(emp):
                return None
            cap = daily_cap(self.f, emp)
            if cap is not None and self.booked(emp.id, day) + self.duration > cap:
                return None
        if self.too_close(f"employee:{emp.id}", t) or self.busy(emp.id, t, mt == "Physical"):
            return None
        return sched

    def room(self, mt: str, place: str | None, t: int) -> str | None | bool:
        """The first free candidate room; None: no room (none needed or free); False: required and
        none free."""
        rooms, required = rooms_for(self.f, self.q, mt, place)
        for room in rooms:
            if not self.too_close(f"room:{room}", t):
                return room
        return False if required else None

    def slot(self, t: int, mt: str, emps: tuple[str, ...], room: str | None) -> Slot:
        return Slot(
            instant(t), instant(t + self.duration), mt, emps[0], emps, room, self.q.topic_id
        )

    def singles(self, t: int, mt: str) -> list[tuple[tuple[int, int, str], Slot]]:
        """Every advisor's slot at `t` as `mt`, with its best-slot rank."""
        found = []
        for emp in self.f.employees:
            if not qualified(self.f, self.q, emp):
                continue
            sched = self.can_meet(emp, t, mt)
            if sched is None:
                continue
            rank = pool(self.f, self.q, self.ask, emp, sched.location_id, mt)
            if rank is None:
                continue
            room = self.room(mt, sched.location_id, t)
            if room is not False:
                load = self.booked(emp.id, self.local(t).date())
                found.append(((rank, load, emp.id), self.slot(t, mt, (emp.id,), room or None)))
        return found

    def joint(self, t: int, mt: str) -> Slot | None:
        """The joint meeting at `t`: every listed advisor free, at one branch for Physical."""
        members = [next(e for e in self.f.employees if e.id == i) for i in self.ask.joint]
        if not all(qualified(self.f, self.q, e) for e in members):
            return None
        days = [self.can_meet(e, t, mt) for e in members]
        if any(d is None for d in days):
            return None
        places = {d.location_id for d in days if d is not None}
        if mt == "Physical" and len(places) > 1:
            return None
        room = self.room(mt, days[0].location_id if days[0] else None, t)
        return None if room is False else self.slot(t, mt, self.ask.joint, room or None)

    def slots(self) -> list[Slot]:
        topic, ctype = self.f.topic, self.q.customer_type_id
        if topic and topic.customer_type_ids and ctype and ctype not in topic.customer_type_ids:
            return []
        out: list[Slot] = []
        for t in range(self.lo, self.hi):
            if not self.on_grid(t):
                continue
            for mt in self.ask.meeting_types:
                if self.ask.joint:
                    found = self.joint(t, mt)
                    out += [found] if found else []
                    continue
                ranked = self.singles(t, mt)
                if self.best and ranked:
                    out.append(min(ranked, key=lambda r: (r[0], r[1].room_id or ""))[1])
                else:
                    out += [s for _, s in ranked]
        return sorted(out)


def reference_slots(
    q: SlotQuery, f: Facts, now: datetime, ignore_reservation_ids: frozenset[str] = frozenset()
) -> list[Slot]:
    """Every slot the request may be offered, as `available_slots` answers, the slow way."""
    return Reference(q, f, now, ignore_reservation_ids).slots()
