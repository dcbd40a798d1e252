"""The facilitator's note wall: every note of a brainstorm, approved, hidden, corrected,
flagged or marked as a duplicate while the room carries on, and paper sticky notes typed in.

The wall follows the project: each change event marks it out of date, and a single-shot
timer reads the notes once ~100 ms after the first event, however many follow, so a flood
of phone notes costs one query per tenth of a second. Each action goes through a service
and onto the undo stack (`ui/common/commands.Actions`); a batch is one undo step.

Shortcuts (while the list of notes has the focus): A approve, R release a note held back on
arrival, H hide, U unhide, W back to waiting, F2 fix a typo, Ctrl+H history, D mark as
duplicate(s), Shift+D not a duplicate, F flag for safeguarding follow-up, Shift+F remove the
flag. While the wall is on screen:
Ctrl+T types in paper notes, Ctrl+F searches, Ctrl+Shift+D finds possible duplicates
(`ui/wall/wall_duplicates.py`).

Which brainstorm is shown, which actions apply and every change as one undo step are decided
in `ui/wall/wall_presenter.py`, without a widget; the actions on the selected notes (their
keys, toolbar and menu) are in `ui/wall/wall_actions.py` (mixed in: the names are the wall's
own); paper notes are typed in the strip of `ui/wall/paper_notes.py`.
"""

from __future__ import annotations

import logging
from enum import Enum, auto

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import (
    Note,
)
from workshop_app.services import moderation
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.services.suggestions import ThemeEngine
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.widgets import heading, plain_label
from workshop_app.ui.wall.note_cards import NoteCardDelegate
from workshop_app.ui.wall.note_model import (
    NOTE_ROLE,
    SHOW_WORDS,
    NoteFilter,
    NoteModel,
    Show,
)
from workshop_app.ui.wall.paper_notes import PaperNotes
from workshop_app.ui.wall.wall_actions import WallActions
from workshop_app.ui.wall.wall_duplicates import DuplicatePanel
from workshop_app.ui.wall.wall_presenter import (
    MODE_WORDS,
    WallPresenter,
    counts_words,
    plural,
)

log = logging.getLogger(__name__)
COALESCE_MS = 100


class _Dirty(Enum):
    SESSION = auto()  # the session, its agenda or the live activity
    GROUPS = auto()
    NOTES = auto()


