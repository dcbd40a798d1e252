"""The facilitator's side of notes: status, flags, duplicates, corrections, history."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from workshop_app.core.model import NoteEdit, NoteStatus
from workshop_app.storage.rows import parse_ts, query, ts


def set_status(db: Database, note_id: str, status: NoteStatus, now: datetime) -> None:
    db.execute(
        "UPDATE notes SET status = ?, updated_at = ? WHERE id = ?",
        [status.value, ts(now), note_id],
    )


def set_flag(db: Database, note_id: str, flagged_at: datetime | None, note: str) -> None:
    db.execute(
        "UPDATE notes SET flagged_at = ?, flag_note = ? WHERE id = ?",
        [ts(flagged_at) if flagged_at else None, note, note_id],
    )


def set_duplicate_of(db: Database, note_id: str, of_note_id: str | None) -> None:
    db.execute("UPDATE notes SET duplicate_of = ? WHERE id = ?", [of_note_id, note_id])


def note_history(db: Database, note_id: str) -> list[NoteEdit]:
    return [
        NoteEdit(
            r["note_id"], r["old_text"], r["new_text"], r["edited_by"], parse_ts(r["created_at"])
        )
        for r in query(
            db,
            "SELECT * FROM note_edits WHERE note_id = ? ORDER BY created_at, id",
            [note_id],
        )
    ]
