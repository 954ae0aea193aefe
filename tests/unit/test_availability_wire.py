"""The availability answer written straight from the engine's rows is byte for byte the JSON of
the `Slot` path (`slots_payload` + orjson)."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from app.api.routes_availability import rows_body, slots_payload
from app.booking.availability import SlotRows
from app.booking.query import Slot

MINUTE = int(datetime(2026, 3, 2, 7, 0, tzinfo=UTC).timestamp() // 60)
ROWS = [
    (MINUTE, "Physical", "e1", None),
    (MINUTE, "Physical", "e2", "room-1"),
    (MINUTE + 30, "Online", 'quote"and\\back', None),
    (MINUTE + 30, "Physical", "æøå-日本", 'r"2'),
    (MINUTE + 60, "Physical", "e1", None),
]


@pytest.mark.parametrize("joint", [(), ("e1", "e2")])
@pytest.mark.parametrize("topic", [None, "topic-1"])
@pytest.mark.parametrize("duration", [45, 60])
def test_the_rows_body_is_the_json_of_the_slot_payload(joint, topic, duration):
    rows = SlotRows.of(ROWS, duration, topic, joint)
    expected = orjson.dumps(slots_payload(list(rows)))
    assert rows_body(rows) == expected


def test_an_empty_answer_is_an_empty_array():
    assert rows_body(SlotRows.of([], 60, None, ())) == b"[]"


def test_slot_rows_behave_as_the_sorted_list_of_slots():
    lone = SlotRows.of(ROWS, 60, "t", ("e1", "e2"))
    assert lone[-1] == list(lone)[-1] and lone[0].employee_ids == ("e1", "e2")
    rows = SlotRows.of(ROWS, 60, "t", ())
    first_alone = rows[2]  # before anything built them all
    slots = list(rows)
    assert first_alone == slots[2]
    assert len(rows) == 5 and rows == slots and rows[1:3] == slots[1:3]
    assert rows[0] == Slot(
        datetime(2026, 3, 2, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        "Physical",
        "e1",
        ("e1",),
        None,
        "t",
    )
    assert rows[3].employee_ids == ("æøå-日本",) and rows[3].room_id == 'r"2'
    assert not SlotRows.of([], 60, None, ()) and rows != slots[:4]
