"""The bank's rules for one advisor, one day and one meeting type, each written once. Pure.

- **Qualified**: bookable, and skilled for the topic and customer type (`rules.qualified`).
- **Working day**: works that weekday, the bank is open, offers the meeting type that day, and for
  a Physical meeting is at the meeting location; in which hours (`working_day`).
- **Pool**: the best pool the advisor is in for the day's place (`rules.pool_priority`).
- **Notice**: from when a customer may book them: now plus the minimum notice counted in their
  working hours (`earliest_start`).
- **Daily cap**: the day's load (`booked_minutes`) plus the meeting stay within their cap, for
  customer searches (`within_cap`, which takes numbers or NumPy columns alike).

The engine's array path (`availability.py`) takes its columns from these functions; the joint and
room paths (`day_verdict`) and the explanations (`reasons.py`) call them too, and say the
`refusals` they return.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import overload

import numpy as np
from numpy.typing import NDArray

from app.booking.context import Context
from app.booking.facts import EmployeeFacts, ScheduleDay
from app.booking.rules import PHYSICAL, physical_place_ok, qualified
from app.booking.tables import Ints
from app.booking.timeline import Interval, overlap_minutes

# Why an advisor cannot meet that day (reason codes, put into words by `explain` and the pages)
NOT_BOOKABLE, NOT_QUALIFIED, DAY_OFF = "not_bookable", "not_qualified", "day_off"
CLOSED, NO_MEETING_TYPE, OTHER_PLACE = "closed", "no_meeting_type", "other_place"
NOTICE, DAILY_CAP = "notice", "daily_cap"
FAR = 1 << 40  # a minute beyond any horizon


@dataclass(frozen=True)
class WorkingDay:
    """Whether an advisor's week lets them meet as `meeting_type` on `day`, where (`place`) and in
    which hours (`lo`-`hi`, epoch minutes, before the request's window); `refusals` say why not."""

    day: date
    meeting_type: str
    place: str | None
    lo: int
    hi: int
    refusals: tuple[str, ...] = ()


def working_day(ctx: Context, sched: ScheduleDay | None, day: date, mtype: str) -> WorkingDay:
    """The schedule rule: works that weekday, the bank open, the meeting type offered that day,
    a Physical meeting at the meeting location; the hours inside the opening hours."""
    if sched is None:
        return WorkingDay(day, mtype, None, 0, 0, (DAY_OFF,))
    refusals = []
    if day in ctx.facts.closing_days:
        refusals.append(CLOSED)
    if mtype not in sched.meeting_types:
        refusals.append(NO_MEETING_TYPE)
    if mtype == PHYSICAL and not physical_place_ok(ctx.request.plan, sched.location_id):
        refusals.append(OTHER_PLACE)
    lo, hi = work_window(ctx, sched, day)
    return WorkingDay(day, mtype, sched.location_id, lo, hi, tuple(refusals))


def work_window(ctx: Context, sched: ScheduleDay, day: date) -> Interval:
    """The day's working hours: the schedule inside the organisation's opening hours (the
    calendar keeps the local minutes it has converted)."""
    org, cal = ctx.facts.org, ctx.cal
    day_end = cal.day_bounds(day)[1]

    def at(value: time) -> int:
        return day_end if value == time(0) else cal.local_minute(day, value)

    lo = max(cal.local_minute(day, sched.start), cal.local_minute(day, org.opening_time))
    return lo, min(at(sched.end), at(org.closing_time))


@dataclass(frozen=True)
class AdvisorTerms:
    """What the rules say of one advisor for the whole request: qualified or not, the earliest
    start (`first`, the notice) and the daily cap in minutes (None: no cap applies)."""

    advisor: str
    refusal: str | None  # NOT_BOOKABLE or NOT_QUALIFIED; None: qualified
    first: int
    cap: int | None


def advisor_terms(ctx: Context, emp: EmployeeFacts) -> AdvisorTerms:
    """Qualification, notice and daily cap of one advisor (notice and caps: customer searches)."""
    refusal = None
    if not qualified(emp, ctx.request.plan):
        refusal = NOT_QUALIFIED if emp.can_be_booked else NOT_BOOKABLE
    cap = ctx.caps.get(emp.id) if ctx.request.customer else None
    return AdvisorTerms(emp.id, refusal, earliest_start(ctx, emp), cap)


def earliest_start(ctx: Context, emp: EmployeeFacts) -> int:
    """`now` plus the minimum notice counted in the advisor's working hours (customer searches)."""
    notice = ctx.facts.org.min_notice_minutes
    if not ctx.request.customer or ctx.request.query.ignore_minimum_notice or notice <= 0:
        return ctx.request.now
    if not any(d.available for d in emp.schedule):  # never works: the notice never runs out
        return FAR
    remaining, day = notice, ctx.cal.local_date(ctx.request.now)
    for _ in range(ctx.facts.org.max_days_ahead + 366):
        sched = emp.day(day.weekday())
        if sched and day not in ctx.facts.closing_days:
            lo, hi = work_window(ctx, sched, day)
            lo = max(lo, ctx.request.now)
            if hi - lo >= remaining:
                return lo + remaining
            remaining -= max(0, hi - lo)
        day += timedelta(days=1)
    return FAR


def booked_minutes(ctx: Context, emp_id: str, day: date) -> int:
    """The day's load: minutes of meetings and live holds the advisor has on one local day."""
    booked = ctx.tables.booked.get(emp_id)
    if booked is None:
        return 0
    lo, hi = ctx.cal.day_bounds(day)
    first = max(bisect_right(booked.starts, lo) - 1, 0)
    last = bisect_left(booked.starts, hi)
    return overlap_minutes(booked.intervals[first:last], lo, hi)


@overload
def within_cap(load: int, duration: int, cap: int) -> bool: ...
@overload
def within_cap(load: Ints, duration: int, cap: Ints) -> NDArray[np.bool_]: ...
def within_cap(load: int | Ints, duration: int, cap: int | Ints) -> bool | NDArray[np.bool_]:
    """The daily cap: the day's booked minutes plus this meeting stay within the cap (for one
    day, or for columns of days)."""
    return load + duration <= cap


@dataclass(frozen=True)
class DayVerdict:
    """One advisor's day for one meeting type as the rules decide it: where (`place`), from when
    (`lo`: the hours, the request's window and the notice) until when (`hi`), with the day's
    booked minutes (`load`); `refusals` say why they cannot meet that day at all."""

    advisor: str
    day: date
    meeting_type: str
    place: str | None
    lo: int
    hi: int
    load: int
    refusals: tuple[str, ...]

    @property
    def can_meet(self) -> bool:
        """No rule refuses the day and some time is left in it."""
        return not self.refusals and self.lo < self.hi


def day_verdict(ctx: Context, terms: AdvisorTerms, work: WorkingDay, load: int) -> DayVerdict:
    """Qualification, the working day, the notice and the daily cap, for one advisor's day."""
    refusals = list(work.refusals)
    if terms.refusal is not None:
        refusals.insert(0, terms.refusal)
    if terms.cap is not None and not within_cap(load, ctx.request.duration, terms.cap):
        refusals.append(DAILY_CAP)
    lo = max(work.lo, ctx.request.lo, terms.first)
    return DayVerdict(
        terms.advisor, work.day, work.meeting_type, work.place, lo, work.hi, load, tuple(refusals)
    )
