"""The projector's page, laid out so that nothing overlaps and no text is cut off, at any
window size: a full-screen projector or a small window on the laptop.

`lay_out` is the whole rule, pure apart from Qt's font measurements: it places the header
(title, prompt, what to do now), the body (a ranking, the choices of a vote, or the card
wall) and the side column (countdown, QR code, address and code), choosing the largest
type at which everything fits. When even small type cannot hold every row of a long
ranking, the lowest rows give way to a line that says how many are not shown; when the
header cannot fit even at the smallest size (a window smaller than any projector), its
longest text is shortened with a visible "…". Nothing is ever drawn over anything else.

`ProjectorPage` draws a layout with QPainter.drawText, which never interprets markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from workshop_app.ui.projector.card_wall import CardWall

#: Header type sizes in points, largest first; the title is a little larger, the rest smaller.
SIZES = (40, 36, 32, 30, 28, 26, 24, 22, 20, 18, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7)
#: Below this, type is shrunk only if nothing else helps (rows give way first).
READABLE = 12
SIDE_LEAST = 9  # the address and code are at least this size, the column widening for them
INK = QColor("#ffffff")
SOFT_INK = QColor("#d0d0d0")
BAR = QColor("#56B4E9")  # Okabe & Ito's sky blue: clear on black
WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
WRAP_ANY = Qt.TextFlag.TextWrapAnywhere | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
CENTRE_ANY = (
    Qt.TextFlag.TextWrapAnywhere | Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
ELLIPSIS = "…"
MIN_CARDS_SHARE = 0.45  # of the left column's height, for the card wall
MIN_CARDS_PX = 120


class Role(Enum):
    TITLE = (1.25, True, INK)
    PROMPT = (1.0, False, INK)
    STATUS = (0.8, False, SOFT_INK)  # what to do now, or what happens next

    @property
    def scale(self) -> float:
        return self.value[0]

    @property
    def bold(self) -> bool:
        return self.value[1]


@dataclass(frozen=True, slots=True)
class Line:
    """One text of the header."""

    text: str
    role: Role


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the body: a ranked result (rank and dots) or a choice (neither)."""

    text: str
    rank: int | None = None
    dots: int | None = None


@dataclass(frozen=True, slots=True)
class Content:
    """Everything the page shows, as plain text."""

    header: tuple[Line, ...]
    rows: tuple[Row, ...] = ()
    footnote: str = ""  # under the rows (e.g. how ties are ranked)
    more_rows: str = "+ {n} more"  # the line for rows that did not fit ({n}: how many)
    rows_not_given: int = 0  # rows left out before layout (a long ranking's tail)
    cards: bool = False  # the body is the card wall
    qr: bool = False  # the side shows the QR code
    join: tuple[str, ...] = ()  # the side's address and code, one text per line
    clock: str = ""


@dataclass(frozen=True, slots=True)
class Placed:
    """A text and the rectangle that holds all of it, at `points`."""

    text: str
    rect: QRect
    points: int
    bold: bool = False
    flags: int = int(WRAP)
    soft: bool = False  # drawn in the softer grey


@dataclass(frozen=True, slots=True)
class Layout:
    texts: tuple[Placed, ...]
    bars: tuple[QRect, ...] = ()
    qr: QRect | None = None
    cards: QRect | None = None
    rows_left_out: int = 0
    shortened: bool = False  # the header did not fit even at the smallest size
    points: int = SIZES[0]  # the header's base size


def lay_out(content: Content, size: QSize, base: QFont) -> Layout:
    """Place everything in `size` (see the module docstring)."""
    w, h = size.width(), size.height()
    if w <= 0 or h <= 0:
        return Layout(())
    margin = _clamp(round(min(w, h) * 0.04), 4, 48)
    gap = _clamp(round(min(w, h) * 0.02), 3, 24)
    inner = QRect(margin, margin, max(1, w - 2 * margin), max(1, h - 2 * margin))
    side, side_texts, qr = _side(content, inner, gap, base)
    left = QRect(inner)
    if side > 0:
        left.setWidth(max(1, inner.width() - side - gap))

    # The largest size at which the header and the whole body fit.
    for points in SIZES:
        header = _header(content.header, left, points, gap, base)
        if header is None:
            continue
        top = left.top() + _height(header, gap)
        found = _body(content, left, top, points, gap, base, everything=True)
        if found is not None and (points >= READABLE or not content.rows):
            return Layout(side_texts + header + found[0], found[1], qr, found[2], 0, False, points)

    # Rows give way (lowest first) before the type becomes unreadable.
    for points in SIZES:
        if points > READABLE:
            continue
        header = _header(content.header, left, points, gap, base)
        if header is None:
            continue
        top = left.top() + _height(header, gap)
        found = _body(content, left, top, points, gap, base, everything=False)
        if found is not None:
            texts, bars, cards, left_out = found
            return Layout(side_texts + header + texts, bars, qr, cards, left_out, False, points)

    # A window smaller than any projector: the header at the smallest size, shortened.
    points = SIZES[-1]
    header = _shortened_header(content.header, left, points, gap, base)
    return Layout(side_texts + header, (), qr, None, len(content.rows), True, points)


