"""Reads for research data exports (CSV, JSON): votes and ratings added up per item and
group, carried-forward themes, and every group with its kind. No participant id ever
leaves these queries: they are used only to join a vote or rating to its group."""

from __future__ import annotations

from typing import NamedTuple

from sqlite_utils import Database

from workshop_app.core.model import GroupKind, RatingScale
from workshop_app.storage.rows import query


class GroupInfo(NamedTuple):
    name: str
    kind: GroupKind
    position: int


class VoteCount(NamedTuple):
    target_id: str
    target_type: str  # "theme", "note" or "" (in neither table)
    theme_name: str | None
    group_id: str | None
    dots: int
    voters: int


class RatingCount(NamedTuple):
    standard_id: str
    title: str | None  # None: a statement no longer stored
    version: int | None
    group_id: str | None
    scale: RatingScale
    raw_value: int
    value: int
    raters: int


def all_groups(db: Database) -> dict[str, GroupInfo]:
    """Every stakeholder group, removed ones too (old answers still name them)."""
    return {
        r["id"]: GroupInfo(r["name"], GroupKind(r["kind"]), r["position"])
        for r in query(db, "SELECT id, name, kind, position FROM stakeholder_groups")
    }


def vote_counts(db: Database, activity_id: str) -> list[VoteCount]:
    """Dots and voters per (item, group) of one vote, largest first."""
    return [
        VoteCount(
            r["target_id"],
            "theme" if r["theme"] else "note" if r["note"] else "",
            r["theme_name"],
            r["group_id"],
            r["dots"],
            r["voters"],
        )
        for r in query(
            db,
            "SELECT v.target_id, p.group_id, sum(v.dots) AS dots, count(*) AS voters, "
            "max(t.id IS NOT NULL) AS theme, max(n.id IS NOT NULL) AS note, "
            "max(t.name) AS theme_name FROM votes v "
            "JOIN participants p ON p.id = v.participant_id "
            "LEFT JOIN themes t ON t.id = v.target_id "
            "LEFT JOIN notes n ON n.id = v.target_id "
            "WHERE v.activity_id = ? GROUP BY v.target_id, p.group_id "
            "ORDER BY sum(v.dots) DESC, v.target_id, p.group_id",
            [activity_id],
        )
    ]


def rating_counts(db: Database, activity_id: str) -> list[RatingCount]:
    """How many people gave each rating to each statement (and version), by group and scale."""
    return [
        RatingCount(
            r["standard_id"],
            r["title"],
            r["version"],
            r["group_id"],
            RatingScale(r["scale"]),
            r["raw_value"],
            r["value"],
            r["raters"],
        )
        for r in query(
            db,
            "SELECT r.standard_id, max(s.title) AS title, r.version, p.group_id, r.scale, "
            "r.raw_value, r.value, count(*) AS raters FROM ratings r "
            "JOIN participants p ON p.id = r.participant_id "
            "LEFT JOIN standards s ON s.id = r.standard_id "
            "WHERE r.activity_id = ? "
            "GROUP BY r.standard_id, r.version, p.group_id, r.scale, r.raw_value, r.value "
            "ORDER BY coalesce(max(s.position), 1000000), r.standard_id, r.version, "
            "p.group_id, r.scale, r.value",
            [activity_id],
        )
    ]


def theme_origins(db: Database) -> dict[str, list[str]]:
    """The themes each carried-forward theme came from, by theme id."""
    found: dict[str, list[str]] = {}
    for r in query(
        db, "SELECT theme_id, origin_theme_id FROM theme_origins ORDER BY theme_id, origin_theme_id"
    ):
        found.setdefault(r["theme_id"], []).append(r["origin_theme_id"])
    return found
