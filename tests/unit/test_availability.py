"""Example-based tests of the pure availability engine, one rule at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.booking.errors import InvalidRequest, NotFound
from app.booking.facts import (
    BusyFacts,
    ClaimFacts,
    CompetenceGroupFacts,
    OrgFacts,
    RoomFacts,
    ServiceGroupFacts,
    TopicFacts,
)
from tests.unit.engine_helpers import (
    NORTH,
    NOW,
    SOUTH,
    advisor,
    clock_times,
    facts,
    hold,
    local,
    meeting,
    query,
    run,
    week,
)

DAY_SLOTS = [f"{h:02d}:{m:02d}" for h in range(8, 15) for m in (0, 30)] + ["15:00"]


def test_a_free_day_offers_every_half_hour_that_fits_a_60_minute_meeting():
    assert clock_times(run(query(), facts())) == DAY_SLOTS


def test_a_window_starting_at_09_07_gives_a_first_start_of_09_30():
    slots = run(query(start=local(2, 9, 7)), facts())
    assert clock_times(slots)[0] == "09:30"


def test_slots_overlap_so_a_45_minute_meeting_in_0930_to_1200_gives_four_starts():
    f = facts(employees=(advisor("e1", schedule=week(time(9, 30), time(12, 0))),))
    slots = run(query(duration=timedelta(minutes=45)), f)
    assert clock_times(slots) == ["09:30", "10:00", "10:30", "11:00"]
    assert all(s.end - s.start == timedelta(minutes=45) for s in slots)


def test_the_duration_is_the_querys_else_the_topics_else_the_organisations():
    f = facts(topic=TopicFacts("t1", duration_minutes=30))
    assert run(query(topic_id="t1"), f)[0].end - NOW == timedelta(minutes=30)
    assert run(query(), facts())[0].end - NOW == timedelta(minutes=60)
    q = query(topic_id="t1", duration=timedelta(minutes=90))
    assert run(q, f)[0].end - NOW == timedelta(minutes=90)


def test_a_meeting_blocks_its_time_widened_by_the_buffers():
    org = OrgFacts(
        opening_time=time(7),
        closing_time=time(20),
        buffer_before_minutes=15,
        buffer_after_minutes=15,
    )
    f = facts(org=org, claims=(meeting("e1", local(2, 11)),))
    times = clock_times(run(query(), f))
    assert "09:30" in times and "10:00" not in times and "12:00" not in times
    assert "12:30" in times


def test_a_slot_keeps_its_own_buffer_after_clear_of_a_later_meeting():
    """Issue 9: with 15 minutes after every meeting, 13:00-14:00 would end right where a 14:00
    meeting starts, leaving no buffer: it is not offered; 12:30-13:30 (+15) still is."""
    org = OrgFacts(opening_time=time(7), closing_time=time(20), buffer_after_minutes=15)
    f = facts(org=org, claims=(meeting("e1", local(2, 14)),))
    times = clock_times(run(query(), f))
    assert "12:30" in times and "13:00" not in times and "15:00" not in times


def test_buffers_before_and_after_add_up_between_two_meetings():
    """10 minutes before and 15 after: a meeting ending 12:00 and the next one keep 25 minutes."""
    org = OrgFacts(
        opening_time=time(7),
        closing_time=time(20),
        buffer_before_minutes=10,
        buffer_after_minutes=15,
    )
    f = facts(org=org, claims=(meeting("e1", local(2, 11)),))
    times = clock_times(run(query(), f))
    assert "12:00" not in times and "12:30" in times  # 12:00 - 10 < 12:00 + 15; 12:20 >= 12:15
    assert "10:00" not in times and "09:30" in times  # 10:00-11:00 + 15 overlaps 10:50


def test_a_claim_keeps_the_buffers_it_was_made_with():
    """A meeting booked under 30-minute buffers keeps them after the organisation drops them."""
    start = local(2, 11)
    kept = meeting(
        "e1",
        start,
        blocked_from=start - timedelta(minutes=30),
        blocked_until=start + timedelta(minutes=90),
    )
    times = clock_times(run(query(), facts(claims=(kept,))))
    assert "12:00" not in times and "12:30" in times
    assert "10:00" not in times and "09:30" in times


def test_a_room_keeps_the_buffers_between_two_meetings_too():
    org = OrgFacts(opening_time=time(7), closing_time=time(20), buffer_after_minutes=15)
    f = facts(org=org, rooms=(ROOM_A,), claims=(_room_claim("room-a", local(2, 14)),))
    slots = clock_times(run(query(meeting_types=("Physical",), require_room=True), f))
    assert "13:00" not in slots and "15:00" not in slots and "12:30" in slots


def test_a_live_hold_blocks_and_an_expired_one_does_not():
    live = facts(claims=(hold("e1", local(2, 10), expires=NOW + timedelta(minutes=5)),))
    gone = facts(claims=(hold("e1", local(2, 10), expires=NOW),))
    assert "10:00" not in clock_times(run(query(), live))
    assert "10:00" in clock_times(run(query(), gone))


def test_ignore_meeting_ids_frees_the_time_of_the_meeting_being_moved():
    claim = meeting("e1", local(2, 10), meeting_id="m1")
    f = facts(claims=(claim,))
    assert "10:00" not in clock_times(run(query(), f))
    assert "10:00" in clock_times(run(query(ignore_meeting_ids=("m1",)), f))


def test_a_busy_time_blocks_every_meeting_type():
    f = facts(busy=(BusyFacts("e1", local(2, 8), local(2, 12)),))
    assert clock_times(run(query(), f))[0] == "12:00"


def test_working_from_elsewhere_blocks_physical_meetings_only():
    f = facts(busy=(BusyFacts("e1", local(2, 8), local(2, 12), kind="elsewhere"),))
    online = run(query(meeting_types=("Online",)), f)
    physical = run(query(meeting_types=("Physical",)), f)
    assert clock_times(online)[0] == "08:00"
    assert clock_times(physical)[0] == "12:00"


def test_a_closing_day_offers_nothing_to_anyone():
    f = facts(closing_days=frozenset({date(2026, 3, 2)}))
    assert run(query(), f) == []


def test_the_organisations_opening_hours_cut_the_advisors_window():
    org = OrgFacts(opening_time=time(10), closing_time=time(12))
    assert clock_times(run(query(), facts(org=org))) == ["10:00", "10:30", "11:00"]


def test_minimum_notice_counts_only_working_hours():
    org = OrgFacts(opening_time=time(7), closing_time=time(20), min_notice_minutes=120)
    now = local(2, 15)
    q = query(
        start=now, look_forward=timedelta(days=2), is_customer_initiated=True, best_slots=False
    )
    slots = run(q, facts(org=org), now=now)
    assert slots[0].start == local(3, 9)


def test_minimum_notice_does_not_apply_to_staff_or_when_lifted():
    org = OrgFacts(opening_time=time(7), closing_time=time(20), min_notice_minutes=120)
    now = local(2, 9)
    staff = run(query(start=now), facts(org=org), now=now)
    lifted = run(
        query(start=now, is_customer_initiated=True, ignore_minimum_notice=True),
        facts(org=org),
        now=now,
    )
    assert staff[0].start == now and lifted[0].start == now


def test_a_slot_before_now_is_never_offered():
    now = local(2, 10, 10)
    assert run(query(start=local(2, 8)), facts(), now=now)[0].start == local(2, 10, 30)


def test_the_window_is_capped_by_the_maximum_days_ahead():
    org = OrgFacts(opening_time=time(7), closing_time=time(20), max_days_ahead=1)
    slots = run(query(look_forward=timedelta(days=7)), facts(org=org))
    assert slots and max(s.start for s in slots) < NOW + timedelta(days=1)


def _capped(cap_org=None, cap_emp=None, groups=()):  # type: ignore[no-untyped-def]
    org = OrgFacts(opening_time=time(7), closing_time=time(20), max_meeting_minutes_per_day=cap_org)
    emp = advisor("e1", max_meeting_minutes_per_day=cap_emp)
    claims = (meeting("e1", local(2, 8), 90),)
    return facts(org=org, employees=(emp,), claims=claims, service_groups=groups)


@pytest.mark.parametrize(
    ("org_cap", "emp_cap", "group_caps", "offered"),
    [
        (None, None, (), True),
        (120, None, (), False),
        (150, None, (), True),
        (120, 150, (), True),
        (150, 120, (), False),
        (120, None, (100, 180), True),
        (None, None, (100,), False),
        (None, 0, (), False),  # a cap of nothing, or less, allows no meeting at all
        (None, -5, (), False),
    ],
)
def test_the_daily_cap_takes_the_advisors_else_the_most_generous_groups_else_the_orgs(
    org_cap, emp_cap, group_caps, offered
):
    groups = tuple(
        ServiceGroupFacts(f"g{i}", employee_ids=frozenset({"e1"}), max_meeting_minutes_per_day=c)
        for i, c in enumerate(group_caps)
    )
    f = _capped(org_cap, emp_cap, groups)
    pool = {"require_employee_participation": False, "employee_types": ("Explicit",)}
    for best in (False, True):  # the named advisor, and a pool of one: both ways of the engine
        assert bool(run(query(is_customer_initiated=True, best_slots=best), f)) is offered
        assert bool(run(query(is_customer_initiated=True, best_slots=best, **pool), f)) is offered
    assert run(query(), f)  # staff bookings ignore the cap


def test_a_topic_listed_by_another_advisor_excludes_the_unskilled_one():
    f = facts(employees=(advisor("e1"), advisor("e2", topic_ids=frozenset({"t1"}))))
    q = query(
        topic_id="t1",
        require_employee_participation=False,
        employee_types=("Explicit",),
        explicit_employee_ids=("e1", "e2"),
    )
    assert {s.employee_id for s in run(q, f)} == {"e2"}


def test_a_topic_nobody_lists_is_open_to_everyone():
    f = facts(employees=(advisor("e1"), advisor("e2")))
    q = query(
        topic_id="t9",
        require_employee_participation=False,
        employee_types=("Explicit",),
        explicit_employee_ids=("e1", "e2"),
    )
    assert {s.employee_id for s in run(q, f)} == {"e1", "e2"}


def test_members_of_a_subgroup_qualify_for_the_parent_groups_topics():
    groups = (
        CompetenceGroupFacts("root", topic_ids=frozenset({"t1"})),
        CompetenceGroupFacts("mid", parent_id="root"),
        CompetenceGroupFacts("leaf", parent_id="mid", member_ids=frozenset({"e2"})),
    )
    f = facts(employees=(advisor("e1"), advisor("e2")), competence_groups=groups)
    q = query(
        topic_id="t1",
        require_employee_participation=False,
        employee_types=("Explicit",),
        explicit_employee_ids=("e1", "e2"),
    )
    assert {s.employee_id for s in run(q, f)} == {"e2"}


def test_the_customer_type_is_qualified_like_the_topic():
    f = facts(employees=(advisor("e1", customer_type_ids=frozenset({"biz"})), advisor("e2")))
    q = query(
        customer_type_id="biz",
        require_employee_participation=True,
        explicit_employee_ids=(),
        customer_location="copenhagen",
    )
    assert {s.employee_id for s in run(q, f)} == {"e1"}


def test_an_advisor_who_cannot_be_booked_is_never_offered():
    f = facts(employees=(advisor("e1", can_be_booked=False),))
    assert run(query(), f) == []


def test_local_pool_matches_the_customer_location_case_insensitively():
    f = facts(employees=(advisor("e1"), advisor("e2", schedule=week(location=SOUTH.id))))
    q = query(explicit_employee_ids=(), customer_location="COPENHAGEN", meeting_types=("Physical",))
    assert {s.employee_id for s in run(q, f)} == {"e1"}


def test_only_explicitly_available_advisors_are_offered_only_when_named():
    f = facts(employees=(advisor("e1", only_explicitly_available=True),))
    local_q = query(explicit_employee_ids=(), meeting_location="Branch-North")
    assert run(local_q, f) == []
    assert run(query(), f)


def test_a_meeting_location_no_branch_knows_is_free_text_that_defaults_to_the_customers():
    copenhagen = query(customer_location="Copenhagen", meeting_types=("Physical",))
    free_text = query(
        customer_location="Copenhagen", meeting_location="Atlantis", meeting_types=("Physical",)
    )
    assert run(free_text, facts()) == run(copenhagen, facts())
    assert run(query(meeting_location="Atlantis"), facts()) == run(query(), facts())


def test_participation_false_needs_at_least_one_employee_type():
    with pytest.raises(InvalidRequest) as err:
        run(query(require_employee_participation=False), facts())
    assert err.value.field == "employeeTypes"


def test_a_service_group_offers_its_members_for_its_meeting_types_and_activation_rules():
    group = ServiceGroupFacts(
        "remote",
        topic_ids=frozenset({"t1"}),
        meeting_types=frozenset({"Online"}),
        employee_ids=frozenset({"e2"}),
    )
    emps = (advisor("e1"), advisor("e2", schedule=week(location=SOUTH.id)))
    f = facts(employees=emps, service_groups=(group,))
    base = dict(explicit_employee_ids=(), customer_location="Copenhagen")
    online = run(query(topic_id="t1", **base), f)
    assert {s.employee_id for s in online} == {"e1", "e2"}
    assert {s.employee_id for s in run(query(topic_id="t2", **base), f)} == {"e1"}
    physical = run(query(topic_id="t1", meeting_types=("Physical",), **base), f)
    assert {s.employee_id for s in physical} == {"e1"}


def test_a_joint_meeting_needs_every_listed_advisor_free_and_names_them_all():
    f = facts(employees=(advisor("e1"), advisor("e2")), claims=(meeting("e2", local(2, 9)),))
    slots = run(query(explicit_employee_ids=("e1", "e2")), f)
    assert all(s.employee_ids == ("e1", "e2") for s in slots)
    assert "09:00" not in clock_times(slots) and "08:30" not in clock_times(slots)
    assert "08:00" in clock_times(slots) and "10:00" in clock_times(slots)


def test_best_slots_prefer_explicit_then_local_then_service_group():
    group = ServiceGroupFacts(
        "sg", meeting_types=frozenset({"Online"}), employee_ids=frozenset({"a3"})
    )
    emps = (advisor("a1"), advisor("a2"), advisor("a3", schedule=week(location=SOUTH.id)))
    f = facts(employees=emps, service_groups=(group,))
    q = query(
        require_employee_participation=False,
        explicit_employee_ids=("a2",),
        employee_types=("Explicit", "Local", "ServiceGroup"),
        customer_location="Copenhagen",
        best_slots=True,
    )
    assert {s.employee_id for s in run(q, f)} == {"a2"}
    q2 = query(
        require_employee_participation=False,
        employee_types=("ServiceGroup", "Local"),
        explicit_employee_ids=(),
        customer_location="Copenhagen",
        best_slots=True,
    )
    assert {s.employee_id for s in run(q2, f)} == {"a1"}


def test_best_slots_spread_the_load_to_the_advisor_with_fewest_booked_minutes():
    f = facts(employees=(advisor("a1"), advisor("a2")), claims=(meeting("a1", local(2, 15)),))
    q = query(explicit_employee_ids=(), customer_location="Copenhagen", best_slots=True)
    slots = run(q, f)
    assert {s.employee_id for s in slots} == {"a2"}
    assert len(slots) == len(DAY_SLOTS)


def test_without_best_slots_every_advisor_gets_a_slot_per_start_sorted_by_start_type_advisor():
    f = facts(employees=(advisor("a2"), advisor("a1")))
    q = query(
        explicit_employee_ids=(),
        customer_location="Copenhagen",
        meeting_types=("Physical", "Online"),
    )
    slots = run(q, f)
    assert [(s.meeting_type, s.employee_id) for s in slots[:4]] == [
        ("Online", "a1"),
        ("Online", "a2"),
        ("Physical", "a1"),
        ("Physical", "a2"),
    ]
    assert slots == sorted(slots, key=lambda s: (s.start, s.meeting_type, s.employee_id))


def test_a_topic_only_offers_its_own_meeting_types():
    f = facts(topic=TopicFacts("t1", meeting_types=frozenset({"Online"})))
    slots = run(query(topic_id="t1", meeting_types=()), f)
    assert {s.meeting_type for s in slots} == {"Online"}


ROOM_A = RoomFacts("room-a", NORTH.id, name="A")
ROOM_B = RoomFacts("room-b", NORTH.id, name="B")


def _room_claim(room: str, start: datetime) -> ClaimFacts:
    return ClaimFacts(f"room:{room}", start, start + timedelta(hours=1), meeting_id="mr")


def test_a_required_room_must_be_free_and_the_slot_carries_it():
    f = facts(rooms=(ROOM_A,), claims=(_room_claim("room-a", local(2, 10)),))
    slots = run(query(meeting_types=("Physical",), require_room=True), f)
    assert "10:00" not in clock_times(slots) and "09:30" not in clock_times(slots)
    assert {s.room_id for s in slots} == {"room-a"}


def test_the_next_free_room_is_chosen_when_the_first_is_taken():
    f = facts(rooms=(ROOM_A, ROOM_B), claims=(_room_claim("room-a", local(2, 10)),))
    slots = {
        clock_times([s])[0]: s
        for s in run(query(meeting_types=("Physical",), require_room=True), f)
    }
    assert slots["10:00"].room_id == "room-b" and slots["08:00"].room_id == "room-a"


def test_the_branch_default_makes_a_room_required_for_physical_meetings():
    branch = NORTH.__class__(NORTH.id, NORTH.name, NORTH.areas, require_room=True)
    f = facts(locations=(branch,))
    assert run(query(meeting_types=("Physical",)), f) == []
    assert run(query(meeting_types=("Online",)), f)


def test_a_branch_that_requires_a_room_offers_no_physical_time_without_one_whoever_asks():
    branch = NORTH.__class__(NORTH.id, NORTH.name, NORTH.areas, require_room=True)
    f = facts(locations=(branch,), rooms=(ROOM_A,))
    assert run(query(meeting_types=("Physical",), require_room=False), f) == []
    staff = query(meeting_types=("Physical",), require_room=False, is_customer_initiated=True)
    assert run(staff, f) == []
    assert {s.room_id for s in run(query(meeting_types=("Physical",)), f)} == {"room-a"}
    assert run(query(meeting_types=("Online",), require_room=False), f)


def test_an_optional_room_is_attached_when_free_and_left_out_when_not():
    f = facts(rooms=(ROOM_A,), claims=(_room_claim("room-a", local(2, 10)),))
    slots = {clock_times([s])[0]: s for s in run(query(meeting_types=("Physical",)), f)}
    assert slots["08:00"].room_id == "room-a" and slots["10:00"].room_id is None


def test_online_meetings_need_no_room_unless_specific_rooms_are_named():
    f = facts(rooms=(ROOM_A,), claims=(_room_claim("room-a", local(2, 10)),))
    plain = run(query(require_room=True), f)
    named = run(query(specific_room_ids=("room-a",)), f)
    assert {s.room_id for s in plain} == {None} and "10:00" in clock_times(plain)
    assert {s.room_id for s in named} == {"room-a"} and "10:00" not in clock_times(named)


def test_summer_time_moves_nine_oclock_from_08z_to_07z():
    f = facts(employees=(advisor("e1", schedule=week(time(9), time(10))),))
    winter = run(query(start=datetime(2026, 3, 27, tzinfo=UTC), look_forward=timedelta(days=4)), f)
    assert [s.start.hour for s in winter] == [8, 7]


def test_spring_forward_sunday_skips_the_missing_hour_without_losing_another():
    sunday = week(time(0), time(6), days=(6,))
    f = facts(
        org=OrgFacts(opening_time=time(0), closing_time=time(23)),
        employees=(advisor("e1", schedule=sunday),),
    )
    q = query(
        start=datetime(2026, 3, 28, 12, tzinfo=UTC),
        look_forward=timedelta(days=1),
        duration=timedelta(minutes=30),
    )
    assert clock_times(run(q, f, now=q.start)) == [
        "00:00",
        "00:30",
        "01:00",
        "01:30",
        "03:00",
        "03:30",
        "04:00",
        "04:30",
        "05:00",
        "05:30",
    ]


def test_fall_back_sunday_offers_both_real_half_hours_of_the_repeated_hour():
    sunday = week(time(0), time(4), days=(6,))
    f = facts(
        org=OrgFacts(opening_time=time(0), closing_time=time(23)),
        employees=(advisor("e1", schedule=sunday),),
    )
    q = query(
        start=datetime(2026, 10, 24, 12, tzinfo=UTC),
        look_forward=timedelta(days=1),
        duration=timedelta(minutes=30),
    )
    slots = run(q, f, now=q.start)
    assert clock_times(slots) == [
        "00:00",
        "00:30",
        "01:00",
        "01:30",
        "02:00",
        "02:30",
        "02:00",
        "02:30",
        "03:00",
        "03:30",
    ]
    assert len({s.start for s in slots}) == len(slots) == 10


def test_an_explicit_advisor_who_does_not_exist_is_not_found():
    with pytest.raises(NotFound) as err:
        run(query(explicit_employee_ids=("ghost",)), facts())
    assert err.value.kind == "employee"


def test_a_zone_whose_offset_moves_by_a_quarter_hour_still_starts_on_local_half_hours():
    from zoneinfo import ZoneInfo

    kathmandu = ZoneInfo("Asia/Kathmandu")  # +05:30 until 1986-01-01 00:00, then +05:45
    org = OrgFacts(
        time_zone="Asia/Kathmandu", max_days_ahead=3, opening_time=time(0), closing_time=time(0)
    )
    wednesday = week(time(0), time(0), days=(2,))
    start = datetime(1985, 12, 31, 12, tzinfo=UTC)
    q = query(start=start, look_forward=timedelta(days=2), duration=timedelta(minutes=30))
    slots = run(q, facts(org=org, employees=(advisor("e1", schedule=wednesday),)), now=start)
    local = [s.start.astimezone(kathmandu) for s in slots]
    assert all(t.minute % 30 == 0 and t.second == 0 for t in local)
    assert {t.date() for t in local} == {date(1986, 1, 1)}
    assert len(local) == 47  # 00:00 never happened that day: the clocks jumped to 00:15


def test_the_grid_keeps_local_half_hours_across_an_offset_change_inside_the_interval():
    from zoneinfo import ZoneInfo

    from app.booking.timeline import Calendar, floor_minute

    cal = Calendar("Asia/Kathmandu")
    lo = floor_minute(datetime(1985, 12, 31, 17, 0, tzinfo=UTC))  # 22:30 at +05:30
    hi = floor_minute(datetime(1985, 12, 31, 20, 0, tzinfo=UTC))  # 01:45 at +05:45
    starts = [
        cal.instant(m).astimezone(ZoneInfo("Asia/Kathmandu")) for m in cal.grid_starts(lo, hi, 30)
    ]
    assert [t.strftime("%H:%M") for t in starts] == ["22:30", "23:00", "23:30", "00:30", "01:00"]
