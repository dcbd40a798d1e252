"""The theme board: a session's sticky notes, dragged into themes.

Each theme is a coloured area that grows with its notes; notes not yet in a theme wait
on the left. Drag a note (or a selection) onto a theme to put it there, onto the grey
area to take it out, onto empty space to make a new theme of it. Everything works from
the keyboard too, and every change is one undo step (`ui/commands.Actions`).

Keys (while the board has the focus): Tab / Shift+Tab and the arrows move between notes
and themes, Space selects, M move to theme…, N new theme…, F2 rename, C colour…,
Shift+M merge themes, S split notes into a new theme…, Del delete theme, T suggest
themes, L notes like these, Esc clear, Ctrl+= / Ctrl+- / Ctrl+0 zoom in, out, fit.
Ctrl+wheel zooms; the middle button or Space+drag pans.

Suggestions are proposals only: they run on a worker thread (the model loads lazily,
off the GUI thread) and nothing moves until the facilitator accepts. Without the model
the board works just the same; only the suggestion actions are off, with the reason.

The board follows the project: change events mark it out of date and a single-shot
timer reads the board once ~100 ms later; items are updated, added, removed and moved,
never all rebuilt, so the selection stays.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsItem,
    QGraphicsScene,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from workshop_app.services import board as board_service
from workshop_app.services import suggestions
from workshop_app.services.board import Board
from workshop_app.services.errors import USER_ERRORS, StoreClosedError
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.services.suggestions import BoardSuggestion, ModelError, ThemeEngine
from workshop_app.ui.board_dialogs import (
    UNTHEMED_NAME,
    ColourDialog,
    ThemePicker,
    ask_name,
    notes_phrase,
)
from workshop_app.ui.board_items import AreaItem, BoardView, NoteItem, lay_out
from workshop_app.ui.commands import Actions
from workshop_app.ui.widgets import heading, plain_label

log = logging.getLogger(__name__)
SIMILAR_TOP = 8


def _amp(text: str) -> str:
    """Text for a button or menu, where "&" would otherwise mark a shortcut letter."""
    return text.replace("&", "&&")


class _Relay(QObject):
    """Carries a worker thread's answer to the GUI thread (a queued signal)."""

    finished = Signal(int, str, object, object)  # token, kind, result, error message


