"""What the phone server reads and writes for one participant: their notes, votes,
ratings and the first answer to each idempotent submission."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from workshop_app.core.ids import new_id
from workshop_app.core.model import Note, Participant, Session
from workshop_app.storage.contributions import _note
from workshop_app.storage.rows import parse_ts, query, ts
from workshop_app.storage.sessions import session_from_row


def get_participant(db: Database, participant_id: str) -> Participant | None:
    rows = list(query(db, "SELECT * FROM participants WHERE id = ?", [participant_id]))
    if not rows:
        return None
    r = rows[0]
    return Participant(
        r["id"], r["session_id"], r["group_id"], parse_ts(r["created_at"]), bool(r["joined"])
    )


# ---------------------------------------------------------------- idempotency


def submitter(
    db: Database, participant_id: str, key: str
) -> tuple[Participant, Session, dict[str, Any] | None] | None:
    """The participant, their session (without its groups) and the first answer already
    given to `key`: one query on the phone server's hot path."""
    rows = list(
        query(
            db,
            "SELECT s.*, p.id AS p_id, p.group_id AS p_group, p.created_at AS p_created, "
            "p.joined AS p_joined, sub.body AS first_answer FROM participants p "
            "JOIN sessions s ON s.id = p.session_id AND s.deleted_at IS NULL "
            "LEFT JOIN submissions sub ON sub.participant_id = p.id AND sub.key = ? "
            "WHERE p.id = ?",
            [key, participant_id],
        )
    )
    if not rows:
        return None
    r = rows[0]
    who = Participant(
        r["p_id"], r["id"], r["p_group"], parse_ts(r["p_created"]), bool(r["p_joined"])
    )
    first = json.loads(r["first_answer"]) if r["first_answer"] is not None else None
    return who, session_from_row(r, ()), first


def put_submission(
    db: Database, participant_id: str, key: str, body: Mapping[str, Any], now: datetime
) -> None:
    db.execute(
        "INSERT INTO submissions (participant_id, key, body, created_at) VALUES (?,?,?,?)",
        [participant_id, key, json.dumps(body, separators=(",", ":")), ts(now)],
    )


# ---------------------------------------------------------------- notes


def get_note(db: Database, note_id: str) -> Note | None:
    rows = list(query(db, "SELECT * FROM notes WHERE id = ?", [note_id]))
    return _note(rows[0]) if rows else None


def list_participant_notes(db: Database, participant_id: str, session_id: str) -> list[Note]:
    """A participant's notes in a session (withdrawn ones too, marked), oldest first."""
    return [
        _note(r)
        for r in query(
            db,
            "SELECT n.* FROM notes n JOIN activities a ON a.id = n.activity_id "
            "WHERE n.participant_id = ? AND a.session_id = ? ORDER BY n.created_at, n.id",
            [participant_id, session_id],
        )
    ]


def count_participant_notes(db: Database, participant_id: str, activity_id: str) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM notes WHERE participant_id = ? AND activity_id = ?",
            [participant_id, activity_id],
        ).fetchone()[0]
    )


def edit_note_text(
    db: Database, note_id: str, old: str, new: str, edited_by: str, now: datetime
) -> None:
    """Change a note's text, keeping the step in its history (original_text never changes)."""
    db.execute("UPDATE notes SET text = ?, updated_at = ? WHERE id = ?", [new, ts(now), note_id])
    db.execute(
        "INSERT INTO note_edits (id, note_id, old_text, new_text, edited_by, created_at) "
        "VALUES (?,?,?,?,?,?)",
        [new_id(), note_id, old, new, edited_by, ts(now)],
    )


def withdraw_note(db: Database, note_id: str, now: datetime) -> None:
    db.execute(
        "UPDATE notes SET withdrawn_at = ?, updated_at = ? WHERE id = ?",
        [ts(now), ts(now), note_id],
    )


# ---------------------------------------------------------------- votes and ratings


def participant_votes(db: Database, activity_id: str, participant_id: str) -> dict[str, int]:
    return {
        r["target_id"]: r["dots"]
        for r in query(
            db,
            "SELECT target_id, dots FROM votes WHERE activity_id = ? AND participant_id = ?",
            [activity_id, participant_id],
        )
    }


