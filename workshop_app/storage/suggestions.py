"""The theme-suggestion audit: what the engine proposed each time the board showed
suggested themes, and which proposals the facilitator accepted (schema v6).

Nothing here names a participant: a proposal holds the engine's label and words and the
ids of the notes it grouped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlite_utils import Database

from workshop_app.core.suggestion_audit import redact_label, redact_word, removed_words
from workshop_app.storage.rows import parse_ts, query, ts


class Shown(NamedTuple):
    """One proposal as shown: its label, words and notes."""

    id: str
    label: str
    keywords: tuple[str, ...]
    note_ids: tuple[str, ...]


class ProposalOfNote(NamedTuple):
    """One proposal that named a note, with what became of it."""

    suggestion_id: str
    note_id: str
    label: str
    keywords: tuple[str, ...]
    theme_id: str | None  # the theme it became, when accepted
    accepted: bool  # accepted and not undone
    taken: bool  # this note went into that theme when it was accepted
    created_at: datetime


def insert_shown(
    db: Database, activity_id: str, run_id: str, shown: Sequence[Shown], now: datetime
) -> None:
    for position, s in enumerate(shown):
        db.execute(
            "INSERT INTO theme_suggestions (id, activity_id, run_id, position, label, keywords, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                s.id,
                activity_id,
                run_id,
                position,
                s.label,
                json.dumps(list(s.keywords), ensure_ascii=False),
                ts(now),
            ],
        )
        for note_id in dict.fromkeys(s.note_ids):
            db.execute(
                "INSERT INTO theme_suggestion_notes (suggestion_id, note_id) VALUES (?, ?)",
                [s.id, note_id],
            )


def suggestion_activity(db: Database, suggestion_id: str) -> str | None:
    row = db.execute(
        "SELECT activity_id FROM theme_suggestions WHERE id = ?", [suggestion_id]
    ).fetchone()
    return None if row is None else str(row[0])


def mark_accepted(
    db: Database, suggestion_id: str, theme_id: str, taken: Iterable[str], now: datetime
) -> None:
    """The proposal became `theme_id`, holding the notes `taken`."""
    db.execute(
        "UPDATE theme_suggestions SET theme_id = ?, accepted_at = ?, undone_at = NULL WHERE id = ?",
        [theme_id, ts(now), suggestion_id],
    )
    db.execute(
        "UPDATE theme_suggestion_notes SET taken = 0 WHERE suggestion_id = ?", [suggestion_id]
    )
    for note_id in taken:
        db.execute(
            "UPDATE theme_suggestion_notes SET taken = 1 WHERE suggestion_id = ? AND note_id = ?",
            [suggestion_id, note_id],
        )


def set_undone(db: Database, theme_ids: Sequence[str], when: datetime | None) -> None:
    """The accepts that made these themes were undone (None: redone)."""
    for theme_id in theme_ids:
        db.execute(
            "UPDATE theme_suggestions SET undone_at = ? WHERE theme_id = ?",
            [None if when is None else ts(when), theme_id],
        )


def proposals_of_notes(db: Database, note_ids: Iterable[str]) -> dict[str, list[ProposalOfNote]]:
    """Every proposal that named each note, oldest first."""
    found: dict[str, list[ProposalOfNote]] = {}
    for r in query(
        db,
        "SELECT s.id, n.note_id, s.label, s.keywords, s.theme_id, s.accepted_at, s.undone_at, "
        "n.taken, s.created_at FROM theme_suggestion_notes n "
        "JOIN theme_suggestions s ON s.id = n.suggestion_id "
        "WHERE n.note_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY s.created_at, s.run_id, s.position",
        [json.dumps(list(dict.fromkeys(note_ids)))],
    ):
        found.setdefault(r["note_id"], []).append(
            ProposalOfNote(
                r["id"],
                r["note_id"],
                r["label"],
                tuple(json.loads(r["keywords"])),
                r["theme_id"],
                r["accepted_at"] is not None and r["undone_at"] is None,
                bool(r["taken"]),
                parse_ts(r["created_at"]),
            )
        )
    return found


def scrub(db: Database, note_id: str, fragment: str, replacement: str) -> int:
    """Take the words of `fragment` (without case) out of the label and words of every
    proposal that named the note; returns how many proposals changed. For words deleted
    from a note for good: the engine's labels are made of its notes' words."""
    gone = removed_words([fragment])
    changed = 0
    for r in list(
        query(
            db,
            "SELECT s.id, s.label, s.keywords FROM theme_suggestions s "
            "JOIN theme_suggestion_notes n ON n.suggestion_id = s.id WHERE n.note_id = ?",
            [note_id],
        )
    ):
        old_keywords = json.loads(r["keywords"])
        label = redact_label(r["label"], gone, replacement)
        keywords = [redact_word(w, gone, replacement) for w in old_keywords]
        if label != r["label"] or keywords != old_keywords:
            db.execute(
                "UPDATE theme_suggestions SET label = ?, keywords = ? WHERE id = ?",
                [label, json.dumps(keywords, ensure_ascii=False), r["id"]],
            )
            changed += 1
    return changed


def members(db: Database, suggestion_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The notes each proposal named."""
    found: dict[str, list[str]] = {}
    for r in query(
        db,
        "SELECT suggestion_id, note_id FROM theme_suggestion_notes "
        "WHERE suggestion_id IN (SELECT value FROM json_each(?)) ORDER BY note_id",
        [json.dumps(list(dict.fromkeys(suggestion_ids)))],
    ):
        found.setdefault(r["suggestion_id"], []).append(r["note_id"])
    return {k: tuple(v) for k, v in found.items()}
