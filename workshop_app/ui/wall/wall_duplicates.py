"""Possible duplicates on the note wall: found on request, each proposal shown with the
notes' texts (plain text: participants' words are never read as markup), one click to mark
it (one undo step) or to say the notes are not the same. Nothing is marked by itself.

Paraphrases need the theme model, so the search runs on a worker thread (the model loads
there the first time) and comes back through a queued signal; a newer search replaces an
older one. Without the model, exact repeats are still proposed and the panel says why
paraphrases were not looked for.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import Note, NoteStatus
from workshop_app.services import duplicates, moderation
from workshop_app.services.duplicates import DuplicateSearch, PossibleDuplicates
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.project import OpenProject
from workshop_app.services.suggestions import ThemeEngine
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.labels import short
from workshop_app.ui.common.widgets import heading, plain_label

log = logging.getLogger(__name__)


def _notes(n: int) -> str:
    return "1 note" if n == 1 else f"{n} notes"


class _Relay(QObject):
    """Carries the worker's answer to the GUI thread (a queued signal)."""

    finished = Signal(int, object, str)  # token, DuplicateSearch or None, error message


class DuplicateRow(QFrame):
    """One proposal: the first note, the notes that seem to repeat it, and two buttons."""

    def __init__(self, group: PossibleDuplicates, parent: QWidget | None = None):
        super().__init__(parent)
        self.group = group
        self.setObjectName("duplicate-proposal")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.first = plain_label(f"First: “{short(group.original.text, 200)}”")
        self.first.setObjectName("duplicate-first")
        layout.addWidget(self.first)
        self.repeats = []
        for note in group.repeats:
            how = "same words" if note.id in group.exact else "says the same in other words"
            label = plain_label(f"Repeated ({how}): “{short(note.text, 200)}”")
            label.setObjectName("duplicate-repeat")
            self.repeats.append(label)
            layout.addWidget(label)
        n = len(group.repeats)
        self.mark_button = QPushButton("Mark as duplicate" if n == 1 else f"Mark {n} as duplicates")
        self.mark_button.setAutoDefault(False)
        self.mark_button.setAccessibleName(f"Mark {_notes(n)} as duplicates of the first")
        self.dismiss_button = QPushButton("Not the same")
        self.dismiss_button.setAutoDefault(False)
        self.dismiss_button.setAccessibleName("Not the same: do not propose these again")
        buttons = QHBoxLayout()
        buttons.addWidget(self.mark_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def texts(self) -> list[str]:
        return [self.first.text(), *(r.text() for r in self.repeats)]


class DuplicatePanel(QWidget):
    """The wall's side panel of possible duplicates for one brainstorm."""

    marked = Signal()  # a proposal was marked: the wall reads its notes again

    def __init__(
        self,
        project: OpenProject,
        actions: Actions,
        engine: ThemeEngine | None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("wall-duplicates")
        self.setMinimumWidth(280)
        self.project = project
        self.undoable = actions
        self.engine = engine
        self.activity_id: str | None = None
        self.found: DuplicateSearch | None = None
        self.rows: list[DuplicateRow] = []
        self._ignored: dict[str, set[tuple[str, str]]] = {}  # per activity, this window
        self._token = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cg-duplicates")
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_found)

        self.status = plain_label()
        self.status.setObjectName("duplicates-status")
        self.status.setAccessibleName("Possible duplicates")
        self.model_note = plain_label()
        self.model_note.setObjectName("duplicates-model")
        self.model_note.hide()
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._list)
        self.again_button = QPushButton("Look again")
        self.again_button.setAutoDefault(False)
        self.again_button.setAccessibleName("Look for duplicates again")
        self.again_button.clicked.connect(lambda: self.look(self.activity_id))
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.setAccessibleName("Close the possible duplicates")
        self.close_button.clicked.connect(self.close_panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("Possible duplicates"))
        layout.addWidget(self.status)
        layout.addWidget(self.model_note)
        layout.addWidget(scroll, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.again_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        self.hide()

    # ------------------------------------------------------------------ the wall's calls

    def look(self, activity_id: str | None) -> None:
        """Look for possible duplicates among the activity's unmarked notes (off the GUI
        thread); the panel shows itself and says what it is doing."""
        self.activity_id = activity_id
        self._clear()
        self.show()
        if activity_id is None:
            self.status.setText("Choose a brainstorm activity first.")
            return
        try:
            notes = duplicates.candidates(self.project, activity_id)
        except USER_ERRORS as exc:
            self.status.setText(message_for(exc))
            return
        self.status.setText(f"Looking for duplicates among {_notes(len(notes))}…")
        self._token += 1
        token, relay, engine, project = self._token, self._relay, self.engine, self.project
        ignore = frozenset(self._ignored.get(activity_id, ()))

        def work() -> None:
            found: DuplicateSearch | None = None
            error = ""
            try:
                found = duplicates.search(notes, engine, ignore, project=project)
            except Exception:  # a bug: logged; the wall carries on
                log.exception("looking for duplicates failed")
                error = "Looking for duplicates stopped with an unexpected error (see the log)."
            with contextlib.suppress(RuntimeError):  # the wall has gone
                relay.finished.emit(token, found, error)

        with contextlib.suppress(RuntimeError):  # shut down: the window is closing
            self._pool.submit(work)

    def activity_shown(self, activity_id: str | None) -> None:
        """The wall shows another brainstorm: proposals for the old one go away."""
        if activity_id != self.activity_id and not self.isHidden():
            self.close_panel()

    def notes_changed(self, notes: Iterable[Note]) -> None:
        """The wall read its notes again: a proposal whose notes were marked, hidden or
        taken back meanwhile (with D, say, or from a phone) loses them, or goes."""
        if not self.rows:
            return
        now = {n.id: n for n in notes}

        def usable(note: Note) -> bool:
            n = now.get(note.id)
            return n is not None and not n.withdrawn and n.status is not NoteStatus.HIDDEN

        changed = False
        for row in list(self.rows):
            group = row.group
            left = tuple(r for r in group.repeats if usable(r) and now[r.id].duplicate_of is None)
            if left == group.repeats and usable(group.original):
                continue
            changed = True
            index = self.rows.index(row)
            self.rows.remove(row)
            row.hide()
            row.deleteLater()
            if left and usable(group.original):
                ids = {r.id for r in left}
                self._add_row(replace(group, repeats=left, exact=group.exact & ids), index)
        if changed:
            self._say()

    def close_panel(self) -> None:
        self._token += 1  # an answer still on its way is dropped
        self._clear()
        self.hide()

    def shutdown(self) -> None:
        """Stop waiting for a search (the window is closing): a search already running
        (it reads the project) is waited for."""
        self._token += 1
        self._pool.shutdown(wait=True, cancel_futures=True)

    # ------------------------------------------------------------------ answers

    def _on_found(self, token: int, found: object, error: str) -> None:
        if token != self._token:
            return  # a newer search replaced it, or the panel was closed
        if not isinstance(found, DuplicateSearch):
            self.status.setText(error)
            return
        self.found = found
        for group in found.groups:
            self._add_row(group)
        if found.problem:
            self.model_note.setText(
                f"Only exact repeats were looked for, not the same thing in other words: "
                f"{found.problem}"
            )
            self.model_note.show()
        self._say()

    def _say(self) -> None:
        n = sum(len(r.group.repeats) for r in self.rows)
        if not self.rows:
            self.status.setText("No possible duplicates among the notes not yet marked.")
        else:
            self.status.setText(
                f"{_notes(n)} may repeat an earlier note. Check each one: marking keeps both "
                "notes and takes the repeat off the projector. Nothing is marked until you "
                "choose."
            )

    def _add_row(self, group: PossibleDuplicates, index: int | None = None) -> None:
        row = DuplicateRow(group)
        row.mark_button.clicked.connect(lambda _c=False, r=row: self.mark(r))
        row.dismiss_button.clicked.connect(lambda _c=False, r=row: self.dismiss(r))
        at = len(self.rows) if index is None else index
        self._list_layout.insertWidget(at, row)
        self.rows.insert(at, row)

    def _remove_row(self, row: DuplicateRow) -> None:
        if row not in self.rows:  # the list was made again meanwhile
            return
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        self._say()

    def _clear(self) -> None:
        for row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        self.found = None
        self.model_note.hide()

    # ------------------------------------------------------------------ the two buttons

    def mark(self, row: DuplicateRow) -> None:
        """Mark the proposal's later notes as duplicates of the first: one undo step."""
        group, p = row.group, self.project
        repeats = [n.id for n in group.repeats]
        n = len(repeats)
        row.setEnabled(False)  # once: it goes when stored, and comes back if refused

        def marked(_before: object) -> None:
            self._remove_row(row)
            self.marked.emit()

        self.undoable.perform(
            "Mark as duplicate" if n == 1 else f"Mark {n} notes as duplicates",
            lambda: moderation.mark_duplicates(p, repeats, group.original.id),
            lambda before: moderation.restore_duplicates(p, before),
        ).then(marked).refused(lambda: row.setEnabled(True))

    def dismiss(self, row: DuplicateRow) -> None:
        """Not the same: the proposal goes and is not made again while the window is open."""
        if self.activity_id is not None:
            self._ignored.setdefault(self.activity_id, set()).update(row.group.pairs())
        self._remove_row(row)
