"""The array form of many resources' intervals: merging and cutting windows agree with plain
Python written the obvious way, whatever the intervals (overlapping, touching, empty, far apart)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.booking.tables import Blocks, BlocksView, Table, grid_starts, ints
from app.booking.timeline import GRID

BASE = 29_540_700  # 2026-03-02 09:00 UTC in epoch minutes: realistic magnitudes
RESOURCES = 4

interval = st.tuples(
    st.integers(0, RESOURCES - 1),
    st.integers(-300, 3000),
    st.integers(-30, 600),  # length: some empty or negative
)


def reference_merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted union, touching intervals joined, empty ones dropped."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def table_of(rows: list[tuple[int, int, int]]) -> Table:
    res = ints([r for r, _, _ in rows])
    start = ints([BASE + s for _, s, _ in rows])
    return Table.merge(res, start, start + ints([n for _, _, n in rows]), RESOURCES)


@settings(max_examples=300, deadline=None)
@given(st.lists(interval, max_size=40))
def test_merging_every_resource_at_once_is_merging_each_alone(rows):
    table = table_of(rows)
    for r in range(RESOURCES):
        mine = [(BASE + s, BASE + s + n) for who, s, n in rows if who == r]
        assert table.intervals(r) == reference_merge(mine)
    assert table.res.tolist() == sorted(table.res.tolist())


window_start = st.integers(-200, 2800)


@settings(max_examples=300, deadline=None)
@given(
    blocks=st.lists(interval, max_size=30),
    windows=st.lists(
        st.tuples(st.integers(0, RESOURCES - 1), window_start, st.integers(0, 700)), max_size=12
    ),
    shift=st.integers(0, GRID - 1),
    duration=st.integers(1, 120),
    last=st.integers(0, 3600),
)
def test_grid_starts_are_the_free_grid_minutes_of_every_window(
    blocks, windows, shift, duration, last
):
    table = table_of(blocks)
    # per resource sorted and disjoint, as the engine's working windows are
    chosen: dict[int, list[tuple[int, int]]] = {}
    for r, lo, length in sorted(windows):
        mine = chosen.setdefault(r, [])
        if not mine or lo >= mine[-1][1]:
            mine.append((lo, lo + length))
    flat = [(r, BASE + lo, BASE + hi) for r, mine in chosen.items() for lo, hi in mine]
    columns = (
        ints([r for r, _, _ in flat]),
        ints([lo for _, lo, _ in flat]),
        ints([hi for _, _, hi in flat]),
        ints([shift] * len(flat)),
        ints([100 + r for r, _, _ in flat]),  # a tag per resource
    )
    starts, tags = grid_starts(table, columns, duration, BASE + last)
    want = []
    for r, lo, hi in flat:
        for t in range(lo, hi):
            fits = t + duration <= min(hi, BASE + last)
            free = all(not (s < t + duration and e > t) for s, e in table.intervals(r))
            if t % GRID == shift and fits and free:
                want.append((t, 100 + r))
    assert sorted(zip(starts.tolist(), tags.tolist(), strict=True)) == sorted(want)


def test_a_resource_reads_as_blocks_and_one_without_intervals_is_absent():
    table = Table.merge(ints([1, 1, 1]), ints([10, 0, 30]), ints([20, 10, 40]), 3)
    view = BlocksView(table, {"a": 0, "b": 1, "c": 2})
    assert view["b"] == Blocks([(0, 20), (30, 40)], [0, 30])
    assert view.get("a") is None and view.get("nobody") is None
    assert list(view) == ["b"] and len(view) == 1


def test_no_windows_and_no_intervals_give_nothing():
    empty = Table.merge(ints([]), ints([]), ints([]), 2)
    assert empty.intervals(0) == [] and empty.intervals(1) == []
    none = (ints([]),) * 5
    assert [a.tolist() for a in grid_starts(empty, none, 60, BASE)] == [[], []]
    one = (ints([0]), ints([BASE]), ints([BASE + 90]), ints([BASE % GRID]), ints([7]))
    starts, tags = grid_starts(empty, one, 60, BASE + 1000)
    assert starts.tolist() == [BASE, BASE + 30] and tags.tolist() == [7, 7]


@settings(max_examples=300, deadline=None)
@given(
    blocks=st.lists(interval, max_size=30),
    spans=st.lists(
        st.tuples(st.integers(0, RESOURCES - 1), window_start, st.integers(0, 900)), max_size=12
    ),
)
def test_covered_minutes_are_the_overlap_with_each_resources_intervals(blocks, spans):
    table = table_of(blocks)
    res = ints([r for r, _, _ in spans])
    lo = ints([BASE + s for _, s, _ in spans])
    got = table.covered(res, lo, lo + ints([n for _, _, n in spans]))
    want = [
        sum(max(0, min(e, BASE + s + n) - max(b, BASE + s)) for b, e in table.intervals(r))
        for r, s, n in spans
    ]
    assert got.tolist() == want
