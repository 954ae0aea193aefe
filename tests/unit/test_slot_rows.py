"""Slots as small integers: the tags sort like (meeting type, advisor), the best-slot tags pick the
best pool, then the lightest day, then the advisor id, and the rows read back as the same slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.booking.slot_rows import LOADS, SlotCodec, SlotRows
from app.booking.tables import ints

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
        # a 25-hour day's load still orders below the limit of the encoding
        ([("a-advisor", 1, 1500), ("b-advisor", 1, 1499)], "b-advisor"),
    ],
)
def test_the_best_candidate_per_meeting_type_is_the_best_pool_then_lightest_then_first(
    candidates, winner
):
    codec = SlotCodec(TYPES, ADVISORS, ROOMS, best=True)
    tags = [codec.best_tag("Online", prio, load, emp) for emp, prio, load in candidates]
    tags.append(codec.best_tag("Physical", 2, 0, "c-advisor"))  # another meeting type
    chosen = best_of(codec, tags)
    assert [codec.label(t) for t in chosen] == [
        ("Online", winner, None),
        ("Physical", "c-advisor", None),
    ]
    assert LOADS > 1500


def test_best_tags_of_many_are_best_tag_of_each():
    codec = SlotCodec(TYPES, ADVISORS, ROOMS, best=True)
    cases = [(p, load, e) for p in (0, 1, 2) for load in (0, 45, 1500, 5000) for e in ADVISORS]
    many = codec.best_tags(
        "Online",
        ints([p for p, _, _ in cases]),
        ints([load for _, load, _ in cases]),
        ints([codec.employee_rank[e] for _, _, e in cases]),
    )
    assert many.tolist() == [codec.best_tag("Online", p, load, e) for p, load, e in cases]


def test_a_room_rank_added_to_a_best_tag_survives_the_choice():
    codec = SlotCodec(TYPES, ADVISORS, ROOMS, best=True)
    tag = codec.best_tag("Physical", 1, 30, "a-advisor") + codec.room_rank["room-1"]
    assert [codec.label(t) for t in best_of(codec, [tag])] == [("Physical", "a-advisor", "room-1")]


def best_of(codec: SlotCodec, tags: list[int]) -> list[int]:
    """The plain tags chosen among best-slot tags all found at one start."""
    starts, buckets = codec.buckets([(ints([MINUTE] * len(tags)), ints(tags))])
    assert starts == [MINUTE]
    return buckets[0]


def test_slots_found_in_several_batches_come_out_by_start_then_tag():
    codec = SlotCodec(TYPES, ADVISORS, ROOMS)
    a, b, c = (codec.tag("Online", e) for e in ("a-advisor", "b-advisor", "c-advisor"))
    found = [
        (ints([MINUTE + 30, MINUTE, MINUTE + 30]), ints([c, b, a])),
        (ints([MINUTE]), ints([a])),
        (ints([]), ints([])),
    ]
    assert codec.buckets(found) == ([MINUTE, MINUTE + 30], [sorted([a, b]), sorted([a, c])])
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
