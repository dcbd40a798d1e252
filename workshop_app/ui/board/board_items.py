"""What the theme board draws and how it is looked at: note cards, theme areas, the "not
yet in a theme" area, where each goes, and the view (zoom, pan, keyboard moves).

Cards are light QGraphicsItems painting their own text with QPainter.drawText (which
never reads markup), wrapped and elided once and cached, so a board of a thousand notes
stays quick. Layout is plain arithmetic over fixed card sizes: the unthemed area on the
left, theme areas to its right in rows of three, each growing with its notes in a grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

CARD_W = 172.0
CARD_H = 100.0
GAP = 10.0
PAD = 12.0
HEADER = 40.0
THEME_COLS = 3  # cards across a theme area
AREA_COLUMNS = 3  # theme areas across the board
AREA_GAP = 28.0
LINES = 4  # lines of note text on a card before it is cut short with "…"

CARD_FILL = QColor("#fff6b8")
CARD_INK = QColor("#1a1a1a")
MUTED_INK = QColor("#555555")
SELECTED = QColor("#1d5fb4")
MARK = QColor("#c2185b")  # suggestion and "notes like these" outlines
WAITING_FILL = QColor("#f4f1e4")  # a note not approved yet: paler, with a dashed edge
WAITING_EDGE = QColor("#6b6b6b")
FLAG = QColor("#b00020")  # flagged for safeguarding follow-up
HELD = QColor("#8a3b00")  # held back on arrival (a possible disclosure or personal detail)
UNTHEMED_FILL = QColor("#e4e4e4")
BADGE_INK = QColor("#ffffff")
HELD_TIP = (
    "Held back when it arrived: it stays off the projector until you release it on the "
    "Notes tab (Held back)."
)


def ink_for(colour: QColor) -> QColor:
    """Black or white text, whichever reads better on `colour`."""
    r, g, b = (c / 255 for c in (colour.red(), colour.green(), colour.blue()))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return QColor("#000000") if luminance > 0.179 else QColor("#ffffff")


def wrap(text: str, metrics: QFontMetricsF, width: float, max_lines: int) -> str:
    """`text` broken into at most `max_lines` lines of `width`, the last one elided."""
    words = text.split()
    lines: list[str] = []
    line = ""
    i = 0
    while i < len(words):
        candidate = f"{line} {words[i]}" if line else words[i]
        if metrics.horizontalAdvance(candidate) <= width:
            line = candidate
            i += 1
            continue
        if not line:  # one word wider than the card: break it
            cut = _fitting_prefix(words[i], metrics, width)
            line, words[i] = words[i][:cut], words[i][cut:]
        lines.append(line)
        line = ""
        if len(lines) == max_lines - 1:
            rest = " ".join(words[i:])
            lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
            return "\n".join(lines)
    if line:
        lines.append(line)
    return "\n".join(lines)


def _fitting_prefix(word: str, metrics: QFontMetricsF, width: float) -> int:
    n = len(word)
    while n > 1 and metrics.horizontalAdvance(word[:n]) > width:
        n -= 1
    return n


class BoardHost(Protocol):
    """What the items and the view ask of the board widget."""

    def drag_started(self, item: NoteItem) -> None: ...
    def drag_moved(self, scene_pos: QPointF) -> None: ...
    def drag_dropped(self, scene_pos: QPointF) -> None: ...
    def zoom_by(self, factor: float) -> None: ...
    def step_current(self, forward: bool) -> bool: ...
    def move_current(self, dx: int, dy: int) -> None: ...
    def toggle_current(self) -> None: ...
    def clear_selection(self) -> None: ...


class NoteItem(QGraphicsItem):
    """One sticky note: its text (plain), its group, and how it is marked."""

    def __init__(self, note_id: str, text: str, group: str, host: BoardHost):
        super().__init__()
        self.note_id = note_id
        self.text = text
        self.group_name = group
        self.theme_id: str | None = None  # where the last refresh put it
        # Where the last refresh placed it (None: not yet, or dragged since): compared in
        # Python, as asking Qt for a thousand cards' positions on every redraw costs.
        self.placed_at: tuple[float, float] | None = None
        self.mark = ""  # "" | "proposal" | "similar"
        self.badge = ""
        self.current = False  # the keyboard's place on the board
        self.waiting = False  # not approved yet (shown dashed, with a word)
        self.flagged = False  # flagged for safeguarding follow-up (a red edge)
        self.held = False  # held back on arrival (a thick dashed edge, with words)
        self._host = host
        self._lines: str | None = None
        self._group_line: str | None = None
        self._pressed_at: QPointF | None = None
        self._dragging = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setZValue(1)

    def set_text(self, text: str, group: str) -> None:
        if (text, group) != (self.text, self.group_name):
            self.text, self.group_name = text, group
            self._lines = self._group_line = None
            self.update()

    def set_state(self, waiting: bool, flagged: bool, held: bool = False) -> None:
        """Moderation the facilitator should see while sorting (console only)."""
        if (waiting, flagged, held) != (self.waiting, self.flagged, self.held):
            self.waiting, self.flagged, self.held = waiting, flagged, held
            self.setToolTip(HELD_TIP if held else "")
            self.update()

    def set_mark(self, mark: str, badge: str = "") -> None:
        if (mark, badge) != (self.mark, self.badge):
            self.mark, self.badge = mark, badge
            self.update()

    def set_current(self, current: bool) -> None:
        if current != self.current:
            self.current = current
            self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(-5, -10, CARD_W + 10, CARD_H + 15)  # with the outline and the badge

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = QRectF(0, 0, CARD_W, CARD_H)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        selected = self.isSelected()
        if selected:
            painter.setPen(QPen(SELECTED, 3))
        elif self.held:
            painter.setPen(QPen(HELD, 3, Qt.PenStyle.DashLine))
        elif self.waiting:
            painter.setPen(QPen(WAITING_EDGE, 1.5, Qt.PenStyle.DashLine))
        else:
            painter.setPen(QPen(QColor("#b8a94a"), 1))
        fill = QColor("#dce9fb") if selected else WAITING_FILL if self.waiting else CARD_FILL
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(rect, 6, 6)
        if self.flagged:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(FLAG))
            painter.drawRect(QRectF(0, 4, 5, CARD_H - 8))
        if self.mark:
            pen = QPen(
                MARK, 3, Qt.PenStyle.DashLine if self.mark == "proposal" else Qt.PenStyle.SolidLine
            )
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 7, 7)
        if self.current:
            painter.setPen(QPen(CARD_INK, 2, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 4, 4)
        if lod < 0.35:  # too small to read: the card's shape is enough
            return
        font = painter.font()
        if self._lines is None:
            metrics = QFontMetricsF(font)
            self._lines = wrap(self.text, metrics, CARD_W - 16, LINES)
            small = QFont(font)
            small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
            self._group_line = QFontMetricsF(small).elidedText(
                self.group_name, Qt.TextElideMode.ElideRight, CARD_W - 16
            )
        painter.setPen(CARD_INK)
        painter.drawText(rect.adjusted(8, 6, -8, -20), Qt.AlignmentFlag.AlignLeft, self._lines)
        footer = " · ".join(
            part
            for part in (
                "held back" if self.held else "waiting" if self.waiting else "",
                "flagged" if self.flagged else "",
                self._group_line or "",
            )
            if part
        )
        if footer:
            small = QFont(font)
            small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
            painter.setFont(small)
            painter.setPen(FLAG if self.flagged else HELD if self.held else MUTED_INK)
            painter.drawText(
                rect.adjusted(8, 0, -8, -4),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                QFontMetricsF(small).elidedText(footer, Qt.TextElideMode.ElideRight, CARD_W - 16),
            )
            painter.setFont(font)
        if self.badge:
            badge = QRectF(CARD_W - 22, -8, 24, 20)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(MARK)
            painter.drawRoundedRect(badge, 9, 9)
            painter.setPen(BADGE_INK)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, self.badge)

    # -- dragging: Qt moves the selected cards; the board decides where they land

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mousePressEvent(event)
        self._pressed_at = event.scenePos()
        self._dragging = False

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._pressed_at is None:
            return
        if not self._dragging:
            if (event.scenePos() - self._pressed_at).manhattanLength() < 4:
                return
            self._dragging = True
            if not self.isSelected():
                self.setSelected(True)
            self._host.drag_started(self)
        super().mouseMoveEvent(event)
        self._host.drag_moved(event.scenePos())

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        dragged = self._dragging
        self._pressed_at = None
        self._dragging = False
        super().mouseReleaseEvent(event)
        if dragged:
            self._host.drag_dropped(event.scenePos())


class AreaItem(QGraphicsItem):
    """A theme's area (or, with theme_id None, the area of notes not yet in a theme)."""

    def __init__(self, theme_id: str | None, name: str, colour: str):
        super().__init__()
        self.theme_id = theme_id
        self.name = name
        self.colour = QColor(colour)
        self.count = 0
        self.current = False
        self.hovered = False  # notes are being dragged over it
        self._size = QRectF(0, 0, CARD_W, CARD_H)
        self._title: str | None = None
        if theme_id is not None:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(0)

    def title(self) -> str:
        return f"{self.name} ({self.count})"

    def set_theme(self, name: str, colour: str, count: int) -> None:
        if (name, QColor(colour), count) != (self.name, self.colour, self.count):
            self.name, self.colour, self.count = name, QColor(colour), count
            self._title = None
            self.update()

    def set_size(self, width: float, height: float) -> None:
        if (width, height) != (self._size.width(), self._size.height()):
            self.prepareGeometryChange()
            self._size = QRectF(0, 0, width, height)
            self._title = None

    def set_flag_state(self, *, current: bool | None = None, hovered: bool | None = None) -> None:
        changed = False
        if current is not None and current != self.current:
            self.current, changed = current, True
        if hovered is not None and hovered != self.hovered:
            self.hovered, changed = hovered, True
        if changed:
            self.update()

    def header_rect(self) -> QRectF:
        return self.mapRectToScene(QRectF(0, 0, self._size.width(), HEADER))

    def boundingRect(self) -> QRectF:
        return self._size.adjusted(-4, -4, 4, 4)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = self._size
        fill = UNTHEMED_FILL if self.theme_id is None else self.colour
        ink = ink_for(fill)
        border = SELECTED if self.isSelected() or self.hovered else fill.darker(140)
        painter.setPen(QPen(border, 4 if self.isSelected() or self.hovered else 1.5))
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(rect, 12, 12)
        if self.current:
            painter.setPen(QPen(ink, 2, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(5, 5, -5, -5), 9, 9)
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        painter.setFont(font)
        if self._title is None:
            self._title = QFontMetricsF(font).elidedText(
                self.title(), Qt.TextElideMode.ElideMiddle, rect.width() - 2 * PAD
            )
        painter.setPen(ink)
        painter.drawText(
            QRectF(PAD, 0, rect.width() - 2 * PAD, HEADER),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            self._title,
        )


class BoardView(QGraphicsView):
    """The board's view: zoom with Ctrl+wheel, pan with the middle button or Space+drag,
    keyboard moves between notes and themes."""

    def __init__(self, scene: QGraphicsScene, board: BoardHost):
        super().__init__(scene)
        self._board = board
        self._pan_from: QPoint | None = None
        self._space = False
        self._space_panned = False
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.ContainsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setAccessibleName("Theme board")

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._board.zoom_by(1.15 ** (event.angleDelta().y() / 120))
            event.accept()
        else:
            super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space
        ):
            self._pan_from = event.position().toPoint()
            self._space_panned = True
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            now = event.position().toPoint()
            delta = now - self._pan_from
            self._pan_from = now
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() is QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            plain = not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and plain:
                forward = key == Qt.Key.Key_Tab and not (
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                )
                if self._board.step_current(forward):
                    return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        arrows = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space, self._space_panned = True, False
            event.accept()
        elif key in arrows and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._board.move_current(*arrows[Qt.Key(key)])
            event.accept()
        elif key == Qt.Key.Key_Escape:
            self._board.clear_selection()
            event.accept()
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            if self._space and not self._space_panned:
                self._board.toggle_current()
            self._space = False
            event.accept()
            return
        super().keyReleaseEvent(event)


