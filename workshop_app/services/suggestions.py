"""Theme suggestions for an activity's notes (the engine is workshop_app.themes)."""

from __future__ import annotations

from dataclasses import dataclass

from workshop_app.core.model import Note, NoteStatus
from workshop_app.services.project import OpenProject
from workshop_app.storage import contributions
from workshop_app.storage import sessions as session_repo
from workshop_app.themes import ThemeSuggestion, suggest_themes


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
    p: OpenProject, activity_id: str, k: int | None = None, seed: int = 0
) -> ActivitySuggestions:
    notes = notes_for_themes(p, activity_id)
    themes = suggest_themes([n.text for n in notes], k, seed=seed)
    return ActivitySuggestions(tuple(notes), tuple(themes))
