"""Protecting a project file: choosing a passphrase (with a strength meter), typing one
to open a project, the recovery sheet, and confirming a secure deletion.

The words and rules live in core (core/passphrase.py, core/retention.py); these are the
widgets. A passphrase is held only in a `Key` for as long as the project is open: never
written to QSettings, the recent list, a log or a message.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.passphrase import recovery_sheet, strength
from workshop_app.services.errors import message_for
from workshop_app.services.protection import Key
from workshop_app.ui.common.widgets import dialog_buttons, plain_label, show_error


class NewPassphrase(QWidget):
    """Encrypt or not (encrypted by default), the passphrase twice, and its strength."""

    def __init__(self, parent: QWidget | None = None, *, optional: bool = True):
        super().__init__(parent)
        self.encrypt = QCheckBox("Encrypt the project file (recommended)")
        self.encrypt.setChecked(True)
        self.encrypt.setVisible(optional)
        self.encrypt.setToolTip(
            "Without the passphrase nobody can read the file, for example if the laptop is lost."
        )
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName("Passphrase")
        self.first.setPlaceholderText("e.g. three random words")
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName("Passphrase again")
        self.meter = QProgressBar()
        self.meter.setObjectName("passphrase-strength")
        self.meter.setAccessibleName("Passphrase strength")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.advice = plain_label("")
        self.advice.setObjectName("passphrase-advice")
        self.show_text = QCheckBox("Show the passphrase")
        form = QFormLayout()
        form.addRow("Passphrase", self.first)
        form.addRow("Again", self.second)
        form.addRow("", self.meter)
        form.addRow("", self.advice)
        form.addRow("", self.show_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.encrypt)
        layout.addLayout(form)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self.encrypt.toggled.connect(self._update)
        self.show_text.toggled.connect(self._show)
        self._update()

    def _show(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _update(self, *_args: object) -> None:
        on = self.encrypt.isChecked()
        for w in (self.first, self.second, self.meter, self.advice, self.show_text):
            w.setEnabled(on)
        text = self.first.text()
        if not on:
            self.advice.setText(
                "The file will not be encrypted: anyone with a copy of it can read every note."
            )
            self.meter.setValue(0)
            return
        if not text:
            self.advice.setText(
                "Choose a passphrase you can remember: three random words work well. It is "
                "not stored anywhere, so nobody can open the project without it."
            )
            self.meter.setValue(0)
            return
        found = strength(text)
        steps = {"weak": 1, "fair": 2, "good": 3, "strong": 4}
        self.meter.setValue(steps.get(found.level, 0))
        self.meter.setAccessibleDescription(found.label)
        self.advice.setText(f"{found.label}. {found.advice}")

    def problem(self) -> str | None:
        """Why the passphrase cannot be used yet (None: it can)."""
        if not self.encrypt.isChecked():
            return None
        found = strength(self.first.text())
        if not found.acceptable:
            return found.advice
        if self.first.text() != self.second.text():
            return "The two passphrases are not the same."
        return None

    def key(self) -> Key | None:
        """The chosen key (None: a plain file). Call once problem() is None."""
        if not self.encrypt.isChecked() or self.problem() is not None:
            return None
        return Key(self.first.text())


class EncryptDialog(QDialog):
    """Encrypt an open, plain project: choose its passphrase."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("encrypt-project")
        self.setWindowTitle("Encrypt project")
        self.passphrase = NewPassphrase(self, optional=False)
        self.error = plain_label("")
        self.error.setObjectName("encrypt-problem")
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                f"{name} will be encrypted, with the backups Common Ground made of it. A new, "
                "encrypted copy is checked row by row before it replaces the file."
            )
        )
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, "Encrypt"))

    def accept(self) -> None:
        problem = self.passphrase.problem()
        if problem:
            self.error.setText(problem)
            return
        super().accept()


class DeleteProjectDialog(QDialog):
    """Delete a project securely: lists what goes, and asks for the title to be typed."""

    def __init__(self, title: str, files: list[Path], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("delete-project")
        self.setWindowTitle("Delete project securely")
        self._title = title
        listed = "\n".join(f"• {f.name}" for f in files)
        self.typed = QLineEdit()
        self.typed.setAccessibleName("Project title, to confirm")
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "This removes the project for good, with everything Common Ground keeps of "
                f"it beside the file:\n{listed}\n\nExports you saved elsewhere are not "
                "touched. It cannot be undone."
            )
        )
        layout.addWidget(plain_label(f"Type the project's title to confirm: {title}"))
        layout.addWidget(self.typed)
        # Enter never deletes: Cancel is the default; the delete button is enabled only
        # once the title is typed, and must be clicked.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.addButton(
            "Delete for good", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.ok.setAutoDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        self.ok.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.typed.textChanged.connect(self._check)
        self._check()

    def _check(self, *_args: object) -> None:
        self.ok.setEnabled(self.typed.text().strip() == self._title.strip())

    def accept(self) -> None:
        if self.typed.text().strip() == self._title.strip():
            super().accept()


def offer_recovery_sheet(parent: QWidget | None, title: str, path: Path, key: Key) -> Path | None:
    """Offer to save the recovery sheet; returns where it was saved (None: not saved)."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Recovery sheet",
        "",
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setObjectName("recovery-sheet")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        f"{path.name} is encrypted. Without its passphrase nobody can open it, including "
        "you. Save a recovery sheet to print: it names the project and its file and has "
        "a space to write the passphrase by hand."
    )
    include = QCheckBox("Write the passphrase on the sheet too")
    box.setCheckBox(include)
    save = box.addButton("Save recovery sheet…", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    if box.clickedButton() is not save:
        return None
    suggested = path.with_name(f"{path.stem} recovery sheet.txt")
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Save the recovery sheet", str(suggested), "Text files (*.txt)"
    )
    if not chosen:
        return None
    text = recovery_sheet(
        title, path.name, date.today(), key.passphrase if include.isChecked() else None
    )
    target = Path(chosen)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        show_error(parent, "Could not save the recovery sheet", message_for(exc))
        return None
    return target
