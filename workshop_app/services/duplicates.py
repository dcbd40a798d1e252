"""Possible duplicates among a brainstorm's notes, proposed to the facilitator before the
notes are grouped into themes (the rule is `core.duplicates`).

Only proposals: nothing here marks a note. The facilitator marks a proposal with
`moderation.mark_duplicates` (one undo step on the wall) or dismisses it.

Reading (`candidates`) is quick and happens on the caller's thread; `search` is pure and
may run on a worker thread, because paraphrases need the theme model (embedding a few
hundred notes takes a second or two). Without the model, exact repeats are still found and
the answer says why paraphrases were not.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from workshop_app.core.duplicates import find_duplicates
from workshop_app.core.model import ActivityKind, Note, NoteStatus
from workshop_app.services.errors import message_for
from workshop_app.services.project import OpenProject
from workshop_app.services.vectors import vectors_for
from workshop_app.storage import contributions
from workshop_app.storage import sessions as session_repo
from workshop_app.themes import ModelError, ThemeEngine

__all__ = [
    "DuplicateSearch",
    "PossibleDuplicates",
    "candidates",
    "find_for_activity",
    "search",
    "session_candidates",
]


@dataclass(frozen=True, slots=True)
class PossibleDuplicates:
    """A note and later notes that seem to say the same (oldest first)."""

    original: Note
    repeats: tuple[Note, ...]
    exact: frozenset[str]  # ids of the repeats that are the same words (else paraphrases)

    @property
    def note_ids(self) -> tuple[str, ...]:
        return (self.original.id, *(n.id for n in self.repeats))

    def pairs(self) -> list[tuple[str, str]]:
        """(original id, repeat id) of each repeat: what a dismissal remembers."""
        return [(self.original.id, n.id) for n in self.repeats]


@dataclass(frozen=True, slots=True)
class DuplicateSearch:
    """What a search found, and whether paraphrases were looked for."""

    groups: tuple[PossibleDuplicates, ...]
    paraphrases: bool  # False: exact repeats only (no model, or it could not be used)
    problem: str = ""  # why paraphrases were not looked for ("" when they were)

    @property
    def repeats(self) -> int:
        """How many notes seem to repeat an earlier one."""
        return sum(len(g.repeats) for g in self.groups)


def candidates(p: OpenProject, activity_id: str) -> list[Note]:
    """The notes of an activity that may be proposed, oldest first: not taken back, not
    hidden, and not already marked as a duplicate."""
    db = p.store.reader()
    session_repo.get_activity(db, activity_id)  # NotFoundError for a wrong id
    return [
        n
        for n in contributions.list_notes(db, activity_id)
        if n.status is not NoteStatus.HIDDEN and n.duplicate_of is None
    ]


def session_candidates(p: OpenProject, session_id: str) -> list[list[Note]]:
    """`candidates` of each brainstorm of a session (duplicates are within one activity)."""
    db = p.store.reader()
    return [
        candidates(p, a.id)
        for a in session_repo.list_activities(db, session_id)
        if a.kind is ActivityKind.BRAINSTORM
    ]


def search(
    notes: Sequence[Note],
    engine: ThemeEngine | None,
    ignore: Collection[tuple[str, str]] = (),
    *,
    project: OpenProject | None = None,
) -> DuplicateSearch:
    """Possible duplicates among notes of one activity, given oldest first.

    `engine` None looks for exact repeats only; with an engine whose model cannot be
    used, exact repeats are found and `problem` says why paraphrases were not. Pairs in
    `ignore` (original id, repeat id), dismissed by the facilitator, are not proposed
    again. With `project`, the notes' kept vectors are used (the rest are encoded); safe
    on a worker thread.
    """
    notes = list(notes)
    texts = [n.text for n in notes]
    problem = ""
    similarity = None
    if engine is not None and len(notes) > 1:
        try:
            vectors = vectors_for(project, notes, engine) if project is not None else None
            matrix = engine.cosines(texts, vectors=vectors)
        except ModelError as exc:
            problem = message_for(exc)
        else:
            similarity = lambda i, j: float(matrix[i, j])  # noqa: E731
    dismissed = set(ignore)
    groups = []
    for g in find_duplicates(texts, similarity):
        original = notes[g.original]
        repeats = tuple(notes[i] for i in g.repeats if (original.id, notes[i].id) not in dismissed)
        if repeats:
            exact = frozenset(notes[i].id for i in g.exact)
            groups.append(PossibleDuplicates(original, repeats, exact & {n.id for n in repeats}))
    looked = engine is not None and not problem
    return DuplicateSearch(tuple(groups), paraphrases=looked, problem=problem)


def find_for_activity(
    p: OpenProject,
    activity_id: str,
    engine: ThemeEngine | None = None,
    ignore: Collection[tuple[str, str]] = (),
) -> DuplicateSearch:
    """`search` over an activity's `candidates` (blocking while the model works)."""
    return search(candidates(p, activity_id), engine, ignore, project=p)