class NoteWall(WallActions, QWidget):
    """The console view of the notes of one session, one brainstorm at a time."""

    activity_changed = Signal(object)  # the activity id shown (None: none)

    def __init__(
        self,
        project: OpenProject,
        actions: Actions,
        refresher: Refresher,
        engine: ThemeEngine,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("note-wall")
        self.project = project
        self.undoable = actions
        self._reader = moderation.WallReader(project)  # re-reads reuse unchanged notes
        self.presenter = WallPresenter(project)  # what is shown and decided, no widgets
        self._dirty: set[_Dirty] = {_Dirty.GROUPS}
        self._unseen = 0
        self._stick = True  # the list is scrolled to its end: new notes scroll into view

        self._refresher = refresher

        # -- header
        self.title = heading("Notes")
        self.title.setWordWrap(True)  # a long session title must not widen the window
        self.chooser = QComboBox()
        self.chooser.setObjectName("wall-activity")
        self.chooser.setAccessibleName("Brainstorm activity")
        self.chooser.setMinimumContentsLength(24)
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.mode = plain_label()
        self.mode.setObjectName("wall-mode")
        self.mode.setAccessibleName("Moderation")
        self.counts = plain_label(wrap=False)
        self.counts.setObjectName("wall-counts")
        self.counts.setAccessibleName("Note counts")
        self.approve_all_button = QPushButton("Approve all waiting")
        self.approve_all_button.setObjectName("approve-all")
        self.approve_all_button.setAccessibleName("Approve all waiting notes")
        self.approve_all_button.setAutoDefault(False)

        # -- filters and search
        self.filter_buttons: dict[Show, QPushButton] = {}
        self._filters = QButtonGroup(self)
        self._filters.setExclusive(True)
        filter_row = QHBoxLayout()
        filter_row.setSpacing(2)
        for show in Show:
            b = QPushButton(SHOW_WORDS[show])
            b.setCheckable(True)
            b.setAutoDefault(False)
            b.setAccessibleName(f"Show {SHOW_WORDS[show].lower()} notes")
            b.setChecked(show is Show.ALL)
            self._filters.addButton(b)
            self.filter_buttons[show] = b
            filter_row.addWidget(b)
            b.clicked.connect(lambda _c=False, s=show: self.set_show(s))
        self.search = QLineEdit()
        self.search.setObjectName("wall-search")
        self.search.setPlaceholderText("Search notes and groups (Ctrl+F)")
        self.search.setAccessibleName("Search notes")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        filter_row.addSpacing(12)
        filter_row.addWidget(self.search, 1)

        # -- the notes
        self.model = NoteModel(self)
        self.proxy = NoteFilter(self.model, self)
        self.view = QListView()
        self.view.setObjectName("wall-notes")
        self.view.setAccessibleName("Notes")
        self.view.setModel(self.proxy)
        self.delegate = NoteCardDelegate(self.view, self)
        self.view.setItemDelegate(self.delegate)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(False)
        # Lay out a long wall in steps between other events, not in one go each time
        # notes arrive: a thousand cards would hold up the GUI thread for ~12 ms.
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(200)
        self.view.setSpacing(2)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.empty = plain_label("")
        self.empty.setObjectName("wall-empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.new_below = QPushButton("")
        self.new_below.setObjectName("new-notes-below")
        self.new_below.setAccessibleName("Scroll to the new notes")
        self.new_below.setAutoDefault(False)
        self.new_below.hide()

        # -- possible duplicates: exact repeats, and paraphrases from the theme model
        self.duplicates = DuplicatePanel(project, actions, engine)
        self.duplicates.marked.connect(lambda: self._acted(self._first_row()))
        # -- actions on the selected notes and the toolbar (ui/wall/wall_actions.py)
        self._build_actions()

        # -- paper notes (its widgets, under the wall's names)
        self.paper = PaperNotes(self.presenter, actions)
        self.capture_group, self.capture_edit = self.paper.group, self.paper.edit
        self.capture_count, self.capture_message = self.paper.count, self.paper.message

        # -- layout
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.chooser, 1)
        status = QHBoxLayout()
        status.addWidget(self.counts, 1)
        status.addWidget(self.approve_all_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mode)
        layout.addLayout(status)
        layout.addLayout(filter_row)
        layout.addWidget(self.toolbar)
        notes = QVBoxLayout()
        notes.addWidget(self.view, 1)
        notes.addWidget(self.empty, 1)
        middle = QHBoxLayout()
        middle.addLayout(notes, 2)
        middle.addWidget(self.duplicates, 1)
        layout.addLayout(middle, 1)
        layout.addWidget(self.new_below)
        layout.addWidget(self.paper)

        # -- wiring
        self.chooser.activated.connect(self._on_chooser_activated)
        self.approve_all_button.clicked.connect(self.approve_all_waiting)
        self.search.textChanged.connect(self._on_search)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.view.verticalScrollBar().rangeChanged.connect(self._on_range)
        self.new_below.clicked.connect(self.scroll_to_newest)
        self.capture_edit.escaped.connect(self.view.setFocus)
        self.paper.captured.connect(self._on_captured)
        for key, slot in (("Ctrl+T", self.start_capture), ("Ctrl+F", self.start_search)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # only while on screen
            shortcut.activated.connect(slot)
        self.show_session(None)

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
        """Do the pending refresh at once (the coalesced redraw's work, synchronously)."""
        self._refresher.cancel(self._refresh_if_shown)
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
        if self.isVisible():  # a hidden wall catches up when it is shown again
            self.refresh_now()

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
        notes = self._reader.read(self.presenter.activity_id)
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
        self.capture_edit.setEnabled(has_activity and paper)
        self.capture_group.setEnabled(has_activity and paper)
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

    # ------------------------------------------------------------------ choosing and seeing

    def _on_chooser_activated(self, index: int) -> None:
        chosen = self.chooser.itemData(index)
        self.presenter.pick(chosen)
        self._show_activity(chosen)

    def choose_activity(self, activity_id: str) -> None:
        """As if the facilitator chose this activity in the wall's chooser."""
        index = self.chooser.findData(activity_id)
        if index >= 0:
            self.chooser.setCurrentIndex(index)
            self._on_chooser_activated(index)

    def set_show(self, show: Show) -> None:
        self.filter_buttons[show].setChecked(True)
        self.proxy.set_show(show)
        self._update_actions()

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_actions()

    def start_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_scrolled(self, value: int) -> None:
        self._stick = value >= self.view.verticalScrollBar().maximum() - 4
        if self._stick:
            self._unseen = 0
            self.new_below.hide()

    def _on_range(self, _minimum: int, maximum: int) -> None:
        """Cards re-measured (a new note, a resize): the end stays in view if it was."""
        if self._stick:
            self.view.verticalScrollBar().setValue(maximum)

    def scroll_to_newest(self) -> None:
        self._stick = True
        self.view.scrollToBottom()
        self._unseen = 0
        self.new_below.hide()

    # ------------------------------------------------------------------ selection

    def selected_notes(self) -> list[Note]:
        """The selected notes, oldest first."""
        rows = self.view.selectionModel().selectedRows()
        notes = [n for n in (i.data(NOTE_ROLE) for i in rows) if isinstance(n, Note)]
        order = self.model.row_of
        return sorted(notes, key=lambda n: order(n.id) or 0)

    def selected_ids(self) -> list[str]:
        return [n.id for n in self.selected_notes()]

    def select_notes(self, note_ids: list[str]) -> None:
        """Select these notes (those the filter shows), the last one current."""
        selection = QItemSelection()
        last = None
        for note_id in note_ids:
            row = self.model.row_of(note_id)
            if row is None:
                continue
            index = self.proxy.mapFromSource(self.model.index(row))
            if index.isValid():
                selection.select(index, index)
                last = index
        model = self.view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        model.select(selection, flags.ClearAndSelect)
        if last is not None:
            model.setCurrentIndex(last, flags.NoUpdate)
            self.view.scrollTo(last)

    # ------------------------------------------------------------------ actions

    def _acted(self, first_row: int) -> None:
        """Show the result at once; if the notes acted on left the filter, select the next."""
        self._dirty.add(_Dirty.NOTES)
        self.refresh_now()
        if not self.view.selectionModel().selectedRows() and self.proxy.rowCount() > 0:
            row = min(max(first_row, 0), self.proxy.rowCount() - 1)
            index = self.proxy.index(row, 0)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._update_actions()

    def shutdown(self) -> None:
        """Stop waiting for a search for duplicates (the window is closing)."""
        self.duplicates.shutdown()

    # ------------------------------------------------------------------ paper notes

    def start_capture(self) -> None:
        self.capture_edit.setFocus()

    def _say(self, text: str) -> None:
        self.paper.say(text)

    def capture(self) -> None:
        """Take the typed paper note; the field clears and keeps the focus for the next."""
        self.paper.capture()

    def _on_captured(self) -> None:
        self._dirty.add(_Dirty.NOTES)
        self.refresh_now()
