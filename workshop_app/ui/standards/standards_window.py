"""Project → Standards…: the project's draft quality standards, one window.

On the left the list of standards in their order (New, Delete, Move up, Move down); on
the right the editor of the chosen one (`ui/standards/standard_editor.py`): its statement, measures,
what it means for each audience, definitions, sources and versions. Every change goes
through a service and is one step on the project's undo stack; Ctrl+Z and Ctrl+Shift+Z
work in this window as in the project window.

Keys: Ctrl+N new standard, Delete delete it (from the list), Alt+Up / Alt+Down move it,
Ctrl+Shift+A add sources, Ctrl+Z undo, Ctrl+Shift+Z (or Ctrl+Y) redo, Ctrl+W close.

The window follows the project: change events mark it out of date and a single-shot
timer reads the standards once ~100 ms later; what is being typed is never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import Standard, StandardLevel
from workshop_app.core.validate import TITLE_MAX
from workshop_app.services import merge as merge_service
from workshop_app.services import standards as svc
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.services.standards import Links, StandardFields
from workshop_app.ui.common import keys
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.commands import Actions, Op
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.source_picker import ID_ROLE, SourcePickerDialog
from workshop_app.ui.common.widgets import (
    dialog_buttons,
    heading,
    plain_label,
    resize_within_screen,
)
from workshop_app.ui.standards.standard_editor import StandardEditor
from workshop_app.ui.standards.standard_form import STATEMENT_HINT, merge_mark, merged_note

COALESCE_MS = 100


def _short(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


class NewStandardDialog(QDialog):
    """The title and statement a new standard starts with (the rest is edited after)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New standard")
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setMaxLength(TITLE_MAX)
        self.title.setPlaceholderText("A few words, e.g. A trusted adult to tell")
        self.statement = QPlainTextEdit()
        self.statement.setAccessibleName("Statement")
        self.statement.setTabChangesFocus(True)
        self.statement.setPlaceholderText("One clear, measurable requirement")
        self.level = QComboBox()
        self.level.setAccessibleName("Level")
        for level in StandardLevel:
            self.level.addItem(svc.LEVEL_LABELS[level], level.value)
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Statement", self.statement)
        form.addRow("", plain_label(STATEMENT_HINT))
        form.addRow("Level", self.level)
        self.error = plain_label()
        self.error.setObjectName("new-standard-error")
        set_tone(self.error, "error")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, "Add standard"))
        self.resize(560, self.sizeHint().height())

    def accept(self) -> None:
        """Only a standard the project would take: otherwise the reason, and stay open."""
        try:
            svc.clean_fields(self.fields())
        except USER_ERRORS as exc:
            self.error.setText(message_for(exc))
            self.error.show()
            return
        super().accept()

    def fields(self) -> StandardFields:
        return StandardFields(
            self.title.text(),
            self.statement.toPlainText(),
            level=StandardLevel(self.level.currentData()),
        )