def replace_votes(
    db: Database,
    activity_id: str,
    participant_id: str,
    dots_by_target: Mapping[str, int],
    now: datetime,
) -> None:
    """A participant's whole allocation replaces their previous one (zero dots: no row)."""
    db.execute(
        "DELETE FROM votes WHERE activity_id = ? AND participant_id = ?",
        [activity_id, participant_id],
    )
    stamp = ts(now)
    db.conn.executemany(
        "INSERT INTO votes (id, activity_id, participant_id, target_id, dots, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
        [
            (new_id(), activity_id, participant_id, target, dots, stamp, stamp)
            for target, dots in dots_by_target.items()
            if dots > 0
        ],
    )


def participant_ratings(db: Database, activity_id: str, participant_id: str) -> dict[str, int]:
    """standard id -> the raw value the participant chose (on their scale)."""
    return {
        r["standard_id"]: r["raw_value"]
        for r in query(
            db,
            "SELECT standard_id, raw_value FROM ratings WHERE activity_id = ? "
            "AND participant_id = ?",
            [activity_id, participant_id],
        )
    }


def vote_turnout(db: Database, activity_id: str) -> int:
    return int(
        db.execute(
            "SELECT count(DISTINCT participant_id) FROM votes WHERE activity_id = ?",
            [activity_id],
        ).fetchone()[0]
    )


def vote_totals(db: Database, activity_id: str) -> dict[str, int]:
    return {
        r["target_id"]: r["total"]
        for r in query(
            db,
            "SELECT target_id, sum(dots) AS total FROM votes WHERE activity_id = ? "
            "GROUP BY target_id",
            [activity_id],
        )
    }


def session_themes(db: Database, session_id: str) -> list[tuple[str, str]]:
    """(id, name) of every theme in a session, in agenda then board order: one query."""
    return [
        (r["id"], r["name"])
        for r in query(
            db,
            "SELECT t.id, t.name FROM themes t JOIN activities a ON a.id = t.activity_id "
            "WHERE a.session_id = ? AND a.deleted_at IS NULL AND t.deleted_at IS NULL "
            "ORDER BY a.position, t.position, t.created_at",
            [session_id],
        )
    ]


def session_shown_notes(db: Database, session_id: str) -> list[tuple[str, str]]:
    """(id, text) of every note on show in a session (not pending, hidden or withdrawn)."""
    return [
        (r["id"], r["text"])
        for r in query(
            db,
            "SELECT n.id, n.text FROM notes n JOIN activities a ON a.id = n.activity_id "
            "WHERE a.session_id = ? AND a.deleted_at IS NULL AND n.status = 'shown' "
            "AND n.held_at IS NULL AND n.unread = 0 "  # never held back or unread (issue 17)
            "AND a.kind != 'survey' "  # survey answers are not ideas to vote on
            "AND n.withdrawn_at IS NULL ORDER BY a.position, n.created_at, n.id",
            [session_id],
        )
    ]


#: A note the projector may show: approved or shown at once, not taken back, not a
#: duplicate, and never one held back on arrival or not yet read by the arrival check's
#: second look (whatever its status says: issue 17).
PROJECTABLE = (
    "status = 'shown' AND withdrawn_at IS NULL AND duplicate_of IS NULL AND held_at IS NULL "
    "AND unread = 0"
)


def newest_projected_notes(db: Database, activity_id: str, limit: int) -> tuple[list[str], int]:
    """The newest `limit` note texts the projector may show (oldest first) and how many
    such notes there are in all: shown, not withdrawn, not marked as a duplicate."""
    (count,) = query(
        db,
        f"SELECT count(*) AS n FROM notes WHERE activity_id = ? AND {PROJECTABLE}",
        [activity_id],
    )
    rows = list(
        query(
            db,
            f"SELECT text FROM notes WHERE activity_id = ? AND {PROJECTABLE} "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            [activity_id, limit],
        )
    )
    return [r["text"] for r in reversed(rows)], int(count["n"])
