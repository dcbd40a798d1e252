"""Guided sorting: a proposed theme for every note of a board not yet in one.

From the themes' names alone (a codebook, themes brought in from earlier sessions) and
from the notes the facilitator has already placed (few-shot: the more are placed, the
better the proposals). The engine's `ThemeEngine.place` does the work; this module says
which notes and themes it sees and how sure a proposal reads.

Pure over a `services.board.Board`, like `services/suggestions.py`: it reads nothing
from the file, so a desktop view runs it on a worker thread. Nothing here moves a note:
accepting is `services.board.place_proposed` (one undo step; a note flagged for
safeguarding follow-up only when the facilitator confirmed that one note).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workshop_app.services.board import Board, BoardTheme
from workshop_app.themes import Matrix, ThemeEngine

__all__ = ["LIKELY", "NOT_SURE", "SURE", "SURE_AT", "PlaceProposal", "propose_places"]

#: At or above this confidence a proposal reads "sure" and "Accept all sure" takes it.
#: Our choice, not calibrated: the line between "likely" and "not sure" is the engine's
#: own, calibrated one (`workshop_app.themes.guide.SURE`, docs/themes.md).
SURE_AT = 0.8

SURE = "sure"
LIKELY = "likely"
NOT_SURE = "not sure"


@dataclass(frozen=True, slots=True)
class PlaceProposal:
    """Where one note not yet in a theme could go.

    `theme_id` is the engine's best theme even when it is not sure (`sure` False): then
    it is only a guess, shown greyed, never accepted in bulk.
    """

    note_id: str
    note_text: str
    theme_id: str
    theme_name: str
    confidence: float  # 0-1
    sure: bool  # the engine proposes it (False: "not sure", `theme_id` is its best guess)
    waiting: bool = False  # the note is waiting for approval
    flagged: bool = False  # flagged for safeguarding follow-up: accepted one at a time

    @property
    def word(self) -> str:
        """ "sure", "likely" or "not sure": how the proposal reads."""
        if not self.sure:
            return NOT_SURE
        return SURE if self.confidence >= SURE_AT else LIKELY

    @property
    def percent(self) -> int:
        """The confidence as a whole percentage, rounded down (so 49.7 % never reads 50 %)."""
        return max(0, min(100, math.floor(self.confidence * 100 + 1e-9)))

    @property
    def in_bulk(self) -> bool:
        """Taken by "Accept all sure": sure, and not flagged for safeguarding follow-up."""
        return self.word == SURE and not self.flagged


def usable_themes(board: Board) -> tuple[BoardTheme, ...]:
    """The themes a note can be proposed for: those with a name or some notes."""
    return tuple(t for t in board.themes if t.name.strip() or t.note_ids)


def propose_places(
    board: Board, engine: ThemeEngine, vectors: Matrix | None = None
) -> tuple[PlaceProposal, ...]:
    """A proposal, with its confidence, for every note on the board not yet in a theme
    (shown or waiting, as the board shows them), in the board's order.

    `vectors`: the vectors of `board.notes` (one row each, in that order), when cached.
    No proposals when every note is in a theme or there is no theme to propose.
    """
    themes = usable_themes(board)
    if not themes or not board.unthemed:
        return ()
    column = {t.id: j for j, t in enumerate(themes)}
    row = {n.id: i for i, n in enumerate(board.notes)}
    placed = {
        row[note_id]: column[theme_id]
        for note_id, theme_id in board.places.items()
        if note_id in row and theme_id in column
    }
    found = engine.place(
        [n.text for n in board.notes], [t.name for t in themes], placed, vectors=vectors
    )
    out = []
    for p in found:
        note, theme = board.notes[p.note], themes[p.guess]
        out.append(
            PlaceProposal(
                note.id,
                note.text,
                theme.id,
                theme.name,
                float(p.confidence),
                p.theme is not None,
                note.waiting,
                note.flagged,
            )
        )
    return tuple(out)