class StandardsWindow(QWidget):
    """The project's standards. The project window calls `show()` and `on_changed`."""

    def __init__(
        self,
        project: OpenProject,
        actions: Actions,
        refresher: Refresher,
        parent: QWidget | None = None,
    ):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("standards-window")
        self.setWindowTitle("Standards")
        self.project = project
        self.undoable = actions
        self._standards: list[Standard] = []
        self._rows: list[tuple[str, str]] = []  # what the list shows
        self._dirty = True
        self._refresher = refresher

        self.list = QListWidget()
        self.list.setObjectName("standards")
        self.list.setAccessibleName("Standards")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.new_button = QPushButton("New standard…")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName("Delete standard")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        for b in (self.new_button, self.delete_button, self.up_button, self.down_button):
            b.setAutoDefault(False)
        self.summary = plain_label()
        self.summary.setObjectName("standards-summary")
        # a standard a merge brought beside this project's version (edited on two laptops)
        self.merged_note = plain_label()
        self.merged_note.setObjectName("standards-merged")
        set_tone(self.merged_note, "warning")
        self.keep_both_button = QPushButton("Keep both versions")
        self.keep_both_button.setObjectName("standards-keep-both")
        self.keep_both_button.setAutoDefault(False)
        self.keep_both_button.setToolTip(
            "You have compared the two versions and both may stay: the mark goes"
        )
        self._flags: dict[str, merge_service.FlagRow] = {}
        left = QWidget()
        left.setMinimumWidth(260)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 0, 8)
        left_layout.addWidget(heading("Standards"))
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.merged_note)
        left_layout.addWidget(self.keep_both_button)
        left_layout.addWidget(self.new_button)
        row = QHBoxLayout()
        row.addWidget(self.up_button)
        row.addWidget(self.down_button)
        row.addWidget(self.delete_button)
        left_layout.addLayout(row)

        self.editor = StandardEditor()
        self.empty = plain_label(
            "This project has no standards yet.\n\nChoose “New standard…” to draft one: a "
            "clear, measurable statement, then its rationale, measures, what it means for "
            "each audience, and the themes and notes it came from."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 8, 8, 8)
        right_layout.addWidget(self.empty)
        right_layout.addWidget(self.editor, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 800])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self._build_actions()
        self.list.currentItemChanged.connect(self._chosen)
        self.new_button.clicked.connect(self.new_standard)
        self.delete_button.clicked.connect(self.delete_standard)
        self.up_button.clicked.connect(lambda: self.move_standard(-1))
        self.down_button.clicked.connect(lambda: self.move_standard(1))
        self.keep_both_button.clicked.connect(self.keep_both)
        self.editor.edited.connect(self._edit)
        self.editor.add_sources_requested.connect(self.add_sources)
        self.editor.remove_sources_requested.connect(self.remove_sources)
        resize_within_screen(self, 1120, 760)
        self.refresh_now()

    def _build_actions(self) -> None:
        def add(text: str, key: keys.Key, slot: Callable[[], object], *more: keys.Key) -> QAction:
            action = QAction(text, self)
            keys.set_keys(action, key, *more, context=Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _c=False: slot())
            self.addAction(action)
            return action

        self.new_action = add("New standard…", "Ctrl+N", self.new_standard)
        self.delete_action = QAction("Delete standard", self.list)
        # Del itself: the platform's Delete also means Ctrl+D on Linux (an editing key).
        keys.set_keys(self.delete_action, "Del", context=Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(lambda _c=False: self.delete_standard())
        self.list.addAction(self.delete_action)
        self.up_action = add("Move up", "Alt+Up", lambda: self.move_standard(-1))
        self.down_action = add("Move down", "Alt+Down", lambda: self.move_standard(1))
        self.sources_action = add("Add sources…", "Ctrl+Shift+A", self.add_sources)
        self.close_action = add("Close", "Ctrl+W", self.close)
        # The project's undo stack, with the edit being typed committed first (so that
        # it is the step undone).
        self.undo_action = add("Undo", QKeySequence.StandardKey.Undo, self.undo)
        self.redo_action = add("Redo", "Ctrl+Shift+Z", self.redo, QKeySequence.StandardKey.Redo)

    def undo(self) -> None:
        self.editor.flush()
        self.undoable.undo()  # once the flushed edit is a step of its own

    def redo(self) -> None:
        self.editor.flush()
        self.undoable.redo()

    # ------------------------------------------------------------------ the window's calls

    def on_changed(self, event: Changed) -> None:
        """Every bridge event; the window reads again, once, ~100 ms after the first."""
        if event.topic not in (Topic.CONTENT, Topic.SESSIONS, Topic.GROUPS, Topic.ACTIVITIES):
            return
        self._dirty = True
        self._refresher.soon(self._refresh_if_shown, COALESCE_MS)

    def refresh_now(self) -> None:
        """Do a pending refresh at once (the coalesced redraw's work, synchronously)."""
        if self._dirty:
            self._refresh()

    def standards(self) -> list[Standard]:
        """The standards as last read from the file, in their order."""
        return list(self._standards)

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(ID_ROLE))

    def select_standard(self, standard_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == standard_id:
                self.list.setCurrentRow(row)
                return

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_now()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.flush()
        super().closeEvent(event)

    # ------------------------------------------------------------------ reading

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh_now()

    def _refresh(self) -> None:
        self._dirty = False
        self._refresher.cancel(self._refresh_if_shown)
        standards = svc.list_standards(self.project)
        self._standards = standards
        self._flags = {f.standard_id: f for f in merge_service.flagged_standards(self.project)}
        beside = {f.original_id: f for f in self._flags.values()}
        rows = [
            (
                s.id,
                f"{n}. {s.title}\n{svc.LEVEL_LABELS[s.level].lower()} · version {s.version}"
                + merge_mark(self._flags.get(s.id), beside.get(s.id)),
            )
            for n, s in enumerate(standards, start=1)
        ]
        if rows != self._rows:  # unchanged (a note arrived, say): the list stays as it is
            self._rows = rows
            current = self.current_id()
            self.list.blockSignals(True)
            try:
                self.list.clear()
                for sid, text in rows:
                    item = QListWidgetItem(text)
                    item.setData(ID_ROLE, sid)
                    self.list.addItem(item)
                ids = [sid for sid, _text in rows]
                if current in ids:
                    self.list.setCurrentRow(ids.index(current))
                elif standards:
                    self.list.setCurrentRow(0)
            finally:
                self.list.blockSignals(False)
        n = len(standards)
        self.summary.setText(f"{n} standard" if n == 1 else f"{n} standards")
        self.empty.setVisible(not standards)
        self.editor.setVisible(bool(standards))
        self._show_current()
        self._update_actions()

    def _show_current(self) -> None:
        sid = self.current_id()
        flag = self._flags.get(sid or "")
        self.merged_note.setVisible(flag is not None)
        self.keep_both_button.setVisible(flag is not None)
        if flag is not None:
            self.merged_note.setText(merged_note(flag))
        standard = next((s for s in self._standards if s.id == sid), None)
        if standard is None:
            self.editor.clear()
            return
        if self.editor.standard_id != standard.id or not self.editor.has_pending_edit:
            self.editor.load(standard)
        try:
            self.editor.show_sources(svc.sources(self.project, standard.id))
            self.editor.show_versions(svc.versions(self.project, standard.id))
        except USER_ERRORS as exc:
            self.editor.show_error(message_for(exc))

    def _chosen(self, *_args: object) -> None:
        self._show_current()
        self._update_actions()

    def _update_actions(self) -> None:
        row, n = self.list.currentRow(), self.list.count()
        chosen = row >= 0
        for w in (self.delete_button, self.delete_action, self.sources_action):
            w.setEnabled(chosen)
        for w in (self.up_button, self.up_action):
            w.setEnabled(chosen and row > 0)
        for w in (self.down_button, self.down_action):
            w.setEnabled(chosen and row < n - 1)

    def keep_both(self) -> None:
        """Both versions of a standard edited on two laptops may stay: the mark goes."""
        sid = self.current_id()
        if sid is None or sid not in self._flags:
            return
        self.perform(
            "Keep both versions",
            lambda: merge_service.settle_standard(self.project, sid),
            lambda _r: merge_service.settle_standard(self.project, sid, settled=False),
        )

    # ------------------------------------------------------------------ actions

    def perform(
        self, text: str, do: Callable[[], Any], undo: Callable[[Any], object], **kw: Any
    ) -> Op[Any]:
        """One undoable change (`Actions.perform`, off the GUI thread); the window redraws
        once it is stored."""
        return self.undoable.perform(text, do, undo, **kw).then(self._stored)

    def _stored(self, _result: object) -> None:
        self._dirty = True
        self.refresh_now()

    def _title(self, standard_id: str) -> str:
        s = next((x for x in self._standards if x.id == standard_id), None)
        return _short(s.title) if s else "standard"

    def new_standard(self) -> None:
        self.editor.flush()
        dialog = NewStandardDialog(self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.add_standard(dialog.fields())
        finally:
            dialog.deleteLater()

    def add_standard(self, fields: StandardFields) -> Op[Standard]:
        """Add a standard at the end of the list and choose it (one undo step)."""
        p = self.project

        def made(s: Standard) -> None:
            self.select_standard(s.id)
            self.editor.title.setFocus()

        op: Op[Standard] = self.perform(
            f"Add standard “{_short(fields.title.strip())}”",
            lambda: svc.create_standard(p, fields),
            lambda s: svc.delete_standard(p, s.id),
            redo=lambda s: svc.restore_standard(p, s.id),
        )
        return op.then(made)

    def delete_standard(self) -> None:
        sid = self.current_id()
        if sid is None:
            return
        self.editor.flush()
        p = self.project
        self.perform(
            f"Delete standard “{self._title(sid)}”",
            lambda: svc.delete_standard(p, sid),
            lambda gone: svc.restore_standard(p, gone.id),
            redo=lambda gone: svc.delete_standard(p, gone.id),
        )

    def move_standard(self, step: int) -> None:
        sid, row = self.current_id(), self.list.currentRow()
        if sid is None or not 0 <= row + step < self.list.count():
            return
        self.editor.flush()
        p = self.project
        self.perform(
            f"Move standard “{self._title(sid)}” {'up' if step < 0 else 'down'}",
            lambda: svc.move_standard(p, sid, row + step),
            lambda old: svc.move_standard(p, sid, old),
        ).then(lambda _old: self.select_standard(sid))

    def _edit(self, standard_id: str, fields: StandardFields) -> None:
        p = self.project
        self.perform(
            f"Edit standard “{_short(fields.title.strip() or self._title(standard_id))}”",
            lambda: svc.update_standard(p, standard_id, fields),
            lambda edit: svc.revert_edit(p, edit),
        )

    def add_sources(self) -> None:
        sid = self.current_id()
        if sid is None:
            return
        self.editor.flush()
        try:
            choices = svc.source_choices(self.project)
            standard = svc.get_standard(self.project, sid)
        except USER_ERRORS as exc:
            self.undoable.errors("Could not list the themes and notes", message_for(exc))
            return
        dialog = SourcePickerDialog(
            choices,
            (*standard.source_theme_ids, *standard.source_note_ids),
            f"Add sources to “{_short(standard.title)}”",
            self,
        )
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            themes, notes = dialog.chosen()
        finally:
            dialog.deleteLater()
        if themes or notes:
            self.link(sid, themes, notes)

    def link(self, standard_id: str, theme_ids: list[str], note_ids: list[str]) -> Op[Links]:
        """Link themes and notes to a standard as its sources (one undo step)."""
        p = self.project
        n = len(theme_ids) + len(note_ids)
        links: Op[Links] = self.perform(
            f"Add {n} source{'s' if n != 1 else ''} to “{self._title(standard_id)}”",
            lambda: svc.link_sources(p, standard_id, theme_ids, note_ids),
            lambda added: svc.unlink_sources(p, standard_id, added.theme_ids, added.note_ids),
            redo=lambda added: svc.restore_links(p, added),
        )
        return links

    def remove_sources(self, theme_ids: list[str], note_ids: list[str]) -> None:
        sid = self.current_id()
        if sid is None:
            return
        p = self.project
        n = len(theme_ids) + len(note_ids)
        self.perform(
            f"Remove {n} source{'s' if n != 1 else ''} from “{self._title(sid)}”",
            lambda: svc.unlink_sources(p, sid, theme_ids, note_ids),
            lambda removed: svc.restore_links(p, removed),
            redo=lambda removed: svc.unlink_sources(p, sid, removed.theme_ids, removed.note_ids),
        )
