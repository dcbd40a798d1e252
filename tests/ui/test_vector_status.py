"""A project window embeds its notes in the background (ui/vector_status.py): progress on
a backlog in the status bar, gone when done; closing mid-backlog leaves no thread behind;
a model that cannot be used changes nothing else. The real keeper and the shipped model."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel

from tests.ui.conftest import error_boxes, settle
from workshop_app.core.model import ActivityKind
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.runtime import AppRuntime
from workshop_app.services import moderation, sessions, suggestions
from workshop_app.services.plans import load_plan
from workshop_app.services.project import OpenProject, open_project
from workshop_app.services.sessions import SessionDetails
from workshop_app.services.vectors import Progress, VectorKeeper
from workshop_app.ui.shell import Shell


@pytest.fixture(scope="module")
def engine() -> suggestions.ThemeEngine:
    engine = suggestions.ThemeEngine(suggestions.ThemeModel())
    suggestions.load_model(engine)
    return engine


def factory_for(
    engine: suggestions.ThemeEngine, made: list[VectorKeeper]
) -> Callable[..., VectorKeeper]:
    def make(
        project: OpenProject,
        _runtime_engine: suggestions.ThemeEngine,
        on_progress: Progress,
        on_unavailable: Callable[[str], None],
        _look_reads: Callable[[], bool],
    ) -> VectorKeeper:
        keeper = VectorKeeper(
            project, engine, on_progress=on_progress, on_unavailable=on_unavailable
        )
        made.append(keeper)
        return keeper

    return make


@pytest.fixture
def shell_with(qtbot, settings: QSettings) -> Iterator[Callable[..., Shell]]:
    shells: list[Shell] = []

    def build(factory: Callable[..., VectorKeeper]) -> Shell:
        s = Shell(settings, AppRuntime(keeper_factory=factory))
        shells.append(s)
        return s

    yield build
    for s in shells:
        for window in list(s.windows):
            window.close()
        if s.start_window is not None:
            s.start_window.close()


def old_project(project_path: Path, notes: int) -> Path:
    """A project written before notes were embedded: `notes` notes, no vectors."""
    with open_project(project_path) as p:
        plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
        s = sessions.create_session(p, SessionDetails("Evening"), plan)
        brainstorm = next(
            a for a in sessions.list_activities(p, s.id) if a.kind is ActivityKind.BRAINSTORM
        )
        for i in range(notes):
            moderation.capture_paper_note(p, brainstorm.id, f"note {i}: apps change so fast")
    return project_path


def progress_label(window) -> QLabel:
    label = window.statusBar().findChild(QLabel, "vector-progress")
    assert label is not None
    return label


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QApplication.processEvents()
        time.sleep(0.01)


def test_a_backlog_shows_its_progress_in_the_status_bar_and_it_goes_when_done(
    shell_with, project_path, engine, qtbot
):
    made: list[VectorKeeper] = []
    window = shell_with(factory_for(engine, made)).open_path(old_project(project_path, 40))
    assert window is not None
    label = progress_label(window)
    wait_for(lambda: label.isVisible())
    assert label.text().startswith("Preparing theme suggestions: ")
    assert label.text().endswith(" of 40 notes")
    wait_for(lambda: made[0].idle.is_set() and not label.isVisible())
    settle()
    assert not label.isVisible() and made[0].embedded == 40


def test_closing_the_window_in_the_middle_of_a_backlog_leaves_no_thread_and_no_error(
    shell_with, project_path, engine, qtbot, caplog
):
    made: list[VectorKeeper] = []
    window = shell_with(factory_for(engine, made)).open_path(old_project(project_path, 120))
    assert window is not None
    wait_for(lambda: made[0].embedded > 0)
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 3.0
    settle()
    assert not made[0].running
    assert not any(t.name == "cg-vectors" for t in threading.enumerate())
    assert 0 < made[0].embedded < 120
    assert not error_boxes()
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]


def test_a_project_whose_model_cannot_be_used_still_opens_and_works(
    shell_with, project_path, tmp_path, qtbot
):
    broken = suggestions.ThemeEngine(suggestions.ThemeModel(tmp_path / "no-model-here"))
    made: list[VectorKeeper] = []
    window = shell_with(factory_for(broken, made)).open_path(old_project(project_path, 3))
    assert window is not None
    made[0]._thread.join(10)
    settle()
    assert not made[0].running and "theme model" in made[0].problem
    assert not progress_label(window).isVisible()
    activity = next(
        a
        for s in sessions.list_sessions(window.project)
        for a in sessions.list_activities(window.project, s.id)
        if a.kind is ActivityKind.BRAINSTORM
    )
    moderation.capture_paper_note(window.project, activity.id, "still works")
    settle()
    assert len(moderation.list_wall(window.project, activity.id)) == 4
    assert not error_boxes()
