"""The notes of one activity for the facilitator's note wall: a list model that follows the
project by small steps, a filter, and a delegate that draws each note as a card.

The model is refreshed by diffing what the service returns against what it holds, note by
note (rows inserted, changed, removed; never a reset on an ordinary change), so the view
keeps its selection and scroll position while notes arrive. Everything a participant wrote
is drawn with QPainter.drawText, which never interprets markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from workshop_app.core.model import Note, NoteSource, NoteStatus
from workshop_app.ui.common.labels import short

NOTE_ROLE = Qt.ItemDataRole.UserRole + 1  # the Note
CARD_ROLE = Qt.ItemDataRole.UserRole + 2  # the Card the delegate draws
Index = QModelIndex | QPersistentModelIndex


class Badge(StrEnum):
    """The kinds of marker a card carries, each drawn in its own colour."""

    WAITING = "waiting"
    SHOWN = "shown"
    HIDDEN = "hidden"
    FLAGGED = "flagged"
    DUPLICATE = "duplicate"
    EDITED = "edited"
    TAKEN_BACK = "taken-back"


STATUS_WORDS = {
    NoteStatus.PENDING: "Waiting for approval",
    NoteStatus.SHOWN: "Shown",
    NoteStatus.HIDDEN: "Hidden",
}
STATUS_BADGE = {
    NoteStatus.PENDING: Badge.WAITING,
    NoteStatus.SHOWN: Badge.SHOWN,
    NoteStatus.HIDDEN: Badge.HIDDEN,
}
SOURCE_WORDS = {NoteSource.PHONE: "phone", NoteSource.FACILITATOR: "paper"}


@dataclass(frozen=True, slots=True)
class Card:
    """What one note's card says, all plain text."""

    text: str
    meta: str  # group · source · time
    badges: tuple[tuple[Badge, str], ...]
    follow_up: str  # the private safeguarding note ("" when none)
    hidden: bool

    @property
    def summary(self) -> str:
        """The card as one plain text (for screen readers and the display role)."""
        words = [self.text, " · ".join([self.meta, *(label for _b, label in self.badges)])]
        if self.follow_up:
            words.append(f"Follow-up: {self.follow_up}")
        return "\n".join(words)


@dataclass(frozen=True, slots=True)
class Counts:
    waiting: int = 0
    shown: int = 0
    hidden: int = 0
    flagged: int = 0
    duplicates: int = 0


@dataclass(frozen=True, slots=True)
class Diff:
    inserted: int = 0
    changed: int = 0
    removed: int = 0
    reset: bool = False