# ---------------------------------------------------------------- the parts


def _side(
    content: Content, inner: QRect, gap: int, base: QFont
) -> tuple[int, tuple[Placed, ...], QRect | None]:
    """The side column's width, its texts and the QR code's square (right-aligned). The
    address is never cut: the column widens for it (up to half the page), and at worst
    it wraps."""
    if not (content.qr or content.join or content.clock):
        return 0, (), None
    width = round(min(inner.width() * 0.3, inner.height() * 0.6))
    least = max(
        (
            QFontMetrics(_font(base, SIDE_LEAST, bold=True)).horizontalAdvance(t)
            for t in (*content.join, content.clock)
            if t
        ),
        default=0,
    )
    width = max(1, min(max(width, least), inner.width() // 2))
    right = inner.right() + 1
    clock_points = _fit_points(content.clock, width, base, 48, bold=True) if content.clock else 0
    join_points = min(
        (_fit_points(t, width, base, 22, bold=True) for t in content.join if t), default=0
    )
    texts: list[Placed] = []
    y = inner.top()
    if content.clock:
        f = _font(base, clock_points, bold=True)
        needed = QFontMetrics(f).boundingRect(
            QRect(0, 0, width, 1_000_000), WRAP_ANY, content.clock
        )
        r = QRect(right - width, y, width, needed.height())
        texts.append(Placed(content.clock, r, clock_points, bold=True, flags=int(CENTRE_ANY)))
        y += r.height() + gap
    join: list[tuple[str, int]] = []
    if content.join:
        m = QFontMetrics(_font(base, join_points, bold=True))
        for t in content.join:
            if t:
                join.append(
                    (t, m.boundingRect(QRect(0, 0, width, 1_000_000), WRAP_ANY, t).height())
                )
    join_height = sum(h for _t, h in join)
    qr = None
    if content.qr:
        room = inner.bottom() + 1 - y - (join_height + gap if join_height else 0)
        square = max(0, min(width, room))
        if square >= 40:
            qr = QRect(right - width + (width - square) // 2, y, square, square)
            y += square + gap
    for t, height in join:
        r = QRect(right - width, y, width, height)
        if r.bottom() > inner.bottom():
            break
        texts.append(Placed(t, r, join_points, bold=True, flags=int(CENTRE_ANY)))
        y += height
    return width, tuple(texts), qr


def _header(
    lines: Sequence[Line], left: QRect, points: int, gap: int, base: QFont
) -> tuple[Placed, ...] | None:
    """The header's texts stacked at `points`; None when one does not fit the width or
    they do not fit the height."""
    placed: list[Placed] = []
    y = left.top()
    for line in lines:
        if not line.text:
            continue
        size = _scaled(points, line.role.scale)
        m = QFontMetrics(_font(base, size, bold=line.role.bold))
        flags, needed = _wrapped(m, left.width(), line.text)
        r = QRect(left.left(), y, left.width(), needed.height())
        if r.bottom() > left.bottom():
            return None
        placed.append(_placed(line, line.text, r, size, flags))
        y += r.height() + gap
    return tuple(placed)


def _placed(line: Line, text: str, rect: QRect, size: int, flags: int) -> Placed:
    """A header text placed in the look of its role."""
    return Placed(text, rect, size, bold=line.role.bold, flags=flags, soft=line.role is Role.STATUS)


def _shortened_header(
    lines: Sequence[Line], left: QRect, points: int, gap: int, base: QFont
) -> tuple[Placed, ...]:
    """Every header text at `points`, wrapped anywhere; the last that does not fit is cut
    to the lines that do, ending in "…", and the rest are left out."""
    placed: list[Placed] = []
    y = left.top()
    for line in lines:
        if not line.text:
            continue
        size = _scaled(points, line.role.scale)
        m = QFontMetrics(_font(base, size, bold=line.role.bold))
        room = left.bottom() + 1 - y
        if room < m.height():
            break
        text = line.text
        needed = m.boundingRect(QRect(0, 0, left.width(), 1_000_000), WRAP_ANY, text)
        while needed.height() > room and len(text) > 1:
            text = text[: max(1, int(len(text) * room / needed.height()) - 2)].rstrip() + ELLIPSIS
            needed = m.boundingRect(QRect(0, 0, left.width(), 1_000_000), WRAP_ANY, text)
        if needed.height() > room:
            break
        r = QRect(left.left(), y, left.width(), needed.height())
        placed.append(_placed(line, text, r, size, int(WRAP_ANY)))
        y += r.height() + gap
        if text != line.text:
            break
    return tuple(placed)


def _body(
    content: Content,
    left: QRect,
    top: int,
    points: int,
    gap: int,
    base: QFont,
    *,
    everything: bool,
) -> tuple[tuple[Placed, ...], tuple[QRect, ...], QRect | None, int] | None:
    """The body below `top`: (texts, bars, card wall, rows left out), or None when it does
    not fit (with `everything`, when not every row fits)."""
    room = QRect(left.left(), top, left.width(), left.bottom() + 1 - top)
    if content.cards:
        least = max(MIN_CARDS_PX, round(left.height() * MIN_CARDS_SHARE))
        if room.height() < least and everything:
            return None
        if room.height() < min(least, 40):
            return None
        return (), (), room, 0
    if not content.rows and not content.footnote:
        return ((), (), None, 0) if room.height() >= 0 else None
    size = _scaled(points, 0.85)
    for shown in range(len(content.rows), -1, -1):
        if everything and shown < len(content.rows):
            return None
        found = _rows(content, content.rows[:shown], room, size, gap, base)
        if found is not None:
            return found[0], found[1], None, len(content.rows) - shown
    return None


def _rows(
    content: Content, rows: Sequence[Row], room: QRect, points: int, gap: int, base: QFont
) -> tuple[tuple[Placed, ...], tuple[QRect, ...]] | None:
    m = QFontMetrics(_font(base, points))
    mb = QFontMetrics(_font(base, points, bold=True))
    line = _line_height(m)
    spacing = max(2, line // 3)
    left_out = len(content.rows) - len(rows) + content.rows_not_given
    ranked = any(r.rank is not None for r in content.rows)
    last_rank = max((r.rank or 0 for r in content.rows), default=0)
    rank_w = _one_line(m, f"{max(last_rank, 10)}.").width() if ranked else 0
    top_dots = max((r.dots or 0 for r in content.rows), default=0)
    counted = any(r.dots is not None for r in content.rows)
    value_w = _one_line(mb, f"{max(top_dots, 10)}").width() if counted else 0
    bar_w = round(room.width() * 0.22) if counted else 0
    between = m.horizontalAdvance("  ")
    text_w = room.width() - rank_w - value_w - bar_w - between * (int(ranked) + 2 * int(counted))
    if text_w < m.horizontalAdvance("MMMMMM"):
        return None
    texts: list[Placed] = []
    bars: list[QRect] = []
    y = room.top()
    x = room.left()
    for row in rows:
        flags, needed = _wrapped(m, text_w, row.text)
        height = max(needed.height(), line)
        if y + height - 1 > room.bottom():
            return None
        if ranked:
            rank = f"{row.rank}." if row.rank is not None else ""
            texts.append(Placed(rank, QRect(x, y, rank_w, line), points, flags=int(RIGHT)))
        tx = x + (rank_w + between if ranked else 0)
        texts.append(Placed(row.text, QRect(tx, y, text_w, height), points, flags=flags))
        if counted and row.dots is not None:
            bx = tx + text_w + between
            length = round(bar_w * row.dots / top_dots) if top_dots else 0
            bar_h = max(2, line * 2 // 3)
            if length > 0:
                bars.append(QRect(bx, y + (line - bar_h) // 2, length, bar_h))
            vx = bx + length + between
            texts.append(Placed(str(row.dots), QRect(vx, y, value_w, line), points, bold=True))
        y += height + spacing
    for extra, soft in (
        (content.more_rows.format(n=left_out) if left_out else "", True),
        (content.footnote, True),
    ):
        if not extra:
            continue
        small = _font(base, max(SIZES[-1], points - 2))
        sm = QFontMetrics(small)
        needed = sm.boundingRect(QRect(0, 0, room.width(), 1_000_000), WRAP, extra)
        if needed.width() > room.width() or y + needed.height() - 1 > room.bottom():
            return None
        texts.append(
            Placed(extra, QRect(x, y, room.width(), needed.height()), small.pointSize(), soft=soft)
        )
        y += needed.height() + spacing
    return tuple(texts), tuple(bars)


# ---------------------------------------------------------------- helpers


def _wrapped(m: QFontMetrics, width: int, text: str) -> tuple[int, QRect]:
    """How `text` wraps in `width`: at spaces, or anywhere when a word (a link, say) is
    longer than the line; and the box it then needs."""
    needed = m.boundingRect(QRect(0, 0, width, 1_000_000), int(WRAP), text)
    if needed.width() <= width:
        return int(WRAP), needed
    return int(WRAP_ANY), m.boundingRect(QRect(0, 0, width, 1_000_000), int(WRAP_ANY), text)


def _one_line(m: QFontMetrics, text: str) -> QRect:
    """The box one line of `text` needs, as drawText measures it."""
    return m.boundingRect(QRect(0, 0, 1_000_000, 1_000_000), int(WRAP), text)


def _line_height(m: QFontMetrics) -> int:
    """One line's height as drawText measures it (a digit and a descender)."""
    return max(m.height(), _one_line(m, "0gÅ").height())


def _height(placed: Sequence[Placed], gap: int) -> int:
    return sum(p.rect.height() + gap for p in placed)


def _fit_points(text: str, width: int, base: QFont, largest: int, *, bold: bool) -> int:
    for points in range(largest, SIZES[-1] - 1, -1):
        if QFontMetrics(_font(base, points, bold=bold)).horizontalAdvance(text) <= width:
            return points
    return SIZES[-1]


def _scaled(points: int, scale: float) -> int:
    return max(SIZES[-1], round(points * scale))


def _font(base: QFont, points: int, *, bold: bool = False) -> QFont:
    f = QFont(base)
    f.setPointSize(points)
    f.setBold(bold)
    return f


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


# ---------------------------------------------------------------- the widget


class ProjectorPage(QWidget):
    """Draws `Content` laid out by `lay_out`; the card wall is a child placed in the body."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("projector-page")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.cards = CardWall(self)
        self.cards.hide()
        self._content = Content(())
        self._qr = QPixmap()
        self._layout = Layout(())

    @property
    def layout_now(self) -> Layout:
        return self._layout

    @property
    def content(self) -> Content:
        return self._content

    def set_content(self, content: Content, qr: QPixmap | None = None) -> None:
        if qr is not None:
            self._qr = qr
        if content == self._content and qr is None:
            return
        self._content = content
        self._relayout()

    def shown_texts(self) -> list[str]:
        """Every text on the page now, the cards that fitted included."""
        texts = [p.text for p in self._layout.texts if p.text]
        if self._layout.cards is not None:
            texts += self.cards.shown_texts()
        return texts

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self) -> None:
        self._layout = lay_out(self._content, self.size(), self.font())
        if self._layout.cards is not None:
            self.cards.setGeometry(self._layout.cards)
            self.cards.show()
        else:
            self.cards.hide()
        self.setAccessibleDescription("\n".join(self.shown_texts()))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        for p in self._layout.texts:
            painter.setFont(_font(self.font(), p.points, bold=p.bold))
            painter.setPen(SOFT_INK if p.soft else INK)
            painter.drawText(p.rect, p.flags, p.text)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BAR)
        for bar in self._layout.bars:
            painter.drawRect(bar)
        if self._layout.qr is not None and not self._qr.isNull():
            # Nearest-neighbour scaling keeps the code's modules sharp for phone cameras.
            painter.drawPixmap(
                self._layout.qr,
                self._qr.scaled(
                    self._layout.qr.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.FastTransformation,
                ),
            )
        painter.end()
