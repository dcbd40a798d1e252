"""The note wall's reading: which session and brainstorm it shows, and its notes read again
after every change, coalesced (~100 ms after the first event, however many follow).

`WallReading` is a part of the wall widget (`ui/wall/note_wall.NoteWall` mixes it in, as it
does `WallActions`: the names are the wall's own). While a room posts, only the notes change,
and they are read on a thread of the wall's own (`ui/common/background.py`) with its own
reader (`moderation.WallReader` keeps the notes of the last read), then drawn on the GUI
thread: a thousand notes took 10-25 ms of the GUI thread a read on a 2-core laptop, the
longest stall left on the Notes tab (docs/performance.md). Anything else, and every
`refresh_now`, reads at once on the GUI thread; an answer still on its way is then older
than the screen and is dropped.
"""

from __future__ import annotations

import logging
from enum import Enum, auto
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent

from workshop_app.core.model import Note
from workshop_app.services import moderation
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.ui.common.background import BackgroundReads, ReadFailed
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.wall.wall_actions import WallActions
from workshop_app.ui.wall.wall_presenter import MODE_WORDS, counts_words, plural

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

    from workshop_app.ui.wall.paper_notes import PaperNotes

log = logging.getLogger(__name__)
COALESCE_MS = 100


class _Dirty(Enum):
    SESSION = auto()  # the session, its agenda or the live activity
    GROUPS = auto()
    NOTES = auto()


def _read_notes(reader: moderation.WallReader, activity_id: str) -> tuple[str, list[Note]]:
    """On the wall's reads thread: an activity's notes, and which activity they are."""
    return activity_id, reader.read(activity_id)


