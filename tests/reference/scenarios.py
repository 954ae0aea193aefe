"""Hypothesis strategies for whole availability scenarios: facts, a query, `now` and the holds a
caller ignores. Around both change-over Sundays of Europe/Copenhagen (2026-03-29, 2026-10-25) and
an ordinary week; rooms, buffers, claims that keep their own span, notice, caps at every level,
joint meetings, pools, service and competence groups, advisor priority levels (with labelled
service groups), topics, ignore lists and expiring holds."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from app.booking.facts import (
    BusyFacts,
    ClaimFacts,
    CompetenceGroupFacts,
    EmployeeFacts,
    Facts,
    LocationFacts,
    OrgFacts,
    RoomFacts,
    ScheduleDay,
    ServiceGroupFacts,
    TopicFacts,
)
from app.booking.priority import DEFAULT_PRIORITY_LEVELS, PriorityLevel
from app.booking.query import SlotQuery

TZ = ZoneInfo("Europe/Copenhagen")
NORTH = LocationFacts("loc-north", "Branch-North", ("Copenhagen", "Frederiksberg"))
SOUTH = LocationFacts("loc-south", "Branch-South", ("Aarhus",))
BASES = [  # Friday noon before each change-over Sunday, a late Saturday, an ordinary Monday
    datetime(2026, 3, 27, 11, 0, tzinfo=UTC),
    datetime(2026, 3, 28, 20, 0, tzinfo=UTC),
    datetime(2026, 10, 23, 10, 0, tzinfo=UTC),
    datetime(2026, 10, 24, 20, 0, tzinfo=UTC),
    datetime(2026, 6, 8, 6, 0, tzinfo=UTC),
]
TYPES = ("Physical", "Online", "Telephone")
IDS = ("a1", "a2", "a3", "a4")
ROOMS = ("r1", "r2", "r3")
MEETINGS = ("m1", "m2", "m3", "m4")


@dataclass(frozen=True)
class Scenario:
    """One case: the facts, the query, `now`, and the holds the caller ignores."""

    facts: Facts
    query: SlotQuery
    now: datetime
    ignore_holds: frozenset[str]
    as_columns: bool  # hand the engine the claims as the slot service does (`ClaimColumns`)


def subset(items: tuple[str, ...], min_size: int = 0):  # type: ignore[no-untyped-def]
    return st.lists(st.sampled_from(items), min_size=min_size, unique=True).map(frozenset)


def half_hours(lo: int, hi: int):  # type: ignore[no-untyped-def]
    return st.integers(lo, hi).map(lambda n: time(n // 2, 30 * (n % 2)))


@st.composite
def weeks(draw):  # type: ignore[no-untyped-def]
    days = []
    for weekday in range(7):
        if draw(st.integers(0, 5)) == 0:
            continue
        start = draw(half_hours(0, 24))
        end = draw(st.one_of(half_hours(26, 47), st.just(time(0))))
        types = draw(subset(TYPES, 1))
        place = draw(st.sampled_from([NORTH.id, NORTH.id, SOUTH.id, None]))
        days.append(ScheduleDay(weekday, start, end, types, place, draw(st.integers(0, 9)) > 0))
    return tuple(days)


LEVELS = (  # advisor priority rules: the default and the vendor's examples, and some without Local
    DEFAULT_PRIORITY_LEVELS,
    (
        PriorityLevel("Explicit"),
        PriorityLevel("Local"),
        PriorityLevel("ServiceGroup", "prio-1"),
        PriorityLevel("ServiceGroup", "VIP"),
        PriorityLevel("ServiceGroup"),
    ),
    (
        PriorityLevel("Explicit"),
        PriorityLevel("ServiceGroup", "vip"),
        PriorityLevel("Local"),
        PriorityLevel("ServiceGroup"),
    ),
    (PriorityLevel("ServiceGroup", "prio-1"), PriorityLevel("Explicit")),
    (PriorityLevel("Local"), PriorityLevel("ServiceGroup"), PriorityLevel("Explicit")),
)


def org():  # type: ignore[no-untyped-def]
    return st.builds(
        OrgFacts,
        opening_time=st.sampled_from([time(0), time(7), time(9)]),
        closing_time=st.sampled_from([time(16), time(23, 30), time(0)]),
        max_days_ahead=st.integers(1, 4),
        default_meeting_minutes=st.sampled_from([30, 60]),
        buffer_before_minutes=st.sampled_from([10, 0, 15]),
        buffer_after_minutes=st.sampled_from([5, 0, 30]),
        min_notice_minutes=st.sampled_from([60, 0, 1, 150, 600, 0]),
        max_meeting_minutes_per_day=st.sampled_from([None, 60, 90, 180, 0, None]),
        priority_levels=st.sampled_from(LEVELS),
    )


def advisors():  # type: ignore[no-untyped-def]
    return st.tuples(
        *(
            st.builds(
                EmployeeFacts,
                st.just(i),
                can_be_booked=st.integers(0, 11).map(bool),
                only_explicitly_available=st.integers(0, 4).map(lambda n: n == 0),
                max_meeting_minutes_per_day=st.sampled_from([None, 60, None, 120, 0, None, None]),
                topic_ids=st.sampled_from([frozenset()] * 3 + [frozenset({"t1"})]),
                customer_type_ids=st.sampled_from([frozenset()] * 3 + [frozenset({"c1"})]),
                schedule=weeks(),
            )
            for i in IDS
        )
    )


def service_groups():  # type: ignore[no-untyped-def]
    group = st.builds(
        ServiceGroupFacts,
        st.sampled_from(["s1", "s2"]),
        topic_ids=subset(("t1", "t2")),
        customer_type_ids=subset(("c1",)),
        customer_locations=st.sampled_from([(), ("copenhagen",), ("Aarhus",)]),
        meeting_types=subset(TYPES),
        location_ids=subset((NORTH.id, SOUTH.id)),
        employee_ids=subset(IDS),
        competence_group_ids=subset(("g1", "g2")),
        max_meeting_minutes_per_day=st.sampled_from([None, None, 0, 60, 150]),
        label=st.sampled_from([None, None, "prio-1", "VIP"]),
    )
    return st.lists(group, max_size=2, unique_by=lambda g: g.id).map(tuple)


def competence_groups():  # type: ignore[no-untyped-def]
    return st.tuples(
        st.builds(
            CompetenceGroupFacts,
            st.just("g1"),
            member_ids=subset(IDS),
            topic_ids=st.sampled_from([frozenset()] * 2 + [frozenset({"t1"})]),
            customer_type_ids=st.sampled_from([frozenset()] * 3 + [frozenset({"c1"})]),
        ),
        st.builds(
            CompetenceGroupFacts, st.just("g2"), parent_id=st.just("g1"), member_ids=subset(IDS)
        ),
    ).flatmap(lambda gs: st.sampled_from([(), gs, gs[:1]]))


def instants(around: datetime, lo: int, hi: int):  # type: ignore[no-untyped-def]
    """An instant `lo`..`hi` minutes from `around`, now and then off the minute."""
    return st.tuples(st.integers(lo, hi), st.sampled_from([0, 0, 0, 1, 59])).map(
        lambda p: around + timedelta(minutes=p[0], seconds=p[1])
    )


@st.composite
def claims(draw, now: datetime):  # type: ignore[no-untyped-def]
    """Claims per resource, apart as the database keeps them (none overlapping), some holds."""
    found = []
    kept = draw(st.sampled_from(["none", "all", "some"]))
    for resource in [f"employee:{i}" for i in IDS] + [f"room:{r}" for r in ROOMS]:
        cursor = now - timedelta(minutes=draw(st.integers(0, 900)))
        for n in range(draw(st.integers(0, 5))):
            cursor += timedelta(minutes=draw(st.sampled_from([0, 15, 30, 45, 60, 300, 900])))
            end = cursor + timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90])))
            span: tuple[datetime | None, datetime | None] = (None, None)
            if kept == "all" or (kept == "some" and draw(st.booleans())):
                b, a = draw(st.sampled_from([0, 10])), draw(st.sampled_from([0, 5, 20]))
                span = (cursor - timedelta(minutes=b), end + timedelta(minutes=a))
            if draw(st.booleans()):
                meeting = draw(st.sampled_from(MEETINGS))
                found.append(ClaimFacts(resource, cursor, end, meeting, None, None, *span))
            else:
                expires = draw(instants(now, -10, 10))
                hold = f"h{n}-{resource[-2:]}"
                found.append(ClaimFacts(resource, cursor, end, None, hold, expires, *span))
            cursor = end + timedelta(minutes=30)
    return tuple(found)


@st.composite
def facts(draw, now: datetime):  # type: ignore[no-untyped-def]
    north = LocationFacts(NORTH.id, NORTH.name, NORTH.areas, draw(st.booleans()))
    rooms = (
        RoomFacts("r1", NORTH.id, name="One", can_be_booked=draw(st.integers(0, 5)) > 0),
        RoomFacts("r2", NORTH.id, name="Apple"),
        RoomFacts("r3", SOUTH.id, name="Three"),
    )
    topic = draw(
        st.one_of(
            st.none(),
            st.builds(
                TopicFacts,
                st.just("t1"),
                duration_minutes=st.sampled_from([None, 30, 45, 90]),
                meeting_types=subset(TYPES),
                customer_type_ids=st.sampled_from([frozenset()] * 3 + [frozenset({"c1"})]),
            ),
        )
    )
    busy = tuple(
        BusyFacts(
            draw(st.sampled_from(IDS)),
            start := draw(instants(now, -600, 3000)),
            start + timedelta(minutes=draw(st.integers(1, 300))),
            draw(st.sampled_from(["absence", "elsewhere", "external"])),
        )
        for _ in range(draw(st.integers(0, 4)))
    )
    closing = frozenset(
        (now + timedelta(days=draw(st.integers(0, 3)))).astimezone(TZ).date()
        for _ in range(draw(st.integers(0, 1)))
    )
    return Facts(
        org=draw(org()),
        employees=draw(advisors()),
        locations=(north, SOUTH),
        rooms=rooms,
        topic=topic,
        competence_groups=draw(competence_groups()),
        service_groups=draw(service_groups()),
        closing_days=closing,
        busy=busy,
        claims=draw(claims(now)),
    )


@st.composite
def queries(draw, now: datetime, f: Facts):  # type: ignore[no-untyped-def]
    mode = draw(st.sampled_from(["default", "pools", "joint", "default", "pools", "explicit"]))
    explicit = tuple(draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=3, unique=True)))
    pools: tuple[str, ...] = ()
    if mode == "pools":
        pools = tuple(
            draw(
                st.lists(
                    st.sampled_from(["Local", "ServiceGroup", "Explicit"]), min_size=1, unique=True
                )
            )
        )
    elif mode == "explicit":
        pools = ("Explicit",)
    meeting_ids = [c.meeting_id for c in f.claims if c.meeting_id]
    return SlotQuery(
        require_employee_participation=mode in ("joint", "default"),
        explicit_employee_ids=() if mode == "default" else explicit,
        employee_types=pools,
        start=draw(st.one_of(st.none(), instants(now, -120, 36 * 60))),
        look_forward=draw(
            st.sampled_from(
                [None, timedelta(hours=1), timedelta(hours=12), timedelta(days=1, hours=12)]
            )
        ),
        topic_id=f.topic.id if f.topic and draw(st.integers(0, 2)) == 0 else None,
        customer_type_id=draw(st.sampled_from([None] * 4 + ["c1", "c2"])),
        meeting_types=tuple(draw(st.lists(st.sampled_from(TYPES), unique=True))),
        customer_location=draw(
            st.sampled_from(["Copenhagen", None, "copenhagen", "Aarhus", "Nowhere"])
        ),
        meeting_location=draw(st.sampled_from([None, None, "Branch-North", "LOC-SOUTH"])),
        require_room=draw(st.sampled_from([None, True, False])),
        specific_room_ids=tuple(draw(st.sampled_from([[], [], [], ["r1"], ["r3", "r2"]]))),
        ignore_meeting_ids=tuple(
            draw(st.lists(st.sampled_from(meeting_ids or ["none"]), max_size=2))
        ),
        duration=draw(
            st.sampled_from(
                [
                    None,
                    timedelta(minutes=15),
                    timedelta(minutes=30),
                    timedelta(minutes=45),
                    timedelta(minutes=60),
                    timedelta(minutes=29, seconds=30),
                    timedelta(minutes=120),
                ]
            )
        ),
        is_customer_initiated=draw(st.booleans()),
        ignore_minimum_notice=draw(st.integers(0, 3)) == 0,
        best_slots=draw(st.sampled_from([None, True, False])),
    )


@st.composite
def scenarios(draw, contested: bool = False):  # type: ignore[no-untyped-def]
    """A scenario; `contested`: a best-slot search over all three pools with service groups open
    to it and non-default priority levels, so that the levels decide many winners."""
    half_hours_on = draw(st.integers(0, 120)) * 30  # often on the grid: notice ends on a start
    off_grid = draw(st.sampled_from([0, 0, 0, 1, 17, 29]))
    now = draw(
        instants(draw(st.sampled_from(BASES)), half_hours_on + off_grid, half_hours_on + off_grid)
    )
    f = draw(facts(now))
    holds = [c.reservation_id for c in f.claims if c.reservation_id]
    ignore = frozenset(draw(st.lists(st.sampled_from(holds), max_size=2))) if holds else frozenset()
    query = draw(queries(now, f))
    if contested:
        f, query = _contested(draw, f, query)
    return Scenario(f, query, now, ignore, draw(st.booleans()))


def _contested(draw, f: Facts, query: SlotQuery) -> tuple[Facts, SlotQuery]:  # type: ignore[no-untyped-def]
    """The scenario with open service groups, custom levels and a best-slot pools search for
    Online meetings, every advisor bookable and working every scheduled day, so that several
    advisors of different levels are often free at once."""
    groups = tuple(
        replace(
            g,
            topic_ids=frozenset(),
            customer_type_ids=frozenset(),
            customer_locations=(),
            meeting_types=g.meeting_types | {"Online"},
        )
        for g in f.service_groups
    )
    advisors = tuple(
        replace(
            e,
            can_be_booked=True,
            only_explicitly_available=False,
            topic_ids=frozenset(),
            customer_type_ids=frozenset(),
            schedule=tuple(
                replace(d, available=True, meeting_types=d.meeting_types | {"Online"})
                for d in e.schedule
            ),
        )
        for e in f.employees
    )
    org = replace(f.org, priority_levels=draw(st.sampled_from(LEVELS[1:])))
    pools = ("Explicit", "Local", "ServiceGroup")
    query = replace(
        query,
        require_employee_participation=False,
        employee_types=pools,
        best_slots=True,
        meeting_types=("Online",),
        topic_id=None,
        customer_type_id=None,
    )
    return replace(f, org=org, service_groups=groups, employees=advisors, topic=None), query
