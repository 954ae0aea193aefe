"""Slots as small integers: the tags sort like (meeting type, advisor), the best-slot choice picks
the best pool, then the lightest day, then the advisor id, and the rows read back as the same slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.booking.slot_rows import Found, SlotCodec, SlotRows, best_rows

MINUTE = int(datetime(2026, 3, 2, 7, 0, tzinfo=UTC).timestamp() // 60)
TYPES = ("Physical", "Online", "Telephone")
ADVISORS = ("b-advisor", "a-advisor", "c-advisor")
ROOMS = ("room-2", "room-1")


def test_a_tag_reads_back_as_its_meeting_type_advisor_and_room():
    codec = SlotCodec(TYPES, ADVISORS, ROOMS)
    for mtype in TYPES:
        for emp in ADVISORS:
            for room in (None, *ROOMS):
                assert codec.label(codec.tag(mtype, emp, room)) == (mtype, emp, room)


def test_tags_sort_by_meeting_type_then_advisor():
    codec = SlotCodec(TYPES, ADVISORS, ROOMS)
    pairs = [(t, e) for t in TYPES for e in ADVISORS]
    by_tag = sorted(pairs, key=lambda p: codec.tag(*p))
    assert by_tag == sorted(pairs)


@pytest.mark.parametrize(
    ("candidates", "winner"),
    [
        # (advisor, priority, load): the best pool wins whatever the load or the id
        ([("a-advisor", 2, 0), ("c-advisor", 1, 900)], "c-advisor"),
        # same pool: the lightest day wins
        ([("a-advisor", 1, 120), ("b-advisor", 1, 60), ("c-advisor", 1, 90)], "b-advisor"),
        # same pool and load: the smallest advisor id wins
        ([("c-advisor", 0, 60), ("b-advisor", 0, 60)], "b-advisor"),
        # a day's load has no ceiling: 5000 minutes still orders above 4999
        ([("a-advisor", 1, 5000), ("b-advisor", 1, 4999)], "b-advisor"),
        # a configured priority level beyond the three pools still orders
        ([("a-advisor", 7, 0), ("b-advisor", 6, 300)], "b-advisor"),
    ],
)
def test_the_best_candidate_per_meeting_type_is_the_best_pool_then_lightest_then_first(
    candidates, winner
):
    codec = SlotCodec(TYPES, ADVISORS, ROOMS, best=True)
    rows = [candidate(codec, "Online", prio, load, emp) for emp, prio, load in candidates]
    rows.append(candidate(codec, "Physical", 2, 0, "c-advisor"))  # another meeting type
    assert [codec.label(t) for t in best_of(codec, rows)] == [
        ("Online", winner, None),
        ("Physical", "c-advisor", None),
    ]


def test_the_best_choice_keeps_the_room_of_the_winner():
    codec = SlotCodec(TYPES, ADVISORS, ROOMS, best=True)
    rows = [
        candidate(codec, "Physical", 1, 30, "a-advisor", "room-1"),
        candidate(codec, "Physical", 1, 60, "b-advisor", "room-2"),
    ]
    assert [codec.label(t) for t in best_of(codec, rows)] == [("Physical", "a-advisor", "room-1")]


def test_best_rows_choose_per_start_and_meeting_type_sorted_by_start():
    codec = SlotCodec(TYPES, ADVISORS, ROOMS, best=True)
    rows = [
        (MINUTE + 30, *candidate(codec, "Online", 0, 0, "c-advisor")[1:]),
        candidate(codec, "Online", 1, 0, "a-advisor"),
        candidate(codec, "Online", 0, 500, "c-advisor"),
    ]
    found = Found.of_rows(rows)
    assert found.start[best_rows(found)].tolist() == [MINUTE, MINUTE + 30]
    assert found.advisor[best_rows(found)].tolist() == [codec.employee_rank["c-advisor"]] * 2


def candidate(
    codec: SlotCodec, mtype: str, priority: int, load: int, emp: str, room: str | None = None
) -> tuple[int, int, int, int, int, int]:
    """A `Found` row at MINUTE."""
    return (
        MINUTE,
        codec.type_rank[mtype],
        priority,
        load,
        codec.employee_rank[emp],
        codec.room_rank[room],
    )


def best_of(codec: SlotCodec, rows: list[tuple[int, int, int, int, int, int]]) -> list[int]:
    """The plain tags chosen among candidates all found at one start."""
    starts, buckets = codec.buckets([Found.of_rows(rows)])
    assert starts == [MINUTE]
    return buckets[0]


def test_slots_found_in_several_batches_come_out_by_start_then_tag():
    codec = SlotCodec(TYPES, ADVISORS, ROOMS)
    a, b, c = (candidate(codec, "Online", 0, 0, e) for e in ("a-advisor", "b-advisor", "c-advisor"))
    found = [
        Found.of_rows([(MINUTE + 30, *c[1:]), b, (MINUTE + 30, *a[1:])]),
        Found.of_rows([a]),
        Found.of_rows([]),
    ]
    ta, tb, tc = (codec.tag("Online", e) for e in ("a-advisor", "b-advisor", "c-advisor"))
    assert codec.buckets(found) == (
        [MINUTE, MINUTE + 30],
        [sorted([ta, tb]), sorted([ta, tc])],
    )
    assert codec.buckets([]) == ([], [])


def test_rows_read_back_as_the_slots_in_order_and_by_index():
    rows = [
        (MINUTE, "Online", "a-advisor", None),
        (MINUTE, "Physical", "b-advisor", "room-1"),
        (MINUTE + 30, "Online", "c-advisor", None),
    ]
    found = SlotRows.of(rows, 45, "topic-1")
    slots = list(found)
    assert len(found) == 3 and [s.employee_id for s in slots] == [
        "a-advisor",
        "b-advisor",
        "c-advisor",
    ]
    assert slots[1].room_id == "room-1" and slots[1].end - slots[1].start == timedelta(minutes=45)
    fresh = SlotRows.of(rows, 45, "topic-1")
    assert fresh[-1] == slots[-1] and fresh[1] == slots[1]  # one slot, without building them all
    with pytest.raises(IndexError):
        SlotRows.of(rows, 45, "topic-1")[3]
