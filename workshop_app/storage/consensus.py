"""Reads for consensus rounds: every rating of a round with its rater's group, the rate
activities of the project in round order, and the version each rating was given to."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlite_utils import Database

from workshop_app.core.model import ActivityState
from workshop_app.storage.rows import parse_day, parse_ts, query


class RatedValue(NamedTuple):
    standard_id: str
    group_id: str | None  # the rater's group
    value: int  # 1-9
    version: int | None  # the statement version rated (None: rated before v4 recorded it)
    title: str | None  # the standard's title now (None: not in the standards table)
    current_version: int | None  # the standard's version now
    created_at: datetime  # when the rating was first given
    scale: str = "nine_point"  # how it was given: "smiley" (children's faces) or "nine_point"


class RoundRow(NamedTuple):
    activity_id: str
    title: str
    state: ActivityState
    session_id: str
    session_title: str
    session_date: date | None


def round_ratings(db: Database, activity_id: str) -> list[RatedValue]:
    """One row per rating in the rate activity, with the rater's group."""
    return [
        RatedValue(
            r["standard_id"],
            r["group_id"],
            r["value"],
            r["version"],
            r["title"],
            r["current_version"],
            parse_ts(r["created_at"]),
            r["scale"],
        )
        for r in query(
            db,
            "SELECT r.standard_id, p.group_id, r.value, r.version, s.title, "
            "s.version AS current_version, r.created_at, r.scale FROM ratings r "
            "JOIN participants p ON p.id = r.participant_id "
            "LEFT JOIN standards s ON s.id = r.standard_id "
            "WHERE r.activity_id = ?",
            [activity_id],
        )
    ]


def rate_activities(db: Database) -> list[RoundRow]:
    """Every consensus round of the project: rate activities marked as rounds (sessions and
    activities not deleted), in session date order (undated sessions last, then by
    creation) and agenda order."""
    return [
        RoundRow(
            r["id"],
            r["title"],
            ActivityState(r["state"]),
            r["session_id"],
            r["session_title"],
            parse_day(r["date"]),
        )
        for r in query(
            db,
            "SELECT a.id, a.title, a.state, a.session_id, s.title AS session_title, s.date "
            "FROM activities a JOIN sessions s ON s.id = a.session_id "
            "WHERE a.kind = 'rate' AND a.deleted_at IS NULL AND s.deleted_at IS NULL "
            # a round by the facilitator's choice; absent (stored before it was one): a round
            "AND coalesce(json_extract(a.settings, '$.consensus_round'), 1) "
            "ORDER BY s.date IS NULL, s.date, s.created_at, a.position, a.created_at",
        )
    ]


class VersionRow(NamedTuple):
    standard_id: str
    version: int
    title: str
    statement: str
    created_at: datetime


def versions(db: Database) -> list[VersionRow]:
    """Every version of every statement (removed ones too), oldest first."""
    return [
        VersionRow(
            r["standard_id"], r["version"], r["title"], r["statement"], parse_ts(r["created_at"])
        )
        for r in query(
            db,
            "SELECT standard_id, version, title, statement, created_at FROM standard_versions "
            "ORDER BY standard_id, version",
        )
    ]


def set_rating_version(
    db: Database, activity_id: str, participant_id: str, standard_id: str, version: int
) -> None:
    """Record which version of the statement a participant's rating was given to."""
    db.execute(
        "UPDATE ratings SET version = ? "
        "WHERE activity_id = ? AND participant_id = ? AND standard_id = ?",
        [version, activity_id, participant_id, standard_id],
    )


def set_activity_ratings_version(db: Database, activity_id: str, version: int) -> None:
    """Record that every rating of an activity was given to `version` (the demo's round 1)."""
    db.execute("UPDATE ratings SET version = ? WHERE activity_id = ?", [version, activity_id])
