"""Counting queries for `workshop-app info` and the project window."""

from __future__ import annotations

from sqlite_utils import Database

from workshop_app.core.model import Counts

_LIVE_SESSIONS = "SELECT id FROM sessions WHERE deleted_at IS NULL"
_LIVE_ACTIVITIES = (
    "SELECT id FROM activities WHERE deleted_at IS NULL AND session_id IN (" + _LIVE_SESSIONS + ")"
)


def _one(db: Database, sql: str, params: list[str] | None = None) -> int:
    return int(db.execute(sql, params or []).fetchone()[0])


def project_counts(db: Database) -> Counts:
    return Counts(
        sessions=_one(db, "SELECT count(*) FROM (" + _LIVE_SESSIONS + ")"),
        participants=_one(
            db,
            "SELECT count(*) FROM participants WHERE joined = 1 AND session_id IN ("
            + _LIVE_SESSIONS
            + ")",
        ),
        notes=_one(
            db,
            "SELECT count(*) FROM notes WHERE withdrawn_at IS NULL AND activity_id IN ("
            + _LIVE_ACTIVITIES
            + ")",
        ),
        themes=_one(
            db,
            "SELECT count(*) FROM themes WHERE deleted_at IS NULL AND activity_id IN ("
            + _LIVE_ACTIVITIES
            + ")",
        ),
        votes=_one(
            db, "SELECT count(*) FROM votes WHERE activity_id IN (" + _LIVE_ACTIVITIES + ")"
        ),
        ratings=_one(
            db, "SELECT count(*) FROM ratings WHERE activity_id IN (" + _LIVE_ACTIVITIES + ")"
        ),
        standards=_one(db, "SELECT count(*) FROM standards WHERE deleted_at IS NULL"),
        groups=_one(db, "SELECT count(*) FROM stakeholder_groups WHERE deleted_at IS NULL"),
        activities=_one(db, "SELECT count(*) FROM (" + _LIVE_ACTIVITIES + ")"),
        help_requests=_one(
            db, "SELECT count(*) FROM help_requests WHERE session_id IN (" + _LIVE_SESSIONS + ")"
        ),
    )


def session_counts(db: Database, session_id: str) -> Counts:
    acts = "SELECT id FROM activities WHERE deleted_at IS NULL AND session_id = ?"
    p = [session_id]
    return Counts(
        sessions=1,
        participants=_one(
            db, "SELECT count(*) FROM participants WHERE session_id = ? AND joined = 1", p
        ),
        notes=_one(
            db,
            "SELECT count(*) FROM notes WHERE withdrawn_at IS NULL AND activity_id IN ("
            + acts
            + ")",
            p,
        ),
        themes=_one(
            db,
            "SELECT count(*) FROM themes WHERE deleted_at IS NULL AND activity_id IN ("
            + acts
            + ")",
            p,
        ),
        votes=_one(db, "SELECT count(*) FROM votes WHERE activity_id IN (" + acts + ")", p),
        ratings=_one(db, "SELECT count(*) FROM ratings WHERE activity_id IN (" + acts + ")", p),
        activities=_one(db, "SELECT count(*) FROM (" + acts + ")", p),
        help_requests=_one(db, "SELECT count(*) FROM help_requests WHERE session_id = ?", p),
    )
