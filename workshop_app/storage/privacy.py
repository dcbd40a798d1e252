"""The privacy review: the notes it reads, the facilitator's decisions (the `redactions`
table), and taking words out of a note and everything that holds a copy of them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlite_utils import Database

from workshop_app.core.model import NoteStatus
from workshop_app.core.redaction import Decision, DetailKind, Redaction
from workshop_app.storage import suggestions as suggestion_audit
from workshop_app.storage import vectors
from workshop_app.storage.rows import Row, parse_opt_ts, parse_ts, query, ts


class ReviewNote(NamedTuple):
    """A note the review reads, with where it was written."""

    note_id: str
    text: str
    status: NoteStatus
    group_id: str | None
    activity_id: str
    activity_title: str
    session_id: str
    session_title: str


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


_REVIEW = (
    "SELECT n.id, n.text, n.status, n.group_id, a.id AS activity_id, a.title AS activity_title, "
    "s.id AS session_id, s.title AS session_title FROM notes n "
    "JOIN activities a ON a.id = n.activity_id JOIN sessions s ON s.id = a.session_id "
    "WHERE n.withdrawn_at IS NULL AND a.deleted_at IS NULL AND s.deleted_at IS NULL"
)
_REVIEW_ORDER = " ORDER BY s.date IS NULL, s.date, s.created_at, a.position, n.created_at, n.id"


def review_notes(db: Database, session_id: str | None) -> list[ReviewNote]:
    """The notes an export may show (not taken back; of sessions and activities still
    there), of one session or of all, in session, agenda and writing order."""
    sql, params = _REVIEW, []
    if session_id is not None:
        sql += " AND s.id = ?"
        params.append(session_id)
    return [
        ReviewNote(
            r["id"],
            r["text"],
            NoteStatus(r["status"]),
            r["group_id"],
            r["activity_id"],
            r["activity_title"],
            r["session_id"],
            r["session_title"],
        )
        for r in query(db, sql + _REVIEW_ORDER, params)
    ]


# ---------------------------------------------------------------- decisions


def _redaction(r: Row) -> Redaction:
    return Redaction(
        id=r["id"],
        note_id=r["note_id"],
        fragment=r["fragment"],
        kind=DetailKind(r["kind"]),
        decision=Decision(r["decision"]),
        created_at=parse_ts(r["created_at"]),
        deleted_at=parse_opt_ts(r["deleted_at"]),
    )


def insert_redaction(db: Database, r: Redaction) -> None:
    db.execute(
        "INSERT INTO redactions (id, note_id, fragment, kind, decision, created_at, deleted_at) "
        "VALUES (?,?,?,?,?,?,?)",
        [
            r.id,
            r.note_id,
            r.fragment,
            r.kind.value,
            r.decision.value,
            ts(r.created_at),
            ts(r.deleted_at) if r.deleted_at else None,
        ],
    )


def get_redaction(db: Database, redaction_id: str) -> Redaction | None:
    for r in query(db, "SELECT * FROM redactions WHERE id = ?", [redaction_id]):
        return _redaction(r)
    return None


def set_redaction_deleted(db: Database, redaction_id: str, when: datetime | None) -> None:
    db.execute(
        "UPDATE redactions SET deleted_at = ? WHERE id = ?",
        [ts(when) if when else None, redaction_id],
    )


def live_redactions(db: Database, note_ids: Iterable[str] | None = None) -> list[Redaction]:
    """Decisions not undone, oldest first: of these notes, or of every note (None)."""
    sql = "SELECT * FROM redactions WHERE deleted_at IS NULL"
    found = [_redaction(r) for r in query(db, sql + " ORDER BY created_at, id")]
    if note_ids is None:
        return found
    wanted = set(note_ids)
    return [r for r in found if r.note_id in wanted]


def live_redaction_for(db: Database, note_id: str, fragment: str) -> Redaction | None:
    for r in query(
        db,
        "SELECT * FROM redactions WHERE note_id = ? AND fragment = ? AND deleted_at IS NULL",
        [note_id, fragment],
    ):
        return _redaction(r)
    return None


# ---------------------------------------------------------------- taking words out


class Scrubbed(NamedTuple):
    """How many stored copies of the words were changed, by where they were."""

    note: int  # the note's text and first-written text (0-2)
    edits: int  # steps of the note's history
    answers: int  # answers kept for a phone's retries
    decisions: int  # privacy review decisions naming the words (dropped)


def scrub_note(
    db: Database, note_id: str, fragment: str, replacement: str, now: datetime
) -> Scrubbed:
    """Replace `fragment` in the note, its history, the answers kept for its writer's phone
    retries, and drop the review decisions naming it or part of it. Not undoable, by design."""
    row = next(
        iter(
            query(
                db, "SELECT text, original_text, participant_id FROM notes WHERE id = ?", [note_id]
            )
        ),
        None,
    )
    if row is None:
        return Scrubbed(0, 0, 0, 0)
    text, original = row["text"], row["original_text"]
    note_changes = int(fragment in text) + int(fragment in original)
    if note_changes:
        db.execute(
            "UPDATE notes SET text = ?, original_text = ?, updated_at = ? WHERE id = ?",
            [
                text.replace(fragment, replacement),
                original.replace(fragment, replacement),
                ts(now),
                note_id,
            ],
        )
    edits = 0
    for e in list(
        query(db, "SELECT id, old_text, new_text FROM note_edits WHERE note_id = ?", [note_id])
    ):
        if fragment in e["old_text"] or fragment in e["new_text"]:
            db.execute(
                "UPDATE note_edits SET old_text = ?, new_text = ? WHERE id = ?",
                [
                    e["old_text"].replace(fragment, replacement),
                    e["new_text"].replace(fragment, replacement),
                    e["id"],
                ],
            )
            edits += 1
    answers = 0
    if row["participant_id"] is not None:
        for s in list(
            query(
                db,
                "SELECT key, body FROM submissions WHERE participant_id = ?",
                [row["participant_id"]],
            )
        ):
            if note_id not in s["body"]:
                continue
            body = json.loads(s["body"])
            cleaned = _replace_in(body, fragment, replacement)
            if cleaned != body:
                db.execute(
                    "UPDATE submissions SET body = ? WHERE participant_id = ? AND key = ?",
                    [
                        json.dumps(cleaned, separators=(",", ":")),
                        row["participant_id"],
                        s["key"],
                    ],
                )
                answers += 1
    # the engine's proposed theme labels are made of notes' words (the suggestion audit)
    suggestion_audit.scrub(db, note_id, fragment, replacement)
    # its cached vector was computed from the words (it is made again from what is left)
    vectors.delete_vectors(db, [note_id])
    decisions = db.execute(
        "DELETE FROM redactions WHERE note_id = ? "
        "AND (instr(fragment, ?) > 0 OR instr(?, fragment) > 0)",
        [note_id, fragment, fragment],
    ).rowcount
    return Scrubbed(note_changes, edits, answers, decisions)


def _replace_in(value: Any, fragment: str, replacement: str) -> Any:
    if isinstance(value, str):
        return value.replace(fragment, replacement)
    if isinstance(value, list):
        return [_replace_in(v, fragment, replacement) for v in value]
    if isinstance(value, dict):
        return {k: _replace_in(v, fragment, replacement) for k, v in value.items()}
    return value
