"""Stakeholder groups and project settings, edited from the project window."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QPlainTextEdit, QSpinBox

from tests.ui.conftest import settle, wait_for_actions, with_dialog
from workshop_app.core.model import GroupKind
from workshop_app.core.plan import SessionPlan
from workshop_app.services import groups, project
from workshop_app.ui.dialogs import NewProjectDialog, NewSessionDialog, SettingsDialog


def _accept(dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    next(
        b for b in box.buttons() if box.buttonRole(b) is QDialogButtonBox.ButtonRole.AcceptRole
    ).click()


def test_groups_are_added_renamed_and_removed_at_once_with_undo(window, qtbot):
    window.edit_groups()
    dialog = window.groups_dialog
    assert dialog is not None and dialog.table.rowCount() == 4

    dialog.add_button.click()
    settle()
    names = [g.name for g in groups.list_groups(window.project)]
    assert names[-1] == "New group" and dialog.table.rowCount() == 5

    row = 4
    dialog.table.item(row, 0).setText("Youth workers")
    settle()
    kind = dialog.table.cellWidget(row, 1)
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findData(GroupKind.PRACTITIONER.value))
    settle()
    added = groups.list_groups(window.project)[-1]
    assert (added.name, added.kind) == ("Youth workers", GroupKind.PRACTITIONER)

    dialog.table.selectRow(row)
    dialog.remove_button.click()
    settle()
    assert "Youth workers" not in [g.name for g in groups.list_groups(window.project)]
    window.undo_stack.undo()
    settle()
    assert groups.list_groups(window.project)[-1].name == "Youth workers"
    window.undo_stack.undo()  # the kind
    wait_for_actions()
    window.undo_stack.undo()  # the name
    settle()
    assert groups.list_groups(window.project)[-1].name == "New group"
    assert dialog.table.item(4, 0).text() == "New group"


def test_a_duplicate_group_name_is_refused_and_the_table_shows_the_truth(window):
    window.edit_groups()
    dialog = window.groups_dialog
    first = dialog.table.item(0, 0).text()
    dialog.table.item(1, 0).setText(first)
    settle()
    assert [g.name for g in groups.list_groups(window.project)].count(first) == 1
    assert dialog.table.item(1, 0).text() != first


def test_settings_dialog_is_built_from_every_setting_and_saves_with_undo(window):
    def fill(dialog: SettingsDialog) -> None:
        support = dialog.editors["support_info"]
        agree = dialog.editors["consensus_agree_min_percent"]
        assert isinstance(support, QPlainTextEdit) and isinstance(agree, QSpinBox)
        support.setPlainText("Riverside Youth Service: 01234 567890")
        agree.setValue(75)
        dialog.title.setText("Riverside (2027)")
        _accept(dialog)

    with_dialog(window.edit_settings, fill)
    settle()
    s = project.get_settings(window.project)
    assert s.support_info == "Riverside Youth Service: 01234 567890"
    assert s.consensus_agree_min_percent == 75
    assert window.windowTitle().startswith("Riverside (2027)")
    window.undo_stack.undo()
    settle()
    assert project.get_settings(window.project).consensus_agree_min_percent == 70
    assert project.get_project(window.project).title == "Riverside"


def test_a_refused_setting_keeps_the_dialog_open_with_the_reason(window):
    shown: list[str] = []

    def fill(dialog: SettingsDialog) -> None:
        dialog.title.setText("")
        _accept(dialog)  # refused: the dialog comes back, with its reason

        def look() -> None:
            shown.append(dialog.error.text())
            dialog.reject()

        QTimer.singleShot(50, look)

    with_dialog(window.edit_settings, fill)
    assert shown and "title" in shown[0].lower()
    assert project.get_project(window.project).title == "Riverside"


def test_new_project_dialog_suggests_a_file_name_from_the_title(qtbot, tmp_path):
    dialog = NewProjectDialog(tmp_path)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.title, "Riverside: safe online")
    path, title, _ = dialog.values()
    assert path == tmp_path / "riverside-safe-online.cground"
    assert title == "Riverside: safe online"


def test_new_session_dialog_lists_broken_plan_files_as_plain_text(qtbot):
    dialog = NewSessionDialog([], ["my.toml: activities[1].kind: <b>bad</b>"], [])
    qtbot.addWidget(dialog)
    label = dialog.findChild(type(dialog.plan_summary), "plan-problems")
    assert label.textFormat() is Qt.TextFormat.PlainText
    assert "<b>bad</b>" in label.text()
    assert dialog.selected_plan() is None
    assert isinstance([], list) and not isinstance(dialog.selected_plan(), SessionPlan)
