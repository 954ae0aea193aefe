"""Property tests of the engine over random schedules, bookings and requests, checked against a
brute-force, minute-by-minute reference written independently here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.booking.availability import available_slots, build_context
from app.booking.explain import check_query, verdict
from app.booking.facts import (
    BusyFacts,
    ClaimFacts,
    EmployeeFacts,
    Facts,
    OrgFacts,
    RoomFacts,
    ScheduleDay,
)
from app.booking.query import Slot, SlotQuery
from app.booking.reasons import judge
from tests.unit.engine_helpers import NORTH, SOUTH, TZ

# Around both change-over Sundays of Europe/Copenhagen, and an ordinary week.
BASES = [
    datetime(2026, 3, 27, 6, 0, tzinfo=UTC),
    datetime(2026, 10, 23, 6, 0, tzinfo=UTC),
    datetime(2026, 6, 8, 6, 0, tzinfo=UTC),
]
TYPES = ("Physical", "Online")
IDS = ("a1", "a2", "a3")
ROOMS = (RoomFacts("r1", NORTH.id, name="One"), RoomFacts("r2", NORTH.id, name="Two"))


def half_hours(lo: int, hi: int):  # type: ignore[no-untyped-def]
    return st.integers(min_value=lo, max_value=hi).map(lambda n: time(n // 2, 30 * (n % 2)))


@st.composite
def schedule_days(draw):  # type: ignore[no-untyped-def]
    days = []
    for weekday in range(7):
        if draw(st.integers(0, 5)) == 0:
            continue
        start, end = draw(half_hours(6, 24)), draw(half_hours(26, 46))
        types = draw(st.sampled_from([frozenset(TYPES), frozenset(TYPES), frozenset(TYPES[:1])]))
        place = draw(st.sampled_from([NORTH.id, NORTH.id, NORTH.id, SOUTH.id, None]))
        days.append(ScheduleDay(weekday, start, end, types, place))
    return tuple(days)


@st.composite
def commitments(draw, base: datetime):  # type: ignore[no-untyped-def]
    """Non-overlapping claims per resource, as the database guarantees."""
    claims = []
    for resource in [f"employee:{i}" for i in IDS] + ["room:r1", "room:r2"]:
        cursor = base - timedelta(hours=draw(st.integers(0, 12)))
        for n in range(draw(st.integers(0, 5))):
            cursor += timedelta(minutes=draw(st.sampled_from([0, 15, 30, 45, 60, 600])))
            length = timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90])))
            if draw(st.booleans()):
                claims.append(ClaimFacts(resource, cursor, cursor + length, meeting_id=f"m{n}"))
            else:
                expires = base + timedelta(minutes=draw(st.integers(-10, 10)))
                claims.append(
                    ClaimFacts(
                        resource,
                        cursor,
                        cursor + length,
                        reservation_id=f"r{n}",
                        expires_at=expires,
                    )
                )
            cursor += length
    return tuple(claims)


@st.composite
def scenarios(draw):  # type: ignore[no-untyped-def]
    base = draw(st.sampled_from(BASES))
    now = base + timedelta(minutes=draw(st.integers(0, 48 * 60)))
    org = OrgFacts(
        opening_time=draw(st.sampled_from([time(0), time(7), time(9)])),
        closing_time=draw(st.sampled_from([time(16), time(23, 30), time(23, 30)])),
        max_days_ahead=draw(st.integers(1, 4)),
        buffer_before_minutes=draw(st.sampled_from([0, 10, 15])),
        buffer_after_minutes=draw(st.sampled_from([0, 5, 30])),
        min_notice_minutes=draw(st.sampled_from([0, 0, 60, 150])),
        max_meeting_minutes_per_day=draw(st.sampled_from([None, None, 90, 180])),
    )
    employees = tuple(
        EmployeeFacts(
            i,
            can_be_booked=draw(st.integers(0, 5)) > 0 or i == "a1",
            only_explicitly_available=draw(st.booleans()) and i == "a3",
            max_meeting_minutes_per_day=draw(st.sampled_from([None, None, 120])),
            schedule=draw(schedule_days()),
        )
        for i in IDS
    )
    busy = tuple(
        BusyFacts(
            draw(st.sampled_from(IDS)),
            start := now + timedelta(minutes=draw(st.integers(-600, 3000))),
            start + timedelta(minutes=draw(st.integers(15, 300))),
            draw(st.sampled_from(["absence", "elsewhere"])),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    closing = frozenset(
        (now + timedelta(days=draw(st.integers(0, 3)))).astimezone(TZ).date()
        for _ in range(draw(st.integers(0, 1)))
    )
    facts = Facts(
        org=org,
        employees=employees,
        locations=(NORTH, SOUTH),
        rooms=ROOMS,
        closing_days=closing,
        busy=busy,
        claims=draw(commitments(base)),
    )
    return facts, draw(queries(now)), now


@st.composite
def queries(draw, now: datetime):  # type: ignore[no-untyped-def]
    mode = draw(st.sampled_from(["joint", "local", "explicit"]))
    explicit = tuple(draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=2, unique=True)))
    return SlotQuery(
        require_employee_participation=mode != "explicit",
        explicit_employee_ids=() if mode == "local" else explicit,
        employee_types=("Explicit",) if mode == "explicit" else (),
        start=now + timedelta(minutes=draw(st.integers(-120, 24 * 60))),
        look_forward=timedelta(hours=draw(st.integers(1, 48))),
        meeting_types=tuple(draw(st.lists(st.sampled_from(TYPES), min_size=1, unique=True))),
        customer_location="Copenhagen" if mode == "local" or draw(st.booleans()) else None,
        require_room=draw(st.sampled_from([None, True, False])),
        duration=timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90]))),
        is_customer_initiated=draw(st.booleans()),
        ignore_minimum_notice=draw(st.booleans()),
        best_slots=False,
    )


# ---- the brute-force reference: minute by minute, as plainly as possible ----------------------


def minute(value: datetime) -> int:
    return int(value.timestamp()) // 60


def local_of(m: int) -> datetime:
    return datetime.fromtimestamp(m * 60, UTC).astimezone(TZ)


def working(f: Facts, emp: EmployeeFacts, m: int, day: date | None = None) -> ScheduleDay | None:
    """The schedule entry that has the advisor at work during minute m (of `day`, if given)."""
    at = local_of(m)
    if (day is not None and at.date() != day) or at.date() in f.closing_days:
        return None
    for entry in emp.schedule:
        if entry.weekday == at.weekday() and entry.available:
            lo = max(entry.start, f.org.opening_time)
            hi = min(entry.end, f.org.closing_time)
            if lo <= at.time().replace(second=0) < hi:
                return entry
    return None


def live(f: Facts, claim: ClaimFacts, q: SlotQuery, now: datetime) -> bool:
    if claim.meeting_id in q.ignore_meeting_ids and claim.meeting_id:
        return False
    return claim.expires_at is None or claim.expires_at > now


def too_close(f: Facts, c: ClaimFacts, start: int, end: int) -> bool:
    """The rule: the new slot with its buffers and the commitment with its buffers overlap."""
    before, after = f.org.buffer_before_minutes, f.org.buffer_after_minutes
    return start - before < minute(c.end) + after and minute(c.start) - before < end + after


def blocked(f: Facts, emp: str, m: int, physical: bool, q: SlotQuery, now: datetime) -> bool:
    for c in f.claims:
        if c.resource == f"employee:{emp}" and live(f, c, q, now) and too_close(f, c, m, m + 1):
            return True
    for b in f.busy:
        inside = b.employee_id == emp and minute(b.start) <= m < minute(b.end)
        if inside and (b.kind != "elsewhere" or physical):
            return True
    return False


def earliest(f: Facts, emp: EmployeeFacts, q: SlotQuery, now: int) -> int:
    notice = f.org.min_notice_minutes
    if not q.is_customer_initiated or q.ignore_minimum_notice or notice == 0:
        return now
    counted, m = 0, now
    while m < now + 20 * 1440:
        if working(f, emp, m):
            counted += 1
            if counted == notice:
                return m + 1
        m += 1
    return 1 << 40


def booked(f: Facts, emp: str, day: date, q: SlotQuery, now: datetime) -> int:
    total = 0
    for c in f.claims:
        if c.resource == f"employee:{emp}" and live(f, c, q, now):
            total += sum(
                1 for m in range(minute(c.start), minute(c.end)) if local_of(m).date() == day
            )
    return total


def cap_of(f: Facts, emp: EmployeeFacts) -> int | None:
    if emp.max_meeting_minutes_per_day is not None:
        return emp.max_meeting_minutes_per_day
    return f.org.max_meeting_minutes_per_day


def advisor_ok(
    f: Facts, q: SlotQuery, emp: EmployeeFacts, t: int, dur: int, mt: str, now: datetime
):  # type: ignore[no-untyped-def]
    """The day's schedule entry when the advisor can take [t, t+dur) as `mt`, else None."""
    day = local_of(t).date()
    entry = working(f, emp, t, day)
    if entry is None or mt not in entry.meeting_types or not emp.can_be_booked:
        return None
    if mt == "Physical" and (
        entry.location_id is None or (q.customer_location and entry.location_id != NORTH.id)
    ):
        return None
    if t < earliest(f, emp, q, minute(now)):
        return None
    cap = cap_of(f, emp)
    if q.is_customer_initiated and cap is not None and booked(f, emp.id, day, q, now) + dur > cap:
        return None
    for m in range(t, t + dur):
        if working(f, emp, m, day) is None or blocked(f, emp.id, m, mt == "Physical", q, now):
            return None
    return entry


