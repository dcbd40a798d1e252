"""The notes of one activity for the facilitator's note wall: a list model that follows the
project by small steps, and a filter (the delegate that draws each note as a card is in
`ui/wall/note_cards.py`).

The model is refreshed by diffing what the service returns against what it holds, note by
note (rows inserted, changed, removed; never a reset on an ordinary change), so the view
keeps its selection and scroll position while notes arrive. Everything a participant wrote
is drawn with QPainter.drawText, which never interprets markup.

A note held back on arrival (a possible disclosure or a personal detail: core/safeguarding.py)
carries a "Held back: …" badge with the reasons, in words, on its card, its tooltip and its
accessible text; once released it keeps a quiet "Released" badge.
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
    QSortFilterProxyModel,
    Qt,
)

from workshop_app.core.model import Note, NoteSource, NoteStatus
from workshop_app.services.moderation import held_words
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
    HELD = "held"  # held back on arrival: off the projector until released
    RELEASED = "released"  # was held back; the facilitator released it
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
    held: str = ""  # why it is held back on arrival, in words ("" when it is not)

    @property
    def summary(self) -> str:
        """The card as one plain text (for screen readers and the display role)."""
        words = [self.text, " · ".join([self.meta, *(label for _b, label in self.badges)])]
        if self.follow_up:
            words.append(f"Follow-up: {self.follow_up}")
        return "\n".join(words)

    @property
    def tooltip(self) -> str:
        """What the card's marks mean, for the mouse (plain text)."""
        if self.held:
            return (
                f"Held back when it arrived ({self.held}). It stays off the projector until "
                "you release it (Release to the screen…, R); hide or flag it as any note."
            )
        return self.summary


@dataclass(frozen=True, slots=True)
class Counts:
    waiting: int = 0
    shown: int = 0
    hidden: int = 0
    flagged: int = 0
    duplicates: int = 0
    held: int = 0  # held back on arrival and not released (taken back ones too)


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
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.card(note).tooltip
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
            # Its writer took it back after it was flagged or while held: kept in view,
            # never projected.
            [(Badge.TAKEN_BACK, "Taken back by its writer")]
            if note.withdrawn
            else [(STATUS_BADGE[note.status], STATUS_WORDS[note.status])]
        )
        held = held_words(note) if note.held else ""
        if held:
            badges.insert(0, (Badge.HELD, f"Held back: {held}"))
        elif note.hold_reasons:
            badges.append((Badge.RELEASED, "Released"))
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
            held=held,
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
        waiting = shown = hidden = flagged = dups = held = 0
        for n in self.notes:
            if n.withdrawn:  # taken back after being flagged or held: counted as such only
                pass
            elif n.status is NoteStatus.PENDING:
                waiting += 1
            elif n.status is NoteStatus.SHOWN:
                shown += 1
            else:
                hidden += 1
            flagged += n.flagged
            dups += n.duplicate_of is not None
            held += n.held
        self.counts = Counts(waiting, shown, hidden, flagged, dups, held)


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
    HELD = "held"


SHOW_WORDS = {
    Show.ALL: "All",
    Show.WAITING: "Waiting",
    Show.SHOWN: "Shown",
    Show.HIDDEN: "Hidden",
    Show.FLAGGED: "Flagged",
    Show.HELD: "Held back",
}


class NoteFilter(QSortFilterProxyModel):
    """Which notes the wall lists: by status, flag or hold, and words to search for."""

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
            return False  # taken back: under All, Flagged and Held back only
        if show is Show.WAITING and note.status is not NoteStatus.PENDING:
            return False
        if show is Show.SHOWN and note.status is not NoteStatus.SHOWN:
            return False
        if show is Show.HIDDEN and note.status is not NoteStatus.HIDDEN:
            return False
        if show is Show.FLAGGED and not note.flagged:
            return False
        if show is Show.HELD and not note.held:
            return False
        if self._words:
            haystack = f"{note.text}\n{self._notes.group_name(note.group_id)}".casefold()
            return all(w in haystack for w in self._words)
        return True
