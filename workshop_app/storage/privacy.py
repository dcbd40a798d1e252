"""The privacy review's decisions (the `redactions` table) and the note texts they apply to."""

from __future__ import annotations

from sqlite_utils import Database

from workshop_app.storage.rows import query


def note_texts(db: Database) -> dict[str, str]:
    """Every note's current text, by id (withdrawn notes too: a lookup, not an export)."""
    return {r["id"]: r["text"] for r in query(db, "SELECT id, text FROM notes")}


def removals(db: Database) -> dict[str, list[str]]:
    """The fragments to take out of each note's exported text (live 'remove' decisions)."""
    found: dict[str, list[str]] = {}
    for r in query(
        db,
        "SELECT note_id, fragment FROM redactions WHERE decision = 'remove' "
        "AND deleted_at IS NULL ORDER BY created_at, id",
    ):
        found.setdefault(r["note_id"], []).append(r["fragment"])
    return found
