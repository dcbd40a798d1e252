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

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
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
from workshop_app.services.project import OpenProject
from workshop_app.services.suggestions import ThemeEngine
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.widgets import heading, narrow_combo, plain_label
from workshop_app.ui.wall.note_cards import NoteCardDelegate
from workshop_app.ui.wall.note_model import (
    NOTE_ROLE,
    SHOW_WORDS,
    NoteFilter,
    NoteModel,
    Show,
)
from workshop_app.ui.wall.paper_notes import PaperNotes
from workshop_app.ui.wall.wall_duplicates import DuplicatePanel
from workshop_app.ui.wall.wall_presenter import (
    WallPresenter,
)
from workshop_app.ui.wall.wall_reading import WallReading


class NoteWall(WallReading, QWidget):
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
        self.presenter = WallPresenter(project)  # what is shown and decided, no widgets
        self._start_reading(project, refresher)  # ui/wall/wall_reading.py

        # -- header
        self.title = heading("Notes")
        self.title.setWordWrap(True)  # a long session title must not widen the window
        self.chooser = narrow_combo(24)
        self.chooser.setObjectName("wall-activity")
        self.chooser.setAccessibleName("Brainstorm activity")
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
        self._read_notes_now()
        if not self.view.selectionModel().selectedRows() and self.proxy.rowCount() > 0:
            row = min(max(first_row, 0), self.proxy.rowCount() - 1)
            index = self.proxy.index(row, 0)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._update_actions()

    def shutdown(self) -> None:
        """Stop waiting for a search for duplicates and for reads (the window is closing)."""
        self.duplicates.shutdown()
        self._reads.close()

    # ------------------------------------------------------------------ paper notes

    def start_capture(self) -> None:
        self.capture_edit.setFocus()

    def _say(self, text: str) -> None:
        self.paper.say(text)

    def capture(self) -> None:
        """Take the typed paper note; the field clears and keeps the focus for the next."""
        self.paper.capture()

    def _on_captured(self) -> None:
        self._read_notes_now()
