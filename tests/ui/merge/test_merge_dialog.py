"""File → Bring in another project…: the dialog in the real project window, offscreen."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from tests.ui.conftest import settle
from workshop_app.core.model import GroupKind
from workshop_app.services import groups, merge, standards
from workshop_app.services.demo import write_demo
from workshop_app.services.project import create_project, open_project
from workshop_app.services.standards import StandardFields
from workshop_app.ui.merge.merge_dialog import MergeDialog
from workshop_app.ui.project_window import ProjectWindow
from workshop_app.ui.shell import Shell


def _menu_action(window: ProjectWindow, text: str):
    for action in window.menuBar().actions():
        for item in action.menu().actions():
            if item.text() == text:
                return item
    raise AssertionError(text)


def test_bringing_in_a_project_shows_what_would_come_and_the_sessions_appear(
    window: ProjectWindow, qtbot, tmp_path: Path
) -> None:
    other = tmp_path / "area b.cground"
    write_demo(other, seed=9)
    _menu_action(window, "&Bring in another project…").trigger()
    [dialog] = window.findChildren(MergeDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.load(other)
    assert dialog.is_busy()  # read on the worker thread; the window carries on
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30000)
    assert dialog.summary.toPlainText().startswith("From area b.cground (")
    assert dialog.merge_button.isEnabled()
    with qtbot.waitSignal(dialog.merged, timeout=30000):
        dialog.merge_button.click()
        assert dialog.is_busy() and not dialog.merge_button.isEnabled()  # off the GUI thread
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30000)
    assert dialog.summary.toPlainText().startswith("Brought in area b.cground: 10 sessions")
    assert not dialog.merge_button.isEnabled()
    settle()
    assert window.sessions_list.count() == 10  # the demo's 8 workshops, pilot, evaluation
    dialog.reject()


def test_offered_groups_are_check_boxes_and_an_error_is_said_in_plain_words(
    window: ProjectWindow, qtbot, tmp_path: Path
) -> None:
    other = tmp_path / "b.cground"
    with create_project(other, "B") as b:
        youth = groups.add_group(b, "Youth <b>Club</b>", GroupKind.COMMUNITY)
    groups.add_group(window.project, "youth <b>club</b>", GroupKind.COMMUNITY)
    dialog = window.bring_in_project()
    dialog.load(other)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30000)
    box = dialog.group_boxes[youth.id]
    assert box.text() == "“Youth <b>Club</b>” → “youth <b>club</b>”" and not box.isChecked()
    box.setChecked(True)
    assert "matched, one group" in dialog.summary.toPlainText()
    not_ours = tmp_path / "notes.cground"
    not_ours.write_bytes(b"just some text")
    dialog.load(not_ours)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30000)
    assert "is not a Common Ground project" in dialog.summary.toPlainText()
    assert not dialog.merge_button.isEnabled()
    dialog.reject()


def test_a_standard_edited_on_two_laptops_is_marked_in_the_standards_window(
    shell: Shell, project_path: Path, qtbot, tmp_path: Path
) -> None:
    other = tmp_path / "laptop b.cground"
    with open_project(project_path) as p:
        s = standards.create_standard(p, StandardFields("Trusted adult", "Base."))
    shutil.copy(project_path, other)
    for path, words in ((project_path, "Laptop A."), (other, "Laptop B.")):
        with open_project(path) as p:
            fields = StandardFields.of(standards.get_standard(p, s.id))
            standards.update_standard(p, s.id, replace(fields, statement=words))
    with open_project(project_path) as p:
        merge.merge(p, [merge.read_source(other, project_path)])
    window = shell.open_path(project_path)
    assert window is not None
    sw = window.show_standards()
    qtbot.waitExposed(sw)
    rows = [sw.list.item(i).text() for i in range(sw.list.count())]
    assert rows[0].endswith("⚑ another version beside it, from laptop b.cground")
    assert rows[1].endswith("⚑ other laptop's version, from laptop b.cground")
    sw.list.setCurrentRow(0)
    assert not sw.keep_both_button.isVisible()
    sw.list.setCurrentRow(1)
    assert sw.keep_both_button.isVisible()
    assert sw.merged_note.text().startswith(
        "Edited on two laptops: this version came from laptop b.cground"
    )
    sw.keep_both_button.click()
    settle()
    assert "⚑" not in sw.list.item(1).text()
    window.undo_stack.undo()
    settle()
    sw.refresh_now()
    assert "⚑" in sw.list.item(1).text()


def test_a_notes_history_shows_the_other_laptops_words_and_which_were_kept(tmp_path) -> None:
    from workshop_app.core.model import ActivityKind
    from workshop_app.infra.paths import shipped_plans_dir
    from workshop_app.services import moderation, sessions
    from workshop_app.services.plans import load_plan
    from workshop_app.services.sessions import SessionDetails
    from workshop_app.ui.wall.note_dialogs import history_text

    a, b = tmp_path / "a.cground", tmp_path / "b.cground"
    with create_project(a, "A") as p:
        plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
        s = sessions.create_session(p, SessionDetails("Evening"), plan)
        act = next(
            x for x in sessions.list_activities(p, s.id) if x.kind is ActivityKind.BRAINSTORM
        )
        note = moderation.capture_paper_note(p, act.id, "Apps chnage fast")
    shutil.copy(a, b)
    with open_project(b) as p:
        moderation.correct_text(p, note.id, "Apps change fast")
    with open_project(a) as p:
        merge.merge(p, [merge.read_source(b, a)])
        [shown] = [n for n in moderation.list_wall(p, act.id) if n.id == note.id]
        text = history_text(shown, moderation.history(p, note.id), "")
    assert "with another laptop's copy, which read:\nApps change fast\n" in text
    assert "This project's text was kept:\nApps chnage fast" in text


def test_an_encrypted_source_asks_for_its_own_passphrase_and_comes_in(
    window: ProjectWindow, qtbot, tmp_path: Path
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from workshop_app.services.protection import Key
    from workshop_app.ui.common.passphrase import PassphraseDialog

    other = tmp_path / "laptop c.cground"
    create_project(other, "Laptop C", key=Key("laptop c passphrase")).close()
    dialog = window.bring_in_project()
    asked: list[str] = []

    def answer() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, PassphraseDialog):
            QTimer.singleShot(10, answer)
            return
        asked.append(modal.message.text())
        modal.field.setText("laptop c passphrase")
        modal.accept()

    QTimer.singleShot(0, answer)
    dialog.load(other)  # the window's project is plain: its (no) passphrase cannot open it
    assert asked == ["laptop c.cground is encrypted. Type its passphrase to open it."]
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30000)
    assert dialog.summary.toPlainText().startswith("From laptop c.cground (")
    dialog.reject()
