"""Desktop tests: the real widgets (offscreen), real project files, real services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from workshop_app.runtime import AppRuntime, participant_server
from workshop_app.services.project import create_project
from workshop_app.ui import collector
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.project_window import ProjectWindow
from workshop_app.ui.shell import Shell


@pytest.fixture(scope="session", autouse=True)
def gui_thread_garbage_collection(qapp: QApplication) -> Iterator[None]:
    """As in the app (ui/collector.py): Qt objects are never collected on another thread."""
    c = collector.install(qapp)
    yield
    c.stop()


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

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, answer)
            return
        seen.append(dialog)
        fill(dialog)

    QTimer.singleShot(0, answer)
    result = act()
    assert seen, "the dialog never opened"
    return result


def settle() -> None:
    """Deliver the change events already queued for the GUI thread.

    Services publish after commit and before they return, so once an action has
    returned its events are queued; processing them once shows the result.
    """
    for _ in range(3):
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
