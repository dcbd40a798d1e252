"""Sessions, the stakeholder groups invited to them, and their activities.

Deleting is soft (a `deleted_at` stamp) so that undo can bring a session or activity
back with everything that hangs off it, and so that nothing a participant wrote is lost.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from workshop_app.core.errors import NotFoundError
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivitySettings,
    ActivityState,
    ModerationMode,
    RatingScale,
    Session,
    SessionState,
    VoteTarget,
)
from workshop_app.core.scales import RatingQuestion
from workshop_app.storage.rows import Row, day, dumps, loads, parse_day, parse_ts, query, ts

# ---------------------------------------------------------------- sessions


def session_from_row(r: Row, group_ids: tuple[str, ...]) -> Session:
    return Session(
        id=r["id"],
        title=r["title"],
        date=parse_day(r["date"]),
        venue=r["venue"],
        plan_id=r["plan_id"],
        state=SessionState(r["state"]),
        join_token=r["join_token"],
        moderation=ModerationMode(r["moderation"]),
        group_ids=group_ids,
        created_at=parse_ts(r["created_at"]),
        updated_at=parse_ts(r["updated_at"]),
        current_activity_id=r["current_activity_id"],
    )


def _session_groups(db: Database) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for r in query(
        db,
        "SELECT sg.session_id, sg.group_id FROM session_groups sg "
        "JOIN stakeholder_groups g ON g.id = sg.group_id "
        "ORDER BY g.position, g.name",
    ):
        out.setdefault(r["session_id"], []).append(r["group_id"])
    return {k: tuple(v) for k, v in out.items()}


def list_sessions(db: Database) -> list[Session]:
    groups = _session_groups(db)
    return [
        session_from_row(r, groups.get(r["id"], ()))
        for r in query(
            db,
            "SELECT * FROM sessions WHERE deleted_at IS NULL "
            "ORDER BY date IS NULL, date, created_at",
        )
    ]


def get_session(db: Database, session_id: str, *, include_deleted: bool = False) -> Session:
    sql = "SELECT * FROM sessions WHERE id = ?"
    if not include_deleted:
        sql += " AND deleted_at IS NULL"
    rows = list(query(db, sql, [session_id]))
    if not rows:
        raise NotFoundError("That session does not exist (or was deleted).")
    group_ids = tuple(
        r["group_id"]
        for r in query(
            db,
            "SELECT sg.group_id FROM session_groups sg "
            "JOIN stakeholder_groups g ON g.id = sg.group_id "
            "WHERE sg.session_id = ? ORDER BY g.position, g.name",
            [session_id],
        )
    )
    return session_from_row(rows[0], group_ids)


def live_session_ids(db: Database) -> list[str]:
    """The sessions running now (a facilitator's console or `serve` is following them)."""
    return [
        r["id"]
        for r in query(
            db,
            "SELECT id FROM sessions WHERE state = 'live' AND deleted_at IS NULL "
            "ORDER BY created_at",
        )
    ]


def find_session_by_token(db: Database, token: str) -> str | None:
    """The id of the (not deleted) session whose join token is `token`, if any."""
    rows = list(
        query(db, "SELECT id FROM sessions WHERE join_token = ? AND deleted_at IS NULL", [token])
    )
    return rows[0]["id"] if rows else None


def find_session_ids(db: Database, prefix: str) -> list[str]:
    """Ids of live sessions whose id starts with `prefix` (people type short ids)."""
    return [
        r["id"]
        for r in query(
            db,
            "SELECT id FROM sessions WHERE deleted_at IS NULL AND id LIKE ? ESCAPE '\\'",
            [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
        )
    ]


def insert_session(db: Database, s: Session) -> None:
    db.execute(
        "INSERT INTO sessions (id, title, date, venue, plan_id, state, join_token, moderation, "
        "created_at, updated_at, current_activity_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            s.id,
            s.title,
            day(s.date),
            s.venue,
            s.plan_id,
            s.state.value,
            s.join_token,
            s.moderation.value,
            ts(s.created_at),
            ts(s.updated_at),
            s.current_activity_id,
        ],
    )
    set_session_groups(db, s.id, s.group_ids)


def update_session(db: Database, s: Session) -> None:
    db.execute(
        "UPDATE sessions SET title = ?, date = ?, venue = ?, plan_id = ?, state = ?, "
        "join_token = ?, moderation = ?, updated_at = ?, current_activity_id = ? WHERE id = ?",
        [
            s.title,
            day(s.date),
            s.venue,
            s.plan_id,
            s.state.value,
            s.join_token,
            s.moderation.value,
            ts(s.updated_at),
            s.current_activity_id,
            s.id,
        ],
    )
    set_session_groups(db, s.id, s.group_ids)


def set_session_groups(db: Database, session_id: str, group_ids: Sequence[str]) -> None:
    db.execute("DELETE FROM session_groups WHERE session_id = ?", [session_id])
    for gid in dict.fromkeys(group_ids):
        db.execute(
            "INSERT INTO session_groups (session_id, group_id) VALUES (?, ?)", [session_id, gid]
        )


def set_session_deleted(db: Database, session_id: str, when: datetime | None) -> None:
    db.execute(
        "UPDATE sessions SET deleted_at = ? WHERE id = ?",
        [None if when is None else ts(when), session_id],
    )


# ---------------------------------------------------------------- activities


def settings_to_json(s: ActivitySettings) -> str:
    data: dict[str, Any] = {
        "timer_seconds": s.timer_seconds,
        "vote_budget": s.vote_budget,
        "per_item_cap": s.per_item_cap,
        "vote_on": None if s.vote_on is None else s.vote_on.value,
        "scale": None if s.scale is None else s.scale.value,
        "feedback_from": s.feedback_from,
        "consensus_round": s.consensus_round,  # always written: absent means a legacy round
        "question": None if s.question is None else s.question.value,
    }
    return dumps({k: v for k, v in data.items() if v is not None})


def settings_from_json(text: str, kind: ActivityKind | None = None) -> ActivitySettings:
    d = loads(text)
    # A rate activity stored before rounds were a choice was a round (the key is absent);
    # since then the key is always written.
    legacy_round = kind is ActivityKind.RATE and "consensus_round" not in d
    return ActivitySettings(
        timer_seconds=d.get("timer_seconds"),
        vote_budget=d.get("vote_budget"),
        per_item_cap=d.get("per_item_cap"),
        vote_on=VoteTarget(d["vote_on"]) if d.get("vote_on") else None,
        scale=RatingScale(d["scale"]) if d.get("scale") else None,
        feedback_from=d.get("feedback_from") or None,  # absent in files before issue 6
        consensus_round=bool(d.get("consensus_round")) or legacy_round,
        question=_question(d.get("question")),
    )


def _question(value: Any) -> RatingQuestion | None:
    """What a rate activity asks; None when absent (saved before it was a choice) or
    unknown (written by a newer version: read as the default, never refused)."""
    try:
        return RatingQuestion(value) if value else None
    except ValueError:
        return None


def _activity(r: Row) -> Activity:
    """An activity row read, remembered by its columns and values: the phone server reads
    the same row for every note and vote, and reading its enums, settings and times cost
    as much as the query (an Activity is immutable, so one can be handed out twice)."""
    return _activity_from(tuple(r.keys()), tuple(r))


@functools.lru_cache(maxsize=256)
def _activity_from(names: tuple[str, ...], values: tuple[Any, ...]) -> Activity:
    r = dict(zip(names, values, strict=True))
    return Activity(
        id=r["id"],
        session_id=r["session_id"],
        position=r["position"],
        kind=ActivityKind(r["kind"]),
        title=r["title"],
        prompt=r["prompt"],
        child_prompt=r["child_prompt"],
        settings=settings_from_json(r["settings"], ActivityKind(r["kind"])),
        state=ActivityState(r["state"]),
        facilitator_notes=r["facilitator_notes"],
        created_at=parse_ts(r["created_at"]),
        updated_at=parse_ts(r["updated_at"]),
    )


def list_activities(db: Database, session_id: str) -> list[Activity]:
    return [
        _activity(r)
        for r in query(
            db,
            "SELECT * FROM activities WHERE session_id = ? AND deleted_at IS NULL "
            "ORDER BY position, created_at",
            [session_id],
        )
    ]


def get_activity(db: Database, activity_id: str, *, include_deleted: bool = False) -> Activity:
    sql = "SELECT * FROM activities WHERE id = ?"
    if not include_deleted:
        sql += " AND deleted_at IS NULL"
    rows = list(query(db, sql, [activity_id]))
    if not rows:
        raise NotFoundError("That activity does not exist (or was deleted).")
    return _activity(rows[0])


def insert_activity(db: Database, a: Activity) -> None:
    db.execute(
        "INSERT INTO activities (id, session_id, position, kind, title, prompt, child_prompt, "
        "facilitator_notes, settings, state, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            a.id,
            a.session_id,
            a.position,
            a.kind.value,
            a.title,
            a.prompt,
            a.child_prompt,
            a.facilitator_notes,
            settings_to_json(a.settings),
            a.state.value,
            ts(a.created_at),
            ts(a.updated_at),
        ],
    )


