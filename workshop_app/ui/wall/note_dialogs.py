"""The note wall's dialogs: fix a typo, a note's history, mark as duplicate, flag, and the
question before a note held back on arrival is released to the screen.

Every note text is shown as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.merge import MERGE_EDITOR
from workshop_app.core.model import (
    Note,
    NoteEdit,
    NoteSource,
    NoteStatus,
)
from workshop_app.core.participation import HELP_MESSAGE_MAX
from workshop_app.core.safeguarding import hold_labels, is_disclosure
from workshop_app.ui.common.labels import short
from workshop_app.ui.common.widgets import dialog_buttons, plain_label, soft_breaks
from workshop_app.ui.wall.note_model import (
    SOURCE_WORDS,
)

EDITED_BY = {"participant": "its writer, on their phone", "facilitator": "the facilitator"}


def _when(n: Note | NoteEdit) -> str:
    at = n.created_at.astimezone()
    return f"{at.day} {at:%b %H:%M}"  # not %-d: Windows has no such directive


class FixTypoDialog(QDialog):
    """Correct a note's text; what was first written stays in its history."""

    def __init__(self, note: Note, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fix-typo")
        self.setWindowTitle("Fix typo")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("fix-typo-text")
        self.editor.setAccessibleName("Note text")
        self.editor.setPlainText(note.text)
        self.editor.setTabChangesFocus(True)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "Correct the spelling only; keep the writer's words. The text as first "
                "written stays in the note's history."
            )
        )
        layout.addWidget(self.editor)
        if note.original_text != note.text:
            layout.addWidget(plain_label(f"First written: {note.original_text}", whole=True))
        layout.addWidget(dialog_buttons(self, "Save"))
        self.resize(460, 240)

    def text(self) -> str:
        return self.editor.toPlainText()


class HistoryDialog(QDialog):
    """A note's original text and every change to it: who and when (plain text)."""

    def __init__(
        self, note: Note, edits: list[NoteEdit], group: str, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("note-history")
        self.setWindowTitle("History of the note")
        self.view = QPlainTextEdit()
        self.view.setObjectName("note-history-text")
        self.view.setAccessibleName("History of the note")
        self.view.setReadOnly(True)
        self.view.setPlainText(history_text(note, edits, group))
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(dialog_buttons(self, None))
        self.resize(480, 320)

    def text(self) -> str:
        return self.view.toPlainText()


def history_text(note: Note, edits: list[NoteEdit], group: str) -> str:
    how = "sent from a phone" if note.source is NoteSource.PHONE else "typed in from paper"
    lines = [f"Written {_when(note)}, {how} ({group}):", note.original_text, ""]
    for e in edits:
        if e.edited_by == MERGE_EDITOR:  # both laptops had it, with different words
            lines += [f"Brought together {_when(e)} with another laptop's copy, which read:"]
            lines += [e.old_text, "This project's text was kept:", e.new_text, ""]
            continue
        lines += [f"Changed {_when(e)} by {EDITED_BY.get(e.edited_by, e.edited_by)}:", e.new_text]
        lines.append("")
    if not edits:
        lines.append("Never changed.")
    return "\n".join(lines).rstrip() + "\n"


class DuplicateDialog(QDialog):
    """Pick the note this one repeats."""

    def __init__(self, note: Note, others: list[Note], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mark-duplicate")
        self.setWindowTitle("Mark as duplicate")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search")
        self.search.setAccessibleName("Search notes")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("duplicate-choices")
        self.list.setAccessibleName("The note it repeats")
        self.list.setWordWrap(True)
        for other in others:
            if other.duplicate_of is not None:
                continue  # point at the first of a set
            item = QListWidgetItem(f"{other.text}\n{SOURCE_WORDS[other.source]} · {_when(other)}")
            item.setData(Qt.ItemDataRole.UserRole, other.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(f"“{short(note.text, 80)}” says the same as:", whole=True))
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(
            plain_label("Both notes are kept; the projector shows the first one only.")
        )
        layout.addWidget(dialog_buttons(self, "Mark as duplicate"))
        self.search.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self.resize(480, 420)

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(not all(w in item.text().casefold() for w in words))

    def choose(self, note_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == note_id:
                self.list.setCurrentRow(row)

    def chosen_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else item.data(Qt.ItemDataRole.UserRole)


class FlagDialog(QDialog):
    """Flag a note for safeguarding follow-up, with a private note of what to do."""

    def __init__(self, note: Note, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("flag-note")
        self.setWindowTitle("Flag for safeguarding follow-up")
        self.follow_up = QLineEdit(note.flag_note)
        self.follow_up.setObjectName("flag-follow-up")
        self.follow_up.setAccessibleName("Follow-up note")
        self.follow_up.setPlaceholderText("What to do, e.g. “Sam to check in at the break”")
        self.follow_up.setMaxLength(HELP_MESSAGE_MAX)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(f"“{short(note.text, 120)}”", whole=True))
        layout.addWidget(
            plain_label(
                "The flag and your note stay on this laptop: never on the projector or on "
                "phones. Follow your safeguarding procedure."
            )
        )
        layout.addWidget(self.follow_up)
        # A note on the projector that worries you should usually leave it at once.
        self.hide_too = QCheckBox("Also take it off the projector (hide it)")
        self.hide_too.setObjectName("flag-hide-too")
        self.hide_too.setChecked(note.status is NoteStatus.SHOWN)
        self.hide_too.setVisible(note.status is not NoteStatus.HIDDEN)
        layout.addWidget(self.hide_too)
        layout.addWidget(dialog_buttons(self, "Flag" if not note.flagged else "Save"))
        self.resize(460, 200)


class ReleaseBox(QMessageBox):
    """Release a note held back on arrival? The whole note quoted (plain text) with every
    reason it was held; a flag on it is asked about in the same question. Enter and Escape
    keep it held back."""

    def __init__(self, note: Note, parent: QWidget | None = None):
        super().__init__(
            QMessageBox.Icon.Warning,
            "Release a held note to the screen?",
            "",
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        self.setObjectName("release-held")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(soft_breaks(release_text(note)))  # a long link wraps, all of it read
        self.keep = self.addButton("Keep it held back", QMessageBox.ButtonRole.RejectRole)
        self.release = self.addButton("Release to the screen", QMessageBox.ButtonRole.AcceptRole)
        self.setDefaultButton(self.keep)  # Enter keeps it off the screen
        self.setEscapeButton(self.keep)

    def released(self) -> bool:
        return self.clickedButton() is self.release


def release_text(note: Note) -> str:
    """The question's words: the note, why it was held, its flag, what releasing does."""
    reasons = hold_labels(note.hold_reasons) or ["a reason this version does not know"]
    lines = [f"“{note.text}”", "", "Held back when it arrived:"]
    lines += [f"• {r}" for r in reasons]
    if note.flagged:
        lines += ["", "You have also flagged it for safeguarding follow-up."]
        if note.flag_note:
            lines.append(f"Follow-up (private): {note.flag_note}")
    lines += ["", "Everyone in the room will read it on the screen."]
    if is_disclosure(note.hold_reasons):
        lines.append(
            "If it may be a disclosure, follow your safeguarding procedure first; hiding it "
            "keeps it in the project, off the screen."
        )
    return "\n".join(lines)
