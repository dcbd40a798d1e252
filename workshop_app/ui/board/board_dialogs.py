"""The theme board's dialogs: a theme's name, the theme to move notes to, its colour."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeyEvent,
    QPixmap,
)
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop_app.services.board import PALETTE, THEME_NAME_MAX, Board
from workshop_app.ui.common.widgets import dialog_buttons, plain_label

log = logging.getLogger(__name__)


UNTHEMED_NAME = "Not yet in a theme"


def notes_phrase(n: int) -> str:
    return f"{n} note" if n == 1 else f"{n} notes"


class NameDialog(QDialog):
    def __init__(self, title: str, explanation: str, name: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name = QLineEdit(name)
        self.name.setAccessibleName("Theme name")
        self.name.setMaxLength(THEME_NAME_MAX)
        self.name.selectAll()  # typing replaces the name; Enter or Escape keeps it
        self.name.setFocus()
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(explanation))
        layout.addWidget(self.name)
        layout.addWidget(dialog_buttons(self, "OK"))


def ask_name(parent: QWidget, title: str, explanation: str, name: str = "") -> str | None:
    """A theme name typed by the facilitator (checked by the service), or None."""
    dialog = NameDialog(title, explanation, name, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.name.text()
        return None
    finally:
        dialog.deleteLater()


class _Filter(QLineEdit):
    """The picker's type-ahead box: Up and Down move through the list below."""

    def __init__(self, rows: QListWidget):
        super().__init__()
        self._rows = rows

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            visible = [r for r in range(self._rows.count()) if not self._rows.item(r).isHidden()]
            if visible:
                here = self._rows.currentRow()
                i = visible.index(here) + step if here in visible else 0
                self._rows.setCurrentRow(visible[max(0, min(i, len(visible) - 1))])
            return
        super().keyPressEvent(event)


class ThemePicker(QDialog):
    """Where notes go: type a few letters of a theme, Enter to choose."""

    def __init__(self, board: Board, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.choice: str | None = None
        self.rows = QListWidget()
        self.rows.setAccessibleName("Themes")
        self.filter = _Filter(self.rows)
        self.filter.setAccessibleName("Type to find a theme")
        self.filter.setPlaceholderText("Type to find a theme")
        self._ids: list[str | None] = []
        for t in board.themes:
            self.rows.addItem(QListWidgetItem(f"{t.name} — {notes_phrase(len(t.note_ids))}"))
            self._ids.append(t.id)
        self.rows.addItem(QListWidgetItem(UNTHEMED_NAME))
        self._ids.append(None)
        self._names = [t.name for t in board.themes] + [UNTHEMED_NAME]
        self.rows.setCurrentRow(0)
        self.filter.textChanged.connect(self._narrow)
        self.filter.returnPressed.connect(self.accept)
        self.rows.itemActivated.connect(lambda _i: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.rows)
        layout.addWidget(dialog_buttons(self, "Move"))
        self.filter.setFocus()

    def _narrow(self, text: str) -> None:
        words = text.casefold().split()
        first = None
        for row, name in enumerate(self._names):
            shown = all(w in name.casefold() for w in words)
            self.rows.item(row).setHidden(not shown)
            if shown and first is None:
                first = row
        if first is not None:
            self.rows.setCurrentRow(first)
        else:
            self.rows.setCurrentRow(-1)

    def accept(self) -> None:
        row = self.rows.currentRow()
        if row < 0 or self.rows.item(row).isHidden():
            return
        self.choice = self._ids[row]
        super().accept()


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(20, 20)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class ColourDialog(QDialog):
    """A palette colour, or any colour as #rrggbb."""

    def __init__(self, current: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Theme colour")
        self.rows = QListWidget()
        self.rows.setAccessibleName("Colours")
        for name, hex_ in PALETTE:
            self.rows.addItem(QListWidgetItem(_swatch(hex_), name))
        self.other = QLineEdit()
        self.other.setAccessibleName("Other colour as #rrggbb")
        self.other.setPlaceholderText("or another colour, like #8ECAE6")
        named = [hex_.lower() for _, hex_ in PALETTE]
        if current.lower() in named:
            self.rows.setCurrentRow(named.index(current.lower()))
        else:
            self.other.setText(current)
        self.rows.itemActivated.connect(lambda _i: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(self.rows)
        layout.addWidget(self.other)
        layout.addWidget(dialog_buttons(self, "Use colour"))

    def colour(self) -> str:
        typed = self.other.text().strip()
        if typed:
            return typed
        row = self.rows.currentRow()
        return PALETTE[row][1] if row >= 0 else ""
