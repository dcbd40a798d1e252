"""The notes waiting for the arrival check's second look (schema v13, services/arrival.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from workshop_app.storage.rows import query

__all__ = ["Unread", "mark_read", "set_unread", "unread_notes"]


@dataclass(frozen=True, slots=True)
class Unread:
    """A note waiting for the second look: its text as stored, and its session."""

    note_id: str
    text: str
    session_id: str


def unread_notes(db: Database, limit: int) -> list[Unread]:
    """Up to `limit` notes waiting, oldest first (the order phones sent them)."""
    return [
        Unread(r["id"], r["text"], r["session_id"])
        for r in query(
            db,
            "SELECT n.id, n.text, a.session_id FROM notes n "
            "JOIN activities a ON a.id = n.activity_id "
            "WHERE n.unread = 1 ORDER BY n.created_at, n.id LIMIT ?",
            [limit],
        )
    ]


def set_unread(db: Database, note_id: str) -> None:
    """The note's words changed: off the projector until the look has read them."""
    db.execute("UPDATE notes SET unread = 1 WHERE id = ?", [note_id])


def mark_read(db: Database, note_id: str, text: str) -> bool:
    """The look has read `text`: True when that is still the note's text and it was waiting
    (an edit meanwhile leaves the note waiting for its new words)."""
    return bool(
        db.execute(
            "UPDATE notes SET unread = 0 WHERE id = ? AND text = ? AND unread = 1",
            [note_id, text],
        ).rowcount
    )