class WallReading(WallActions):
    """What the wall shows, read again as the project changes."""

    # The wall's state these methods share (set in NoteWall.__init__).
    title: QLabel
    mode: QLabel
    counts: QLabel
    chooser: QComboBox
    approve_all_button: QPushButton
    search: QLineEdit
    empty: QLabel
    new_below: QPushButton
    paper: PaperNotes
    _refresher: Refresher
    _reader: moderation.WallReader  # the GUI thread's reads
    _reads_reader: moderation.WallReader  # the reads thread's (each keeps its last notes)
    _reads: BackgroundReads
    _dirty: set[_Dirty]
    _unseen: int
    _stick: bool

    if TYPE_CHECKING:  # the wall's own (ui/wall/note_wall.NoteWall)
        activity_changed: SignalInstance

        def scroll_to_newest(self) -> None: ...

    def _start_reading(self, project: OpenProject, refresher: Refresher) -> None:
        self._refresher = refresher
        self._reader = moderation.WallReader(project)  # re-reads reuse unchanged notes
        self._reads_reader = moderation.WallReader(project)  # the same, on the reads thread
        self._reads = BackgroundReads("cg-wall-read", self)
        self._reads.warm(
            project.connect_this_thread
        )  # its connection, before the room's first note
        self._dirty = {_Dirty.GROUPS}
        self._unseen = 0
        self._stick = True  # the list is scrolled to its end: new notes scroll into view

    def _read_notes_now(self) -> None:
        """The wall's own action changed its notes: show them at once."""
        self._dirty.add(_Dirty.NOTES)
        self.refresh_now()

    # ------------------------------------------------------------------ the window's calls

    def show_session(self, session_id: str | None) -> None:
        """Show the notes of this session (None: nothing to show)."""
        self.presenter.show_session(session_id)
        self._dirty |= {_Dirty.SESSION, _Dirty.NOTES}
        self.refresh_now()

    def follow_activity(self, activity_id: str | None) -> None:
        """The live current activity: the wall shows it (when it is a brainstorm) unless
        the facilitator picked another one in the wall's own chooser."""
        if self.presenter.follow(activity_id):
            self._show_activity(activity_id)

    def on_changed(self, event: Changed) -> None:
        """Every bridge event; the wall reads again, once, ~100 ms after the first."""
        topic = event.topic
        if topic is Topic.GROUPS:
            self._dirty.add(_Dirty.GROUPS)
        elif event.session_id is not None and event.session_id != self.presenter.session_id:
            return
        elif topic in (Topic.SESSIONS, Topic.ACTIVITIES, Topic.LIVE):
            self._dirty |= {_Dirty.SESSION, _Dirty.NOTES}
        elif topic is Topic.CONTENT:
            self._dirty.add(_Dirty.NOTES)
        else:
            return
        self._refresher.soon(self._refresh_if_shown, COALESCE_MS)

    def refresh_now(self) -> None:
        """Do the pending refresh at once (the coalesced redraw's work, synchronously), the
        read on its way on the wall's own thread included."""
        self._refresher.cancel(self._refresh_if_shown)
        if self._reads.busy:
            self._dirty.add(_Dirty.NOTES)
        self._reads.drop()  # this read is newer than any answer on its way
        dirty, self._dirty = self._dirty, set()
        try:
            if _Dirty.GROUPS in dirty:
                self._fill_groups()
                self.model.set_group_names(moderation.group_names(self.project))
            if _Dirty.SESSION in dirty:
                self._load_session()
            elif _Dirty.NOTES in dirty:
                self._load_notes()
        except USER_ERRORS as exc:
            log.info("note wall refresh: %s", exc)
            self.presenter.forget()
            self._set_activity(None)
            self._show_empty(message_for(exc))

    def activity_id(self) -> str | None:
        return self.presenter.activity_id

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh_now()

    def _refresh_if_shown(self) -> None:
        """The coalesced redraw. Notes alone changed (a room posting): they are read on the
        wall's own thread and drawn when they come; anything more is read here, at once."""
        if not self.isVisible():
            return  # a hidden wall catches up when it is shown again
        activity_id = self.presenter.activity_id
        if self._dirty != {_Dirty.NOTES} or activity_id is None:
            self.refresh_now()
        elif not self._reads.busy:  # else the answer on its way reads again when it comes
            self._dirty = set()
            self._reads.read(partial(_read_notes, self._reads_reader, activity_id), self._on_read)

    def _on_read(self, answer: tuple[str, list[Note]] | ReadFailed) -> None:
        if isinstance(answer, ReadFailed) or answer[0] != self.presenter.activity_id:
            self._dirty.add(_Dirty.NOTES)
            self.refresh_now()  # read again here: what went wrong is shown, or raised
            return
        self._show_notes(answer[1])
        if self._dirty:  # changed again while it was read: read once more, soon
            self._refresher.soon(self._refresh_if_shown, COALESCE_MS)

    # ------------------------------------------------------------------ reading

    def _load_session(self) -> None:
        choice = self.presenter.read_session()
        session = self.presenter.session
        if session is None:
            self._fill_chooser()
            self._set_activity(None)
            self._show_empty("Choose a session to see its notes.")
            return
        self.title.setText(f"Notes: {session.title}")
        self.mode.setText(MODE_WORDS[session.moderation])
        self._fill_chooser()
        if choice != self.presenter.activity_id:
            self._set_activity(choice)
        else:
            self._load_notes()
        if not self.presenter.activities:
            self._show_empty(
                "This session has no brainstorm activities, so there are no notes to show."
            )

    def _fill_chooser(self) -> None:
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for words, activity_id in self.presenter.chooser_items():
            self.chooser.addItem(words, activity_id)
        index = self.chooser.findData(self.presenter.activity_id)
        self.chooser.setCurrentIndex(index)
        self.chooser.setEnabled(bool(self.presenter.activities))
        self.chooser.blockSignals(False)

    def _show_activity(self, activity_id: str | None) -> None:
        if activity_id != self.presenter.activity_id:
            self._set_activity(activity_id)

    def _set_activity(self, activity_id: str | None) -> None:
        self._reads.drop()  # an answer on its way is the last activity's
        self.presenter.activity_id = activity_id
        self.chooser.blockSignals(True)
        self.chooser.setCurrentIndex(self.chooser.findData(activity_id))
        self.chooser.blockSignals(False)
        notes = self._reader.read(activity_id) if activity_id else []
        self.model.reset(notes)
        self.scroll_to_newest()
        self._after_update()
        self.duplicates.activity_shown(activity_id)
        self.activity_changed.emit(activity_id)

    def _load_notes(self) -> None:
        if self.presenter.activity_id is None:
            self._after_update()
            return
        self._show_notes(self._reader.read(self.presenter.activity_id))

    def _show_notes(self, notes: list[Note]) -> None:
        diff = self.model.update(notes)
        if diff.reset or (diff.inserted and self._stick):
            self.view.scrollToBottom()
        elif diff.inserted:
            self._unseen += diff.inserted
            self.new_below.setText(f"↓ {plural(self._unseen, 'new note')} below")
            self.new_below.show()
        self._after_update()

    def _after_update(self) -> None:
        c = self.model.counts
        self.counts.setText(counts_words(c))
        moderated = self.presenter.moderated()
        self.approve_all_button.setVisible(moderated or c.waiting > 0)
        self.approve_all_button.setEnabled(c.waiting > 0)
        has_activity = self.presenter.activity_id is not None
        self.search.setEnabled(has_activity)
        self.view.setEnabled(has_activity)
        paper = self.presenter.takes_paper_notes()  # not a survey's written answers
        self.paper.edit.setEnabled(has_activity and paper)
        self.paper.group.setEnabled(has_activity and paper)
        self.find_duplicates_action.setEnabled(has_activity and self.model.rowCount() > 1)
        self.duplicates.notes_changed(self.model.notes)
        if has_activity:
            if self.model.rowCount() == 0:
                self._show_empty(
                    "No notes yet. Notes from phones appear here as they arrive; "
                    "type paper notes in below."
                    if paper
                    else "No written answers yet. Answers written on phones appear here as "
                    "they arrive, to read before anyone else sees them."
                )
            else:
                self.empty.hide()
                self.view.show()
        self._update_actions()

    def _show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.empty.show()
        self.view.hide()
        self._update_actions()

    def _fill_groups(self) -> None:
        self.paper.fill_groups()