class NoteModel(QAbstractListModel):
    """The notes of one activity in the order they came (oldest first)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.notes: list[Note] = []
        self._rows: dict[str, int] = {}
        self._cards: dict[str, Card] = {}
        self._groups: dict[str, str] = {}
        self.counts = Counts()

    # ------------------------------------------------------------------ Qt

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.notes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.notes):
            return None
        note = self.notes[index.row()]
        if role == NOTE_ROLE:
            return note
        if role == CARD_ROLE:
            return self.card(note)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.card(note).summary
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ------------------------------------------------------------------ reading

    def row_of(self, note_id: str) -> int | None:
        return self._rows.get(note_id)

    def note(self, note_id: str) -> Note | None:
        row = self._rows.get(note_id)
        return None if row is None else self.notes[row]

    def group_name(self, group_id: str | None) -> str:
        return self._groups.get(group_id, "Unknown group") if group_id else "No group"

    def card(self, note: Note) -> Card:
        card = self._cards.get(note.id)
        if card is None:
            card = self._cards[note.id] = self._make_card(note)
        return card

    def _make_card(self, note: Note) -> Card:
        when = note.created_at.astimezone().strftime("%H:%M")
        meta = f"{self.group_name(note.group_id)} · {SOURCE_WORDS[note.source]} · {when}"
        badges: list[tuple[Badge, str]] = (
            # Its writer took it back after it was flagged: kept in view, never projected.
            [(Badge.TAKEN_BACK, "Taken back by its writer")]
            if note.withdrawn
            else [(STATUS_BADGE[note.status], STATUS_WORDS[note.status])]
        )
        if note.duplicate_of is not None:
            first = self.note(note.duplicate_of)
            same = f"Same as “{short(first.text)}”" if first else "Same as another note"
            badges.append((Badge.DUPLICATE, same))
        if note.text != note.original_text:
            badges.append((Badge.EDITED, "Edited"))
        if note.flagged:
            badges.append((Badge.FLAGGED, "Flagged for safeguarding"))
        return Card(
            text=note.text,
            meta=meta,
            badges=tuple(badges),
            follow_up=note.flag_note if note.flagged else "",
            hidden=note.status is NoteStatus.HIDDEN or note.withdrawn,
        )

    # ------------------------------------------------------------------ updating

    def set_group_names(self, names: dict[str, str]) -> None:
        if names != self._groups:
            self._groups = dict(names)
            self._cards.clear()
            if self.notes:
                self.dataChanged.emit(self.index(0), self.index(len(self.notes) - 1))

    def reset(self, notes: Sequence[Note]) -> None:
        """Show another activity's notes (the one full reset)."""
        self.beginResetModel()
        self.notes = list(notes)
        self._reindex()
        self.endResetModel()

    def update(self, notes: Sequence[Note]) -> Diff:
        """Follow the project by small steps: notes are matched by id, in stored order."""
        new_ids = [n.id for n in notes]
        keep = set(new_ids)
        gone = [row for row, n in enumerate(self.notes) if n.id not in keep]
        for first, last in reversed(_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self.notes[first : last + 1]
            self.endRemoveRows()
        old = {n.id: n for n in self.notes}
        if [n.id for n in self.notes] != [i for i in new_ids if i in old]:
            self.reset(notes)  # the order changed: cannot happen with stored order
            return Diff(reset=True)
        changed: list[int] = []
        texts_changed: set[str] = set()
        inserted = 0
        row = 0
        while row < len(notes):
            note = notes[row]
            if note.id not in old:
                end = row
                while end < len(notes) and notes[end].id not in old:
                    end += 1
                self.beginInsertRows(QModelIndex(), row, end - 1)
                self.notes[row:row] = notes[row:end]
                self.endInsertRows()
                inserted += end - row
                row = end
                continue
            if old[note.id] is not note and old[note.id] != note:
                if old[note.id].text != note.text:
                    texts_changed.add(note.id)
                self.notes[row] = note
                self._cards.pop(note.id, None)
                changed.append(row)
            row += 1
        self._reindex()
        if texts_changed:  # their duplicates quote them
            for r, n in enumerate(self.notes):
                if n.duplicate_of in texts_changed and r not in changed:
                    self._cards.pop(n.id, None)
                    changed.append(r)
        for first, last in _runs(sorted(changed)):
            self.dataChanged.emit(self.index(first), self.index(last))
        return Diff(inserted=inserted, changed=len(changed), removed=len(gone))

    def _reindex(self) -> None:
        self._rows = {n.id: row for row, n in enumerate(self.notes)}
        alive = self._rows
        self._cards = {i: c for i, c in self._cards.items() if i in alive}
        waiting = shown = hidden = flagged = dups = 0
        for n in self.notes:
            if n.withdrawn:  # taken back after being flagged: counted as flagged only
                pass
            elif n.status is NoteStatus.PENDING:
                waiting += 1
            elif n.status is NoteStatus.SHOWN:
                shown += 1
            else:
                hidden += 1
            flagged += n.flagged
            dups += n.duplicate_of is not None
        self.counts = Counts(waiting, shown, hidden, flagged, dups)


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted rows as (first, last) runs of neighbours."""
    runs: list[tuple[int, int]] = []
    for r in rows:
        if runs and runs[-1][1] == r - 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs


# ---------------------------------------------------------------- filtering


class Show(StrEnum):
    ALL = "all"
    WAITING = "waiting"
    SHOWN = "shown"
    HIDDEN = "hidden"
    FLAGGED = "flagged"


SHOW_WORDS = {
    Show.ALL: "All",
    Show.WAITING: "Waiting",
    Show.SHOWN: "Shown",
    Show.HIDDEN: "Hidden",
    Show.FLAGGED: "Flagged",
}


class NoteFilter(QSortFilterProxyModel):
    """Which notes the wall lists: by status or flag, and words to search for."""

    def __init__(self, source: NoteModel, parent: QObject | None = None):
        super().__init__(parent)
        self._notes = source
        self.show = Show.ALL
        self._words: list[str] = []
        self.setSourceModel(source)

    def set_show(self, show: Show) -> None:
        if show is not self.show:
            self._begin()
            self.show = show
            self._end()

    def set_search(self, text: str) -> None:
        words = text.casefold().split()
        if words != self._words:
            self._begin()
            self._words = words
            self._end()

    # Qt 6.10 replaced invalidateRowsFilter() with a begin/end pair (deprecated since).
    def _begin(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()

    def _end(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        note = self._notes.notes[source_row]
        show = self.show
        if note.withdrawn and show in (Show.WAITING, Show.SHOWN, Show.HIDDEN):
            return False  # taken back: under All and Flagged only
        if show is Show.WAITING and note.status is not NoteStatus.PENDING:
            return False
        if show is Show.SHOWN and note.status is not NoteStatus.SHOWN:
            return False
        if show is Show.HIDDEN and note.status is not NoteStatus.HIDDEN:
            return False
        if show is Show.FLAGGED and not note.flagged:
            return False
        if self._words:
            haystack = f"{note.text}\n{self._notes.group_name(note.group_id)}".casefold()
            return all(w in haystack for w in self._words)
        return True


# ---------------------------------------------------------------- drawing


BADGE_COLOURS = {  # background, ink
    Badge.WAITING: ("#ffe08a", "#4a3500"),
    Badge.SHOWN: ("#cdeccf", "#14451a"),
    Badge.HIDDEN: ("#d9d9d9", "#333333"),
    Badge.FLAGGED: ("#b00020", "#ffffff"),
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
        text_h = QFontMetrics(text_font).boundingRect(QRect(0, 0, width, 100_000), WRAP, card.text)
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
        edge = FLAG_EDGE if note.flagged else QColor("#c9c9c9")
        painter.setPen(QPen(edge, 3 if note.flagged else 1))
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
        text_rect = QFontMetrics(text_font).boundingRect(
            QRect(0, 0, width, 100_000), WRAP, card.text
        )
        painter.drawText(QRect(left, top, width, text_rect.height()), WRAP, card.text)
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
