"""Encrypted projects and retention in the desktop app: the passphrase fields and their
strength meter, opening with a passphrase (again when wrong), encrypting, decrypting and
deleting securely from the File menu, the status-bar note, the retention banner, the
start screen's keep-until dates and the recovery sheet. Real files, offscreen Qt."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from workshop_app.core.retention import add_months
from workshop_app.services import sessions
from workshop_app.services.project import create_project, open_project
from workshop_app.services.protection import Key, is_encrypted_file
from workshop_app.services.sessions import SessionDetails
from workshop_app.ui.common.passphrase import PassphraseDialog
from workshop_app.ui.dialogs import NewProjectDialog
from workshop_app.ui.project_window import ProjectWindow
from workshop_app.ui.protection import (
    DeleteProjectDialog,
    EncryptDialog,
    offer_recovery_sheet,
)
from workshop_app.ui.start_window import StartWindow

GOOD = "plum ferry lantern 42"


def answer_each(act: Callable[[], object], *answers: Callable[[QWidget], None]) -> object:
    """Run `act`, answering the modal dialogs it opens one after another."""
    left = list(answers)
    seen: list[QWidget] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog in seen:
            QTimer.singleShot(10, answer)
            return
        seen.append(dialog)
        left.pop(0)(dialog)
        if left:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)
    result = act()
    assert not left, f"{len(left)} dialogs never opened"
    return result


def _type_passphrase(text: str) -> Callable[[QWidget], None]:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, PassphraseDialog)
        dialog.field.setText(text)
        dialog.accept()

    return fill


def test_the_new_project_dialog_is_encrypted_by_default_and_checks_the_passphrase(
    qtbot, tmp_path: Path
) -> None:
    dialog = NewProjectDialog(tmp_path)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.title, "Riverside")
    fields = dialog.passphrase
    assert fields.encrypt.isChecked()
    fields.first.setText("short")
    assert "Strength" in fields.advice.text()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "at least 12 characters" in dialog.problem.text()
    fields.first.setText("password")
    assert "most common" in (fields.problem() or "")
    fields.first.setText(GOOD)
    fields.second.setText(GOOD + "x")
    assert fields.problem() == "The two passphrases are not the same."
    fields.second.setText(GOOD)
    assert fields.meter.value() >= 3 and fields.problem() is None
    assert dialog.key() == Key(GOOD)
    fields.encrypt.setChecked(False)
    assert dialog.key() is None and "not be encrypted" in fields.advice.text()


def test_opening_an_encrypted_project_asks_again_after_a_wrong_passphrase(
    shell, tmp_path: Path
) -> None:
    path = tmp_path / "Secret.cground"
    create_project(path, "Secret", key=Key(GOOD)).close()
    messages: list[str] = []

    def wrong(dialog: QWidget) -> None:
        messages.append(dialog.message.text())  # type: ignore[attr-defined]
        _type_passphrase("plum ferry lantern 43")(dialog)

    def right(dialog: QWidget) -> None:
        messages.append(dialog.message.text())  # type: ignore[attr-defined]
        _type_passphrase(GOOD)(dialog)

    window = answer_each(lambda: shell.open_path(path), wrong, right)
    assert isinstance(window, ProjectWindow) and window.project.encrypted
    assert messages[0] == "Secret.cground is encrypted. Type its passphrase to open it."
    assert messages[1].startswith("That passphrase does not open Secret.cground.")
    assert window.protection.note.text() == "Encrypted"
    window.close()

    def cancel(dialog: QWidget) -> None:
        dialog.reject()  # type: ignore[attr-defined]

    assert answer_each(lambda: shell.open_path(path), cancel) is None
    assert shell.windows == []


def test_a_plain_project_says_so_quietly_and_can_be_encrypted_from_the_file_menu(
    shell, project_path: Path
) -> None:
    window = shell.open_path(project_path)
    assert window is not None and window.protection.note.text() == "Not encrypted"
    assert not window.protection.banner.isVisible()

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, EncryptDialog)
        dialog.passphrase.first.setText(GOOD)
        dialog.passphrase.second.setText(GOOD)
        dialog.accept()

    def no_sheet(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and box.objectName() == "recovery-sheet"
        box.button(QMessageBox.StandardButton.Cancel).click()

    again = answer_each(lambda: shell.encrypt_project(window), choose, no_sheet)
    assert isinstance(again, ProjectWindow) and again is not window
    assert again.project.encrypted and is_encrypted_file(project_path)
    assert again.protection.note.text() == "Encrypted"
    file_menu = [a.text().replace("&", "") for a in again.menuBar().actions()[0].menu().actions()]
    assert "Decrypt project…" in file_menu and "Encrypt project…" not in file_menu

    def go(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        next(b for b in box.buttons() if b.text() == "Decrypt…").click()

    plain = answer_each(lambda: shell.decrypt_project(again), go, _type_passphrase(GOOD))
    assert isinstance(plain, ProjectWindow) and not plain.project.encrypted
    assert not is_encrypted_file(project_path)


def test_the_retention_banner_and_the_start_screen_remind_when_the_date_is_past(
    shell, project_path: Path
) -> None:
    long_ago = date(2020, 5, 1)
    with open_project(project_path) as p:
        sessions.create_session(p, SessionDetails("Spring", date=long_ago))
    window = shell.open_path(project_path)
    assert window is not None
    banner = window.protection.banner.text()
    assert not window.protection.banner.isHidden()
    assert banner.startswith("This project was to be kept until 1 May 2021 (12 months after")
    assert "Delete project securely" in banner
    assert shell.recent.keep_until()[project_path.resolve()] == add_months(long_ago, 12)
    window.close()
    start = shell.start_window
    assert isinstance(start, StartWindow)
    text = start.recent.item(0).text()
    assert "past its keep-until date (1 May 2021): delete it securely" in text


def test_deleting_securely_needs_the_title_typed_and_removes_every_file(
    shell, project_path: Path
) -> None:
    window = shell.open_path(project_path)
    assert window is not None
    folder = project_path.parent
    before = sorted(p.name for p in folder.iterdir())
    assert project_path.name in before

    def typed_wrong(dialog: QWidget) -> None:
        assert isinstance(dialog, DeleteProjectDialog)
        dialog.typed.setText("Riversid")
        assert not dialog.ok.isEnabled()
        dialog.reject()

    assert answer_each(lambda: shell.delete_project(window), typed_wrong) is False
    assert project_path.exists() and window in shell.windows

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, DeleteProjectDialog)
        dialog.typed.setText("Riverside")
        assert dialog.ok.isEnabled()
        dialog.ok.click()

    assert answer_each(lambda: shell.delete_project(window), confirm) is True
    left = sorted(p.name for p in folder.iterdir())
    assert not [n for n in left if n.startswith(("Riverside", ".Riverside"))], left
    assert project_path.resolve() not in shell.recent.paths()
    assert isinstance(shell.start_window, StartWindow)


def test_the_recovery_sheet_holds_the_passphrase_only_when_asked(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    sheet = tmp_path / "sheet.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(sheet), ""))
    path = tmp_path / "Riverside.cground"
    for include in (False, True):

        def save(box: QWidget, include: bool = include) -> None:
            assert isinstance(box, QMessageBox)
            box.checkBox().setChecked(include)
            next(b for b in box.buttons() if b.text() == "Save recovery sheet…").click()

        saved = answer_each(
            lambda: offer_recovery_sheet(None, "Riverside <b>", path, Key(GOOD)), save
        )
        assert saved == sheet
        text = sheet.read_text(encoding="utf-8")
        assert "Project: Riverside <b>" in text and "Project file: Riverside.cground" in text
        assert (GOOD in text) is include
        assert ("write it by hand" in text) is not include
