"""The note wall's actions: approve, release a note held back on arrival, hide, unhide, back
to waiting, fix a typo, history, mark as duplicate(s) or not, flag and remove the flag, with
their keys, toolbar and menu.

`WallActions` is a part of the wall widget (`ui/wall/note_wall.NoteWall` mixes it in: its
methods and actions are the wall's own, under the same names). Which actions apply and every
change as one undo step are decided in `ui/wall/wall_presenter.py`; the dialogs are in
`ui/wall/note_dialogs.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QListView, QMenu, QMessageBox, QWidget

from workshop_app.core.model import Note, NoteStatus
from workshop_app.services import moderation
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.project import OpenProject
from workshop_app.ui.common import keys
from workshop_app.ui.common.action_bar import ActionBar
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.labels import short
from workshop_app.ui.wall.note_dialogs import (
    DuplicateDialog,
    FixTypoDialog,
    FlagDialog,
    HistoryDialog,
    ReleaseBox,
)
from workshop_app.ui.wall.note_model import NoteFilter, NoteModel
from workshop_app.ui.wall.wall_duplicates import DuplicatePanel
from workshop_app.ui.wall.wall_presenter import (
    WallPresenter,
    duplicate_plan,
    kept_back,
    status_plan,
    wall_actions,
)

if TYPE_CHECKING:
    _Widget = QWidget  # the wall, for the type checker
else:
    _Widget = object


class WallActions(_Widget):
    """The wall's actions on the selected notes, their toolbar and context menu."""

    # The wall's state these methods share (set in NoteWall.__init__).
    project: OpenProject
    undoable: Actions
    presenter: WallPresenter
    model: NoteModel
    proxy: NoteFilter
    view: QListView
    duplicates: DuplicatePanel

    if TYPE_CHECKING:  # the wall's own calls (ui/wall/note_wall.NoteWall)

        def selected_notes(self) -> list[Note]: ...
        def _acted(self, first_row: int) -> None: ...
        def _say(self, text: str) -> None: ...

    def _build_actions(self) -> None:
        """The actions on the selected notes (with their keys), and the toolbar."""
        self.approve_action = self._action("Approve", "A", self.approve_selected)
        self.release_action = self._action("Release to the screen…", "R", self.release_selected)
        self.hide_action = self._action("Hide", "H", self.hide_selected)
        self.unhide_action = self._action("Unhide", "U", self.unhide_selected)
        self.waiting_action = self._action("Back to waiting", "W", self.back_to_waiting)
        self.fix_action = self._action("Fix typo…", "F2", self.fix_typo)
        self.history_action = self._action("History…", "Ctrl+H", self.show_history)
        self.duplicate_action = self._action("Mark as duplicate of…", "D", self.mark_duplicate)
        self.not_duplicate_action = self._action("Not a duplicate", "Shift+D", self.not_duplicate)
        self.flag_action = self._action("Flag for safeguarding follow-up…", "F", self.flag_selected)
        self.unflag_action = self._action("Remove flag", "Shift+F", self.remove_flag)
        # Possible duplicates, in the wall's panel (ui/wall/wall_duplicates.py).
        self.find_duplicates_action = QAction("Find duplicates…", self)
        self.find_duplicates_action.setObjectName("find-duplicates")
        keys.set_keys(
            self.find_duplicates_action,
            "Ctrl+Shift+D",
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.find_duplicates_action.setToolTip(
            keys.tip("Find notes that may repeat an earlier one", self.find_duplicates_action)
        )
        self.find_duplicates_action.triggered.connect(lambda _c=False: self.find_duplicates())
        self.addAction(self.find_duplicates_action)
        # Wraps onto a second row when narrow: the safeguarding flag is never folded away.
        self.toolbar = ActionBar("Note actions")
        self.toolbar.setObjectName("wall-actions")
        for a in (
            self.approve_action,
            self.release_action,
            self.hide_action,
            self.unhide_action,
            self.fix_action,
            self.history_action,
            self.duplicate_action,
            self.flag_action,
            self.find_duplicates_action,
        ):
            self.toolbar.add(a)

    def _action(self, text: str, key: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setToolTip(f"{text.rstrip('…')} ({key})")
        action.triggered.connect(lambda _checked=False: slot())
        self.view.addAction(action)
        return action

    def _update_actions(self) -> None:
        chosen = self.selected_notes() if self.view.isEnabled() else []
        on = wall_actions(chosen, self.model.rowCount())
        self.approve_action.setText(on.approve_text)
        self.hide_action.setText(on.hide_text)
        self.duplicate_action.setText(on.duplicate_text)
        self.flag_action.setText(on.flag_text)
        for action, enabled in (
            (self.approve_action, on.approve),
            (self.release_action, on.release),
            (self.hide_action, on.hide),
            (self.unhide_action, on.unhide),
            (self.waiting_action, on.waiting),
            (self.fix_action, on.fix),
            (self.history_action, on.history),
            (self.duplicate_action, on.duplicate),
            (self.not_duplicate_action, on.not_duplicate),
            (self.flag_action, on.flag),
            (self.unflag_action, on.unflag),
        ):
            action.setEnabled(enabled)

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("wall-menu")
        groups = (
            (
                self.approve_action,
                self.release_action,
                self.hide_action,
                self.unhide_action,
                self.waiting_action,
            ),
            (self.fix_action, self.history_action),
            (self.duplicate_action, self.not_duplicate_action),
            (self.flag_action, self.unflag_action),
        )
        for i, actions in enumerate(groups):
            if i:
                menu.addSeparator()
            for a in actions:
                menu.addAction(a)
        return menu

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------ actions

    def _first_row(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return min((i.row() for i in rows), default=0)

    def _set_status(self, notes: list[Note], status: NoteStatus, verb: str) -> None:
        plan = status_plan(notes, status)
        if plan.release is not None:
            self._release(plan.release)
            return
        if plan.confirm is not None:
            self._approve_flagged(plan.confirm, verb)
            return
        if plan.ids:
            first = self._first_row()
            op = self.presenter.set_status(self.undoable.perform, plan.ids, status, verb)
            op.then(lambda _r: self._acted(first))
        if plan.held or plan.on_hold:
            self._say(kept_back(plan.held, plan.on_hold))

    def release_selected(self) -> None:
        """Release to the screen… the one chosen note held back on arrival (asked first)."""
        note = self._one()
        if note is not None and note.held and not note.withdrawn:
            self._release(note)

    def _release(self, note: Note) -> None:
        box = ReleaseBox(note, self)
        box.exec()
        released = box.released()
        box.deleteLater()
        if not released:
            return
        first = self._first_row()
        op = self.presenter.release(self.undoable.perform, note)
        op.then(lambda _r: self._acted(first))

    def _approve_flagged(self, note: Note, verb: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Put a flagged note on the screen?",
            "",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("approve-flagged")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"“{short(note.text, 120)}”\n\nThis note is flagged for safeguarding follow-up. "
            "Everyone in the room will read it on the screen."
        )
        keep = box.addButton("Keep it off the screen", QMessageBox.ButtonRole.RejectRole)
        show = box.addButton("Put it on the screen", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(keep)  # Enter keeps it off
        box.setEscapeButton(keep)
        box.exec()
        if box.clickedButton() is not show:
            return
        first = self._first_row()
        op = self.presenter.show_flagged(self.undoable.perform, note.id, verb)
        op.then(lambda _r: self._acted(first))

    def approve_selected(self) -> None:
        self._set_status(self.selected_notes(), NoteStatus.SHOWN, "Approve")

    def hide_selected(self) -> None:
        self._set_status(self.selected_notes(), NoteStatus.HIDDEN, "Hide")

    def unhide_selected(self) -> None:
        hidden = [n for n in self.selected_notes() if n.status is NoteStatus.HIDDEN]
        self._set_status(hidden, NoteStatus.SHOWN, "Unhide")

    def back_to_waiting(self) -> None:
        self._set_status(self.selected_notes(), NoteStatus.PENDING, "Put back to waiting")

    def approve_all_waiting(self) -> None:
        if self.presenter.activity_id is None:
            return
        first = self._first_row()

        def approved(kept: moderation.KeptWaiting) -> None:
            self._acted(first)
            if kept.total:
                self._say(kept_back(kept.flagged, kept.held))

        self.presenter.approve_all_waiting(self.undoable.perform).then(approved)

    def _one(self) -> Note | None:
        notes = self.selected_notes()
        return notes[0] if len(notes) == 1 else None

    def fix_typo(self) -> None:
        note = self._one()
        if note is None:
            return
        dialog = FixTypoDialog(note, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            text = dialog.text()
            if text.strip() == note.text or self._correct(note.id, text):
                break
        dialog.deleteLater()
        self._acted(self._first_row())

    def _correct(self, note_id: str, text: str) -> bool:
        """Fix the typo; whether the project took it (the dialog asks again if not: this
        waits for the answer, the window staying live meanwhile)."""
        op = self.presenter.correct(self.undoable.perform, note_id, text)
        self.undoable.wait()
        return op.accepted

    def show_history(self) -> None:
        note = self._one()
        if note is None:
            return
        try:
            edits = moderation.history(self.project, note.id)
        except USER_ERRORS as exc:
            self.undoable.errors("Could not show the history", message_for(exc))
            return
        dialog = HistoryDialog(note, edits, self.model.group_name(note.group_id), self)
        dialog.exec()
        dialog.deleteLater()

    def mark_duplicate(self) -> None:
        notes = self.selected_notes()
        chosen = None
        if len(notes) == 1:
            others = [n for n in self.model.notes if n.id != notes[0].id]
            dialog = DuplicateDialog(notes[0], others, self)
            chosen = dialog.chosen_id() if dialog.exec() == QDialog.DialogCode.Accepted else None
            dialog.deleteLater()
        plan = duplicate_plan(notes, chosen)
        if plan is None:
            return
        first = self._first_row()
        op = self.presenter.mark_duplicates(self.undoable.perform, plan)
        op.then(lambda _r: self._acted(first))

    def find_duplicates(self) -> None:
        """Propose possible duplicates among this brainstorm's notes not yet marked."""
        self.duplicates.look(self.presenter.activity_id)

    def not_duplicate(self) -> None:
        first = self._first_row()
        op = self.presenter.not_duplicates(self.undoable.perform, self.selected_notes())
        op.then(lambda _r: self._acted(first))

    def flag_selected(self) -> None:
        note = self._one()
        if note is None:
            return
        dialog = FlagDialog(note, self)
        first = self._first_row()
        while dialog.exec() == QDialog.DialogCode.Accepted:
            hide = not dialog.hide_too.isHidden() and dialog.hide_too.isChecked()
            if self._flag(note, dialog.follow_up.text(), hide=hide):
                break
        dialog.deleteLater()
        self._acted(first)

    def _flag(self, note: Note, follow_up: str, *, hide: bool = False) -> bool:
        """Flag (or change the follow-up), and hide the note too when asked: one step;
        whether the project took it (the dialog asks again if not: this waits for the
        answer, the window staying live meanwhile)."""
        op = self.presenter.flag(self.undoable.perform, note, follow_up, hide=hide)
        self.undoable.wait()
        return op.accepted

    def remove_flag(self) -> None:
        note = self._one()
        if note is None or not note.flagged:
            return
        first = self._first_row()
        op = self.presenter.remove_flag(self.undoable.perform, note.id)
        op.then(lambda _r: self._acted(first))