def update_activity(db: Database, a: Activity) -> None:
    db.execute(
        "UPDATE activities SET position = ?, kind = ?, title = ?, prompt = ?, child_prompt = ?, "
        "facilitator_notes = ?, settings = ?, state = ?, updated_at = ? WHERE id = ?",
        [
            a.position,
            a.kind.value,
            a.title,
            a.prompt,
            a.child_prompt,
            a.facilitator_notes,
            settings_to_json(a.settings),
            a.state.value,
            ts(a.updated_at),
            a.id,
        ],
    )


def set_activity_deleted(db: Database, activity_id: str, when: datetime | None) -> None:
    db.execute(
        "UPDATE activities SET deleted_at = ? WHERE id = ?",
        [None if when is None else ts(when), activity_id],
    )


def set_activity_order(db: Database, ordered_ids: Sequence[str]) -> None:
    for position, activity_id in enumerate(ordered_ids):
        db.execute("UPDATE activities SET position = ? WHERE id = ?", [position, activity_id])


def activity_has_contributions(db: Database, activity_id: str) -> bool:
    row = db.execute(
        "SELECT EXISTS(SELECT 1 FROM notes WHERE activity_id = ?) "
        "OR EXISTS(SELECT 1 FROM votes WHERE activity_id = ?) "
        "OR EXISTS(SELECT 1 FROM ratings WHERE activity_id = ?) "
        "OR EXISTS(SELECT 1 FROM survey_answers sa JOIN survey_questions q "
        "ON q.id = sa.question_id WHERE q.activity_id = ?)",
        [activity_id, activity_id, activity_id, activity_id],
    ).fetchone()
    return bool(row[0])
