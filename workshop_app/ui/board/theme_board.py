"""The theme board: a session's sticky notes, dragged into themes.

Each theme is a coloured area that grows with its notes; notes not yet in a theme wait
on the left. Drag a note (or a selection) onto a theme to put it there, onto the grey
area to take it out, onto empty space to make a new theme of it. Everything works from
the keyboard too, and every change is one undo step (`ui/common/commands.Actions`).

Keys (while the board has the focus): Tab / Shift+Tab and the arrows move between notes
and themes, Space selects, M move to theme…, N new theme…, F2 rename, C colour…,
Shift+M merge themes, S split notes into a new theme…, Del delete theme, T suggest
themes, L notes like these, P propose places for the notes not yet in a theme… (guided
sorting, `ui/board/board_placement.py`), B bring in priorities of earlier sessions…, K link the
chosen notes or themes to a standard…, Esc clear, Ctrl+= / Ctrl+- / Ctrl+0 zoom in, out,
fit. A theme brought in from earlier sessions says where it came from in the status line.
Ctrl+wheel zooms; the middle button or Space+drag pans.

Suggestions are proposals only: they run on a worker thread (the model loads lazily,
off the GUI thread) and nothing moves until the facilitator accepts. Without the model
the board works just the same; only the suggestion actions are off, with the reason.
The suggestions, their side panel and their worker live in `ui/board/board_suggestions.py`;
the board keeps their names (`suggest_themes`, `proposals`, `model_state`, …) as its own.
What the board knows and decides (which actions apply, where the arrows go, what a drop
means, every change as one undo step) is in `ui/board/board_presenter.py`, without a widget;
the scene's items, the current item, selection, zoom and drag and drop are in
`ui/board/board_scene.py`, and the actions (new, move, rename, colour, merge, split, delete,
bring in, link) in `ui/board/board_actions.py` (both mixed in: the names are the board's own).

The board follows the project: change events mark it out of date and a single-shot
timer reads the board once ~100 ms later, on the board's own reads thread
(`ui/common/background.py`: a thousand notes are ~8 ms of reading the GUI thread need not
spend); the answer is drawn on the GUI thread, items updated, added, removed and moved,
never all rebuilt, so the selection stays. `refresh_now` reads at once, on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import (
    QAction,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workshop_app.services.board import Board
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.services.suggestions import BoardSuggestion, ThemeEngine
from workshop_app.ui.board import board_toolbar
from workshop_app.ui.board.board_actions import BoardActions
from workshop_app.ui.board.board_items import AreaItem, BoardView, NoteItem
from workshop_app.ui.board.board_placement import PlacementPanel
from workshop_app.ui.board.board_presenter import BoardPresenter
from workshop_app.ui.board.board_scene import BoardScene
from workshop_app.ui.board.board_suggestions import BoardSuggestions
from workshop_app.ui.common.action_bar import ActionBar
from workshop_app.ui.common.background import BackgroundReads, ReadFailed
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.widgets import plain_label

T = TypeVar("T")

#: A burst of change events costs one redraw, this long after the first (decision 012).
COALESCE_MS = 100


class ThemeBoard(BoardActions, BoardScene, QWidget):
    """A session's theme board. The window calls `show_session` and `on_changed`."""

    # Built by ui/board/board_toolbar.build: every action (with its key) and the toolbar.
    new_action: QAction
    move_action: QAction
    rename_action: QAction
    colour_action: QAction
    merge_action: QAction
    split_action: QAction
    delete_action: QAction
    suggest_action: QAction
    similar_action: QAction
    place_action: QAction
    bring_in_action: QAction
    link_action: QAction
    zoom_in_action: QAction
    zoom_out_action: QAction
    fit_action: QAction
    select_all_action: QAction
    toolbar: ActionBar

    def __init__(
        self,
        project: OpenProject,
        actions: Actions,
        refresher: Refresher,
        engine: ThemeEngine,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.project = project
        self.undoable = actions
        self.presenter = BoardPresenter(project)  # what is shown and decided, no widgets
        self._notes: dict[str, NoteItem] = {}
        self._areas: dict[str | None, AreaItem] = {}
        self._current: QGraphicsItem | None = None
        self._dragged: list[str] = []
        self._dirty = False
        self._menu: QMenu | None = None
        self._content = QRectF()
        self._fresh = True
        self.suggestions = BoardSuggestions(self, engine, self)
        self.suggestions.state_changed.connect(self._on_suggestions_state_changed)
        self.placement = PlacementPanel(self, self.suggestions.submit)  # guided sorting

        self._refresher = refresher
        self._reads = BackgroundReads("cg-board-read", self)
        self._reads.warm(
            project.connect_this_thread
        )  # its connection, before the room's first note

        self._scene = QGraphicsScene(self)
        # Cards move whenever notes are sorted or arrive: an index of their positions
        # would be rebuilt on every move, and finding one of a thousand is quick anyway.
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._scene.selectionChanged.connect(self._on_selection_changed)
        self.view = BoardView(self._scene, self)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.message = plain_label()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message)
        self.pages.addWidget(self.view)

        board_toolbar.build(self)  # the actions (keys, menus) and the toolbar
        s = self.suggestions  # its widgets, under the board's names
        self.similar_bar, self.similar_label = s.similar_bar, s.similar_label
        self.add_similar_button = s.add_similar_button
        self.dismiss_similar_button = s.dismiss_similar_button
        self.proposals_panel, self.proposal_note = s.proposals_panel, s.proposal_note
        self.proposal_list = s.proposal_list
        self.accept_button, self.accept_all_button = s.accept_button, s.accept_all_button
        self.reject_button = s.reject_button
        self.close_proposals_button = s.close_proposals_button
        self.model_note = s.model_note
        # The note the keyboard is on, in full (up to 500 characters): it wraps, as a long
        # line would make the whole window wider than the screen.
        self.status = plain_label()
        self.status.setAccessibleName("Current item")

        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(self.pages)
        middle.addWidget(self.proposals_panel)
        middle.addWidget(self.placement)
        middle.setStretchFactor(0, 1)
        middle.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.similar_bar)
        layout.addWidget(middle, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.model_note)
        self.setFocusProxy(self.view)
        self.suggestions.show_state()
        self.show_session(None)

    # ------------------------------------------------------------------ the window's calls

    def show_session(self, session_id: str | None) -> None:
        """Show this session's board (None: nothing to show)."""
        self._reads.drop()  # an answer on its way may be another session's
        if self.presenter.show_session(session_id):
            self._fresh = True  # the first look at a board starts at its top left
            self._clear_items()
            self.close_proposals()
            self.placement.close_panel()
            self.dismiss_similar()
        self._dirty = True
        if self.isVisible() or session_id is None:
            self.refresh_now()

    def session_id(self) -> str | None:
        return self.presenter.session_id

    def follow_activity(self, activity_id: str | None) -> None:
        """The window's live-activity call: a board belongs to its session, not to the
        activity on the phones, so there is nothing to follow."""

    def on_changed(self, event: Changed) -> None:
        """Every bridge event; the board reads again, once, ~100 ms after the first."""
        if event.topic not in (Topic.CONTENT, Topic.ACTIVITIES, Topic.SESSIONS, Topic.GROUPS):
            return
        if event.topic is not Topic.GROUPS and event.session_id not in (
            None,
            self.presenter.session_id,
        ):
            return
        self._dirty = True
        self._refresher.soon(self._refresh_if_shown, COALESCE_MS)

    def refresh_now(self) -> None:
        """Do a pending refresh at once (the coalesced redraw's work, synchronously), or
        the one on its way on the reads thread."""
        if self._dirty or self._reads.busy:
            self._refresh()

    def shutdown(self) -> None:
        """Stop waiting for suggestions and reads (the window is closing)."""
        self.suggestions.shutdown()
        self._reads.close()

    def scene(self) -> QGraphicsScene:
        return self._scene

    def board(self) -> Board | None:
        """The board as last read from the file."""
        return self.presenter.board

    def note_item(self, note_id: str) -> NoteItem | None:
        return self._notes.get(note_id)

    def theme_item(self, theme_id: str | None) -> AreaItem | None:
        """A theme's area (None: the area of notes not yet in a theme)."""
        return self._areas.get(theme_id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh_now()

    # ------------------------------------------------------------------ reading

    def _refresh_if_shown(self) -> None:
        """The coalesced redraw: read on the reads thread, draw the answer when it comes."""
        if not self.isVisible() or self._reads.busy:
            return  # a hidden board catches up when shown; an answer on its way comes first
        self._dirty = False
        sid = self.presenter.session_id
        self._reads.read(partial(self.presenter.fetch, sid), self._on_read)  # False: closing

    def _on_read(self, fetched: Board | str | ReadFailed) -> None:
        if isinstance(fetched, ReadFailed) or (
            isinstance(fetched, Board) and fetched.session_id != self.presenter.session_id
        ):
            self._dirty = True
            self.refresh_now()  # read again here: what went wrong is shown, or raised
            return
        self._draw(self.presenter.take(fetched))
        if self._dirty:  # changed again while it was read: read once more, soon
            self._refresher.soon(self._refresh_if_shown, COALESCE_MS)

    def _refresh(self) -> None:
        self._dirty = False
        self._refresher.cancel(self._refresh_if_shown)
        self._reads.drop()  # this read is newer than any answer on its way
        self._draw(self.presenter.read())

    def _draw(self, message: str | None) -> None:
        b = self.presenter.board
        if message is not None or b is None:
            self._show_message(message or "")
            return
        self._apply(b)
        self.pages.setCurrentWidget(self.view)
        self.suggestions.ensure_model()  # lazily: the first time a board is on screen
        self._update_actions()

    def _show_message(self, text: str) -> None:
        self.presenter.forget()
        self._clear_items()
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)
        self._update_actions()

    # ------------------------------------------------------------------ what applies

    def theme_name(self, theme_id: str | None) -> str:
        """A theme's name as last read (None or a theme gone: “Not yet in a theme”)."""
        return self.presenter.theme_name(theme_id)

    def _update_actions(self) -> None:
        on = self.presenter.action_states(
            self._chosen_notes(), self._chosen_themes(), self.suggestions.ready
        )
        for action, enabled in (
            (self.new_action, on.new),
            (self.move_action, on.move),
            (self.rename_action, on.rename),
            (self.colour_action, on.colour),
            (self.merge_action, on.merge),
            (self.split_action, on.split),
            (self.delete_action, on.delete),
            (self.suggest_action, on.suggest),
            (self.place_action, on.place),
            (self.similar_action, on.similar),
            (self.bring_in_action, on.bring_in),
            (self.link_action, on.link),
            (self.zoom_in_action, on.zoom),
            (self.zoom_out_action, on.zoom),
            (self.fit_action, on.zoom),
        ):
            action.setEnabled(enabled)

    # ------------------------------------------------------------------ context menu

    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.view.itemAt(pos)
        selectable = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
        if (
            isinstance(item, NoteItem | AreaItem)
            and not item.isSelected()
            and item.flags() & selectable
        ):
            self._scene.clearSelection()
            item.setSelected(True)
        if isinstance(item, NoteItem | AreaItem):
            self.set_current(item)
        menu = self.context_menu()
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu:
        """The actions for what is chosen now (the same as the toolbar's)."""
        menu = QMenu(self)
        menu.setAccessibleName("Theme board actions")
        for action in (
            self.move_action,
            self.new_action,
            self.split_action,
            None,
            self.rename_action,
            self.colour_action,
            self.merge_action,
            self.delete_action,
            None,
            self.similar_action,
            self.link_action,
        ):
            if action is None:
                menu.addSeparator()
            elif action.isEnabled():
                menu.addAction(action)
        if self._menu is not None:
            self._menu.deleteLater()
        self._menu = menu
        return menu

    # ------------------------------------------------------------------ suggestions

    def _on_suggestions_state_changed(self, words: str) -> None:
        for action in (self.suggest_action, self.similar_action, self.place_action):
            action.setStatusTip(words)
            if self.suggestions.ready:  # back to the plain tip with its key
                shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                action.setToolTip(f"{action.text()} ({shown})")
            else:
                action.setToolTip(f"{action.text()}: {words}")
        self._update_actions()

    # The suggestions' state and calls, under the names the window, tests and scripts use.

    @property
    def engine(self) -> ThemeEngine:
        return self.suggestions.engine

    @property
    def model_state(self) -> str:
        """idle | loading | ready | failed"""
        return self.suggestions.model_state

    @property
    def model_message(self) -> str:
        """Why the suggestions are not available (when `model_state` is "failed")."""
        return self.suggestions.model_message

    @property
    def proposals(self) -> list[BoardSuggestion]:
        """The suggested themes on show, not yet accepted or rejected."""
        return self.suggestions.proposals

    @property
    def similar(self) -> tuple[str, ...]:
        """The outlined "notes like these", most alike first."""
        return self.suggestions.similar

    @property
    def similar_target(self) -> str | None:
        """The theme the outlined notes would be added to (None: they would be selected)."""
        return self.suggestions.similar_target

    def suggest_themes(self) -> None:
        self.suggestions.suggest_themes()

    def accept_proposals(self, rows: Sequence[int] | range) -> None:
        """Accept suggested themes (one undo step), then name them; notes already themed
        stay put."""
        self.suggestions.accept_proposals(rows)

    def reject_proposal(self, row: int) -> None:
        """Drop a suggestion; nothing on the board changes."""
        self.suggestions.reject_proposal(row)

    def close_proposals(self) -> None:
        self.suggestions.close_proposals()

    def find_similar(self) -> None:
        """Outline the unthemed notes most like the chosen notes or theme."""
        self.suggestions.find_similar()

    def add_similar(self) -> None:
        """Accept the outlined notes: into the theme, or into the selection."""
        self.suggestions.add_similar()

    def dismiss_similar(self) -> None:
        self.suggestions.dismiss_similar()
