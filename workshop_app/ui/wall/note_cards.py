"""How the note wall draws a note: a card with its text wrapped, then group, source and
time, then coloured badges (waiting, shown, hidden, held back, flagged, duplicate, edited).

Everything a participant wrote is drawn with QPainter.drawText, which never interprets
markup. A note held back on arrival gets a dashed edge of its own colour and its badge
first, in words (colour is never the only sign); a flag's red edge wins over it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from workshop_app.core.model import Note, NoteStatus
from workshop_app.ui.common.widgets import soft_breaks
from workshop_app.ui.wall.note_model import CARD_ROLE, NOTE_ROLE, Badge, Card, Index

BADGE_COLOURS = {  # background, ink
    Badge.WAITING: ("#ffe08a", "#4a3500"),
    Badge.SHOWN: ("#cdeccf", "#14451a"),
    Badge.HIDDEN: ("#d9d9d9", "#333333"),
    Badge.FLAGGED: ("#b00020", "#ffffff"),
    Badge.HELD: ("#8a3b00", "#ffffff"),
    Badge.RELEASED: ("#ece4da", "#4a3a2a"),
    Badge.DUPLICATE: ("#dcd3f5", "#2d1f63"),
    Badge.EDITED: ("#d6e6f7", "#123a63"),
    Badge.TAKEN_BACK: ("#3d3d3d", "#ffffff"),
}
STRIPE = {
    NoteStatus.PENDING: QColor("#e0a800"),
    NoteStatus.SHOWN: QColor("#3c9a48"),
    NoteStatus.HIDDEN: QColor("#9a9a9a"),
}
CARD_BG = QColor("#fffdf3")
WAITING_BG = QColor("#fff6d6")
HIDDEN_BG = QColor("#f0f0f0")
INK = QColor("#1d1d1d")
META_INK = QColor("#5b5b5b")
FLAG_EDGE = QColor("#b00020")
HELD_EDGE = QColor("#8a3b00")  # held back on arrival: a dashed edge of its own
PAD = 10
STRIPE_W = 6
GAP = 4
WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
ONE_LINE = Qt.TextFlag.TextSingleLine | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class NoteCardDelegate(QStyledItemDelegate):
    """Draws a note as a card: its text wrapped, then group, source and time, then badges.

    Heights are measured once per note, text and width, so laying out a wall of a
    thousand notes after each change costs dictionary look-ups, not text measuring.
    """

    def __init__(self, view: QWidget, parent: QObject | None = None):
        super().__init__(parent)
        self._view = view
        self._heights: dict[tuple[Card, int], int] = {}
        self._sizes: dict[int, tuple[Card, int, QSize]] = {}  # by id(card), card kept alive

    def fonts(self) -> tuple[QFont, QFont, QFont]:
        base = self._view.font()
        text = QFont(base)
        text.setPointSizeF(base.pointSizeF() * 1.15)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.9)
        badge = QFont(small)
        badge.setBold(True)
        return text, small, badge

    def _inner_width(self) -> int:
        viewport = getattr(self._view, "viewport", None)
        width = viewport().width() if viewport else self._view.width()
        return max(width - 2 * PAD - STRIPE_W - 8, 120)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        # Called for every card whenever the list lays itself out (each time notes
        # arrive), so the common case is one dict lookup by the card's identity: a card
        # is immutable and the model keeps it until its note changes.
        card = index.data(CARD_ROLE)
        width = self._inner_width()
        if not isinstance(card, Card):
            return QSize(width, 40)
        known = self._sizes.get(id(card))
        if known is not None and known[0] is card and known[1] == width:
            return known[2]
        key = (card, width)
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > 20_000:
                self._heights.clear()
                self._sizes.clear()
            height = self._heights[key] = self._measure(card, width)
        size = QSize(width, height) + QSize(2 * PAD + STRIPE_W, 0)
        self._sizes[id(card)] = (card, width, size)
        return size

    def _measure(self, card: Card, width: int) -> int:
        text_font, small, badge_font = self.fonts()
        text_h = QFontMetrics(text_font).boundingRect(
            QRect(0, 0, width, 100_000), WRAP, soft_breaks(card.text)
        )
        line = QFontMetrics(small).height()
        rows = len(self._badge_rows(card, width, QFontMetrics(badge_font)))
        height = PAD + text_h.height() + GAP + line + GAP + rows * (line + 6) + PAD - 4
        if card.follow_up:
            height += line + GAP
        return height

    def _badge_rows(
        self, card: Card, width: int, metrics: QFontMetrics
    ) -> list[list[tuple[Badge, str, int]]]:
        rows: list[list[tuple[Badge, str, int]]] = [[]]
        used = 0
        for kind, label in card.badges:
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, width - 12)
            w = metrics.horizontalAdvance(text) + 12
            if rows[-1] and used + w > width:
                rows.append([])
                used = 0
            rows[-1].append((kind, text, w))
            used += w + 6
        return rows

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card = index.data(CARD_ROLE)
        note = index.data(NOTE_ROLE)
        if not isinstance(card, Card) or not isinstance(note, Note):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(2, 2, -2, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        background = {
            NoteStatus.PENDING: WAITING_BG,
            NoteStatus.HIDDEN: HIDDEN_BG,
        }.get(note.status, CARD_BG)
        if note.flagged:
            painter.setPen(QPen(FLAG_EDGE, 3))
        elif note.held:
            painter.setPen(QPen(HELD_EDGE, 3, Qt.PenStyle.DashLine))
        else:
            painter.setPen(QPen(QColor("#c9c9c9"), 1))
        painter.setBrush(background)
        painter.drawRoundedRect(rect, 6, 6)
        if selected:  # inside the edge, so a flag's red edge stays visible
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 5, 5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(STRIPE[note.status])
        painter.drawRoundedRect(
            QRect(rect.left() + 2, rect.top() + 2, STRIPE_W, rect.height() - 4), 3, 3
        )
        left = rect.left() + STRIPE_W + PAD
        width = rect.right() - PAD - left
        top = rect.top() + PAD - 2
        text_font, small, badge_font = self.fonts()
        if card.hidden:
            text_font.setStrikeOut(True)
            painter.setOpacity(0.6)
        painter.setFont(text_font)
        painter.setPen(INK)
        text = soft_breaks(card.text)  # a long link wraps instead of being cut at the edge
        text_rect = QFontMetrics(text_font).boundingRect(QRect(0, 0, width, 100_000), WRAP, text)
        painter.drawText(QRect(left, top, width, text_rect.height()), WRAP, text)
        top += text_rect.height() + GAP
        painter.setOpacity(1.0)
        line = QFontMetrics(small).height()
        painter.setFont(small)
        painter.setPen(META_INK)
        meta = QFontMetrics(small).elidedText(card.meta, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, top, width, line), ONE_LINE, meta)
        top += line + GAP
        painter.setFont(badge_font)
        for row in self._badge_rows(card, width, QFontMetrics(badge_font)):
            x = left
            for kind, text, w in row:
                bg, ink = BADGE_COLOURS[kind]
                pill = QRect(x, top, w, line + 4)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(bg))
                painter.drawRoundedRect(pill, (line + 4) / 2, (line + 4) / 2)
                painter.setPen(QColor(ink))
                painter.drawText(pill.adjusted(6, 0, -6, 0), ONE_LINE, text)
                x += w + 6
            top += line + 6
        if card.follow_up:
            painter.setFont(small)
            painter.setPen(FLAG_EDGE)
            follow = QFontMetrics(small).elidedText(
                f"Follow-up (private): {card.follow_up}", Qt.TextElideMode.ElideRight, width
            )
            painter.drawText(QRect(left, top, width, line), ONE_LINE, follow)
        painter.restore()
