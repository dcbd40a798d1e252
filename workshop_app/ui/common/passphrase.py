"""Typing the passphrase of an encrypted project: to open it (the shell) or to read it as
another laptop's project to bring in (the merge room). The text is held in a `Key` only,
and the field is cleared when the dialog goes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout, QWidget

from workshop_app.services.protection import Key
from workshop_app.ui.common.widgets import dialog_buttons, plain_label


class PassphraseDialog(QDialog):
    """Asks for the passphrase of an encrypted project (again, when it was wrong)."""

    def __init__(self, path: Path, wrong: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("passphrase")
        self.setWindowTitle("Passphrase")
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Passphrase")
        text = (
            f"That passphrase does not open {path.name}. Check capitals and spaces, and try again."
            if wrong
            else f"{path.name} is encrypted. Type its passphrase to open it."
        )
        self.message = plain_label(text)
        self.message.setObjectName("passphrase-message")
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.field)
        layout.addWidget(dialog_buttons(self, "Open"))
        self.field.setFocus()

    def key(self) -> Key | None:
        return Key(self.field.text()) if self.field.text() else None


def ask_passphrase(path: Path, wrong: bool, parent: QWidget | None) -> Key | None:
    dialog = PassphraseDialog(path, wrong, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.key()
    finally:
        dialog.field.clear()
        dialog.deleteLater()
