"""Aggregates of votes and ratings: one query per result set, summed by SQLite.

A participant belongs to at most one stakeholder group, so counts per (item, group) add
up to counts per item. Items that were voted on and have since left the board (a theme
deleted, a note hidden) keep their text here, so no dot is ever silently dropped.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlite_utils import Database

from workshop_app.storage.rows import query


class VoteTally(NamedTuple):
    target_id: str
    group_id: str | None
    dots: int
    voters: int
    text: str | None  # the theme name or note text; None if it is in neither table


class RatingTally(NamedTuple):
    standard_id: str
    group_id: str | None
    value: int  # 1-9
    raters: int
    title: str | None


class TurnoutRow(NamedTuple):
    group_id: str | None
    joined: int  # joined the session (or took part without joining)
    took_part: int  # voted (or rated) in the activity


def vote_tallies(db: Database, activity_id: str) -> list[VoteTally]:
    """Dots and voters for each (item, group) of a vote."""
    return [
        VoteTally(r["target_id"], r["group_id"], r["dots"], r["voters"], r["text"])
        for r in query(
            db,
            "SELECT v.target_id, p.group_id, sum(v.dots) AS dots, count(*) AS voters, "
            "max(coalesce(t.name, n.text)) AS text FROM votes v "
            "JOIN participants p ON p.id = v.participant_id "
            "LEFT JOIN themes t ON t.id = v.target_id "
            "LEFT JOIN notes n ON n.id = v.target_id "
            "WHERE v.activity_id = ? GROUP BY v.target_id, p.group_id",
            [activity_id],
        )
    ]


def rating_tallies(db: Database, activity_id: str) -> list[RatingTally]:
    """How many gave each value (1-9) to each statement, by group."""
    return [
        RatingTally(r["standard_id"], r["group_id"], r["value"], r["raters"], r["title"])
        for r in query(
            db,
            "SELECT r.standard_id, p.group_id, r.value, count(*) AS raters, "
            "max(s.title) AS title FROM ratings r "
            "JOIN participants p ON p.id = r.participant_id "
            "LEFT JOIN standards s ON s.id = r.standard_id "
            "WHERE r.activity_id = ? GROUP BY r.standard_id, p.group_id, r.value",
            [activity_id],
        )
    ]


_TURNOUT = (
    "WITH took AS (SELECT DISTINCT participant_id FROM {table} WHERE activity_id = ?) "
    "SELECT p.group_id, count(*) AS joined, count(took.participant_id) AS took_part "
    "FROM participants p LEFT JOIN took ON took.participant_id = p.id "
    "WHERE p.session_id = ? AND (p.joined = 1 OR took.participant_id IS NOT NULL) "
    "GROUP BY p.group_id"
)
_TURNOUT_SQL = {
    "votes": _TURNOUT.format(table="votes"),
    "ratings": _TURNOUT.format(table="ratings"),
}


def turnout(db: Database, session_id: str, activity_id: str, *, ratings: bool) -> list[TurnoutRow]:
    """People in the session and how many of them took part in the activity, by group."""
    sql = _TURNOUT_SQL["ratings" if ratings else "votes"]
    return [
        TurnoutRow(r["group_id"], r["joined"], r["took_part"])
        for r in query(db, sql, [activity_id, session_id])
    ]


def group_names(db: Database) -> dict[str, tuple[str, int]]:
    """id -> (name, position) of every group, removed ones too (old answers name them)."""
    return {
        r["id"]: (r["name"], r["position"])
        for r in query(db, "SELECT id, name, position FROM stakeholder_groups")
    }