# ---------------------------------------------------------------- layout


@dataclass(frozen=True, slots=True)
class Layout:
    areas: dict[str | None, QRectF]  # theme id (None: the unthemed area) -> its rectangle
    cards: dict[str, tuple[float, float]]  # note id -> top-left (x, y) of its card


def unthemed_columns(n: int) -> int:
    """Columns of the unthemed area: four, more as notes pile up (a wall, not a tower)."""
    return max(4, min(16, math.ceil(math.sqrt(max(n, 1)) * 0.8)))


def _grid(
    ids: Sequence[str], origin: QPointF, cols: int, cards: dict[str, tuple[float, float]]
) -> float:
    """Place cards in a grid below a header; returns the area's height. Plain numbers: a
    board of a thousand notes is laid out on every redraw."""
    x, y = origin.x() + PAD, origin.y() + HEADER
    for i, note_id in enumerate(ids):
        row, col = divmod(i, cols)
        cards[note_id] = (x + col * (CARD_W + GAP), y + row * (CARD_H + GAP))
    rows = max(1, math.ceil(len(ids) / cols))
    return HEADER + rows * (CARD_H + GAP) - GAP + PAD


def area_width(cols: int) -> float:
    return 2 * PAD + cols * CARD_W + (cols - 1) * GAP


def lay_out(unthemed: Sequence[str], themes: Sequence[tuple[str, Sequence[str]]]) -> Layout:
    """Where every area and card goes: unthemed on the left, then themes in rows.

    The themes start at x = 0 and the unthemed area grows leftwards from there, so when
    it widens (notes pile up) no theme and none of its cards moves: a note arriving on a
    board of a thousand moves one card, not all of them.
    """
    cards: dict[str, tuple[float, float]] = {}
    areas: dict[str | None, QRectF] = {}
    cols = unthemed_columns(len(unthemed))
    left = -(area_width(cols) + AREA_GAP * 2)
    height = _grid(unthemed, QPointF(left, 0), cols, cards)
    areas[None] = QRectF(left, 0, area_width(cols), height)
    width = area_width(THEME_COLS)
    tops = [0.0] * AREA_COLUMNS
    for i, (theme_id, note_ids) in enumerate(themes):
        column = i % AREA_COLUMNS
        origin = QPointF(column * (width + AREA_GAP), tops[column])
        height = _grid(note_ids, origin, THEME_COLS, cards)
        areas[theme_id] = QRectF(origin.x(), origin.y(), width, height)
        tops[column] += height + AREA_GAP
    return Layout(areas, cards)
