"""The theme board's scene: its items, the keyboard's place, the selection, zoom, drag and drop.

`BoardScene` is a part of the board widget (`ui/board/theme_board.ThemeBoard` mixes it in:
its methods and state are the board's own, under the same names). It brings the notes and
theme areas up to the board as read, updating, adding, removing and moving items and never
rebuilding them all, so the selection stays; it keeps the current item (Tab, the arrows),
the selection and the zoom, and turns a drag into a drop, whose meaning is decided in
`ui/board/board_presenter.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QLabel

from workshop_app.services.board import Board
from workshop_app.ui.board.board_dialogs import UNTHEMED_NAME
from workshop_app.ui.board.board_items import AreaItem, NoteItem, lay_out
from workshop_app.ui.board.board_placement import PlacementPanel
from workshop_app.ui.board.board_presenter import BoardPresenter, nearest
from workshop_app.ui.board.board_suggestions import BoardSuggestions
from workshop_app.ui.common.commands import Op


class BoardScene:
    """The board's graphics items, current item, selection, zoom and drag and drop."""

    # The board's state these methods share (set in ThemeBoard.__init__).
    presenter: BoardPresenter
    suggestions: BoardSuggestions
    placement: PlacementPanel
    view: QGraphicsView
    status: QLabel
    _scene: QGraphicsScene
    _notes: dict[str, NoteItem]
    _areas: dict[str | None, AreaItem]
    _current: QGraphicsItem | None
    _dragged: list[str]
    _content: QRectF
    _fresh: bool
    _dirty: bool

    if TYPE_CHECKING:  # the board's own calls (ui/board/theme_board.ThemeBoard)

        def refresh_now(self) -> None: ...
        def _update_actions(self) -> None: ...
        def new_theme(self, note_ids: Sequence[str] | None = None) -> None: ...
        def _move(self, note_ids: Sequence[str], theme_id: str | None) -> Op[Any]: ...
        def dismiss_similar(self) -> None: ...

    # ------------------------------------------------------------------ items
    def _clear_items(self) -> None:
        self._set_current(None)
        self._scene.clear()
        self._notes.clear()
        self._areas.clear()
        self.suggestions.forget_marks()

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
            item.set_state(n.waiting, n.flagged, n.held)
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
        for note_id, at in placed.cards.items():
            item = self._notes[note_id]
            item.theme_id = b.theme_of(note_id)
            if at != item.placed_at and note_id not in dragged:
                item.setPos(*at)
                item.placed_at = at
        content = QRectF()
        for rect in placed.areas.values():
            content = content.united(rect)
        self._content = content
        scene.setSceneRect(content.adjusted(-200, -200, 500, 500))
        if self._fresh:
            self._fresh = False
            self.view.ensureVisible(QRectF(content.topLeft(), content.topLeft()), 20, 20)
        self.suggestions.fill_proposals()
        self.placement.board_changed(b)
        self._show_current()

    def _remove(self, item: QGraphicsItem) -> None:
        if item is self._current:
            self._set_current(None)
        self._scene.removeItem(item)

    # ------------------------------------------------------------------ what is chosen

    def selected_note_ids(self) -> list[str]:
        """Selected notes in board order."""
        picked = [i.note_id for i in self._scene.selectedItems() if isinstance(i, NoteItem)]
        return self.presenter.in_board_order(picked, [])[0]

    def selected_theme_ids(self) -> list[str]:
        picked = [
            i.theme_id
            for i in self._scene.selectedItems()
            if isinstance(i, AreaItem) and i.theme_id is not None
        ]
        return self.presenter.in_board_order([], picked)[1]

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

    # ------------------------------------------------------------------ keyboard focus

    def _order(self) -> list[QGraphicsItem]:
        return [
            self._notes[i] if kind == "note" else self._areas[i]
            for kind, i in self.presenter.reading_order()
        ]

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
        places = [(a.x(), a.y()) for a in map(self._anchor, order)]
        best = nearest((here.x(), here.y()), places, dx, dy)
        if best is not None:
            self.set_current(order[best])

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

    def select_notes(self, note_ids: Iterable[str]) -> None:
        """Add these notes (those on the board) to the selection."""
        self._select(self._notes[n] for n in note_ids if n in self._notes)

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
        b, item = self.presenter.board, self._current
        picked = len(self._scene.selectedItems())
        tail = f" · {picked} selected" if picked else ""
        if b is None or item is None:
            text = "Tab moves through the notes and themes; Space selects." if b else ""
        elif isinstance(item, NoteItem):
            text = self.presenter.describe_note(
                item.note_id, item.group_name, item.text, item.isSelected()
            )
        elif isinstance(item, AreaItem):
            text = self.presenter.describe_theme(
                item.theme_id, item.name, item.count, item.isSelected()
            )
        else:
            text = ""
        self.status.setText(text + tail if text else tail.lstrip(" ·"))
        self.view.setAccessibleDescription(self.status.text())

    def _on_selection_changed(self) -> None:
        self._show_current()
        self._update_actions()
        if not self._dragged:
            self.suggestions.find_similar_soon()

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
        for moving in self._scene.selectedItems():  # Qt moves every selected card
            if isinstance(moving, NoteItem):
                moving.placed_at = None  # wherever it is dropped, the next redraw places it
        item.placed_at = None
        self.suggestions.drag_started(self._dragged)

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
        if self.presenter.board is None or not note_ids:
            return
        area = self._area_at(scene_pos)
        onto = None if area is None else area.theme_id
        drop = self.presenter.drop(note_ids, onto, area is not None)
        if drop.new_theme:
            self.new_theme(list(drop.new_theme))
        elif drop.theme_id is not None:
            if drop.move:  # drawn moved at once; the cards go back if it is refused
                self._move(drop.move, drop.theme_id)
            self.suggestions.dropped_on(drop.theme_id)
            if drop.move:
                return
        elif drop.move:
            self._move(drop.move, None)
            return
        self._put_back()

    def _put_back(self) -> None:
        """Cards that did not move go back to their places."""
        self._dirty = True
        self.refresh_now()
