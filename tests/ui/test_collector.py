"""Garbage is collected on the GUI thread only (ui/collector.py, decision 016)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from workshop_app.ui.collector import GuiThreadCollector


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


def test_collect_due_follows_pythons_thresholds(qtbot) -> None:
    collector = GuiThreadCollector()
    gc.collect()
    before = collector.collections
    collector.collect_due()  # nothing is due just after a full collection
    assert collector.collections == before
    junk = [[] for _ in range(gc.get_threshold()[0] + 10)]
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
    junk = [[] for _ in range(gc.get_threshold()[0] + 10)]
    collector.collect_due()
    full = gc.get_stats()[2]["collections"]
    _due_up_to_the_oldest()
    few = [[] for _ in range(gc.get_threshold()[0] + 10)]  # a few survivors only
    collector.collect_due()
    assert gc.get_stats()[2]["collections"] == full, "not a quarter more: no full walk"
    assert collector.full_collections_skipped >= 1
    many = [[] for _ in range(len(gc.get_objects(2)) // 3)]  # a third more survive
    _due_up_to_the_oldest()
    more = [[] for _ in range(gc.get_threshold()[0] + 10)]
    collector.collect_due()
    assert gc.get_stats()[2]["collections"] == full + 1
    del long_lived, junk, few, many, more


def test_no_test_leaves_automatic_collection_on(qapp) -> None:
    """Runs in a random place in the suite: whatever ran before must not have turned
    automatic collection back on behind the collector's back."""
    assert not gc.isenabled()
