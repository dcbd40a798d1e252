"""The live panel says when the arrival check's second look cannot read notes (its model or
reference unusable): the phrase rules alone hold notes back then, which the facilitator must
know. The real window, runtime, server, look and services; a reference made for another model
stands in for a damaged one (it is refused the same way)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from tests.ui.conftest import settle
from workshop_app.core.model import ActivityKind, ActivityState
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.runtime import AppRuntime, participant_server
from workshop_app.services import live, sessions
from workshop_app.services import participation as svc
from workshop_app.services.arrival import SecondLook
from workshop_app.services.plans import load_plan
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import SessionDetails
from workshop_app.themes import ThemeEngine
from workshop_app.themes.disclosure import DisclosureCheck
from workshop_app.ui.shell import Shell

FOREIGN = DisclosureCheck("another-model:0000", np.eye(3, 768, dtype=np.float32), np.ones(3, bool))


@pytest.fixture
def engine(shipped_engine: ThemeEngine) -> ThemeEngine:
    return shipped_engine


@pytest.fixture
def looks() -> list[SecondLook]:
    return []


@pytest.fixture
def shell(
    qtbot, settings: QSettings, engine: ThemeEngine, looks: list[SecondLook]
) -> Iterator[Shell]:
    settings.setValue("live/port", 0)
    settings.setValue("live/host", "127.0.0.1")

    def look(project: OpenProject, _engine: ThemeEngine) -> SecondLook:
        looks.append(SecondLook(project, engine, FOREIGN))
        return looks[-1]

    s = Shell(settings, AppRuntime(participant_server, engine=engine, look_factory=look))
    yield s
    for window in list(s.windows):
        window.close()


def test_the_live_panel_says_when_notes_are_checked_by_their_words_only(
    shell: Shell, project_path: Path, looks: list[SecondLook], qtbot
) -> None:
    window = shell.open_path(project_path)
    assert window is not None
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(window.project, SessionDetails("Evening"), plan)
    window.select_session(s.id)
    window.show_live()
    assert window.go_live("127.0.0.1")
    (look,) = looks
    assert look.running
    # Serving started: the look got ready at once and found it cannot read, before any note.
    qtbot.waitUntil(lambda: bool(look.problem), timeout=30_000)
    assert look.read_count == 0 and "another-model" in look.problem
    panel = window.live_panel
    settle()
    b = next(
        a
        for a in sessions.list_activities(window.project, s.id)
        if a.kind is ActivityKind.BRAINSTORM
    )
    live.set_activity_state(window.project, b.id, ActivityState.OPEN)
    who = svc.join(window.project, s.id, None).result()
    svc.post_note(
        window.project, who.id, b.id, "more youth clubs", "key-look-1", look=look
    ).result()
    look.notify()
    assert look.wait_idle(60)
    qtbot.waitUntil(panel.look_line.isVisible, timeout=10_000)
    words = panel.look_line.text()
    assert words.startswith("Notes are checked by their words only")
    assert "another-model" in words and "Approve notes first" in words
    assert panel.look_line.textFormat() is Qt.TextFormat.PlainText
