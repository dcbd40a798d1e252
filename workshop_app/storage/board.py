"""Theme writes for the facilitator's board: rename, recolour, reorder, soft delete and
restore, and which notes sit in which theme.

A deleted theme keeps its membership rows, so restoring it (undo, or later) brings its
notes back with it. Only *live* themes count when asking where a note is: a note's
place on the board is the one live theme that holds it, if any.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlite_utils import Database

from workshop_app.core.errors import NotFoundError
from workshop_app.core.model import Theme
from workshop_app.storage.rows import parse_ts, query, ts


def get_theme(db: Database, theme_id: str, *, include_deleted: bool = False) -> Theme:
    """A theme with every note id in its membership rows (whatever those notes' status)."""
    sql = "SELECT * FROM themes WHERE id = ?"
    if not include_deleted:
        sql += " AND deleted_at IS NULL"
    rows = list(query(db, sql, [theme_id]))
    if not rows:
        raise NotFoundError("That theme is no longer on the board.")
    r = rows[0]
    return Theme(
        id=r["id"],
        activity_id=r["activity_id"],
        name=r["name"],
        colour=r["colour"],
        position=r["position"],
        note_ids=theme_note_ids(db, theme_id),
        created_at=parse_ts(r["created_at"]),
    )


def theme_note_ids(db: Database, theme_id: str) -> tuple[str, ...]:
    return tuple(
        r["note_id"]
        for r in query(
            db,
            "SELECT tn.note_id FROM theme_notes tn JOIN notes n ON n.id = tn.note_id "
            "WHERE tn.theme_id = ? ORDER BY n.created_at, n.id",
            [theme_id],
        )
    )


def next_position(db: Database, activity_id: str) -> int:
    """One past the last position used on the activity (deleted themes included)."""
    row = db.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM themes WHERE activity_id = ?", [activity_id]
    ).fetchone()
    return int(row[0])


def rename_theme(db: Database, theme_id: str, name: str) -> None:
    db.execute("UPDATE themes SET name = ? WHERE id = ?", [name, theme_id])


def set_theme_colour(db: Database, theme_id: str, colour: str) -> None:
    db.execute("UPDATE themes SET colour = ? WHERE id = ?", [colour, theme_id])


def set_theme_position(db: Database, theme_id: str, position: int) -> None:
    db.execute("UPDATE themes SET position = ? WHERE id = ?", [position, theme_id])


def set_theme_deleted(db: Database, theme_id: str, when: datetime | None) -> None:
    db.execute(
        "UPDATE themes SET deleted_at = ? WHERE id = ?",
        [None if when is None else ts(when), theme_id],
    )


def unplace(db: Database, activity_id: str, note_ids: Sequence[str], *, keep: str = "") -> None:
    """Take notes out of every live theme of the activity (except the theme `keep`)."""
    for note_id in note_ids:
        db.execute(
            "DELETE FROM theme_notes WHERE note_id = ? AND theme_id != ? AND theme_id IN "
            "(SELECT id FROM themes WHERE activity_id = ? AND deleted_at IS NULL)",
            [note_id, keep, activity_id],
        )


def add_notes(db: Database, theme_id: str, note_ids: Sequence[str]) -> None:
    for note_id in dict.fromkeys(note_ids):
        db.execute(
            "INSERT OR IGNORE INTO theme_notes (theme_id, note_id) VALUES (?, ?)",
            [theme_id, note_id],
        )


def board_notes(
    db: Database, session_id: str
) -> list[tuple[str, str, str | None, str, bool, bool, str, bool]]:
    """(id, text, group id, activity id, waiting for approval, flagged, created at, held
    back on arrival) of every note a session's board can theme: in its brainstorm
    activities, not hidden, not taken back; in agenda order, then time."""
    return [
        (
            r["id"],
            r["text"],
            r["group_id"],
            r["activity_id"],
            r["status"] == "pending",
            r["flagged_at"] is not None,
            r["created_at"],
            r["held_at"] is not None,
        )
        for r in query(
            db,
            "SELECT n.id, n.text, n.group_id, n.activity_id, n.status, n.flagged_at, "
            "n.created_at, n.held_at FROM notes n "
            "JOIN activities a ON a.id = n.activity_id "
            "WHERE a.session_id = ? AND a.deleted_at IS NULL AND a.kind = 'brainstorm' "
            "AND n.withdrawn_at IS NULL AND n.status != 'hidden' "
            "ORDER BY a.position, a.created_at, n.created_at, n.id",
            [session_id],
        )
    ]
