"""`gc_paused` is counted across threads and nested calls: the collector resumes when the last
search ends, and only if it was running before the first one began."""

from __future__ import annotations

import gc
import threading

import pytest

from app.booking import slots
from app.booking.slots import gc_paused


@pytest.fixture(autouse=True)
def collector_restored():  # type: ignore[no-untyped-def]
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_resumes_only_when_the_last_overlapping_search_ends():
    first_in, second_in, first_may_end, second_may_end = (threading.Event() for _ in range(4))
    seen: dict[str, bool] = {}

    def first() -> None:
        with gc_paused():
            first_in.set()
            first_may_end.wait(5)
        seen["after first"] = gc.isenabled()
        second_may_end.set()

    def second() -> None:
        first_in.wait(5)
        with gc_paused():
            second_in.set()
            second_may_end.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_in.wait(5)
    assert not gc.isenabled()
    first_may_end.set()  # the first search ends while the second still runs
    for thread in threads:
        thread.join(5)
    assert seen["after first"] is False  # still paused for the second search
    assert gc.isenabled()  # resumed when the second ended


def test_nested_pauses_resume_once_at_the_outermost_end():
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_beforehand_stays_off():
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_the_collector_resumes_after_an_error():
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_searches_that_keep_overlapping_still_collect_now_and_then(monkeypatch):
    now = [100.0]
    collected: list[int] = []
    monkeypatch.setattr(slots, "_monotonic", lambda: now[0])
    monkeypatch.setattr(gc, "collect", lambda *a: collected.append(1) or 0)
    with gc_paused():  # a long search on one thread...
        for _ in range(3):  # ...while short ones start and end on others, 0.4 s apart
            now[0] += 0.4
            with gc_paused():
                pass
        assert collected == [1]  # once the collector had been off for a second (at 1.2 s)
        assert not gc.isenabled()  # and still paused for the searches in progress
        now[0] += 0.5
        with gc_paused():
            pass
        assert collected == [1]  # 0.5 s since that collection: not yet again
    assert gc.isenabled()
