"""Possible duplicates on the note wall (ui/wall/wall_duplicates.py): found on request over a real
project file, shown as plain text, marked with one click as one undo step, or dismissed;
with the shipped model (paraphrases) and without it (exact repeats only, said so)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import make_actions, settle, wait_for_actions
from workshop_app.core.model import Activity, ActivityKind, ActivityState, GroupKind, Participant
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import groups, live, moderation, sessions, suggestions
from workshop_app.services import participation as phones
from workshop_app.services.plans import load_plan
from workshop_app.services.project import OpenProject
from workshop_app.services.projection import projector_view
from workshop_app.services.sessions import SessionDetails
from workshop_app.ui.bridge import Bridge
from workshop_app.ui.wall.note_wall import NoteWall

_keys = itertools.count()


@pytest.fixture(scope="module")
def engine() -> suggestions.ThemeEngine:
    engine = suggestions.ThemeEngine(suggestions.ThemeModel())
    suggestions.load_model(engine)
    return engine


@dataclass
class Rig:
    project: OpenProject
    session_id: str
    brainstorm: Activity
    who: Participant
    wall: NoteWall
    stack: QUndoStack
    errors: list[tuple[str, str]] = field(default_factory=list)

    def post(self, text: str) -> str:
        key = f"wall-dup-{next(_keys):06d}"
        answer = phones.post_note(self.project, self.who.id, self.brainstorm.id, text, key)
        return str(answer.result().body["note"]["id"])

    def duplicate_of(self, note_id: str) -> str | None:
        wait_for_actions()  # what is stored once the actions on their way are done
        notes = moderation.list_wall(self.project, self.brainstorm.id)
        return next(n.duplicate_of for n in notes if n.id == note_id)

    def found(self, qtbot) -> None:
        """Ask for duplicates and wait for the answer."""
        panel = self.wall.duplicates
        self.wall.find_duplicates_action.trigger()
        qtbot.waitUntil(lambda: panel.found is not None or "error" in panel.status.text())


def _rig(project, qtbot, refresher, engine, texts) -> Iterator[Rig]:
    group = next(g for g in groups.list_groups(project) if g.kind is GroupKind.CHILD)
    plan = load_plan(shipped_plans_dir() / "prep-children-8-12.toml")
    s = sessions.create_session(project, SessionDetails("Club", group_ids=(group.id,)), plan)
    live.go_live(project, s.id)
    brainstorm = next(
        a for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.BRAINSTORM
    )
    live.set_activity_state(project, brainstorm.id, ActivityState.OPEN)
    who = phones.join(project, s.id, group.id).result()
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    wall = NoteWall(
        project, make_actions(stack, lambda t, m: errors.append((t, m))), refresher, engine
    )
    qtbot.addWidget(wall)
    bridge = Bridge(project.bus)
    bridge.changed.connect(wall.on_changed)
    wall.resize(1100, 700)
    wall.show()
    qtbot.waitExposed(wall)
    rig = Rig(project, s.id, brainstorm, who, wall, stack, errors)
    ids = [rig.post(t) for t in texts]
    for i in ids:
        moderation.approve(project, i)
    wall.show_session(s.id)
    qtbot.waitUntil(lambda: wall.model.rowCount() == len(texts))
    yield rig
    wall.shutdown()
    bridge.detach()
    refresher.stop()
    settle()


TEXTS = [
    "tell a teacher",
    "parents should check the apps their kids use",
    "Tell the teacher!! 👍",
    "parents need to check what apps their children use",
    "<b>tell the police</b>",
    "<b>Tell the police</b>",
    "I'd go to the police",
    "I wouldn't go to the police",
]


@pytest.fixture
def rig(project, qtbot, refresher, engine) -> Iterator[Rig]:
    yield from _rig(project, qtbot, refresher, engine, TEXTS)


@pytest.fixture
def no_model_rig(project, qtbot, refresher, tmp_path: Path) -> Iterator[Rig]:
    broken = suggestions.ThemeEngine(suggestions.ThemeModel(tmp_path / "no-model-here"))
    yield from _rig(project, qtbot, refresher, broken, TEXTS)


def _proposals(rig: Rig) -> list[list[str]]:
    return [row.texts() for row in rig.wall.duplicates.rows]


def test_find_duplicates_proposes_repeats_and_paraphrases_as_plain_text(rig, qtbot):
    assert rig.wall.find_duplicates_action.isEnabled()
    rig.found(qtbot)
    panel = rig.wall.duplicates
    assert panel.isVisible()
    assert _proposals(rig) == [
        ["First: “tell a teacher”", "Repeated (same words): “Tell the teacher!! 👍”"],
        [
            "First: “parents should check the apps their kids use”",
            "Repeated (says the same in other words): "
            "“parents need to check what apps their children use”",
        ],
        ["First: “<b>tell the police</b>”", "Repeated (same words): “<b>Tell the police</b>”"],
    ]
    labels = [lb for row in panel.rows for lb in row.findChildren(QLabel)]
    assert labels and all(lb.textFormat() is Qt.TextFormat.PlainText for lb in labels)
    assert "3 notes may repeat an earlier note" in panel.status.text()
    assert panel.model_note.isHidden()
    assert rig.stack.count() == 0, "finding marks nothing"
    assert all(rig.duplicate_of(n.id) is None for n in rig.wall.model.notes)


def test_one_click_marks_a_proposal_as_one_undo_step_and_off_the_projector(rig, qtbot):
    rig.found(qtbot)
    row = rig.wall.duplicates.rows[0]
    first, repeat = row.group.original.id, row.group.repeats[0].id
    assert "Tell the teacher!! 👍" in projector_view(rig.project, rig.session_id).notes
    QTest.mouseClick(row.mark_button, Qt.MouseButton.LeftButton)
    assert rig.duplicate_of(repeat) == first
    assert "Tell the teacher!! 👍" not in projector_view(rig.project, rig.session_id).notes
    assert rig.stack.count() == 1 and rig.stack.undoText() == "Mark as duplicate"
    assert len(rig.wall.duplicates.rows) == 2
    qtbot.waitUntil(lambda: "1 duplicate" in rig.wall.counts.text())
    rig.stack.undo()
    wait_for_actions()
    assert rig.duplicate_of(repeat) is None
    rig.stack.redo()
    wait_for_actions()
    assert rig.duplicate_of(repeat) == first
    assert rig.errors == []


def test_not_the_same_dismisses_a_proposal_and_it_is_not_made_again(rig, qtbot):
    rig.found(qtbot)
    row = rig.wall.duplicates.rows[1]
    QTest.mouseClick(row.dismiss_button, Qt.MouseButton.LeftButton)
    assert len(rig.wall.duplicates.rows) == 2 and rig.stack.count() == 0
    assert all(rig.duplicate_of(n.id) is None for n in rig.wall.model.notes)
    rig.found(qtbot)  # looking again
    assert len(_proposals(rig)) == 2
    assert "parents" not in " ".join(t for p in _proposals(rig) for t in p)


def test_a_proposal_follows_the_wall_when_its_notes_are_hidden_or_marked_meanwhile(rig, qtbot):
    rig.found(qtbot)
    panel = rig.wall.duplicates
    police = panel.rows[2].group
    moderation.hide(rig.project, police.repeats[0].id)  # as H on the wall would
    qtbot.waitUntil(lambda: len(panel.rows) == 2)
    teacher = panel.rows[0].group
    moderation.mark_duplicate(rig.project, teacher.repeats[0].id, teacher.original.id)
    qtbot.waitUntil(lambda: len(panel.rows) == 1)
    assert "parents should check" in panel.rows[0].texts()[0]
    assert "1 note may repeat an earlier note" in panel.status.text()


def test_without_the_model_exact_repeats_are_proposed_and_the_panel_says_why(no_model_rig, qtbot):
    rig = no_model_rig
    rig.found(qtbot)
    panel = rig.wall.duplicates
    assert [p[0] for p in _proposals(rig)] == [
        "First: “tell a teacher”",
        "First: “<b>tell the police</b>”",
    ]
    assert panel.model_note.isVisible()
    assert "Only exact repeats" in panel.model_note.text()
    assert "theme model" in panel.model_note.text()


def test_the_panel_closes_when_another_brainstorm_is_shown_and_has_its_key(rig, qtbot):
    assert rig.wall.find_duplicates_action.shortcut().toString() == "Ctrl+Shift+D"
    rig.wall.view.setFocus()
    QTest.keyClick(
        rig.wall.view,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: rig.wall.duplicates.found is not None)
    rig.wall.show_session(None)
    assert rig.wall.duplicates.isHidden()


def test_the_boards_way_to_the_wall_opens_the_notes_tab_with_the_duplicates_found(window, qtbot):
    p = window.project
    group = next(g for g in groups.list_groups(p) if g.kind is GroupKind.PARENT)
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(p, SessionDetails("Evening", group_ids=(group.id,)), plan)
    brainstorm = next(
        a for a in sessions.list_activities(p, s.id) if a.kind is ActivityKind.BRAINSTORM
    )
    for text in ("tell a teacher", "Tell the teacher!!"):
        moderation.capture_paper_note(p, brainstorm.id, text, group.id)
    settle()
    window.select_session(s.id)
    settle()
    window.board.suggestions.duplicates_wanted.emit(brainstorm.id)
    assert window.tabs.currentWidget() is window.wall
    panel = window.wall.duplicates
    qtbot.waitUntil(lambda: panel.found is not None, timeout=30_000)
    assert [row.texts() for row in panel.rows] == [
        ["First: “tell a teacher”", "Repeated (same words): “Tell the teacher!!”"]
    ]
