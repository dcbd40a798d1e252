"""Each note's sentence vector, cached for theme suggestions (schema v8).

Derived data: a vector is valid only for the model that made it (`model`, the theme
engine's identity) and the exact text it came from (`text_hash`). It goes with its note's
text (`delete_vectors`, called where words are removed for good), is safe to drop, and no
export reads this table. Vectors are float32 bytes here; services turn them into arrays.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlite_utils import Database

from workshop_app.storage.rows import query, ts


class StoredVector(NamedTuple):
    note_id: str
    text_hash: str
    dimension: int
    data: bytes  # `dimension` float32 values, little-endian


class NewVector(NamedTuple):
    """A vector to keep: it is stored only if the note still has exactly `text`."""

    note_id: str
    text: str
    dimension: int
    data: bytes


class Backlog(NamedTuple):
    """The notes lacking a current vector (newest first) out of how many notes in all;
    `waiting`: how many more lack one but wait for the arrival check's second look, which
    keeps their vectors as it reads them (when they are left to it: `backlog`)."""

    missing: list[tuple[str, str]]  # (note id, text)
    total: int
    waiting: int = 0


def text_hash(text: str) -> str:
    """What a vector's text is known by: the SHA-256 of its exact characters."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def get_vectors(db: Database, note_ids: Iterable[str], model: str) -> dict[str, StoredVector]:
    """The stored vectors of these notes made by `model` (stale ones included: compare
    `text_hash` with the note's text)."""
    return {
        r["note_id"]: StoredVector(r["note_id"], r["text_hash"], r["dimension"], r["vector"])
        for r in query(
            db,
            "SELECT note_id, text_hash, dimension, vector FROM note_vectors "
            "WHERE model = ? AND note_id IN (SELECT value FROM json_each(?))",
            [model, json.dumps(list(dict.fromkeys(note_ids)))],
        )
    }


def backlog(db: Database, model: str, *, leave_unread: bool = False) -> Backlog:
    """The notes (not taken back) with no vector from `model` for their current text.

    Only notes without a vector from `model`, or touched since theirs was made (every change
    of a note's text sets its `updated_at`), have their text hashed: the keeper asks this after
    every few notes while phones post, so it must not hash a thousand notes each time.
    `leave_unread`: notes still unread by the arrival check's second look are counted as
    `waiting`, not `missing` (the look stores each one's vector as it reads it, with the same
    model: embedding them here too would compute every new note twice).
    """
    total = int(db.execute("SELECT COUNT(*) FROM notes WHERE withdrawn_at IS NULL").fetchone()[0])
    missing: list[tuple[str, str]] = []
    waiting = 0
    unread = "n.unread" if leave_unread else "0"  # (a column since schema v13)
    for r in query(
        db,
        f"SELECT n.id, n.text, {unread} AS unread, v.model, v.text_hash FROM notes n "
        "LEFT JOIN note_vectors v ON v.note_id = n.id "
        "WHERE n.withdrawn_at IS NULL "
        "AND (v.note_id IS NULL OR v.model != ? OR v.created_at <= n.updated_at) "
        "ORDER BY n.created_at DESC, n.id",
        [model],
    ):
        if r["model"] != model or r["text_hash"] != text_hash(r["text"]):
            if leave_unread and r["unread"]:
                waiting += 1
            else:
                missing.append((r["id"], r["text"]))
    return Backlog(missing, total, waiting)


def put_vectors(db: Database, vectors: Iterable[NewVector], model: str, now: datetime) -> int:
    """Keep each vector whose note is still there with the same text (a note edited or
    gone meanwhile is skipped); returns how many were kept."""
    kept = 0
    for v in vectors:
        kept += db.execute(
            "INSERT INTO note_vectors (note_id, model, text_hash, dimension, vector, created_at) "
            "SELECT id, ?, ?, ?, ?, ? FROM notes WHERE id = ? AND text = ? "
            "ON CONFLICT (note_id) DO UPDATE SET model = excluded.model, "
            "text_hash = excluded.text_hash, dimension = excluded.dimension, "
            "vector = excluded.vector, created_at = excluded.created_at",
            [model, text_hash(v.text), v.dimension, v.data, ts(now), v.note_id, v.text],
        ).rowcount
    return kept


def delete_vectors(db: Database, note_ids: Iterable[str]) -> int:
    """Forget these notes' vectors (their words changed for good); returns how many."""
    return int(
        db.execute(
            "DELETE FROM note_vectors WHERE note_id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(dict.fromkeys(note_ids)))],
        ).rowcount
    )
