"""One coalescing refresher per project window: bursts cost one redraw, and nothing redraws
from a closed project (ui/common/refresher.py)."""

from __future__ import annotations

import gc
import uuid
import weakref

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import error_boxes, settle
from workshop_app.core.model import ActivityKind, ActivityState
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import live, participation, sessions
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails
from workshop_app.ui.common.refresher import Refresher


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


def test_a_burst_of_requests_costs_one_redraw(qtbot, refresher: Refresher) -> None:
    redraw = Counter()
    for _ in range(50):
        refresher.soon(redraw, 20)
    assert refresher.pending(redraw) and redraw.calls == 0
    qtbot.waitUntil(lambda: redraw.calls == 1, timeout=2000)
    qtbot.wait(60)  # nothing else was waiting
    assert redraw.calls == 1 and not refresher.pending(redraw)


def test_flush_runs_what_waits_and_cancel_forgets_it(refresher: Refresher) -> None:
    first, second = Counter(), Counter()
    refresher.soon(first, 10_000)
    refresher.soon(second, 10_000)
    refresher.cancel(second)
    refresher.flush()
    assert (first.calls, second.calls) == (1, 0)
    refresher.flush()
    assert first.calls == 1, "a redraw runs once per request"


def test_a_stopped_refresher_drops_what_waits_and_refuses_new_requests(qtbot) -> None:
    refresher = Refresher()
    redraw = Counter()
    refresher.soon(redraw, 5)
    refresher.stop()
    refresher.soon(redraw, 5)
    qtbot.wait(50)
    refresher.flush()
    assert redraw.calls == 0 and refresher.stopped and not refresher.pending(redraw)


@pytest.mark.parametrize("attempt", range(5))
def test_closing_the_window_while_every_view_waits_to_redraw_reads_nothing(
    shell, project_path, qtbot, attempt: int
) -> None:
    window = shell.open_path(project_path)
    assert window is not None
    qtbot.waitExposed(window)
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(window.project, SessionDetails(f"Evening {attempt}"), plan)
    settle()
    window.select_session(s.id)
    window.show_live()
    assert window.go_live("127.0.0.1")
    window.show_projector()
    window.show_standards()
    agenda = sessions.list_activities(window.project, s.id)
    brainstorm = next(a for a in agenda if a.kind is ActivityKind.BRAINSTORM)
    live.set_activity_state(window.project, brainstorm.id, ActivityState.OPEN)
    settle()
    # A phone joins, writes and asks for help: events for every view, delivered but not yet
    # redrawn (each view waits its 100-200 ms).
    who = participation.join(window.project, s.id, None).result()
    for i in range(3):
        participation.post_note(
            window.project, who.id, brainstorm.id, f"note {i}", uuid.uuid4().hex
        ).result()
    participation.request_help(window.project, who.id, "can I talk to someone", "k" * 16).result()
    for _ in range(3):
        QApplication.processEvents()
    waiting = {
        "wall": window.refresher.pending(window.wall._refresh_if_shown),
        "board": window.refresher.pending(window.board._refresh_if_shown),
        "votes": window.refresher.pending(window.votes.refresh),
        "standards": window.standards_window is not None
        and window.refresher.pending(window.standards_window._refresh_if_shown),
        "live panel": window.refresher.pending(window._refresh_live),
        "projector": window.refresher.pending(window._refresh_projector),
    }
    assert all(waiting.values()), waiting

    # The window object outlives its close here (as with any lingering reference), so its
    # views' pending redraws would run against the closed project unless they were stopped.
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    window.close()
    assert window.project.store.closed
    qtbot.wait(350)  # longer than any view's coalescing delay
    for _ in range(3):
        QApplication.processEvents()
    assert window.refresher.stopped
    assert not error_boxes()
    window.deleteLater()


def test_a_refresher_and_its_views_go_without_the_garbage_collector(qtbot) -> None:
    """No reference cycle runs through the refresher: dropping it and a view frees both at
    once (PySide objects torn down inside a garbage collection can crash the process)."""

    class View:
        def redraw(self) -> None:
            pass

    was_enabled = gc.isenabled()  # off already under the GUI-thread collector
    gc.disable()
    try:
        refresher, view = Refresher(), View()
        refresher.soon(view.redraw, 10_000)
        refresher.soon(Counter(), 10_000)
        gone_refresher, gone_view = weakref.ref(refresher), weakref.ref(view)
        del view
        assert gone_view() is None, "the refresher does not keep a view alive"
        refresher.stop()
        del refresher
        assert gone_refresher() is None
    finally:
        if was_enabled:
            gc.enable()
