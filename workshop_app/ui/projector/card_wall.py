"""Cards that always fit: the projector's notes and themes, drawn as plain text.

A room reads the projector from the back, so the text is as large as the space allows;
a long note makes its card taller instead of being cut off. `fit_cards` chooses the
largest type size and number of columns at which every card fits, placing each card
in the shortest column (a masonry wall). When even the smallest size cannot hold them
all, the oldest cards give way and the wall says how many earlier ones are not shown.

Text is drawn with QPainter.drawText, which never interprets markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from workshop_app.ui.common.widgets import soft_breaks

CARD = QColor("#fff3a0")
CARD_INK = QColor("#000000")
MORE_INK = QColor("#d0d0d0")
SIZES = (28, 26, 24, 22, 20, 18, 16, 15, 14)  # points, largest first; 14 still reads
MAX_CARDS = 24  # the newest ones; a wall of more is no longer readable from the back
GAP = 16
PAD = 14
WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop


@dataclass(frozen=True, slots=True)
class Placed:
    text: str
    rect: QRect  # the card
    text_rect: QRect  # where its text is drawn; it holds the whole text


@dataclass(frozen=True, slots=True)
class Fit:
    points: int
    cards: tuple[Placed, ...]
    left_out: int  # the oldest cards that did not fit even at the smallest size


#: Text measurements kept between layouts: (points, text width, text) -> the wrapped text's
#: height and width, in pixels.
Heights = dict[tuple[int, int, str], tuple[int, int]]


def _try(
    texts: Sequence[str], size: QSize, font: QFont, columns: int, measured: Heights
) -> list[Placed] | None:
    """Masonry placement at one size and column count; None when it does not fit.

    Laid out in plain numbers, and only a layout that fits is made into rectangles: a wall
    is tried at up to nine sizes and four column counts for each of up to 24 sets of cards,
    every time a note arrives, on the GUI thread (the projector's redraw was the longest
    GUI stall with phones posting: docs/performance.md)."""
    width = (size.width() - GAP * (columns - 1)) // columns
    inner = width - 2 * PAD
    if inner < 80:
        return None
    points, limit = font.pointSize(), size.height()
    metrics: QFontMetrics | None = None
    tops = [0] * columns
    spots: list[tuple[int, int, int]] = []  # column, top, height of each card
    for text in texts:
        key = (points, inner, text)
        needed = measured.get(key)
        if needed is None:
            if metrics is None:
                metrics = QFontMetrics(font)
            box = metrics.boundingRect(QRect(0, 0, inner, 100_000), WRAP, soft_breaks(text))
            needed = measured[key] = (box.height(), box.width())
        top = min(tops)  # the shortest column, the leftmost of equals
        column = tops.index(top)
        height = needed[0] + 2 * PAD
        if top + height > limit or needed[1] > inner:
            return None
        spots.append((column, top, height))
        tops[column] = top + height + GAP
    placed: list[Placed] = []
    for text, (column, top, height) in zip(texts, spots, strict=True):
        card = QRect(column * (width + GAP), top, width, height)
        placed.append(Placed(text, card, card.adjusted(PAD, PAD, -PAD, -PAD)))
    return placed


def fit_cards(
    texts: Sequence[str],
    size: QSize,
    base: QFont,
    max_columns: int = 4,
    measured: Heights | None = None,
) -> Fit:
    """The largest type at which every card fits `size` whole (see the module docstring).

    `measured` caches text measurements between calls (a wall redrawn because one note
    arrived measures only that note). First the fewest oldest cards to leave out so the
    rest fit at the smallest size, then the largest size at which those fit: leaving a
    card out or making the type smaller only ever makes the cards need less room.
    """
    if not texts or size.width() <= 0 or size.height() <= 0:
        return Fit(SIZES[0], (), 0)
    cache: Heights = {} if measured is None else measured
    font = QFont(base)

    def placed(shown: Sequence[str], points: int) -> list[Placed] | None:
        font.setPointSize(points)
        for columns in range(1, max_columns + 1):
            found = _try(shown, size, font, columns, cache)
            if found is not None:
                return found
        return None

    for left_out in range(len(texts)):
        shown = texts[left_out:]
        if placed(shown, SIZES[-1]) is None:
            continue
        for points in SIZES:
            found = placed(shown, points)
            if found is not None:
                return Fit(points, tuple(found), left_out)
    return Fit(SIZES[-1], (), len(texts))


class CardWall(QWidget):
    """Draws `texts` (oldest first) as cards that fit the widget; see `fit_cards`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setObjectName("projector-cards")
        self._texts: tuple[str, ...] = ()
        self._earlier = 0  # beyond MAX_CARDS
        self._measured: Heights = {}  # text measurements, kept between layouts
        self._fit = Fit(SIZES[0], (), 0)

    def set_texts(self, texts: Sequence[str], earlier: int = 0) -> None:
        """Oldest first; only the newest MAX_CARDS are considered. `earlier`: older
        cards the caller did not even send (they count in the "earlier notes" line)."""
        newest = tuple(texts[-MAX_CARDS:])
        older = earlier + max(0, len(texts) - MAX_CARDS)
        if newest == self._texts and older == self._earlier:
            return  # nothing new: no relayout, no repaint
        self._earlier = older
        self._texts = newest
        self._relayout()

    @property
    def fit(self) -> Fit:
        return self._fit

    def shown_texts(self) -> list[str]:
        return [card.text for card in self._fit.cards]

    @property
    def left_out(self) -> int:
        """Older cards not on the wall now (too many, or they would not fit)."""
        return self._earlier + self._fit.left_out

    def _relayout(self) -> None:
        if len(self._measured) > 5_000:  # an evening's worth; start afresh
            self._measured.clear()
        # With earlier notes left out already (a long session) the "earlier notes" line is
        # shown whatever fits, so the cards are laid out once, in the room it leaves.
        fit = None
        if not self._earlier:
            fit = fit_cards(self._texts, self.size(), self.font(), measured=self._measured)
        if fit is None or fit.left_out:  # leave room for the "earlier notes" line
            more = QFontMetrics(self.font()).height() + GAP
            area = QSize(self.width(), max(0, self.height() - more))
            fit = fit_cards(self._texts, area, self.font(), measured=self._measured)
        self._fit = fit
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.FontChange:
            self._measured.clear()
            self._relayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSize(self._fit.points)
        painter.setFont(font)
        for card in self._fit.cards:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(CARD)
            painter.drawRoundedRect(QRectF(card.rect), 8, 8)
            painter.setPen(CARD_INK)
            painter.drawText(card.text_rect, WRAP, soft_breaks(card.text))
        if self.left_out:
            painter.setFont(self.font())
            painter.setPen(MORE_INK)
            n = self.left_out
            line = f"+ {n} earlier {'note' if n == 1 else 'notes'} on the wall"
            painter.drawText(
                QRect(0, self.height() - QFontMetrics(self.font()).height(), self.width(), 100),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                line,
            )
        painter.end()
