"""Desktop tests: the real widgets (offscreen), real project files, real services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from workshop_app.infra.ops import Operations
from workshop_app.runtime import AppRuntime, participant_server
from workshop_app.services.project import create_project
from workshop_app.ui import collector
from workshop_app.ui.common.commands import Actions, ErrorSink
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.project_window import ProjectWindow
from workshop_app.ui.shell import Shell


@pytest.fixture(scope="session", autouse=True)
def gui_thread_garbage_collection(qapp: QApplication) -> Iterator[None]:
    """As in the app (ui/collector.py): Qt objects are never collected on another thread."""
    c = collector.install(qapp)
    yield
    c.stop()


_OPERATIONS: list[Operations] = []
_ACTIONS: list[Actions] = []


def make_actions(stack: QUndoStack, errors: ErrorSink) -> Actions:
    """Actions for a view tested without its window, on an operations thread of their own
    (a window's runtime owns it in the app); it stops when the test ends."""
    ops = Operations()
    _OPERATIONS.append(ops)
    actions = Actions(stack, errors, ops)
    _ACTIONS.append(actions)
    return actions


def wait_for_actions() -> None:
    """Let every facilitator action on its way finish and its outcome be delivered (the
    event loop runs meanwhile: dialogs they open can be answered)."""
    every = list(_ACTIONS) + [
        w.undoable for w in QApplication.topLevelWidgets() if isinstance(w, ProjectWindow)
    ]
    for _ in range(3):  # an outcome may hand in another action
        for actions in every:
            assert actions.wait(), "an action did not finish in 30 s"


@pytest.fixture(autouse=True)
def stop_operations() -> Iterator[None]:
    """Stop the operations threads of the test's views once it ends (after their own
    fixtures have closed them)."""
    yield
    while _ACTIONS:
        _ACTIONS.pop().close()  # their undo steps go now, not with the collector
    while _OPERATIONS:
        _OPERATIONS.pop().close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Preferences and recent files in a file of this test's own."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def shell(qtbot, settings: QSettings) -> Iterator[Shell]:
    settings.setValue("live/port", 0)  # any free port: tests run side by side
    settings.setValue("live/host", "127.0.0.1")
    s = Shell(settings, AppRuntime(participant_server))
    yield s
    for window in list(s.windows):
        window.close()
    if s.start_window is not None:
        s.start_window.close()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox):
            widget.close()


@pytest.fixture
def refresher(qtbot) -> Iterator[Refresher]:
    """The coalescing refresher a project window would hand its views; a fixture that
    builds a view stops it before closing the project, as the window does."""
    r = Refresher()
    yield r
    r.stop()


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "Riverside.cground"
    create_project(path, "Riverside", "Riverside Borough").close()
    return path


@pytest.fixture
def window(shell: Shell, project_path: Path, qtbot) -> ProjectWindow:
    w = shell.open_path(project_path)
    assert w is not None
    qtbot.waitExposed(w)
    return w


def with_dialog(act: Callable[[], object], fill: Callable[[QWidget], None]) -> object:
    """Run `act`, which opens a modal dialog; `fill` answers it once it is shown."""
    seen: list[QWidget] = []
    failed: list[BaseException] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, answer)
            return
        seen.append(dialog)
        try:
            fill(dialog)
        except BaseException as exc:  # an assertion about the dialog: close it, then raise
            failed.append(exc)
            dialog.close()

    wait_for_actions()  # the dialog shows what the actions before it stored
    QTimer.singleShot(0, answer)
    result = act()
    wait_for_actions()  # a dialog the action's outcome opens
    if failed:
        raise failed[0]
    assert seen, "the dialog never opened"
    return result


def settle() -> None:
    """Let the facilitator's actions on their way finish, then deliver the change events
    queued for the GUI thread.

    A window's actions run on its operations thread (ui/common/commands.py); once each is
    committed and its outcome delivered, the events it published are queued, and
    processing them once shows the result.
    """
    for _ in range(3):
        wait_for_actions()
        QApplication.processEvents()
    for widget in QApplication.topLevelWidgets():  # redraws are coalesced for 100 ms
        if isinstance(widget, ProjectWindow):
            widget.flush_refreshes()
    QApplication.processEvents()


def error_boxes() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "error-message" and w.isVisible()
    ]
