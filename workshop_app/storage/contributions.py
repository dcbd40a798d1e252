"""What participants contribute: participants, notes (with edit history), themes,
votes, ratings and private help requests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from workshop_app.core.model import (
    HelpRequest,
    Note,
    NoteSource,
    NoteStatus,
    Participant,
    Rating,
    RatingScale,
    Theme,
    Vote,
)
from workshop_app.core.safeguarding import is_disclosure
from workshop_app.storage.rows import Row, parse_opt_ts, parse_ts, query, ts


def insert_participant(db: Database, p: Participant) -> None:
    db.execute(
        "INSERT INTO participants (id, session_id, group_id, created_at, joined) "
        "VALUES (?,?,?,?,?)",
        [p.id, p.session_id, p.group_id, ts(p.created_at), int(p.joined)],
    )


def participant_counts_by_group(db: Database, session_id: str) -> dict[str | None, int]:
    return {
        r["group_id"]: r["n"]
        for r in query(
            db,
            "SELECT group_id, count(*) AS n FROM participants WHERE session_id = ? "
            "AND joined = 1 GROUP BY group_id",
            [session_id],
        )
    }


def count_joined(db: Database, session_id: str) -> int:
    rows = query(
        db,
        "SELECT count(*) AS n FROM participants WHERE session_id = ? AND joined = 1",
        [session_id],
    )
    return int(next(iter(rows))["n"])


# ---------------------------------------------------------------- notes


def _note(r: Row | dict[str, Any]) -> Note:
    return Note(
        id=r["id"],
        activity_id=r["activity_id"],
        participant_id=r["participant_id"],
        group_id=r["group_id"],
        text=r["text"],
        original_text=r["original_text"],
        source=NoteSource(r["source"]),
        status=NoteStatus(r["status"]),
        idempotency_key=r["idempotency_key"],
        created_at=parse_ts(r["created_at"]),
        updated_at=parse_ts(r["updated_at"]),
        withdrawn=r["withdrawn_at"] is not None,
        flagged=r["flagged_at"] is not None,
        flag_note=r["flag_note"],
        duplicate_of=r["duplicate_of"],
        held_at=parse_opt_ts(r["held_at"]),
        hold_reasons=tuple(r["hold_reasons"].split()),
        unread=bool(r["unread"]),
    )


def insert_note(db: Database, n: Note) -> None:
    db.execute(
        "INSERT INTO notes (id, activity_id, participant_id, group_id, text, original_text, "
        "source, status, idempotency_key, created_at, updated_at, held_at, hold_reasons, "
        "unread) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            n.id,
            n.activity_id,
            n.participant_id,
            n.group_id,
            n.text,
            n.original_text,
            n.source.value,
            n.status.value,
            n.idempotency_key,
            ts(n.created_at),
            ts(n.updated_at),
            ts(n.held_at) if n.held_at else None,
            " ".join(n.hold_reasons),
            int(n.unread),
        ],
    )


def list_notes(db: Database, activity_id: str, *, include_withdrawn: bool = False) -> list[Note]:
    sql = "SELECT * FROM notes WHERE activity_id = ?"
    if not include_withdrawn:
        sql += " AND withdrawn_at IS NULL"
    return [_note(r) for r in query(db, sql + " ORDER BY created_at, id", [activity_id])]


#: The console's wall: every note, and those taken back after being flagged or while held
#: back on arrival (a scared child taking back a disclosure is the case to keep in view).
WALL_FILTER = (
    "activity_id = ? AND (withdrawn_at IS NULL OR flagged_at IS NOT NULL OR held_at IS NOT NULL)"
)


def list_wall_notes(db: Database, activity_id: str) -> list[Note]:
    sql = f"SELECT * FROM notes WHERE {WALL_FILTER} ORDER BY created_at, id"
    return [_note(r) for r in query(db, sql, [activity_id])]


def count_flagged(db: Database, session_id: str) -> int:
    rows = query(
        db,
        "SELECT count(*) AS n FROM notes n JOIN activities a ON a.id = n.activity_id "
        "WHERE a.session_id = ? AND n.flagged_at IS NOT NULL",
        [session_id],
    )
    return int(next(iter(rows))["n"])


def count_held(db: Database, session_id: str) -> tuple[int, int]:
    """Notes of a session held back on arrival that still wait for the facilitator (not
    hidden; taken back ones too): (all of them, those held for a possible disclosure)."""
    rows = query(
        db,
        "SELECT n.hold_reasons FROM notes n JOIN activities a ON a.id = n.activity_id "
        "WHERE a.session_id = ? AND n.held_at IS NOT NULL AND n.status = 'pending'",
        [session_id],
    )
    reasons = [r["hold_reasons"].split() for r in rows]
    return len(reasons), sum(1 for r in reasons if is_disclosure(r))


class NoteRows:
    """Reads one activity's notes again and again (a live wall), reusing the Note of
    every row that has not changed since the last read.

    Each read still fetches every row, so nothing can be missed, but as plain tuples:
    comparing a tuple costs far less than parsing its dates and building a Note, which
    is most of the time of `list_notes` on a wall of a thousand notes.
    """

    _SQL = f"SELECT * FROM notes WHERE {WALL_FILTER} ORDER BY created_at, id"

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[Any, ...], Note]] = {}

    def read(self, db: Database, activity_id: str) -> list[Note]:
        cursor = db.conn.execute(self._SQL, [activity_id])
        columns = [d[0] for d in cursor.description]
        id_at = columns.index("id")
        known, fresh = self._known, {}
        notes: list[Note] = []
        for row in cursor:
            entry = known.get(row[id_at])
            if entry is None or entry[0] != row:
                entry = (row, _note(dict(zip(columns, row, strict=True))))
            fresh[row[id_at]] = entry
            notes.append(entry[1])
        self._known = fresh
        return notes


# ---------------------------------------------------------------- themes


def insert_theme(db: Database, t: Theme) -> None:
    db.execute(
        "INSERT INTO themes (id, activity_id, name, colour, position, created_at) "
        "VALUES (?,?,?,?,?,?)",
        [t.id, t.activity_id, t.name, t.colour, t.position, ts(t.created_at)],
    )
    set_theme_notes(db, t.id, t.note_ids)


def set_theme_notes(db: Database, theme_id: str, note_ids: Sequence[str]) -> None:
    db.execute("DELETE FROM theme_notes WHERE theme_id = ?", [theme_id])
    for note_id in dict.fromkeys(note_ids):
        db.execute("INSERT INTO theme_notes (theme_id, note_id) VALUES (?, ?)", [theme_id, note_id])


def list_themes(db: Database, activity_id: str) -> list[Theme]:
    members: dict[str, list[str]] = {}
    for r in query(
        db,
        "SELECT tn.theme_id, tn.note_id FROM theme_notes tn "
        "JOIN themes t ON t.id = tn.theme_id JOIN notes n ON n.id = tn.note_id "
        "WHERE t.activity_id = ? ORDER BY n.created_at, n.id",
        [activity_id],
    ):
        members.setdefault(r["theme_id"], []).append(r["note_id"])
    return [
        Theme(
            id=r["id"],
            activity_id=r["activity_id"],
            name=r["name"],
            colour=r["colour"],
            position=r["position"],
            note_ids=tuple(members.get(r["id"], ())),
            created_at=parse_ts(r["created_at"]),
        )
        for r in query(
            db,
            "SELECT * FROM themes WHERE activity_id = ? AND deleted_at IS NULL "
            "ORDER BY position, created_at",
            [activity_id],
        )
    ]


# ---------------------------------------------------------------- votes and ratings


def upsert_vote(db: Database, v: Vote) -> None:
    db.execute(
        "INSERT INTO votes (id, activity_id, participant_id, target_id, dots, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?) "
        "ON CONFLICT(activity_id, participant_id, target_id) "
        "DO UPDATE SET dots = excluded.dots, updated_at = excluded.updated_at",
        [
            v.id,
            v.activity_id,
            v.participant_id,
            v.target_id,
            v.dots,
            ts(v.created_at),
            ts(v.created_at),
        ],
    )


def list_votes(db: Database, activity_id: str) -> list[Vote]:
    return [
        Vote(
            id=r["id"],
            activity_id=r["activity_id"],
            participant_id=r["participant_id"],
            target_id=r["target_id"],
            dots=r["dots"],
            created_at=parse_ts(r["created_at"]),
        )
        for r in query(
            db, "SELECT * FROM votes WHERE activity_id = ? ORDER BY created_at, id", [activity_id]
        )
    ]


def upsert_rating(db: Database, r: Rating) -> None:
    db.execute(
        "INSERT INTO ratings (id, activity_id, participant_id, standard_id, value, scale, "
        "raw_value, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(activity_id, participant_id, standard_id) DO UPDATE SET "
        "value = excluded.value, scale = excluded.scale, raw_value = excluded.raw_value, "
        "updated_at = excluded.updated_at",
        [
            r.id,
            r.activity_id,
            r.participant_id,
            r.standard_id,
            r.value,
            r.scale.value,
            r.raw_value,
            ts(r.created_at),
            ts(r.created_at),
        ],
    )


def list_ratings(db: Database, activity_id: str) -> list[Rating]:
    return [
        Rating(
            id=r["id"],
            activity_id=r["activity_id"],
            participant_id=r["participant_id"],
            standard_id=r["standard_id"],
            value=r["value"],
            scale=RatingScale(r["scale"]),
            raw_value=r["raw_value"],
            created_at=parse_ts(r["created_at"]),
        )
        for r in query(
            db, "SELECT * FROM ratings WHERE activity_id = ? ORDER BY created_at, id", [activity_id]
        )
    ]


# ---------------------------------------------------------------- help requests


def insert_help_request(db: Database, h: HelpRequest) -> None:
    db.execute(
        "INSERT INTO help_requests (id, session_id, participant_id, message, created_at) "
        "VALUES (?,?,?,?,?)",
        [h.id, h.session_id, h.participant_id, h.message, ts(h.created_at)],
    )


def _help_request(r: Row) -> HelpRequest:
    return HelpRequest(
        id=r["id"],
        session_id=r["session_id"],
        participant_id=r["participant_id"],
        message=r["message"],
        created_at=parse_ts(r["created_at"]),
        acknowledged_at=parse_opt_ts(r["acknowledged_at"]),
        follow_up=r["follow_up"],
    )


def list_help_requests(db: Database, session_id: str) -> list[HelpRequest]:
    return [
        _help_request(r)
        for r in query(
            db, "SELECT * FROM help_requests WHERE session_id = ? ORDER BY created_at", [session_id]
        )
    ]


def list_help_alerts(
    db: Database, session_id: str, since: datetime
) -> list[tuple[HelpRequest, str, str | None, bool]]:
    """Help requests for the console following `session_id`: all of that session's, and
    those of other sessions still waiting or seen since `since` (someone used an old link).
    Each with its session's title, the asker's group name (None: no group) and whether the
    asker had joined."""
    rows = query(
        db,
        "SELECT h.*, s.title AS session_title, g.name AS group_name, "
        "coalesce(pt.joined, 0) AS asker_joined FROM help_requests h "
        "JOIN sessions s ON s.id = h.session_id "
        "LEFT JOIN participants pt ON pt.id = h.participant_id "
        "LEFT JOIN stakeholder_groups g ON g.id = pt.group_id "
        "WHERE h.session_id = ? OR h.acknowledged_at IS NULL OR h.acknowledged_at >= ? "
        "ORDER BY h.created_at",
        [session_id, ts(since)],
    )
    return [
        (_help_request(r), r["session_title"], r["group_name"], bool(r["asker_joined"]))
        for r in rows
    ]


def acknowledge_help_request(
    db: Database, request_id: str, when: datetime | None, follow_up: str
) -> None:
    db.execute(
        "UPDATE help_requests SET acknowledged_at = ?, follow_up = ? WHERE id = ?",
        [ts(when) if when else None, follow_up, request_id],
    )


def get_help_request(db: Database, request_id: str) -> HelpRequest | None:
    for r in query(db, "SELECT * FROM help_requests WHERE id = ?", [request_id]):
        return _help_request(r)
    return None