def room_for(f: Facts, q: SlotQuery, mt: str, place: str | None, t: int, dur: int, now: datetime):  # type: ignore[no-untyped-def]
    if mt != "Physical":
        return None
    rooms = [r for r in f.rooms if r.location_id == place]
    for r in sorted(rooms, key=lambda r: r.name):
        if not any(
            c.resource == f"room:{r.id}" and live(f, c, q, now) and too_close(f, c, t, t + dur)
            for c in f.claims
        ):
            return r.id
    return "-" if q.require_room else None


def reference(q: SlotQuery, f: Facts, now: datetime) -> set[tuple]:
    dur = int(q.duration.total_seconds()) // 60  # type: ignore[union-attr]
    lo = max(minute(q.start), minute(now))  # type: ignore[arg-type]
    hi = min(minute(q.start + q.look_forward), minute(now) + f.org.max_days_ahead * 1440)  # type: ignore[operator]
    emps = {e.id: e for e in f.employees}
    out = set()
    for t in range(lo, hi):
        if local_of(t).minute % 30:
            continue
        for mt in q.meeting_types:
            if q.require_employee_participation and q.explicit_employee_ids:
                groups = [q.explicit_employee_ids]
            elif q.require_employee_participation:
                groups = [(i,) for i in IDS if not emps[i].only_explicitly_available]
            else:
                groups = [(i,) for i in q.explicit_employee_ids]
            for group in groups:
                entries = [advisor_ok(f, q, emps[i], t, dur, mt, now) for i in group]
                if any(e is None for e in entries):
                    continue
                places = {e.location_id for e in entries}
                if not q.explicit_employee_ids and entries[0].location_id != NORTH.id:
                    continue  # the Local pool: at the meeting branch that day
                if mt == "Physical" and len(places) > 1:
                    continue
                room = room_for(f, q, mt, entries[0].location_id, t, dur, now)
                if room != "-":
                    out.add((t, mt, tuple(group), room))
    return out