class ThemeBoard(QWidget):
    """A session's theme board. The window calls `show_session` and `on_changed`."""

    def __init__(
        self,
        project: OpenProject,
        actions: Actions,
        engine: ThemeEngine | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.project = project
        self.undoable = actions
        self.engine = engine if engine is not None else suggestions.default_engine()
        self._session_id: str | None = None
        self._board: Board | None = None
        self._notes: dict[str, NoteItem] = {}
        self._areas: dict[str | None, AreaItem] = {}
        self._current: QGraphicsItem | None = None
        self._dragged: list[str] = []
        self._dirty = False
        self.proposals: list[BoardSuggestion] = []
        self._proposal_marked: set[str] = set()
        self.similar: tuple[str, ...] = ()
        self.similar_target: str | None = None
        self._pending_target: str | None = None
        self.model_state = "idle"  # idle | loading | ready | failed
        self.model_message = ""
        self._tokens: dict[str, int] = {}
        self._next_token = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cg-board")
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_worker_done)
        self._menu: QMenu | None = None
        self._content = QRectF()
        self._fresh = True

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._refresh_if_shown)
        self._similar_timer = QTimer(self)
        self._similar_timer.setSingleShot(True)
        self._similar_timer.setInterval(300)
        self._similar_timer.timeout.connect(self.find_similar)

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

        self._build_actions()
        self._build_similar_bar()
        self._build_proposals()
        self.status = plain_label(wrap=False)
        self.status.setAccessibleName("Current item")
        self.model_note = plain_label()
        self.model_note.setAccessibleName("Theme suggestions")

        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(self.pages)
        middle.addWidget(self.proposals_panel)
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
        self._show_model_state()
        self.show_session(None)

    # ------------------------------------------------------------------ building

    def _action(
        self, text: str, key: str | QKeySequence.StandardKey | None, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self)
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text.rstrip('…')} ({shown})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("New theme…", "N", self.new_theme)
        self.move_action = self._action("Move to theme…", "M", self.move_to_theme)
        self.rename_action = self._action("Rename…", "F2", self.rename_theme)
        self.colour_action = self._action("Colour…", "C", self.recolour_theme)
        self.merge_action = self._action("Merge themes", "Shift+M", self.merge_themes)
        self.split_action = self._action("Split into new theme…", "S", self.split_theme)
        self.delete_action = self._action(
            "Delete theme", QKeySequence.StandardKey.Delete, self.delete_themes
        )
        self.suggest_action = self._action("Suggest themes", "T", self.suggest_themes)
        self.similar_action = self._action("Notes like these", "L", self.find_similar)
        self.zoom_in_action = self._action("Zoom in", "Ctrl+=", self.zoom_in)
        self.zoom_in_action.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.zoom_out_action = self._action("Zoom out", "Ctrl+-", self.zoom_out)
        self.fit_action = self._action("Fit the board", "Ctrl+0", self.fit)
        self.select_all_action = self._action("Select all notes", "Ctrl+A", self.select_all)
        self.toolbar = QToolBar("Theme board")
        self.toolbar.setAccessibleName("Theme board actions")
        for action in (
            self.new_action,
            self.move_action,
            self.rename_action,
            self.colour_action,
            self.merge_action,
            self.split_action,
            self.delete_action,
            None,
            self.suggest_action,
            self.similar_action,
            None,
            self.zoom_out_action,
            self.zoom_in_action,
            self.fit_action,
        ):
            if action is None:
                self.toolbar.addSeparator()
                continue
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            button.setAccessibleName(action.text().rstrip("…"))

    def _build_similar_bar(self) -> None:
        self.similar_bar = QWidget()
        self.similar_label = plain_label()
        self.add_similar_button = QPushButton()
        self.add_similar_button.clicked.connect(self.add_similar)
        self.dismiss_similar_button = QPushButton("Dismiss")
        self.dismiss_similar_button.setAccessibleName("Dismiss similar notes")
        self.dismiss_similar_button.clicked.connect(self.dismiss_similar)
        row = QHBoxLayout(self.similar_bar)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.similar_label, 1)
        row.addWidget(self.add_similar_button)
        row.addWidget(self.dismiss_similar_button)
        self.similar_bar.hide()

    def _build_proposals(self) -> None:
        self.proposals_panel = QWidget()
        self.proposals_panel.setMinimumWidth(240)
        self.proposal_note = plain_label()
        self.proposal_list = QListWidget()
        self.proposal_list.setAccessibleName("Suggested themes")
        self.proposal_list.setMouseTracking(True)
        self.proposal_list.currentRowChanged.connect(self._on_proposal_chosen)
        self.proposal_list.itemEntered.connect(
            lambda item: self._mark_proposal(self.proposal_list.row(item))
        )
        self.accept_button = QPushButton("Accept")
        self.accept_button.setAccessibleName("Accept the suggested theme")
        self.accept_button.clicked.connect(lambda: self.accept_proposals([self._chosen_row()]))
        self.accept_all_button = QPushButton("Accept all")
        self.accept_all_button.setAccessibleName("Accept every suggested theme")
        self.accept_all_button.clicked.connect(
            lambda: self.accept_proposals(range(len(self.proposals)))
        )
        self.reject_button = QPushButton("Reject")
        self.reject_button.setAccessibleName("Reject the suggested theme")
        self.reject_button.clicked.connect(lambda: self.reject_proposal(self._chosen_row()))
        self.close_proposals_button = QPushButton("Close")
        self.close_proposals_button.setAccessibleName("Close the suggestions")
        self.close_proposals_button.clicked.connect(self.close_proposals)
        buttons = QHBoxLayout()
        for b in (self.accept_button, self.accept_all_button, self.reject_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self.proposals_panel)
        layout.addWidget(heading("Suggested themes"))
        layout.addWidget(self.proposal_note)
        layout.addWidget(self.proposal_list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.close_proposals_button)
        self.proposals_panel.hide()

    # ------------------------------------------------------------------ the window's calls

    def show_session(self, session_id: str | None) -> None:
        """Show this session's board (None: nothing to show)."""
        if session_id != self._session_id:
            self._session_id = session_id
            self._board = None
            self._fresh = True  # the first look at a board starts at its top left
            self._clear_items()
            self.close_proposals()
            self.dismiss_similar()
        self._dirty = True
        if self.isVisible() or session_id is None:
            self.refresh_now()

    def session_id(self) -> str | None:
        return self._session_id

    def follow_activity(self, activity_id: str | None) -> None:
        """The window's live-activity call: a board belongs to its session, not to the
        activity on the phones, so there is nothing to follow."""

    def on_changed(self, event: Changed) -> None:
        """Every bridge event; the board reads again, once, ~100 ms after the first."""
        if event.topic not in (Topic.CONTENT, Topic.ACTIVITIES, Topic.SESSIONS, Topic.GROUPS):
            return
        if event.topic is not Topic.GROUPS and event.session_id not in (None, self._session_id):
            return
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def refresh_now(self) -> None:
        """Do a pending refresh at once (the coalescing timer's work, synchronously)."""
        if self._dirty:
            self._refresh()

    def shutdown(self) -> None:
        """Stop waiting for suggestions (the window is closing)."""
        self._tokens.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def scene(self) -> QGraphicsScene:
        return self._scene

    def board(self) -> Board | None:
        """The board as last read from the file."""
        return self._board

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
        if self.isVisible():  # a hidden board catches up when it is shown again
            self.refresh_now()

    def _refresh(self) -> None:
        self._dirty = False
        self._timer.stop()
        if self._session_id is None:
            self._show_message("Choose a session to see its theme board.")
            return
        try:
            b = board_service.board(self.project, self._session_id)
        except StoreClosedError:  # events still queued as the project closed
            return
        except USER_ERRORS as exc:
            self._show_message(str(exc))
            return
        if b.activity_id is None:
            self._show_message(b.explanation)
            return
        self._board = b
        self._apply(b)
        self.pages.setCurrentWidget(self.view)
        self._ensure_model()  # lazily: the first time a board is on screen
        self._update_actions()

    def _show_message(self, text: str) -> None:
        self._board = None
        self._clear_items()
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)
        self._update_actions()

    def _clear_items(self) -> None:
        self._set_current(None)
        self._scene.clear()
        self._notes.clear()
        self._areas.clear()
        self._proposal_marked.clear()

    def _apply(self, b: Board) -> None:
        """Bring the scene up to `b`: update, add, remove and move items, nothing more."""
        scene = self._scene
        for n in b.notes:
            item = self._notes.get(n.id)
            if item is None:
                item = NoteItem(n.id, n.text, n.group_name, self)
                self._notes[n.id] = item
                scene.addItem(item)
            else:
                item.set_text(n.text, n.group_name)
        on_board = {n.id for n in b.notes}
        for note_id in [i for i in self._notes if i not in on_board]:
            self._remove(self._notes.pop(note_id))
        if None not in self._areas:
            self._areas[None] = AreaItem(None, UNTHEMED_NAME, "#e4e4e4")
            scene.addItem(self._areas[None])
        self._areas[None].set_theme(UNTHEMED_NAME, "#e4e4e4", len(b.unthemed))
        for t in b.themes:
            area = self._areas.get(t.id)
            if area is None:
                area = self._areas[t.id] = AreaItem(t.id, t.name, t.colour)
                scene.addItem(area)
            area.set_theme(t.name, t.colour, len(t.note_ids))
        themes = {t.id for t in b.themes}
        for theme_id in [i for i in self._areas if i is not None and i not in themes]:
            self._remove(self._areas.pop(theme_id))

        placed = lay_out(b.unthemed, [(t.id, t.note_ids) for t in b.themes])
        for key, rect in placed.areas.items():
            area = self._areas[key]
            area.set_size(rect.width(), rect.height())
            if area.pos() != rect.topLeft():
                area.setPos(rect.topLeft())
        dragged = set(self._dragged)  # cards under the mouse stay there until the drop
        for note_id, pos in placed.cards.items():
            item = self._notes[note_id]
            item.theme_id = b.theme_of(note_id)
            if item.pos() != pos and note_id not in dragged:
                item.setPos(pos)
        content = QRectF()
        for rect in placed.areas.values():
            content = content.united(rect)
        self._content = content
        scene.setSceneRect(content.adjusted(-200, -200, 500, 500))
        if self._fresh:
            self._fresh = False
            self.view.ensureVisible(QRectF(content.topLeft(), content.topLeft()), 20, 20)
        self._fill_proposals()
        self._show_current()

    def _remove(self, item: QGraphicsItem) -> None:
        if item is self._current:
            self._set_current(None)
        self._scene.removeItem(item)

    # ------------------------------------------------------------------ what is chosen

    def selected_note_ids(self) -> list[str]:
        """Selected notes in board order."""
        b = self._board
        if b is None:
            return []
        picked = {i.note_id for i in self._scene.selectedItems() if isinstance(i, NoteItem)}
        return [n.id for n in b.notes if n.id in picked]

    def selected_theme_ids(self) -> list[str]:
        b = self._board
        if b is None:
            return []
        picked = {
            i.theme_id
            for i in self._scene.selectedItems()
            if isinstance(i, AreaItem) and i.theme_id is not None
        }
        return [t.id for t in b.themes if t.id in picked]

    def _chosen_notes(self) -> list[str]:
        chosen = self.selected_note_ids()
        if not chosen and isinstance(self._current, NoteItem):
            chosen = [self._current.note_id]
        return chosen

    def _chosen_themes(self) -> list[str]:
        chosen = self.selected_theme_ids()
        current = self._current
        if not chosen and isinstance(current, AreaItem) and current.theme_id is not None:
            chosen = [current.theme_id]
        return chosen

    def _theme_name(self, theme_id: str | None) -> str:
        theme = None if theme_id is None or self._board is None else self._board.theme(theme_id)
        return UNTHEMED_NAME if theme is None else theme.name

    def _update_actions(self) -> None:
        on = self._board is not None
        notes, themes = self._chosen_notes(), self._chosen_themes()
        b = self._board
        one_theme = (
            b is not None
            and bool(notes)
            and b.theme_of(notes[0]) is not None
            and all(b.theme_of(n) == b.theme_of(notes[0]) for n in notes)
        )
        self.new_action.setEnabled(on)
        self.move_action.setEnabled(on and bool(notes))
        self.rename_action.setEnabled(len(themes) == 1)
        self.colour_action.setEnabled(len(themes) == 1)
        self.merge_action.setEnabled(len(themes) >= 2)
        self.split_action.setEnabled(one_theme)
        self.delete_action.setEnabled(bool(themes))
        ready = on and self.model_state == "ready"
        self.suggest_action.setEnabled(ready)
        self.similar_action.setEnabled(ready and bool(notes or themes))
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            action.setEnabled(on)

    # ------------------------------------------------------------------ keyboard focus

    def _order(self) -> list[QGraphicsItem]:
        b = self._board
        if b is None:
            return []
        order: list[QGraphicsItem] = [self._notes[n] for n in b.unthemed]
        for t in b.themes:
            order.append(self._areas[t.id])
            order.extend(self._notes[n] for n in t.note_ids)
        return order

    def current_item(self) -> QGraphicsItem | None:
        return self._current

    def set_current(self, item: QGraphicsItem | None) -> None:
        """Put the keyboard's place on a note or theme (and scroll it into view)."""
        self._set_current(item)
        if item is not None:
            self.view.ensureVisible(item.sceneBoundingRect(), 40, 40)
        self._show_current()
        self._update_actions()

    def _set_current(self, item: QGraphicsItem | None) -> None:
        old = self._current
        if isinstance(old, NoteItem | AreaItem) and old.scene() is not None:
            if isinstance(old, NoteItem):
                old.set_current(False)
            else:
                old.set_flag_state(current=False)
        self._current = item
        if isinstance(item, NoteItem):
            item.set_current(True)
        elif isinstance(item, AreaItem):
            item.set_flag_state(current=True)

    def step_current(self, forward: bool) -> bool:
        """Tab: the next note or theme in reading order; False at either end."""
        order = self._order()
        if not order:
            return False
        if self._current not in order:
            self.set_current(order[0] if forward else order[-1])
            return True
        i = order.index(self._current) + (1 if forward else -1)
        if not 0 <= i < len(order):
            return False
        self.set_current(order[i])
        return True

    def move_current(self, dx: int, dy: int) -> None:
        """Arrows: the nearest note or theme in that direction."""
        order = self._order()
        if not order:
            return
        if self._current not in order:
            self.set_current(order[0])
            return
        here = self._anchor(self._current)
        best: tuple[float, QGraphicsItem] | None = None
        for item in order:
            there = self._anchor(item)
            vx, vy = there.x() - here.x(), there.y() - here.y()
            along = vx * dx + vy * dy
            if along <= 1:
                continue
            across = abs(vx * dy - vy * dx)
            score = along + 2 * across
            if best is None or score < best[0]:
                best = (score, item)
        if best is not None:
            self.set_current(best[1])

    @staticmethod
    def _anchor(item: QGraphicsItem) -> QPointF:
        if isinstance(item, AreaItem):
            return item.header_rect().center()
        return item.sceneBoundingRect().center()

    def toggle_current(self) -> None:
        if self._current is not None:
            self._current.setSelected(not self._current.isSelected())

    def clear_selection(self) -> None:
        self._scene.clearSelection()
        self.dismiss_similar()

    def select_all(self) -> None:
        self._select(self._notes.values())

    def _select(self, items: Iterable[QGraphicsItem]) -> None:
        """Add items to the selection, announcing the change once (not once per item)."""
        self._scene.blockSignals(True)
        try:
            for item in items:
                item.setSelected(True)
        finally:
            self._scene.blockSignals(False)
        self._on_selection_changed()

    def _show_current(self) -> None:
        b, item = self._board, self._current
        picked = len(self._scene.selectedItems())
        tail = f" · {picked} selected" if picked else ""
        if b is None or item is None:
            text = "Tab moves through the notes and themes; Space selects." if b else ""
        elif isinstance(item, NoteItem):
            where = self._theme_name(b.theme_of(item.note_id))
            group = f" ({item.group_name})" if item.group_name else ""
            chosen = ", selected" if item.isSelected() else ""
            text = f"Note{group} in “{where}”{chosen}: {item.text}"
        elif isinstance(item, AreaItem):
            chosen = ", selected" if item.isSelected() else ""
            text = f"Theme “{item.name}”, {notes_phrase(item.count)}{chosen}"
        else:
            text = ""
        self.status.setText(text + tail if text else tail.lstrip(" ·"))
        self.view.setAccessibleDescription(self.status.text())

    def _on_selection_changed(self) -> None:
        self._show_current()
        self._update_actions()
        if self.model_state == "ready" and not self._dragged:
            self._similar_timer.start()

    # ------------------------------------------------------------------ zoom

    def zoom_by(self, factor: float) -> None:
        scale = self.view.transform().m11()
        wanted = max(0.05, min(4.0, scale * factor))
        self.view.scale(wanted / scale, wanted / scale)

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def fit(self) -> None:
        rect = self._content
        if not rect.isEmpty():
            self.view.fitInView(rect.adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)

    # ------------------------------------------------------------------ dragging

    def drag_started(self, item: NoteItem) -> None:
        self._dragged = self.selected_note_ids() or [item.note_id]
        for note_id in self._dragged:
            self._notes[note_id].setZValue(10)
        self._similar_timer.stop()
        if self.model_state == "ready":
            self._request_similar(self._dragged, (), None)

    def drag_moved(self, scene_pos: QPointF) -> None:
        over = self._area_at(scene_pos)
        for area in self._areas.values():
            area.set_flag_state(hovered=area is over)

    def drag_dropped(self, scene_pos: QPointF) -> None:
        dragged, self._dragged = self._dragged, []
        for note_id in dragged:
            if note_id in self._notes:
                self._notes[note_id].setZValue(1)
        for area in self._areas.values():
            area.set_flag_state(hovered=False)
        self.drop_notes(dragged, scene_pos)

    def _area_at(self, scene_pos: QPointF) -> AreaItem | None:
        for area in self._areas.values():
            if area.mapRectToScene(area.boundingRect()).contains(scene_pos):
                return area
        return None

    def drop_notes(self, note_ids: Sequence[str], scene_pos: QPointF) -> None:
        """What a drag ends in: onto a theme, out of themes, or a new theme of its own."""
        b = self._board
        if b is None or not note_ids:
            return
        area = self._area_at(scene_pos)
        if area is None:
            self.new_theme(list(note_ids))
        elif area.theme_id is None:
            themed = [n for n in note_ids if b.theme_of(n) is not None]
            if themed:
                self._move(themed, None)
        else:
            moving = [n for n in note_ids if b.theme_of(n) != area.theme_id]
            moved = bool(moving) and self._move(moving, area.theme_id)  # redraws when stored
            self._pending_target = area.theme_id  # "notes like these" found while dragging
            if self.similar and self.similar_target is None:
                self._show_similar(self.similar, area.theme_id)
            if moved:
                return
        self._dirty = True
        self.refresh_now()  # cards that did not move go back to their places

    # ------------------------------------------------------------------ actions

    def _perform(
        self, text: str, do: Callable[[], Any], undo: Callable[[Any], object], **kw: Any
    ) -> Any:
        result = self.undoable.perform(text, do, undo, **kw)
        if result is not None:
            self._dirty = True
            self.refresh_now()
        return result

    def _move(self, note_ids: Sequence[str], theme_id: str | None) -> bool:
        """Move notes (one undo step); False when refused (the error has been shown)."""
        p, sid = self.project, self._sid()
        ids = list(note_ids)
        text = (
            f"Move {notes_phrase(len(ids))} to “{self._theme_name(theme_id)}”"
            if theme_id
            else f"Take {notes_phrase(len(ids))} out of their theme"
        )
        done = self._perform(
            text,
            lambda: board_service.move_notes(p, sid, ids, theme_id),
            lambda prev: board_service.place_notes(p, sid, prev),
        )
        return done is not None

    def _create(self, name: str, colour: str, note_ids: Sequence[str]) -> str | None:
        p, sid, ids = self.project, self._sid(), list(note_ids)
        made = self._perform(
            f"Create theme “{name.strip()}”",
            lambda: board_service.create_theme(p, sid, name, colour, ids),
            lambda m: board_service.remove_themes(p, sid, m.theme_ids, m.previous),
            redo=lambda m: board_service.restore_themes(p, sid, m.theme_ids),
        )
        return None if made is None else str(made.theme_ids[0])

    def _sid(self) -> str:
        assert self._session_id is not None
        return self._session_id

    def new_theme(self, note_ids: Sequence[str] | None = None) -> None:
        """New theme from the chosen notes (or `note_ids`), asking for its name."""
        if self._board is None:
            return
        ids = list(note_ids) if note_ids is not None else self._chosen_notes()
        title = f"New theme from {notes_phrase(len(ids))}" if ids else "New theme"
        name = ask_name(self, title, "What is the theme about? A few words the room will know.")
        if name is not None:
            self._create(name, "", ids)

    def move_to_theme(self) -> None:
        ids = self._chosen_notes()
        if self._board is None or not ids:
            return
        picker = ThemePicker(self._board, f"Move {notes_phrase(len(ids))} to…", self)
        if picker.exec() == QDialog.DialogCode.Accepted:
            self._move(ids, picker.choice)

    def rename_theme(self) -> None:
        themes = self._chosen_themes()
        if len(themes) != 1:
            return
        theme_id, old = themes[0], self._theme_name(themes[0])
        name = ask_name(self, "Rename theme", "The theme’s new name:", old)
        if name is None:
            return
        p, sid = self.project, self._sid()
        self._perform(
            f"Rename theme “{old}” to “{name.strip()}”",
            lambda: board_service.rename_theme(p, sid, theme_id, name),
            lambda previous: board_service.rename_theme(p, sid, theme_id, previous),
        )

    def recolour_theme(self) -> None:
        themes = self._chosen_themes()
        b = self._board
        theme = None if b is None or len(themes) != 1 else b.theme(themes[0])
        if theme is None:
            return
        dialog = ColourDialog(theme.colour, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        colour = dialog.colour()
        p, sid = self.project, self._sid()
        self._perform(
            f"Colour theme “{theme.name}”",
            lambda: board_service.recolour_theme(p, sid, theme.id, colour),
            lambda previous: board_service.recolour_theme(p, sid, theme.id, previous),
        )

    def merge_themes(self) -> None:
        themes = self._chosen_themes()
        if len(themes) < 2:
            return
        current = self._current
        into = (
            current.theme_id
            if isinstance(current, AreaItem) and current.theme_id in themes
            else themes[0]
        )
        assert into is not None
        p, sid = self.project, self._sid()
        self._perform(
            f"Merge {len(themes)} themes into “{self._theme_name(into)}”",
            lambda: board_service.merge_themes(p, sid, themes, into),
            lambda merged: board_service.restore_themes(p, sid, merged.theme_ids),
        )

    def split_theme(self) -> None:
        b, ids = self._board, self._chosen_notes()
        theme_id = None if b is None or not ids else b.theme_of(ids[0])
        if theme_id is None:
            return
        name = ask_name(
            self,
            f"Split {notes_phrase(len(ids))} out of “{self._theme_name(theme_id)}”",
            "The name of the new theme for these notes:",
        )
        if name is None:
            return
        p, sid = self.project, self._sid()
        self._perform(
            f"Split {notes_phrase(len(ids))} into “{name.strip()}”",
            lambda: board_service.split_theme(p, sid, theme_id, ids, name),
            lambda m: board_service.remove_themes(p, sid, m.theme_ids, m.previous),
            redo=lambda m: board_service.restore_themes(p, sid, m.theme_ids),
        )

    def delete_themes(self) -> None:
        """Delete the chosen themes; their notes go back to “Not yet in a theme”."""
        themes = self._chosen_themes()
        if not themes:
            return
        stack = self.undoable.stack
        if len(themes) > 1:
            stack.beginMacro(f"Delete {len(themes)} themes")
        try:
            for theme_id in themes:
                self._delete_one(theme_id)
        finally:
            if len(themes) > 1:
                stack.endMacro()

    def _delete_one(self, theme_id: str) -> None:
        p, sid = self.project, self._sid()
        self._perform(
            f"Delete theme “{self._theme_name(theme_id)}”",
            lambda: board_service.delete_theme(p, sid, theme_id),
            lambda gone: board_service.restore_themes(p, sid, (gone.id,)),
        )

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
        ):
            if action is None:
                menu.addSeparator()
            elif action.isEnabled():
                menu.addAction(action)
        if self._menu is not None:
            self._menu.deleteLater()
        self._menu = menu
        return menu

    # ------------------------------------------------------------------ the worker

    def _run(self, kind: str, fn: Callable[[], object]) -> None:
        self._next_token += 1
        token = self._tokens[kind] = self._next_token
        relay = self._relay

        def work() -> None:
            result: object = None
            error: str | None = None
            try:
                result = fn()
            except ModelError as exc:
                error = str(exc)
            except Exception:  # a bug: logged; the board carries on without suggestions
                log.exception("theme suggestions failed")
                error = "Theme suggestions stopped with an unexpected error (see the log file)."
            with contextlib.suppress(RuntimeError):  # the board has gone
                relay.finished.emit(token, kind, result, error)

        try:
            self._pool.submit(work)
        except RuntimeError:  # shut down
            self._tokens.pop(kind, None)

    def _on_worker_done(self, token: int, kind: str, result: object, error: object) -> None:
        if self._tokens.get(kind) != token:
            return  # a newer request replaced it
        del self._tokens[kind]
        if error is not None:
            self._model_failed(str(error))
        elif kind == "load":
            self.model_state = "ready"
            self._show_model_state()
            if self._scene.selectedItems():
                self._similar_timer.start()
        elif kind == "suggest" and isinstance(result, tuple):
            self._show_proposals(list(result))
        elif kind == "similar" and isinstance(result, tuple):
            self._show_similar(result, self._pending_target)

    def _ensure_model(self) -> None:
        if self.model_state != "idle":
            return
        if self.engine.model.loaded:
            self.model_state = "ready"
        else:
            self.model_state = "loading"
            engine = self.engine
            self._run("load", lambda: suggestions.load_model(engine))
        self._show_model_state()

    def _model_failed(self, message: str) -> None:
        self.model_state = "failed"
        self.model_message = message
        self.proposal_note.setText(message)
        self._show_model_state()

    def _show_model_state(self) -> None:
        words = {
            "idle": "Theme suggestions start when a board is shown.",
            "loading": "Theme suggestions are getting ready…",
            "ready": "Theme suggestions are ready: T suggests themes, L finds notes like these.",
            "failed": (
                f"Theme suggestions are not available: {self.model_message} "
                "Everything else on the board works as usual."
            ),
        }
        self.model_note.setText(words[self.model_state])
        for action in (self.suggest_action, self.similar_action):
            action.setStatusTip(words[self.model_state])
            if self.model_state != "ready":
                action.setToolTip(f"{action.text()}: {words[self.model_state]}")
        self._update_actions()

    # ------------------------------------------------------------------ suggested themes

    def suggest_themes(self) -> None:
        b = self._board
        if b is None or self.model_state != "ready":
            return
        self.proposals = []
        self.proposal_list.clear()
        self.proposals_panel.show()
        if not b.unthemed:
            self.proposal_note.setText("Every note is in a theme already: nothing to suggest.")
            return
        self.proposal_note.setText(f"Looking for themes among {notes_phrase(len(b.unthemed))}…")
        engine = self.engine
        self._run("suggest", lambda: suggestions.suggest_for_board(b, engine))

    def _show_proposals(self, found: list[BoardSuggestion]) -> None:
        self.proposals = found
        self.proposal_note.setText(
            "Proposals only: nothing moves until you accept. Choose one to see its notes."
            if found
            else "No themes to suggest."
        )
        self._fill_proposals()
        if found:
            self.proposal_list.setCurrentRow(0)

    def _fill_proposals(self) -> None:
        b = self._board
        rows = self.proposal_list
        row = rows.currentRow()
        rows.blockSignals(True)
        rows.clear()
        for proposal in self.proposals:
            free = sum(1 for n in proposal.note_ids if b is not None and b.theme_of(n) is None)
            text = f"{proposal.label} — {notes_phrase(free)}"
            if free < len(proposal.note_ids):
                text += f" ({len(proposal.note_ids) - free} now in themes)"
            rows.addItem(QListWidgetItem(text))
        rows.setCurrentRow(min(row, rows.count() - 1))
        rows.blockSignals(False)
        has = bool(self.proposals)
        for button in (self.accept_button, self.accept_all_button, self.reject_button):
            button.setEnabled(has)
        self._mark_proposal(rows.currentRow())

    def _chosen_row(self) -> int:
        return self.proposal_list.currentRow()

    def _on_proposal_chosen(self, row: int) -> None:
        self._mark_proposal(row)
        if 0 <= row < len(self.proposals):
            ids = self.proposals[row].note_ids
            items = [self._notes[n] for n in ids if n in self._notes]
            if items:
                self.view.ensureVisible(items[0].sceneBoundingRect(), 40, 40)

    def _mark_proposal(self, row: int) -> None:
        ids = set(self.proposals[row].note_ids) if 0 <= row < len(self.proposals) else set()
        changed = self._proposal_marked ^ ids
        self._proposal_marked = ids
        self._remark(changed)

    def _remark(self, note_ids: set[str]) -> None:
        ranks = {n: i for i, n in enumerate(self.similar, 1)}
        for note_id in note_ids:
            item = self._notes.get(note_id)
            if item is None:
                continue
            if note_id in self._proposal_marked:
                item.set_mark("proposal")
            elif note_id in ranks:
                item.set_mark("similar", str(ranks[note_id]))
            else:
                item.set_mark("")

    def accept_proposals(self, rows: Sequence[int] | range) -> None:
        """Accept suggested themes (one undo step); notes already themed stay put."""
        chosen = [self.proposals[r] for r in rows if 0 <= r < len(self.proposals)]
        if not chosen or self._board is None:
            return
        p, sid = self.project, self._sid()
        proposals = [s.proposal() for s in chosen]
        text = (
            f"Accept suggested theme “{chosen[0].label}”"
            if len(chosen) == 1
            else f"Accept {len(chosen)} suggested themes"
        )
        made = self._perform(
            text,
            lambda: board_service.accept_suggestions(p, sid, proposals),
            lambda m: board_service.remove_themes(p, sid, m.theme_ids, m.previous),
            redo=lambda m: board_service.restore_themes(p, sid, m.theme_ids),
        )
        if made is not None:
            self.proposals = [s for s in self.proposals if s not in chosen]
            self._fill_proposals()

    def reject_proposal(self, row: int) -> None:
        """Drop a suggestion; nothing on the board changes."""
        if 0 <= row < len(self.proposals):
            del self.proposals[row]
            self._fill_proposals()

    def close_proposals(self) -> None:
        self._tokens.pop("suggest", None)
        self.proposals = []
        self._fill_proposals()
        self.proposals_panel.hide()

    # ------------------------------------------------------------------ notes like these

    def find_similar(self) -> None:
        """Outline the unthemed notes most like the chosen notes or theme."""
        b = self._board
        if b is None or self.model_state != "ready":
            return
        themes, notes = self.selected_theme_ids(), self.selected_note_ids()
        if len(themes) == 1 and not notes:
            theme = b.theme(themes[0])
            assert theme is not None
            self._request_similar(theme.note_ids, (theme.name,), theme.id)
        elif notes:
            places = {b.theme_of(n) for n in notes}
            self._request_similar(notes, (), places.pop() if len(places) == 1 else None)
        else:
            self.dismiss_similar()

    def _request_similar(
        self, anchors: Sequence[str], texts: Sequence[str], target: str | None
    ) -> None:
        b, engine = self._board, self.engine
        if b is None:
            return
        self._pending_target = target
        anchors, texts = tuple(anchors), tuple(texts)
        self._run(
            "similar",
            lambda: suggestions.similar_notes(b, anchors, texts, SIMILAR_TOP, engine),
        )

    def _show_similar(self, ids: Sequence[str], target: str | None) -> None:
        old = set(self.similar)
        self.similar = tuple(n for n in ids if n in self._notes)
        self.similar_target = target
        self._remark(old | set(self.similar))
        if not self.similar:
            self.similar_bar.hide()
            return
        n = len(self.similar)
        self.similar_label.setText(
            f"Outlined and numbered: the {notes_phrase(n)} not yet in a theme most like these."
        )
        if target is not None:
            text = f"Add {n} similar notes to “{self._theme_name(target)}”"
        else:
            text = f"Select the {n} similar notes"
        self.add_similar_button.setText(_amp(text))
        self.add_similar_button.setAccessibleName(text)
        self.similar_bar.show()

    def add_similar(self) -> None:
        """Accept the outlined notes: into the theme, or into the selection."""
        b = self._board
        ids = [n for n in self.similar if b is not None and b.theme_of(n) is None]
        target = self.similar_target
        self.dismiss_similar()
        if not ids:
            return
        if target is None:
            self._select(self._notes[n] for n in ids if n in self._notes)
            return
        p, sid = self.project, self._sid()
        self._perform(
            f"Add {len(ids)} similar notes to “{self._theme_name(target)}”",
            lambda: board_service.move_notes(p, sid, ids, target),
            lambda prev: board_service.place_notes(p, sid, prev),
        )

    def dismiss_similar(self) -> None:
        self._tokens.pop("similar", None)
        self._similar_timer.stop()
        self._show_similar((), None)


# ---------------------------------------------------------------- dialogs
