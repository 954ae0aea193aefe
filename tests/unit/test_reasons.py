"""The engine's structured reasons (`app.booking.reasons`): every rule a proposed time breaks, with
the facts to say it in words, in the order a person checks them; and the API's first reason in the
engine's English, unchanged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from app.booking import reasons as r
from app.booking.context import build_context
from app.booking.explain import _ENGLISH, check_query, verdict
from app.booking.facts import BusyFacts, ClaimFacts, LocationFacts, RoomFacts, TopicFacts
from app.booking.query import SlotQuery
from app.booking.reasons import Reason, judge, reasons
from tests.unit.engine_helpers import NORTH, NOW, ORG, SOUTH, advisor, facts, hold, local, meeting
from tests.unit.engine_helpers import week as schedule


def ctx_for(f, start: datetime, *, ids=("e1",), minutes=60, mtype="Online", room=None, **kw):  # type: ignore[no-untyped-def]
    """The context of a proposal of `ids` at `start` (customer-initiated unless told otherwise)."""
    kw.setdefault("is_customer_initiated", True)
    q = check_query(
        ids,
        start,
        start + timedelta(minutes=minutes),
        mtype,
        room,
        kw.pop("topic_id", None),
        kw.pop("customer_type_id", None),
        kw.pop("is_customer_initiated"),
    )
    return build_context(replace(q, **kw), f, NOW)


def why(
    f, start: datetime, *, ids=("e1",), minutes=60, mtype="Online", room=None, choose=False, **kw
):  # type: ignore[no-untyped-def]
    ctx = ctx_for(f, start, ids=ids, minutes=minutes, mtype=mtype, room=room, **kw)
    end = start + timedelta(minutes=minutes)
    return reasons(ctx, ids, start, end, mtype, room, choose_room=choose)


def codes(found: list[Reason]) -> list[str]:
    return [x.code for x in found]


def test_a_free_time_breaks_no_rule():
    assert why(facts(), local(2, 10)) == []


def test_the_time_itself_past_horizon_and_grid():
    assert codes(why(facts(), local(2, 7))) == [r.PAST, r.OUTSIDE_HOURS]  # (work starts 08:00)
    far = facts(org=replace(ORG, max_days_ahead=14))
    assert why(far, local(20, 10)) == [Reason(r.HORIZON, params={"days": 14})]
    assert why(facts(), local(2, 10, 15)) == [Reason(r.OFF_GRID, params={"grid": 30})]


def test_the_topic_for_the_customer_type_and_the_meeting_type():
    topic = TopicFacts("t1", 60, frozenset({"Physical"}), frozenset({"private"}))
    found = why(facts(topic=topic), local(2, 10), topic_id="t1", customer_type_id="business")
    assert found[:2] == [
        Reason(r.TOPIC_CUSTOMER_TYPE, params={"topic": "t1", "customer_type": "business"}),
        Reason(r.TOPIC_MEETING_TYPE, params={"topic": "t1", "meeting_type": "Online"}),
    ]


def test_a_closing_day_names_its_date():
    found = why(facts(closing_days=frozenset({date(2026, 3, 3)})), local(3, 10))
    assert found == [Reason(r.CLOSED, params={"day": date(2026, 3, 3)})]


def test_an_advisor_not_bookable_or_not_skilled():
    closed = facts(employees=(advisor("e1", can_be_booked=False),))
    assert codes(why(closed, local(2, 10))) == [r.NOT_BOOKABLE]
    skilled = facts(employees=(advisor("e1"), advisor("e2", topic_ids=frozenset({"t1"}))))
    found = why(skilled, local(2, 10), topic_id="t1", customer_type_id=None)
    assert found == [
        Reason(r.NOT_QUALIFIED, "e1", {"topic": "t1", "customer_type": None}),
    ]


def test_the_week_day_off_meeting_type_place_and_hours():
    assert why(facts(), local(7, 10)) == [Reason(r.DAY_OFF, "e1", {"weekday": 5})]
    online_only = facts(employees=(advisor("e1", schedule=schedule(types=("Online",))),))
    assert codes(why(online_only, local(2, 10), mtype="Physical")) == [r.NO_MEETING_TYPE]
    south = facts(employees=(advisor("e1", schedule=schedule(location=SOUTH.id)),))
    found = why(south, local(2, 10), mtype="Physical", meeting_location=NORTH.id)
    assert found == [
        Reason(r.OTHER_PLACE, "e1", {"weekday": 0, "place": SOUTH.id, "wanted": (NORTH.id,)})
    ]
    late = why(facts(), local(2, 15, 30))
    assert late == [
        Reason(
            r.OUTSIDE_HOURS,
            "e1",
            {"weekday": 0, "place": NORTH.id, "start": local(2, 8), "end": local(2, 16)},
        )
    ]


def test_the_notice_counted_in_working_hours_and_lifted_on_request():
    f = facts(org=replace(ORG, min_notice_minutes=120))
    assert why(f, local(2, 9)) == [
        Reason(r.NOTICE, "e1", {"minutes": 120, "earliest": local(2, 10)}),
    ]
    assert why(f, local(2, 9), ignore_minimum_notice=True) == []
    assert why(f, local(2, 9), is_customer_initiated=False) == []


def test_the_daily_cap_counts_the_days_booked_minutes():
    f = facts(
        org=replace(ORG, max_meeting_minutes_per_day=90), claims=(meeting("e1", local(2, 9)),)
    )
    found = why(f, local(2, 12))
    assert found == [Reason(r.DAILY_CAP, "e1", {"cap": 90, "booked": 60, "day": date(2026, 3, 2)})]


def test_every_commitment_in_the_way_with_its_kind_and_own_time():
    f = facts(
        claims=(meeting("e1", local(2, 10)), hold("e1", local(2, 11), NOW + timedelta(minutes=5))),
        busy=(
            BusyFacts("e1", local(2, 9, 30), local(2, 10), "external"),
            BusyFacts("e1", local(2, 9), local(2, 12), "elsewhere"),
        ),
    )
    online = why(f, local(2, 9, 30), minutes=120)
    assert [(x.params["kind"], x.params["start"], x.params["label"]) for x in online] == [
        ("busy", local(2, 9, 30), "external"),
        ("meeting", local(2, 10), ""),
        ("hold", local(2, 11), ""),
    ]
    assert all(x.code == r.CLASH and x.advisor == "e1" for x in online)
    physical = why(f, local(2, 9, 30), minutes=120, mtype="Physical")
    assert "elsewhere" in [x.params["kind"] for x in physical]


def test_a_commitment_inside_the_buffer_is_too_close_with_the_minutes_kept():
    f = facts(org=replace(ORG, buffer_after_minutes=15), claims=(meeting("e1", local(2, 10)),))
    after = why(f, local(2, 11))
    assert after == [
        Reason(
            r.TOO_CLOSE,
            "e1",
            {"kind": "meeting", "start": local(2, 10), "end": local(2, 11), "label": "", "gap": 15},
        )
    ]
    before = why(f, local(2, 9))  # the new meeting's own buffer after it
    assert codes(before) == [r.TOO_CLOSE] and before[0].params["gap"] == 15
    assert codes(why(f, local(2, 10))) == [r.CLASH]  # a clash is not also too close


def test_a_joint_meeting_says_every_advisor_and_that_they_are_apart():
    f = facts(
        employees=(advisor("e1"), advisor("e2", schedule=schedule(location=SOUTH.id))),
        claims=(meeting("e1", local(2, 10)), meeting("e2", local(2, 10))),
    )
    found = why(f, local(2, 10), ids=("e1", "e2"), mtype="Physical")
    assert [(x.code, x.advisor) for x in found] == [
        (r.CLASH, "e1"),
        (r.CLASH, "e2"),
        (r.JOINT_APART, None),
    ]
    assert found[2].params == {"apart": (("e1", NORTH.id), ("e2", SOUTH.id))}


ROOMY = LocationFacts(NORTH.id, NORTH.name, NORTH.areas, require_room=True)
ROOMS = (RoomFacts("r1", NORTH.id, name="Marselisborg"), RoomFacts("r2", NORTH.id, name="Mols"))


def _roomy(*claims: ClaimFacts, rooms=ROOMS, org=ORG):  # type: ignore[no-untyped-def]
    return facts(locations=(ROOMY, SOUTH), rooms=rooms, claims=claims, org=org)


def test_a_required_room_must_be_named_or_chosen_and_one_must_be_free():
    assert why(_roomy(), local(2, 10), mtype="Physical") == [
        Reason(r.ROOM_REQUIRED, params={"place": NORTH.id})
    ]
    assert why(_roomy(), local(2, 10), mtype="Physical", choose=True) == []
    both = _roomy(
        ClaimFacts("room:r1", local(2, 10), local(2, 11), meeting_id="m1"),
        ClaimFacts("room:r2", local(2, 10), local(2, 11), meeting_id="m2"),
    )
    found = why(both, local(2, 10), mtype="Physical", choose=True)
    assert found == [Reason(r.NO_ROOM_FREE, params={"place": NORTH.id})]


def test_no_room_at_a_branch_that_requires_one_is_refused_as_a_room_required():
    found = why(_roomy(), local(2, 10), mtype="Physical", require_room=False)
    assert found == [Reason(r.ROOM_REQUIRED, params={"place": NORTH.id})]
    chose = why(_roomy(), local(2, 10), mtype="Physical", choose=True, require_room=False)
    assert chose == [Reason(r.ROOM_REQUIRED, params={"place": NORTH.id})]


def test_a_named_room_taken_too_close_or_not_bookable():
    org = replace(ORG, buffer_after_minutes=15)
    f = _roomy(ClaimFacts("room:r1", local(2, 10), local(2, 11), meeting_id="m1"), org=org)
    taken = why(f, local(2, 10, 30), mtype="Physical", room="r1")
    assert taken == [
        Reason(
            r.ROOM_TAKEN,
            params={
                "room": "r1",
                "kind": "meeting",
                "start": local(2, 10),
                "end": local(2, 11),
                "label": "",
            },
        )
    ]
    close = why(f, local(2, 11), mtype="Physical", room="r1")
    assert codes(close) == [r.ROOM_TOO_CLOSE] and close[0].params["gap"] == 15
    shut = _roomy(rooms=(RoomFacts("r1", NORTH.id, can_be_booked=False),))
    assert codes(why(shut, local(2, 10), mtype="Physical", room="r1")) == [r.ROOM_UNBOOKABLE]


def test_all_the_reasons_in_the_order_a_person_checks_them():
    f = facts(
        org=replace(ORG, min_notice_minutes=600),
        employees=(advisor("e1"), advisor("e2", topic_ids=frozenset({"t1"}))),
        claims=(meeting("e1", local(2, 15)),),
    )
    found = why(f, local(2, 15, 30), topic_id="t1")
    assert codes(found) == [r.NOT_QUALIFIED, r.OUTSIDE_HOURS, r.NOTICE, r.CLASH]


def test_judge_gives_the_offered_slot_or_the_reasons():
    free = judge(ctx_for(facts(), local(2, 10)), None)
    assert [(s.employee_ids, s.start) for s in free.free] == [(("e1",), local(2, 10))]
    assert free.reasons == ()
    busy = judge(ctx_for(facts(claims=(meeting("e1", local(2, 10)),)), local(2, 10)), None)
    assert busy.free == () and codes(list(busy.reasons)) == [r.CLASH]
    assert (busy.start, busy.end, busy.advisors) == (local(2, 10), local(2, 11), ("e1",))


def _system_choice(f, start: datetime, mtype: str = "Online"):  # type: ignore[no-untyped-def]
    q = SlotQuery(
        require_employee_participation=True,
        start=start,
        look_forward=timedelta(minutes=1),
        duration=timedelta(hours=1),
        meeting_types=(mtype,),
        meeting_location=NORTH.id,
        is_customer_initiated=True,
        best_slots=False,
    )
    return judge(build_context(q, f, NOW), None, choose_room=True)


def test_the_system_choice_explains_each_advisor_of_the_pool():
    f = facts(
        employees=(
            advisor("e1"),
            advisor("e2"),
            advisor("e3", schedule=schedule(location=SOUTH.id)),
        ),
        claims=(meeting("e1", local(2, 10)),),
        busy=(BusyFacts("e2", local(2, 10), local(2, 11)),),
    )
    found = _system_choice(f, local(2, 10), "Physical")
    assert found.advisors == ("e1", "e2")  # e3 is in Aarhus: not in the Local pool that day
    assert [(x.code, x.advisor) for x in found.reasons] == [(r.CLASH, "e1"), (r.CLASH, "e2")]
    offered = _system_choice(f, local(2, 12), "Physical")
    assert {s.employee_id for s in offered.free} == {"e1", "e2"}
    nobody = _system_choice(f, local(7, 10), "Physical")  # a Saturday: nobody is in the pool
    assert codes(list(nobody.reasons)) == [r.NO_ADVISOR]
    assert nobody.reasons[0].params == {
        "weekday": 5,
        "meeting_type": "Physical",
        "places": (NORTH.id,),
    }


@pytest.mark.parametrize("code", sorted(_ENGLISH))
def test_every_reason_has_the_engines_english(code):
    params = {"kind": "meeting", "label": "", "meeting_type": "Online"}
    assert _ENGLISH[code](Reason(code, "e1", params))


def test_the_api_still_gets_the_first_reason_in_the_same_words():
    f = facts(claims=(meeting("e1", local(2, 10)),))
    assert verdict(ctx_for(f, local(2, 10)), None) == "taken by a meeting"
    assert verdict(ctx_for(f, local(2, 7)), None) == "the slot is in the past"
    assert verdict(ctx_for(f, local(2, 12)), None) is None
    apart = facts(employees=(advisor("e1"), advisor("e2", schedule=schedule(location=SOUTH.id))))
    said = verdict(ctx_for(apart, local(2, 10), ids=("e1", "e2"), mtype="Physical"), None)
    assert said == "the advisors are at different branches that day"  # was "not available"
