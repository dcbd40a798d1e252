"""Enter and Ctrl+Enter in every dialog: Enter presses the button that says what the dialog
is for (never one that deletes, ends or exports what is undecided), and Ctrl+Enter saves a
dialog from a text box of several lines, where Enter starts a new line."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from tests.ui import catalog
from tests.ui.conftest import settle, with_dialog
from workshop_app.services import moderation, privacy, project
from workshop_app.services import standards as standard_service
from workshop_app.ui.export.export_dialog import ExportDialog, ExportKind
from workshop_app.ui.export.privacy_review import PrivacyReviewDialog

CTRL = Qt.KeyboardModifier.ControlModifier

#: The button Enter presses in each dialog: what the dialog is for, or the way back.
DEFAULTS = {
    "new project": "Create project",
    "passphrase": "Open",
    "encrypt project": "Encrypt",
    "delete project": "Cancel",  # deleting needs the title typed and a click
    "new session": "Create session",
    "project settings": "Save settings",
    "stakeholder groups": "Close",
    "save session as plan": "Save plan",
    "fix typo": "Save",
    "history of a note": "Close",
    "mark as duplicate": "Mark as duplicate",
    "flag for safeguarding": "Flag",
    "theme name": "OK",
    "move to theme": "Move",
    "theme colour": "Use colour",
    "bring in priorities": "Bring in",
    "add sources": "Add sources",
    "link to standard": "Link",
    "new standard": "Add standard",
    "export": "Export",  # the review of personal details comes first (below)
    "privacy review": "Close",
    "privacy review before an export": "Back",  # details are still undecided
}
NEVER_BY_ENTER = re.compile(r"delete|remove|skip|end |replace|discard|erase", re.IGNORECASE)


def _default(dialog: QWidget) -> list[str]:
    return [
        b.text().replace("&", "")
        for b in dialog.findChildren(QPushButton)
        if b.isDefault() and b.isVisible()
    ]


@pytest.fixture
def world(window) -> catalog.World:
    return catalog.fill(window)


def test_enter_presses_the_safe_button_that_says_what_each_dialog_is_for(window, world, qtbot):
    assert set(DEFAULTS) == set(catalog.FACTORIES)
    found = {}
    for name, dialog in catalog.every_dialog(window, world):
        dialog.show()
        qtbot.waitExposed(dialog)
        found[name] = _default(dialog)
        box = dialog.findChild(QDialogButtonBox)
        if box is not None:
            for b in box.buttons():
                if b.text().replace("&", "") in found[name]:
                    assert box.buttonRole(b) is not QDialogButtonBox.ButtonRole.DestructiveRole
        dialog.done(0)
        dialog.deleteLater()
    assert found == {name: [text] for name, text in DEFAULTS.items()}
    assert not [t for texts in found.values() for t in texts if NEVER_BY_ENTER.search(t)]


def test_enter_in_the_privacy_review_goes_back_and_exports_nothing(window, world, tmp_path):
    dialog = ExportDialog(window.project, window.undoable, world.session_id, window)
    dialog.choose(ExportKind.SUMMARY, world.session_id)
    dialog.path.setText(str(tmp_path / "summary.docx"))
    assert dialog.undecided() > 0
    seen: list[str] = []

    def press_enter(review: QWidget) -> None:
        assert isinstance(review, PrivacyReviewDialog)
        seen.append(review.continue_button.text())
        QTest.keyClick(review.findChild(QListWidget, "privacy-findings"), Qt.Key.Key_Return)

    assert with_dialog(dialog.start_export, press_enter) is False
    assert seen == ["Skip the rest and export"]
    assert not (tmp_path / "summary.docx").exists() and not dialog.is_busy()
    dialog.deleteLater()


def test_once_nothing_is_left_to_review_enter_continues_to_the_export(window, world, qtbot):
    review = PrivacyReviewDialog(
        window.project, window.undoable, world.session_id, window, before_export=True
    )
    review.show()
    qtbot.waitExposed(review)
    while review.left_to_review():
        review.keep_button.click()
    assert _default(review) == ["Continue to export"]
    QTest.keyClick(review.list, Qt.Key.Key_Return)
    assert review.result() == QDialog.DialogCode.Accepted


def test_removing_words_from_the_project_asks_with_cancel_as_the_default(window, world):
    review = PrivacyReviewDialog(window.project, window.undoable, world.session_id, window)
    review.show()
    seen: list[str] = []

    def look(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.defaultButton().text().replace("&", ""))
        QTest.keyClick(box, Qt.Key.Key_Return)

    before = privacy.findings(window.project, world.session_id)
    with_dialog(review.delete_original, look)
    assert seen == ["Cancel"]
    assert privacy.findings(window.project, world.session_id) == before, "nothing removed"
    review.done(0)


def test_replacing_an_exported_file_asks_with_no_as_the_default(window, world, tmp_path):
    target = tmp_path / "summary.docx"
    target.write_bytes(b"earlier")
    dialog = ExportDialog(window.project, window.undoable, world.session_id, window)
    seen: list[str] = []

    def look(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.defaultButton().text().replace("&", ""))
        QTest.keyClick(box, Qt.Key.Key_Return)

    assert with_dialog(lambda: dialog.confirm_replace(target), look) is False
    assert seen == ["No"] and target.read_bytes() == b"earlier"
    dialog.deleteLater()


# ---------------------------------------------------------------- Ctrl+Enter


def _text_boxes(dialog: QWidget) -> list[QPlainTextEdit]:
    return [e for e in dialog.findChildren(QPlainTextEdit) if not e.isReadOnly() and e.isVisible()]


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter], ids=["Return", "Enter"])
def test_ctrl_enter_saves_every_dialog_with_a_text_box_of_several_lines(window, world, qtbot, key):
    saved = []
    for name, dialog in catalog.every_dialog(window, world):
        dialog.show()
        qtbot.waitExposed(dialog)
        boxes = _text_boxes(dialog)
        if not boxes:
            dialog.done(0)
            dialog.deleteLater()
            continue
        if hasattr(dialog, "title") and hasattr(dialog.title, "setText"):
            dialog.title.setText(dialog.title.text() or "A title")  # a standard needs one
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        box = boxes[0]
        box.setFocus()
        QTest.keyClicks(box, "More words")
        QTest.keyClick(box, Qt.Key.Key_Return)  # Enter alone: a new line, still open
        assert dialog.isVisible() and "\n" in box.toPlainText(), name
        keypad = Qt.KeyboardModifier.KeypadModifier if key == Qt.Key.Key_Enter else CTRL
        modifiers = CTRL | keypad
        QTest.keyClick(box, key, modifiers)
        assert dialog.result() == QDialog.DialogCode.Accepted, f"{name}: not saved"
        saved.append(name)
        dialog.deleteLater()
    assert saved == ["project settings", "save session as plan", "fix typo", "new standard"]


def _type_and_save(text: str):
    def fill(dialog: QWidget) -> None:
        # A window's shortcuts reach the active window only: wait until it is.
        deadline = time.monotonic() + 5
        while not dialog.isActiveWindow() and time.monotonic() < deadline:
            dialog.raise_()
            dialog.activateWindow()
            QApplication.processEvents()
            time.sleep(0.01)
        try:
            box = _text_boxes(dialog)[0]
            box.setFocus()
            box.selectAll()
            QTest.keyClicks(box, text)
            QTest.keyClick(box, Qt.Key.Key_Return, CTRL)
        finally:
            if dialog.isVisible():  # not saved: close it, so that the test fails, not hangs
                stuck.append(dialog.windowTitle())
                dialog.reject()

    stuck: list[str] = []
    fill.stuck = stuck  # type: ignore[attr-defined]
    return fill


def test_ctrl_enter_saves_a_fixed_typo(window, world):
    window.tabs.setCurrentIndex(1)
    settle()
    note_id = world.note_ids[0]
    window.wall.select_notes([note_id])
    with_dialog(window.wall.fix_typo, _type_and_save("Apps change so fast"))
    note = next(
        n for n in moderation.list_wall(window.project, world.brainstorm_id) if n.id == note_id
    )
    assert note.text == "Apps change so fast"


def test_ctrl_enter_saves_the_project_settings(window, world):
    with_dialog(window.edit_settings, _type_and_save("Childline 0800 1111"))
    settings = project.get_settings(window.project).as_mapping()
    assert "Childline 0800 1111" in settings.values()


def test_ctrl_enter_saves_a_session_as_a_plan(window, world):
    path = with_dialog(window.save_session_as_plan, _type_and_save("For parents' evenings"))
    assert isinstance(path, Path) and "For parents' evenings" in path.read_text(encoding="utf-8")


def test_ctrl_enter_adds_a_new_standard(window, world):
    standards = window.show_standards()

    def fill(dialog: QWidget) -> None:
        dialog.title.setText("A trusted adult")
        _type_and_save("Every child knows an adult to tell.")(dialog)

    with_dialog(standards.new_standard, fill)
    made = [s.statement for s in standard_service.list_standards(window.project)]
    assert "Every child knows an adult to tell." in made