def as_set(slots: list[Slot]) -> set[tuple]:
    return {(minute(s.start), s.meeting_type, s.employee_ids, s.room_id) for s in slots}


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(scenarios())
def test_the_engine_agrees_with_a_minute_by_minute_reference(scenario):
    f, q, now = scenario
    assert as_set(available_slots(q, f, now)) == reference(q, f, now)


@FAST
@given(scenarios())
def test_every_slot_is_on_the_grid_inside_the_window_and_free_of_widened_commitments(scenario):
    f, q, now = scenario
    horizon = now + timedelta(days=f.org.max_days_ahead)
    dur = q.duration
    for slot in available_slots(q, f, now):
        at = slot.start.astimezone(TZ)
        assert at.minute % 30 == 0 and at.second == 0
        assert now <= slot.start < horizon and slot.end - slot.start == dur
        for emp in slot.employee_ids:
            entry = working(f, {e.id: e for e in f.employees}[emp], minute(slot.start), at.date())
            assert entry is not None and slot.meeting_type in entry.meeting_types
            for m in range(minute(slot.start), minute(slot.end)):
                assert not blocked(f, emp, m, slot.meeting_type == "Physical", q, now)
        if slot.room_id:
            for c in f.claims:
                if c.resource == f"room:{slot.room_id}" and live(f, c, q, now):
                    assert not too_close(f, c, minute(slot.start), minute(slot.end))


