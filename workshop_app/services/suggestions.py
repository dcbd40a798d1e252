"""Theme suggestions for an activity's notes and for a session's board (the engine is
workshop_app.themes).

The board functions take the board as read; given the project, they read the notes' kept
vectors (services/vectors.py) so that only the clustering runs, and encode the rest. A
desktop view reads the board on its own thread and runs them on a worker thread.
Suggestions are only ever proposals: nothing here moves a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import Note, NoteStatus
from workshop_app.services.board import THEME_NAME_MAX, Board, Proposal
from workshop_app.services.project import OpenProject
from workshop_app.services.vectors import vectors_for
from workshop_app.storage import contributions
from workshop_app.storage import sessions as session_repo
from workshop_app.storage import suggestions as audit_repo
from workshop_app.storage.writer import Tx
from workshop_app.themes import (
    ModelError,
    ThemeEngine,
    ThemeModel,
    ThemeSuggestion,
)

__all__ = [
    "ActivitySuggestions",
    "BoardSuggestion",
    "ModelError",
    "ThemeEngine",
    "ThemeModel",
    "load_model",
    "notes_for_themes",
    "record_shown",
    "similar_notes",
    "suggest_for_activity",
    "suggest_for_board",
]


@dataclass(frozen=True, slots=True)
class ActivitySuggestions:
    notes: tuple[Note, ...]  # the notes considered, in the order the indices refer to
    themes: tuple[ThemeSuggestion, ...]


def notes_for_themes(p: OpenProject, activity_id: str) -> list[Note]:
    """Notes that can be themed: not withdrawn, not hidden by the facilitator."""
    db = p.store.reader()
    session_repo.get_activity(db, activity_id)  # NotFoundError for a wrong id
    return [
        n for n in contributions.list_notes(db, activity_id) if n.status is not NoteStatus.HIDDEN
    ]


def suggest_for_activity(
    p: OpenProject,
    activity_id: str,
    k: int | None = None,
    seed: int = 0,
    *,
    engine: ThemeEngine,
) -> ActivitySuggestions:
    notes = notes_for_themes(p, activity_id)
    vectors = vectors_for(p, notes, engine) if notes else None
    themes = engine.suggest_themes([n.text for n in notes], k, seed=seed, vectors=vectors)
    return ActivitySuggestions(tuple(notes), tuple(themes))


# ---------------------------------------------------------------- the board


@dataclass(frozen=True, slots=True)
class BoardSuggestion:
    """A proposed theme for some of the board's notes."""

    label: str
    note_ids: tuple[str, ...]
    keywords: tuple[str, ...]
    suggestion_id: str = ""  # as kept for the audit (`record_shown`); "" : not kept

    def proposal(self) -> Proposal:
        """As a theme to create: its label as the name (shortened to fit, never empty)."""
        name = self.label.strip()[:THEME_NAME_MAX].strip() or "Suggested theme"
        return Proposal(name, self.note_ids, suggestion_id=self.suggestion_id)


def load_model(engine: ThemeEngine) -> None:
    """Load and check the engine's model now (blocking: call it from a worker thread).

    Raises ModelError, with a message for people, when the model cannot be used.
    """
    engine.model.load()


def suggest_for_board(
    board: Board,
    engine: ThemeEngine,
    k: int | None = None,
    seed: int = 0,
    *,
    project: OpenProject | None = None,
) -> tuple[BoardSuggestion, ...]:
    """Suggested themes for the notes not yet in a theme, largest first (with `project`,
    from the notes' kept vectors)."""
    notes = [n for n in (board.note(i) for i in board.unthemed) if n is not None]
    if not notes:
        return ()
    vectors = vectors_for(project, notes, engine) if project is not None else None
    found = engine.suggest_themes([n.text for n in notes], k, seed=seed, vectors=vectors)
    return tuple(
        BoardSuggestion(s.label, tuple(notes[i].id for i in s.members), tuple(s.keywords))
        for s in found
    )


def record_shown(
    p: OpenProject, board: Board, found: Sequence[BoardSuggestion]
) -> tuple[BoardSuggestion, ...]:
    """Keep what the engine proposed, as shown to the facilitator, for the theme-suggestion
    audit in exports (docs/exports.md); returns the suggestions with their audit ids, so
    that accepting one (board.accept_suggestions) records the theme it became."""
    if not found or board.activity_id is None:
        return tuple(found)
    activity_id = board.activity_id
    kept = tuple(replace(s, suggestion_id=new_id()) for s in found)
    shown = [audit_repo.Shown(s.suggestion_id, s.label, s.keywords, s.note_ids) for s in kept]

    def job(tx: Tx) -> None:
        session_repo.get_activity(tx.db, activity_id)  # NotFoundError if it has gone
        audit_repo.insert_shown(tx.db, activity_id, new_id(), shown, utc_now())

    p.store.write_now(job)
    return kept


def similar_notes(
    board: Board,
    anchor_ids: Sequence[str],
    extra_texts: Sequence[str] = (),
    top: int = 8,
    *,
    engine: ThemeEngine,
    project: OpenProject | None = None,
) -> tuple[str, ...]:
    """The notes not yet in a theme most like the anchor notes (and texts), best first
    (with `project`, from the notes' kept vectors)."""
    anchors = [n for n in (board.note(i) for i in dict.fromkeys(anchor_ids)) if n is not None]
    anchor_texts = [*(n.text for n in anchors), *(t for t in extra_texts if t.strip())]
    ids = {n.id for n in anchors}
    candidates = [n for n in (board.note(i) for i in board.unthemed) if n and n.id not in ids]
    if not anchor_texts or not candidates or top <= 0:
        return ()
    texts = [*anchor_texts, *(n.text for n in candidates)]
    vectors = None
    if project is not None:
        kept = vectors_for(project, [*anchors, *candidates], engine)
        extra = engine.encode(anchor_texts[len(anchors) :])
        vectors = np.vstack([kept[: len(anchors)], extra, kept[len(anchors) :]])
    ranked = engine.rank_similar(texts, range(len(anchor_texts)), top, vectors=vectors)
    return tuple(candidates[i - len(anchor_texts)].id for i in ranked)
