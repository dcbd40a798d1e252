"""Closing a project window hands the ordered shutdown to its runtime: whatever the window
was doing (loading the theme model, writing an export, working out suggestions), it ends
with no thread left running, no error, and a project file that opens again. The real
server on 127.0.0.1, the real writer, keeper and engine."""

from __future__ import annotations

import threading
import urllib.error
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.runtime.helpers import ours, phone_get, project_with_notes
from tests.ui.conftest import error_boxes, settle
from workshop_app.core.model import SessionState
from workshop_app.runtime import AppRuntime, note_vector_keeper, participant_server
from workshop_app.services import sessions, suggestions
from workshop_app.services.project import open_project
from workshop_app.ui.project_window import ProjectWindow
from workshop_app.ui.shell import Shell


@pytest.fixture
def open_window(
    qtbot, settings: QSettings
) -> Iterator[Callable[[AppRuntime, Path], ProjectWindow]]:
    shells: list[Shell] = []

    def open_with(runtime: AppRuntime, path: Path) -> ProjectWindow:
        shell = Shell(settings, runtime)
        shells.append(shell)
        window = shell.open_path(path)
        assert window is not None
        qtbot.waitExposed(window)
        return window

    yield open_with
    for shell in shells:
        for window in list(shell.windows):
            window.close()
        if shell.start_window is not None:
            shell.start_window.close()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox):
            widget.close()


def live_on_loopback(window: ProjectWindow, session_id: str) -> str:
    window.select_session(session_id)
    assert window.go_live("127.0.0.1")
    url = window.live_panel.url.text()
    assert "Which group are you in?" in phone_get(url)
    return url


def closed_cleanly(
    window: ProjectWindow, path: Path, before: set[threading.Thread], caplog
) -> None:
    runtime = window.runtime
    window.close()
    settle()
    assert runtime.server is None
    assert ours(before) == [], "no server, writer, keeper or worker thread left"
    assert not error_boxes()
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    with open_project(path) as again:  # the writer closed, the lock released
        live = [s for s in sessions.list_sessions(again) if s.state is SessionState.LIVE]
        assert len(live) == 1, "the session stays live: reopening resumes it"


def test_closing_while_the_theme_model_loads(tmp_path, open_window, qtbot, caplog) -> None:
    path, (first, _) = project_with_notes(tmp_path)
    before = set(threading.enumerate())
    fresh = suggestions.ThemeEngine(suggestions.ThemeModel())  # not loaded yet
    window = open_window(AppRuntime(participant_server, note_vector_keeper, fresh), path)
    url = live_on_loopback(window, first)
    window.tabs.setCurrentWidget(window.board)  # the board loads the model, off this thread
    window.board.suggestions.ensure_model()
    assert window.board.suggestions.model_state == "loading"
    closed_cleanly(window, path, before, caplog)
    with pytest.raises(urllib.error.URLError):
        phone_get(url)


def test_closing_while_an_export_is_written_finishes_the_file_first(
    tmp_path, open_window, qtbot, caplog
) -> None:
    path, (first, _) = project_with_notes(tmp_path, notes=40)
    before = set(threading.enumerate())
    window = open_window(AppRuntime(participant_server), path)
    live_on_loopback(window, first)
    dialog = window.export()
    target = tmp_path / "summary.docx"
    dialog.path.setText(str(target))
    assert dialog.start_export() and dialog.is_busy()
    closed_cleanly(window, path, before, caplog)
    with zipfile.ZipFile(target) as document:  # whole, not half written
        assert "word/document.xml" in document.namelist()


def test_closing_while_suggestions_are_worked_out(
    tmp_path, open_window, engine, qtbot, caplog
) -> None:
    path, (first, _) = project_with_notes(tmp_path, notes=80)
    before = set(threading.enumerate())
    window = open_window(AppRuntime(participant_server, note_vector_keeper, engine), path)
    live_on_loopback(window, first)
    window.tabs.setCurrentWidget(window.board)
    qtbot.waitUntil(lambda: window.board.suggestions.model_state == "ready", timeout=10_000)
    qtbot.waitUntil(lambda: window.board.board() is not None, timeout=10_000)
    window.board.suggest_themes()
    assert window.board.suggestions.proposal_note.text().startswith("Looking for themes")
    closed_cleanly(window, path, before, caplog)


def test_reopening_after_a_close_resumes_and_serves_again(
    tmp_path, open_window, qtbot, caplog
) -> None:
    path, (first, _) = project_with_notes(tmp_path)
    root = AppRuntime(participant_server)
    window = open_window(root, path)
    live_on_loopback(window, first)
    window.close()
    settle()
    again = open_window(root, path)
    assert again.live_session_id == first and again.server is not None
    assert "Which group are you in?" in phone_get(again.live_panel.url.text())
    again.end_live()
    assert again.server is None
    assert again.live_session_id is None
