"""The privacy review: before an export, the facilitator goes through the words in notes
that look like personal details and decides, one by one, whether exports show them.

- **Remove from exports** (Alt+R): exports show "[removed]"; the note keeps its words.
- **Keep** (Alt+K): the words are exported as written (a false alarm).
- **Remove from the project itself…** (Alt+P): after a clear warning, the words are
  replaced by "[removed]" in the note, its first-written text and its history. Not
  undoable; the undo history is cleared so that no earlier step brings them back.

Remove and Keep are undoable (Ctrl+Z in the dialog, or Edit → Undo later); decisions
already made are listed on the "Decided" tab, where each can be taken back. Every note
text is shown as plain text; the words in question are marked [[like this]].
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import NoteStatus
from workshop_app.core.redaction import REMOVED, Decision, apply
from workshop_app.services import privacy
from workshop_app.services import sessions as session_service
from workshop_app.services.errors import USER_ERRORS, StoreClosedError
from workshop_app.services.privacy import NoteDecision, NoteFinding
from workshop_app.services.project import OpenProject
from workshop_app.ui.common import keys
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.labels import short
from workshop_app.ui.common.widgets import heading, plain_label, resize_within_screen

log = logging.getLogger(__name__)
MARK_OPEN, MARK_CLOSE = "[[", "]]"


def marked(text: str, start: int, end: int) -> str:
    """The note with the words in question between [[ and ]] (plain text)."""
    return f"{text[:start]}{MARK_OPEN}{text[start:end]}{MARK_CLOSE}{text[end:]}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


class PrivacyReviewDialog(QDialog):
    """Suspected personal details in the notes of one session (None: of every session)."""

    def __init__(
        self,
        project: OpenProject,
        actions: Actions,
        session_id: str | None,
        parent: QWidget | None = None,
        *,
        before_export: bool = False,
    ):
        super().__init__(parent)
        self.setObjectName("privacy-review")
        self.setWindowTitle("Privacy review")
        self.project = project
        self.undoable = actions
        self.session_id = session_id
        self.before_export = before_export
        self._findings: list[NoteFinding] = []
        self._decisions: list[NoteDecision] = []
        self._acting = False  # our own action: refresh once, after it
        self._listening = True

        scope = "every session"
        if session_id is not None:
            scope = f"“{session_service.get_session(project, session_id).title}”"
        intro = plain_label(
            f"Notes of {scope} whose words look like personal details: names, schools, "
            "phone numbers, email and web addresses, handles, postcodes. For each, choose "
            f"whether exports show the words or “{REMOVED}”. The project keeps what was "
            "written unless you remove the words from the project itself."
        )
        self.count = heading("")
        self.count.setObjectName("privacy-count")
        self.count.setAccessibleName("Left to review")

        # -- to review
        self.list = QListWidget()
        self.list.setObjectName("privacy-findings")
        self.list.setAccessibleName("Suspected personal details")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.kind = plain_label(wrap=False)
        self.kind.setObjectName("privacy-kind")
        self.fragment = plain_label(whole=True)
        self.fragment.setObjectName("privacy-fragment")
        self.fragment.setAccessibleName("The words in question")
        bold = self.fragment.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.fragment.setFont(bold)
        self.context = plain_label(whole=True)
        self.context.setObjectName("privacy-context")
        self.context.setAccessibleName("The note, with the words marked")
        self.context.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where = plain_label()
        self.where.setObjectName("privacy-where")
        self.preview = plain_label(whole=True)
        self.preview.setObjectName("privacy-preview")
        self.preview.setAccessibleName("What exports will show if removed")
        self.remove_button = QPushButton("&Remove from exports")
        self.remove_button.setObjectName("privacy-remove")
        self.remove_button.setToolTip(
            f"Exports show “{REMOVED}” in place of these words; the note keeps them (Alt+R)"
        )
        self.keep_button = QPushButton("&Keep")
        self.keep_button.setObjectName("privacy-keep")
        self.keep_button.setToolTip("Exports show these words as written (Alt+K)")
        self.delete_button = QPushButton("Remove from the &project itself…")
        self.delete_button.setObjectName("privacy-delete")
        self.delete_button.setToolTip(
            "Take the words out of the note and its history for good (asks first; Alt+P)"
        )
        for b in (self.remove_button, self.keep_button, self.delete_button):
            b.setAutoDefault(False)
        detail = QFrame()
        detail.setFrameShape(QFrame.Shape.StyledPanel)
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.kind)
        detail_layout.addWidget(self.fragment)
        detail_layout.addWidget(self.context)
        detail_layout.addWidget(self.where)
        detail_layout.addWidget(self.preview)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.keep_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        detail_layout.addLayout(buttons)
        self.empty = plain_label("Nothing left to review.")
        self.empty.setObjectName("privacy-empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        review_page = QWidget()
        review_layout = QVBoxLayout(review_page)
        review_layout.addWidget(self.list, 1)
        review_layout.addWidget(self.empty, 1)
        review_layout.addWidget(detail)
        self.detail = detail

        # -- decided
        self.decided = QListWidget()
        self.decided.setObjectName("privacy-decided")
        self.decided.setAccessibleName("Decisions made")
        self.decided.setWordWrap(True)
        self.decided.setAlternatingRowColors(True)
        self.decided.setSpacing(2)
        self.take_back_button = QPushButton("&Take back decision")
        self.take_back_button.setObjectName("privacy-take-back")
        self.take_back_button.setToolTip("Put the words back on the list to review")
        self.take_back_button.setAutoDefault(False)
        decided_page = QWidget()
        decided_layout = QVBoxLayout(decided_page)
        decided_layout.addWidget(self.decided, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.take_back_button)
        decided_layout.addLayout(row)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("privacy-tabs")
        self.tabs.addTab(review_page, "To review")
        self.tabs.addTab(decided_page, "Decided")

        # -- bottom: undo, and how to leave
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("privacy-undo")
        self.undo_button.setAutoDefault(False)
        self.skip_note = plain_label()
        self.skip_note.setObjectName("privacy-skip-note")
        set_tone(self.skip_note, "warning")
        self.box = QDialogButtonBox()
        if before_export:
            self.continue_button = self.box.addButton(
                "Continue to export", QDialogButtonBox.ButtonRole.AcceptRole
            )
            # Back to the Export dialog: while details are undecided this is what Enter
            # does, never "Skip the rest and export".
            self.back_button = self.box.addButton("Back", QDialogButtonBox.ButtonRole.RejectRole)
        else:
            self.continue_button = self.box.addButton(QDialogButtonBox.StandardButton.Close)
            self.back_button = self.continue_button
        self.continue_button.setObjectName("privacy-continue")
        self.back_button.setObjectName("privacy-back")
        self.continue_button.setDefault(True)
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.skip_note, 1)
        bottom.addWidget(self.box)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.count)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        # -- wiring
        self.list.currentRowChanged.connect(lambda _r: self._show_current())
        self.decided.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.remove_button.clicked.connect(lambda: self.decide(Decision.REMOVE))
        self.keep_button.clicked.connect(lambda: self.decide(Decision.KEEP))
        self.delete_button.clicked.connect(self.delete_original)
        self.take_back_button.clicked.connect(self.take_back)
        # Undo here takes back this review's own steps only, not the session's earlier work.
        self._first_step = self.undoable.stack.index()
        self.undo_button.clicked.connect(self._undo)
        undo = QShortcut(self)
        keys.set_keys(undo, QKeySequence.StandardKey.Undo)
        undo.activated.connect(self._undo)
        redo = QShortcut(self)
        keys.set_keys(redo, "Ctrl+Shift+Z", QKeySequence.StandardKey.Redo)
        redo.activated.connect(self.undoable.redo)
        self.undoable.stack.indexChanged.connect(self._on_stack_changed)
        self.refresh()
        resize_within_screen(self, 720, 620)

    def _undo(self) -> None:
        """Undo this review's last step, once the actions on their way are steps."""
        stack = self.undoable.stack
        self.undoable.when_idle(lambda: stack.undo() if stack.index() > self._first_step else None)

    # ------------------------------------------------------------------ reading

    def refresh(self, keep_row: int | None = None) -> None:
        """Read the findings and decisions again; keep the place in the list."""
        row = self.list.currentRow() if keep_row is None else keep_row
        try:
            self._findings = privacy.findings(self.project, self.session_id)
            self._decisions = privacy.decisions(self.project, self.session_id)
        except StoreClosedError:  # the project closed with the dialog still about
            return
        except USER_ERRORS as exc:  # the session was deleted meanwhile, the file is gone
            log.info("privacy review: %s", exc)
            self._findings, self._decisions = [], []
        self.list.blockSignals(True)
        self.list.clear()
        for f in self._findings:
            item = QListWidgetItem(
                f"{f.kind.label}: “{f.fragment}”\n"
                f"{short(f.note.text, 90)} · {f.note.session_title} · {f.note.group_name}"
            )
            item.setData(Qt.ItemDataRole.UserRole, (f.note_id, f.fragment))
            self.list.addItem(item)
        self.list.blockSignals(False)
        if self._findings:
            self.list.setCurrentRow(max(0, min(row, len(self._findings) - 1)))
        self.decided.clear()
        for d in self._decisions:
            r = d.redaction
            self.decided.addItem(
                f"{r.decision.label}: “{r.fragment}” ({r.kind.label.lower()})\n"
                f"{short(d.note.text, 90)} · {d.note.session_title}"
            )
        if self._decisions:
            self.decided.setCurrentRow(0)
        n = len(self._findings)
        self.count.setText(f"{n} left to review" if n else "Nothing left to review")
        self.tabs.setTabText(0, f"To review ({n})")
        self.tabs.setTabText(1, f"Decided ({len(self._decisions)})")
        self.list.setVisible(bool(n))
        self.detail.setVisible(bool(n))
        self.empty.setVisible(not n)
        if self.before_export:
            if n:
                self.continue_button.setText("Skip the rest and export")
                self.skip_note.setText(
                    f"If you export now, the {_plural(n, 'suspected detail')} left "
                    "will be exported as written."
                )
            else:
                self.continue_button.setText("Continue to export")
                self.skip_note.setText("")
            # Enter never exports undecided details: it goes back until none is left.
            self.continue_button.setDefault(not n)
            self.back_button.setDefault(bool(n))
        self._show_current()

    def left_to_review(self) -> int:
        return len(self._findings)

    def current_finding(self) -> NoteFinding | None:
        row = self.list.currentRow()
        return self._findings[row] if 0 <= row < len(self._findings) else None

    def select(self, note_id: str, fragment: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == (note_id, fragment):
                self.list.setCurrentRow(row)
                return

    def _show_current(self) -> None:
        f = self.current_finding()
        if f is None:
            for label in (self.kind, self.fragment, self.context, self.where, self.preview):
                label.setText("")
        else:
            n = f.note
            self.kind.setText(f.kind.label)
            self.fragment.setText(f.fragment)
            self.context.setText(marked(n.text, f.finding.start, f.finding.end))
            hidden = " (hidden note)" if n.status is NoteStatus.HIDDEN else ""
            self.where.setText(f"{n.session_title} · {n.activity_title} · {n.group_name}{hidden}")
            self.preview.setText(f"Exports would read: {apply(n.text, [f.fragment])}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.current_finding() is not None
        for b in (self.remove_button, self.keep_button, self.delete_button):
            b.setEnabled(has)
        self.take_back_button.setEnabled(self.decided.currentRow() >= 0)
        stack = self.undoable.stack
        mine = stack.canUndo() and stack.index() > self._first_step
        self.undo_button.setEnabled(mine)
        self.undo_button.setText(f"Undo {short(stack.undoText(), 48)}" if mine else "Undo")

    def _on_stack_changed(self, _index: int) -> None:
        if not self._acting:  # an undo or redo, here or in the window: read once it is done
            self.undoable.when_idle(self.refresh)

    # ------------------------------------------------------------------ deciding

    def decide(self, decision: Decision) -> None:
        """Remove the current words from exports, or keep them (one undo step)."""
        f = self.current_finding()
        if f is None or self._acting:  # the last decision is still being stored
            return
        row = self.list.currentRow()
        verb = "Remove" if decision is Decision.REMOVE else "Keep"
        where = "from exports" if decision is Decision.REMOVE else "in exports"
        p = self.project
        self._acting = True
        op = self.undoable.perform(
            f"{verb} “{short(f.fragment, 30)}” {where}",
            lambda: privacy.decide(p, f.note_id, f.fragment, f.kind, decision),
            lambda rid: privacy.undo_decision(p, rid),
            lambda rid: privacy.restore_decision(p, rid),
        )
        # The review goes one decision at a time (a key held down must not decide the
        # same words twice): wait for it, the window staying live, then the next
        # finding takes this one's place.
        op.then(lambda _rid: self._acted(row)).refused(lambda: self._acted(row))
        self.undoable.wait()

    def take_back(self) -> None:
        """Undo the decision chosen on the Decided tab (itself one undo step)."""
        row = self.decided.currentRow()
        if not 0 <= row < len(self._decisions):
            return
        if self._acting:
            return
        r = self._decisions[row].redaction
        p = self.project
        self._acting = True
        op = self.undoable.perform(
            f"Take back the decision about “{short(r.fragment, 30)}”",
            lambda: privacy.undo_decision(p, r.id),
            lambda _old: privacy.restore_decision(p, r.id),
            lambda _old: privacy.undo_decision(p, r.id),
        )
        op.then(lambda _old: self._acted(None)).refused(lambda: self._acted(None))
        self.undoable.wait()

    def _acted(self, keep_row: int | None) -> None:
        """Our own action is stored or refused: read again, once."""
        self._acting = False
        self.refresh(keep_row=keep_row)

    def confirm_delete(self, f: NoteFinding) -> bool:
        """Ask before removing words from the project itself (not undoable)."""
        box = QMessageBox(self)
        box.setObjectName("privacy-delete-confirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Remove from the project itself")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Remove “{f.fragment}” from the project itself?")
        box.setInformativeText(
            f"The words will be replaced by “{REMOVED}” in this note, in what it first "
            "said and in every step of its history, in this project file.\n\n"
            "This cannot be undone, and the undo history is cleared so that no earlier "
            "step can bring the words back. Copies and backups of the project file made "
            "before now still hold them.\n\n"
            "To leave the note as written and only keep the words out of exports, choose "
            "“Remove from exports” instead."
        )
        remove = box.addButton("Remove from the project", QMessageBox.ButtonRole.DestructiveRole)
        remove.setObjectName("privacy-delete-yes")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is remove

    def delete_original(self) -> None:
        f = self.current_finding()
        if f is None or self._acting or not self.confirm_delete(f):
            return
        row = self.list.currentRow()
        self._acting = True

        def deleted(_result: object) -> None:
            self.undoable.stack.clear()  # no earlier step may put the words back
            self._first_step = 0
            self._acted(row)

        p = self.project
        op = self.undoable.run(
            lambda: privacy.delete_original(p, f.note_id, f.fragment),
            "Could not remove the words",
        )
        op.then(deleted).refused(lambda: self._acted(row))
        self.undoable.wait()

    def done(self, result: int) -> None:
        if self._listening:  # the stack outlives the dialog
            self._listening = False
            self.undoable.stack.indexChanged.disconnect(self._on_stack_changed)
        super().done(result)
