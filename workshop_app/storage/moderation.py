"""The facilitator's side of notes: status, flags, duplicates, corrections, history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlite_utils import Database

from workshop_app.core.model import Note, NoteEdit, NoteStatus
from workshop_app.storage.contributions import _note
from workshop_app.storage.rows import parse_opt_ts, parse_ts, query, ts

_CHUNK = 500  # ids per IN (...) list, well under SQLite's limit on bound parameters


def set_status(db: Database, note_id: str, status: NoteStatus, now: datetime) -> None:
    db.execute(
        "UPDATE notes SET status = ?, updated_at = ? WHERE id = ?",
        [status.value, ts(now), note_id],
    )


def set_statuses(db: Database, statuses: Mapping[str, NoteStatus], now: datetime) -> None:
    db.conn.executemany(
        "UPDATE notes SET status = ?, updated_at = ? WHERE id = ?",
        [(status.value, ts(now), note_id) for note_id, status in statuses.items()],
    )


def get_notes(db: Database, note_ids: Iterable[str]) -> dict[str, Note]:
    """The notes with these ids (withdrawn ones too), by id; unknown ids are left out."""
    ids = list(dict.fromkeys(note_ids))
    found: dict[str, Note] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for r in query(db, f"SELECT * FROM notes WHERE id IN ({marks})", chunk):
            found[r["id"]] = _note(r)
    return found


def set_hold(
    db: Database, note_id: str, held_at: datetime | None, reasons: Iterable[str] | None = None
) -> None:
    """Hold a note back from the projector (`held_at`) or release it (None); `reasons`
    replaces why it was held when given (kept otherwise, so a release keeps them)."""
    if reasons is None:
        db.execute(
            "UPDATE notes SET held_at = ? WHERE id = ?", [ts(held_at) if held_at else None, note_id]
        )
    else:
        db.execute(
            "UPDATE notes SET held_at = ?, hold_reasons = ? WHERE id = ?",
            [ts(held_at) if held_at else None, " ".join(reasons), note_id],
        )


def get_flag(db: Database, note_id: str) -> tuple[datetime | None, str]:
    """When a note was flagged (None: not flagged) and the private follow-up note."""
    for r in query(db, "SELECT flagged_at, flag_note FROM notes WHERE id = ?", [note_id]):
        return parse_opt_ts(r["flagged_at"]), r["flag_note"]
    return None, ""


def set_flag(db: Database, note_id: str, flagged_at: datetime | None, note: str) -> None:
    db.execute(
        "UPDATE notes SET flagged_at = ?, flag_note = ? WHERE id = ?",
        [ts(flagged_at) if flagged_at else None, note, note_id],
    )


def set_duplicate_of(db: Database, note_id: str, of_note_id: str | None) -> None:
    db.execute("UPDATE notes SET duplicate_of = ? WHERE id = ?", [of_note_id, note_id])


def set_duplicates(db: Database, duplicate_of: Mapping[str, str | None]) -> None:
    db.conn.executemany(
        "UPDATE notes SET duplicate_of = ? WHERE id = ?",
        [(of, note_id) for note_id, of in duplicate_of.items()],
    )


def set_withdrawn(db: Database, note_id: str, when: datetime | None, now: datetime) -> None:
    """Take a note off every wall (when) or bring it back (None)."""
    db.execute(
        "UPDATE notes SET withdrawn_at = ?, updated_at = ? WHERE id = ?",
        [ts(when) if when else None, ts(now), note_id],
    )


def group_names(db: Database) -> dict[str, str]:
    """Every stakeholder group's name, removed groups too (notes keep their group)."""
    return {r["id"]: r["name"] for r in query(db, "SELECT id, name FROM stakeholder_groups")}


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