@FAST
@given(scenarios())
def test_best_slots_pick_one_offered_slot_per_start_and_meeting_type(scenario):
    f, q, now = scenario
    every = available_slots(q, f, now)
    best = available_slots(SlotQuery(**{**q.__dict__, "best_slots": True}), f, now)
    assert set(best) <= set(every)
    assert {(s.start, s.meeting_type) for s in best} == {(s.start, s.meeting_type) for s in every}
    assert len(best) == len({(s.start, s.meeting_type) for s in best})


@FAST
@given(scenarios(), st.data())
def test_a_proposed_slot_is_accepted_exactly_when_offered_and_otherwise_explained(scenario, data):
    f, q, now = scenario
    emp = data.draw(st.sampled_from(IDS))
    mtype = data.draw(st.sampled_from(TYPES))
    grid_start = now.replace(minute=0, second=0) + timedelta(
        minutes=30 * data.draw(st.integers(-2, 150))
    )
    start = grid_start + timedelta(minutes=data.draw(st.sampled_from([0] * 9 + [10])))
    length = q.duration or timedelta(hours=1)
    proposal = check_query(
        (emp,), start, start + length, mtype, None, None, None, q.is_customer_initiated
    )
    reason = verdict(build_context(proposal, f, now), None)
    offered = any(t == minute(start) and m == mtype for t, m, _, _ in reference(proposal, f, now))
    assert (reason is None) == offered
    assert reason != "the slot is not available"  # a refusal always says which rule


@FAST
@given(scenarios(), st.data())
def test_a_joint_meeting_or_the_systems_choice_is_refused_only_with_its_reasons(scenario, data):
    """`judge` agrees with the engine for joint meetings and for the system's choice, and a time
    not offered always comes with a reason (about every advisor it could have chosen, or about the
    time or the room)."""
    f, q, now = scenario
    ids = data.draw(st.sampled_from([(), ("a1", "a2"), ("a2", "a3")]))
    start = now.replace(minute=0, second=0) + timedelta(
        minutes=30 * data.draw(st.integers(-2, 150))
    )
    proposal = SlotQuery(
        require_employee_participation=True,
        explicit_employee_ids=ids,
        start=start,
        look_forward=timedelta(minutes=1),
        duration=q.duration or timedelta(hours=1),
        meeting_types=(data.draw(st.sampled_from(TYPES)),),
        meeting_location=data.draw(st.sampled_from([None, NORTH.id])),
        is_customer_initiated=q.is_customer_initiated,
        best_slots=False,
    )
    found = judge(build_context(proposal, f, now), None, choose_room=True)
    assert bool(found.free) == any(s.start == start for s in available_slots(proposal, f, now))
    if found.free:
        return
    assert found.reasons
    if not ids and all(x.advisor is not None for x in found.reasons):  # each one it chooses from
        assert {x.advisor for x in found.reasons} == set(found.advisors)
