"""Paper sticky notes typed in on the note wall: the group chosen once, then each note and
Enter; the field clears and keeps the focus for the next. Each note is one undo step
(`WallPresenter.capture`); a refusal is said quietly under the field and the text stays.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from workshop_app.core.participation import NOTE_MAX
from workshop_app.services import groups as group_service
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.widgets import plain_label
from workshop_app.ui.wall.wall_presenter import WallPresenter


class CaptureEdit(QLineEdit):
    """The paper-note line: Enter takes the note, Escape leaves for the wall."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class PaperNotes(QWidget):
    """The wall's strip for typing in paper notes."""

    captured = Signal()  # a note was taken: the wall reads its notes again

    def __init__(self, presenter: WallPresenter, actions: Actions, parent: QWidget | None = None):
        super().__init__(parent)
        self.presenter = presenter
        self.undoable = actions
        self.group = QComboBox()
        self.group.setObjectName("paper-group")
        self.group.setAccessibleName("Group of the paper notes")
        self.edit = CaptureEdit()
        self.edit.setObjectName("paper-note")
        self.edit.setAccessibleName("Paper note to type in")
        self.edit.setPlaceholderText("Type a paper note, Enter (Ctrl+T to come here)")
        self.edit.setMaxLength(NOTE_MAX)
        self.count = plain_label(wrap=False)
        self.count.setObjectName("paper-count")
        self.count.setAccessibleName("Paper notes typed in")
        self.message = plain_label()
        self.message.setObjectName("paper-message")
        set_tone(self.message, "warning")
        self.message.hide()

        paper = QHBoxLayout()
        paper.addWidget(self.group)
        paper.addWidget(self.edit, 1)
        info = QHBoxLayout()
        info.addWidget(self.message, 1)
        info.addWidget(self.count, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            plain_label(
                "Paper sticky notes: choose their group once, then type each one and press Enter",
                wrap=True,
            )
        )
        layout.addLayout(paper)
        layout.addLayout(info)

        self.edit.returnPressed.connect(self.capture)
        self.edit.textEdited.connect(lambda _t: self.message.hide())
        self.group.activated.connect(self._on_group_chosen)
        self.show_count()

    def fill_groups(self) -> None:
        """The project's stakeholder groups, the one chosen kept when it is still there."""
        self.group.clear()
        self.group.addItem("No group", None)
        for g in group_service.list_groups(self.presenter.project):
            self.group.addItem(g.name, g.id)
        index = self.group.findData(self.presenter.capture_group)
        if index < 0:
            self.presenter.capture_group = None
            index = 0
        self.group.setCurrentIndex(index)

    def _on_group_chosen(self, index: int) -> None:
        self.presenter.capture_group = self.group.itemData(index)

    def show_count(self) -> None:
        self.count.setText(self.presenter.capture_words())

    def say(self, text: str) -> None:
        """A message under the field (also the wall's: flagged notes held back)."""
        self.message.setText(text)
        self.message.show()

    def capture(self) -> None:
        """Take the typed paper note; the field clears and keeps the focus for the next."""
        text = self.edit.text()
        if self.presenter.activity_id is None:
            self.say("Choose a brainstorm activity first.")
            return
        if not text.strip():
            self.say("Type the note first, then press Enter.")
            return
        # The field clears at once for the next note while this one is stored; if the
        # project refuses it, it is said quietly under the field and the text comes back.
        self.edit.clear()
        self.edit.setFocus()
        self.message.hide()

        def refused(_title: str, message: str) -> None:
            if not self.edit.text():
                self.edit.setText(text)
            self.say(message)

        def taken(_note: object) -> None:
            self.show_count()
            self.captured.emit()

        self.presenter.capture(self.undoable.perform, text, refused).then(taken)
