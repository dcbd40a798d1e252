"""Garbage is collected on the GUI thread only (ui/collector.py, decision 016)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject

from workshop_app.ui import collector as collector_module
from workshop_app.ui.collector import INTERVAL_MS, SERVING_INTERVAL_MS, GuiThreadCollector


class Holder:
    """A reference cycle that holds a Qt object: only the garbage collector frees it."""

    def __init__(self) -> None:
        self.obj = QObject()
        self.me = self


def test_the_app_collects_on_its_own_timer_not_automatically(qapp) -> None:
    assert not gc.isenabled(), "automatic collection is off while the GUI runs"
    assert qapp.findChild(GuiThreadCollector).running


def test_a_cycle_holding_a_qt_object_made_on_a_worker_dies_on_the_gui_thread(qtbot) -> None:
    died_on: list[str] = []
    kept: list[object] = []

    def work() -> None:
        holder = Holder()
        weakref.finalize(holder, lambda: died_on.append(threading.current_thread().name))
        del holder
        # Far past every threshold: with automatic collection the cycle would die here.
        kept.extend([] for _ in range(50_000))

    worker = threading.Thread(target=work, name="worker")
    worker.start()
    worker.join()
    assert died_on == [], "nothing was collected on the worker"
    qtbot.waitUntil(lambda: died_on == ["MainThread"], timeout=5000)
    kept.clear()


# Lists made to cross the young generation's threshold go well over it: objects other threads
# free meanwhile (a previous test's workers winding down) lower the count.


def test_collect_due_follows_pythons_thresholds(qtbot) -> None:
    collector = GuiThreadCollector()
    gc.collect()
    before = collector.collections
    collector.collect_due()  # nothing is due just after a full collection
    assert collector.collections == before
    junk = [[] for _ in range(gc.get_threshold()[0] + 5000)]
    collector.collect_due()
    assert collector.collections > before
    del junk


def _due_up_to_the_oldest() -> None:
    """Counts over every threshold, as after a busy minute (the young generations' counts
    grow by collecting the one below them)."""
    for _ in range(gc.get_threshold()[2] + 1):
        gc.collect(1)
    for _ in range(gc.get_threshold()[1] + 1):
        gc.collect(0)


def test_a_full_collection_waits_until_a_quarter_more_has_survived(qtbot) -> None:
    """Python's rule for the oldest generation: a room's connections are a hundred thousand
    long-lived objects, and walking them all every tenth collection paused the GUI."""
    collector = GuiThreadCollector()
    long_lived = [[] for _ in range(20_000)]  # a room's worth of connection state
    gc.collect()
    collector.collect_due()  # the collector's own full collection: its baseline
    _due_up_to_the_oldest()
    junk = [[] for _ in range(gc.get_threshold()[0] + 5000)]
    collector.collect_due()
    full = gc.get_stats()[2]["collections"]
    _due_up_to_the_oldest()
    few = [[] for _ in range(gc.get_threshold()[0] + 10)]  # a few survivors only
    collector.collect_due()
    assert gc.get_stats()[2]["collections"] == full, "not a quarter more: no full walk"
    assert collector.full_collections_skipped >= 1
    many = [[] for _ in range(len(gc.get_objects(2)) // 3)]  # a third more survive
    _due_up_to_the_oldest()
    more = [[] for _ in range(gc.get_threshold()[0] + 5000)]
    collector.collect_due()
    assert gc.get_stats()[2]["collections"] == full + 1
    del long_lived, junk, few, many, more


def test_no_test_leaves_automatic_collection_on(qapp) -> None:
    """Runs in a random place in the suite: whatever ran before must not have turned
    automatic collection back on behind the collector's back."""
    assert not gc.isenabled()


# ---------------------------------------------------------------- while phones are served


@pytest.fixture
def serving() -> Iterator[list[bool]]:
    """Whether phones are being served, as the runtime tells the collector; the process's
    heap is thawed again afterwards so no other test runs with it frozen."""
    flag = [True]
    yield flag
    gc.unfreeze()


def serving_collector(flag: list[bool]) -> GuiThreadCollector:
    collector = GuiThreadCollector()
    collector.watch_serving(lambda: flag[0])
    return collector


def test_while_serving_a_look_walks_the_new_objects_then_freezes_the_survivors(
    qtbot, serving
) -> None:
    collector = serving_collector(serving)
    gc.collect()
    frozen = gc.get_freeze_count()
    kept = [[] for _ in range(gc.get_threshold()[0] + 100)]  # a room's new connection state
    collector.collect_due()
    assert collector.freezing and collector.collections == 1
    assert collector._timer.interval() == SERVING_INTERVAL_MS
    assert gc.get_count()[0] < 10  # (the assertions themselves allocate)
    assert gc.get_freeze_count() >= frozen + len(kept), "the survivors left every later walk"
    assert gc.get_objects(1) == [] and gc.get_objects(2) == []
    collector.collect_due()  # nothing new: no pass at all
    assert collector.collections == 1
    del kept


def test_while_serving_a_cycle_that_dies_young_is_freed_on_the_next_look(qtbot, serving) -> None:
    collector = serving_collector(serving)
    collector.collect_due()
    died: list[str] = []
    holder = Holder()
    weakref.finalize(holder, lambda: died.append(threading.current_thread().name))
    del holder
    junk = [[] for _ in range(gc.get_threshold()[0] + 5000)]
    collector.collect_due()
    assert died == ["MainThread"]
    del junk


def test_a_cycle_frozen_while_serving_is_freed_once_serving_stops(qtbot, serving) -> None:
    collector = serving_collector(serving)
    died: list[str] = []
    holder = Holder()
    weakref.finalize(holder, lambda: died.append(threading.current_thread().name))
    junk = [[] for _ in range(gc.get_threshold()[0] + 5000)]
    collector.collect_due()  # the holder outlived its first look: frozen with the survivors
    del holder, junk
    for _ in range(3):
        more = [[] for _ in range(gc.get_threshold()[0] + 5000)]
        collector.collect_due()
        del more
    assert died == [], "frozen garbage waits (decision 033)"
    serving[0] = False  # the session ended: the server stopped
    collector.collect_due()
    assert died == ["MainThread"] and collector.thaws == 1 and not collector.freezing
    assert collector._timer.interval() == INTERVAL_MS


def test_a_frozen_heap_that_grows_past_its_limit_is_collected_while_serving(
    qtbot, serving, monkeypatch
) -> None:
    monkeypatch.setattr(collector_module, "MEASURE_FROZEN_EVERY", 2)
    monkeypatch.setattr(collector_module, "MOST_FROZEN_GROWTH", 5_000)
    collector = serving_collector(serving)
    died: list[bool] = []
    holder = Holder()
    weakref.finalize(holder, lambda: died.append(True))
    collector.collect_due()  # look 1: the holder is frozen
    del holder
    grown = [[] for _ in range(10_000)]  # the frozen heap grows past the limit
    collector.collect_due()  # look 2: measured, collected in full, frozen again
    assert died == [True] and collector.thaws == 1
    assert collector.freezing, "still serving: back to young passes"
    del grown


def test_stopping_the_collector_while_serving_collects_what_was_frozen(qtbot, serving) -> None:
    collector = serving_collector(serving)
    died: list[bool] = []
    holder = Holder()
    weakref.finalize(holder, lambda: died.append(True))
    collector.collect_due()
    del holder
    collector.start()
    collector.stop()
    assert died == [True] and not collector.freezing
    gc.disable()  # stop() hands collection back to Python; the app's own collector runs on
