"""Reading the priorities of a project's sessions (their themes and the dots given to
them, by stakeholder group) and recording where a carried-forward theme came from.

Each reader is one query over the whole project, whatever the number of sessions and
themes; the service puts the rows together.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlite_utils import Database

from workshop_app.storage.rows import query


class ActivityRow(NamedTuple):
    id: str
    session_id: str
    kind: str
    position: int


class ThemeRow(NamedTuple):
    id: str
    activity_id: str
    session_id: str
    name: str
    colour: str
    position: int
    deleted: bool


class NoteGroupRow(NamedTuple):
    theme_id: str
    group_id: str | None
    notes: int


class DotsRow(NamedTuple):
    target_id: str
    group_id: str | None
    dots: int
    voters: int


class GivenRow(NamedTuple):
    session_id: str
    group_id: str | None
    dots: int  # every dot the group gave in the session's dot votes
    voters: int  # how many of the group voted in them


def board_activities(db: Database) -> list[ActivityRow]:
    """The brainstorm and cluster activities of every session (where boards live);
    deleted ones are left out, and so are deleted sessions'."""
    return [
        ActivityRow(r["id"], r["session_id"], r["kind"], r["position"])
        for r in query(
            db,
            "SELECT a.id, a.session_id, a.kind, a.position FROM activities a "
            "JOIN sessions s ON s.id = a.session_id "
            "WHERE a.deleted_at IS NULL AND s.deleted_at IS NULL "
            "AND a.kind IN ('brainstorm', 'cluster') ORDER BY a.session_id, a.position, "
            "a.created_at",
        )
    ]


def themes(db: Database) -> list[ThemeRow]:
    """Every theme, in board order; deleted ones too (a theme carried forward may come
    from one deleted since)."""
    return [
        ThemeRow(
            r["id"],
            r["activity_id"],
            r["session_id"],
            r["name"],
            r["colour"],
            r["position"],
            r["deleted_at"] is not None,
        )
        for r in query(
            db,
            "SELECT t.id, t.activity_id, a.session_id, t.name, t.colour, t.position, "
            "t.deleted_at FROM themes t JOIN activities a ON a.id = t.activity_id "
            "ORDER BY t.position, t.created_at",
        )
    ]


def note_groups(db: Database) -> list[NoteGroupRow]:
    """How many notes of each stakeholder group each theme holds (not hidden, not taken
    back); deleted themes too."""
    return [
        NoteGroupRow(r["theme_id"], r["group_id"], r["notes"])
        for r in query(
            db,
            "SELECT tn.theme_id, n.group_id, count(*) AS notes FROM theme_notes tn "
            "JOIN notes n ON n.id = tn.note_id "
            "WHERE n.withdrawn_at IS NULL AND n.status != 'hidden' "
            "GROUP BY tn.theme_id, n.group_id",
        )
    ]


def theme_dots(db: Database) -> list[DotsRow]:
    """The dots each theme got in the dot votes, and from how many people, by group."""
    return [
        DotsRow(r["target_id"], r["group_id"], r["dots"], r["voters"])
        for r in query(
            db,
            "SELECT v.target_id, p.group_id, sum(v.dots) AS dots, count(*) AS voters "
            "FROM votes v JOIN participants p ON p.id = v.participant_id "
            "JOIN activities a ON a.id = v.activity_id "
            "WHERE a.deleted_at IS NULL AND a.kind = 'vote' "
            "AND v.target_id IN (SELECT id FROM themes WHERE deleted_at IS NULL) "
            "GROUP BY v.target_id, p.group_id",
        )
    ]


def dots_given(db: Database) -> list[GivenRow]:
    """Every dot each group gave in each session's dot votes on themes (what a theme's
    share of a group's dots is out of)."""
    return [
        GivenRow(r["session_id"], r["group_id"], r["dots"], r["voters"])
        for r in query(
            db,
            "SELECT a.session_id, p.group_id, sum(v.dots) AS dots, "
            "count(DISTINCT v.participant_id) AS voters FROM votes v "
            "JOIN participants p ON p.id = v.participant_id "
            "JOIN activities a ON a.id = v.activity_id "
            "WHERE a.deleted_at IS NULL AND a.kind = 'vote' "
            "AND v.target_id IN (SELECT id FROM themes WHERE deleted_at IS NULL) "
            "GROUP BY a.session_id, p.group_id",
        )
    ]


class SessionRow(NamedTuple):
    id: str
    title: str
    date: str | None
    created_at: str
    deleted: bool


def sessions(db: Database) -> list[SessionRow]:
    """Every session, deleted ones too (a carried theme may come from one deleted since),
    by date (undated last), then creation."""
    return [
        SessionRow(r["id"], r["title"], r["date"], r["created_at"], r["deleted_at"] is not None)
        for r in query(
            db,
            "SELECT id, title, date, created_at, deleted_at FROM sessions "
            "ORDER BY date IS NULL, date, created_at",
        )
    ]


def origins(db: Database) -> list[tuple[str, str]]:
    """(theme, the theme it was carried forward from) for every carried theme."""
    return [
        (r["theme_id"], r["origin_theme_id"])
        for r in query(db, "SELECT theme_id, origin_theme_id FROM theme_origins")
    ]


def insert_origins(db: Database, theme_id: str, origin_ids: list[str]) -> None:
    for origin_id in dict.fromkeys(origin_ids):
        db.execute(
            "INSERT OR IGNORE INTO theme_origins (theme_id, origin_theme_id) VALUES (?, ?)",
            [theme_id, origin_id],
        )
