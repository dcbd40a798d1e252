"""A view's reads off the GUI thread: run elsewhere, delivered on the GUI thread, only the
newest, nothing after the view has gone or the reads have closed (ui/common/background.py)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject

from workshop_app.ui.common.background import BackgroundReads, ReadFailed


class View(QObject):
    """Stands in for a widget: receives answers, says on which thread each came."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[object] = []
        self.threads: list[str] = []

    def take(self, answer: object) -> None:
        self.answers.append(answer)
        self.threads.append(threading.current_thread().name)


@pytest.fixture
def view(qtbot) -> Iterator[View]:
    v = View()
    yield v
    v.deleteLater()


def test_a_read_runs_on_its_own_thread_and_its_answer_arrives_on_the_gui_thread(qtbot, view):
    reads = BackgroundReads("cg-test-read", view)
    ran_on: list[str] = []

    def fn() -> str:
        ran_on.append(threading.current_thread().name)
        return "the board"

    assert reads.read(fn, view.take)
    assert reads.busy
    qtbot.waitUntil(lambda: view.answers == ["the board"], timeout=3000)
    assert ran_on[0].startswith("cg-test-read")
    assert view.threads == [threading.main_thread().name]
    assert not reads.busy
    reads.close()


def test_an_answer_dropped_on_its_way_is_never_delivered_and_a_newer_one_is(qtbot, view):
    reads = BackgroundReads("cg-test-read", view)
    gate = threading.Event()
    reads.read(lambda: gate.wait(5) and "old", view.take)
    reads.drop()  # the view read for itself meanwhile
    assert not reads.busy
    gate.set()
    reads.read(lambda: "new", view.take)
    qtbot.waitUntil(lambda: view.answers == ["new"], timeout=3000)
    qtbot.wait(50)
    assert view.answers == ["new"], "the dropped answer stayed dropped"
    reads.close()


def test_a_read_that_raises_is_handed_over_as_a_failure(qtbot, view):
    reads = BackgroundReads("cg-test-read", view)

    def broken() -> None:
        raise OSError("disk I/O error")

    reads.read(broken, view.take)
    qtbot.waitUntil(lambda: len(view.answers) == 1, timeout=3000)
    failed = view.answers[0]
    assert isinstance(failed, ReadFailed) and isinstance(failed.error, OSError)
    reads.close()


def test_closing_waits_for_a_running_read_and_nothing_is_read_or_delivered_after(qtbot, view):
    reads = BackgroundReads("cg-test-read", view)
    started, gate, finished = threading.Event(), threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        gate.wait(5)
        finished.set()
        return "late"

    reads.read(slow, view.take)
    assert started.wait(5)
    threading.Timer(0.05, gate.set).start()
    reads.close()  # the project closes next: no read may still be running
    assert finished.is_set()
    assert not reads.read(lambda: "after", view.take)
    qtbot.wait(50)
    assert view.answers == []


def test_a_view_that_has_gone_is_not_kept_alive_nor_called(qtbot):
    view = View()
    owner = QObject()
    reads = BackgroundReads("cg-test-read", owner)
    gate = threading.Event()
    reads.read(lambda: gate.wait(5) and "answer", view.take)
    answers, ref = view.answers, weakref.ref(view)
    del view
    gc.collect()
    assert ref() is None, "a read on its way does not keep its view alive"
    gate.set()
    qtbot.wait(100)
    assert answers == []
    assert not reads.busy
    reads.close()


def test_warming_runs_on_the_reads_thread_before_the_first_read_and_answers_nobody(
    qtbot, view
) -> None:
    """A view warms its reads' thread (its connection to the project: an encrypted one
    derives its key) so the room's first read does not wait for it; a warm-up that fails
    is the first read's to meet."""
    reads = BackgroundReads("cg-test-read", view)
    ran_on: list[str] = []
    gate = threading.Event()

    def warm_up() -> None:
        ran_on.append(threading.current_thread().name)
        gate.wait(5)

    def broken() -> None:
        raise RuntimeError("no connection yet")

    reads.warm(warm_up)
    reads.warm(broken)
    assert not reads.busy, "nothing is on its way to the view"
    reads.read(lambda: ran_on.append(threading.current_thread().name) or "read", view.take)
    gate.set()
    qtbot.waitUntil(lambda: view.answers == ["read"], timeout=3000)
    assert len(ran_on) == 2 and ran_on[0] == ran_on[1] and ran_on[0].startswith("cg-test-read")
    reads.close()
    reads.warm(warm_up)  # closed: nothing runs
    assert len(ran_on) == 2
