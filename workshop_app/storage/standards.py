"""Draft standards, their sources (themes and notes) and their versions across rounds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlite_utils import Database

from workshop_app.core.errors import NotFoundError
from workshop_app.core.model import (
    Audience,
    Measure,
    MeasureType,
    Standard,
    StandardLevel,
    StandardVersion,
)
from workshop_app.storage.rows import Row, dumps, loads, parse_ts, query, ts


def _measures_to_json(measures: tuple[Measure, ...]) -> str:
    return dumps(
        [
            {
                "type": m.type.value,
                "description": m.description,
                "numerator": m.numerator,
                "denominator": m.denominator,
                "data_source": m.data_source,
            }
            for m in measures
        ]
    )


def _audiences(stored: dict[str, str]) -> dict[Audience, str]:
    """In the order of `Audience` (the JSON is stored with sorted keys)."""
    return {a: stored[a.value] for a in Audience if a.value in stored}


def _standard(r: Row, sources: dict[str, dict[str, list[str]]]) -> Standard:
    src = sources.get(r["id"], {})
    return Standard(
        id=r["id"],
        title=r["title"],
        statement=r["statement"],
        rationale=r["rationale"],
        level=StandardLevel(r["level"]),
        measures=tuple(
            Measure(
                type=MeasureType(m["type"]),
                description=m["description"],
                numerator=m.get("numerator", ""),
                denominator=m.get("denominator", ""),
                data_source=m.get("data_source", ""),
            )
            for m in loads(r["measures"])
        ),
        audiences=_audiences(loads(r["audiences"])),
        definitions=dict(loads(r["definitions"])),
        position=r["position"],
        version=r["version"],
        source_theme_ids=tuple(src.get("theme", ())),
        source_note_ids=tuple(src.get("note", ())),
        created_at=parse_ts(r["created_at"]),
        updated_at=parse_ts(r["updated_at"]),
        child_wording=r["child_wording"],
        references=_references(r),
    )


def _references(r: Row) -> tuple[str, ...]:
    """A standard's external references (none in a file read before its v7 upgrade, as
    the migration tests do). sqlite3.Row's `in` looks at values, hence keys()."""
    if "external_references" not in r.keys():  # noqa: SIM118
        return ()
    return tuple(loads(r["external_references"]))


def _source_ids(db: Database, standard_id: str | None = None) -> dict[str, dict[str, list[str]]]:
    sql = "SELECT * FROM standard_sources"
    params: list[str] = []
    if standard_id is not None:
        sql += " WHERE standard_id = ?"
        params.append(standard_id)
    sources: dict[str, dict[str, list[str]]] = {}
    for r in query(db, sql + " ORDER BY source_type, source_id", params):
        sources.setdefault(r["standard_id"], {}).setdefault(r["source_type"], []).append(
            r["source_id"]
        )
    return sources


def list_standards(db: Database) -> list[Standard]:
    sources = _source_ids(db)
    return [
        _standard(r, sources)
        for r in query(
            db, "SELECT * FROM standards WHERE deleted_at IS NULL ORDER BY position, created_at"
        )
    ]


def get_standard(db: Database, standard_id: str, *, include_deleted: bool = False) -> Standard:
    sql = "SELECT * FROM standards WHERE id = ?"
    if not include_deleted:
        sql += " AND deleted_at IS NULL"
    rows = list(query(db, sql, [standard_id]))
    if not rows:
        raise NotFoundError("That standard is no longer in the project (it may have been deleted).")
    return _standard(rows[0], _source_ids(db, standard_id))


def update_standard(db: Database, s: Standard) -> None:
    """Write every field of a standard except its sources and position."""
    db.execute(
        "UPDATE standards SET title = ?, statement = ?, rationale = ?, level = ?, measures = ?, "
        "audiences = ?, definitions = ?, version = ?, updated_at = ?, child_wording = ?, "
        "external_references = ? WHERE id = ?",
        [
            s.title,
            s.statement,
            s.rationale,
            s.level.value,
            _measures_to_json(s.measures),
            dumps({k.value: v for k, v in s.audiences.items()}),
            dumps(s.definitions),
            s.version,
            ts(s.updated_at),
            s.child_wording or None,
            dumps(list(s.references)),
            s.id,
        ],
    )


def next_position(db: Database) -> int:
    row = db.execute("SELECT coalesce(max(position), -1) + 1 FROM standards").fetchone()
    return int(row[0])


def set_positions(db: Database, ordered_ids: Sequence[str]) -> None:
    for position, standard_id in enumerate(ordered_ids):
        db.execute("UPDATE standards SET position = ? WHERE id = ?", [position, standard_id])


def set_deleted(db: Database, standard_id: str, when: datetime | None) -> None:
    db.execute(
        "UPDATE standards SET deleted_at = ? WHERE id = ?",
        [None if when is None else ts(when), standard_id],
    )


def add_sources(db: Database, standard_id: str, source_type: str, ids: Sequence[str]) -> None:
    for source_id in dict.fromkeys(ids):
        db.execute(
            "INSERT OR IGNORE INTO standard_sources (standard_id, source_type, source_id) "
            "VALUES (?,?,?)",
            [standard_id, source_type, source_id],
        )


def remove_sources(db: Database, standard_id: str, source_type: str, ids: Sequence[str]) -> None:
    for source_id in dict.fromkeys(ids):
        db.execute(
            "DELETE FROM standard_sources WHERE standard_id = ? AND source_type = ? "
            "AND source_id = ?",
            [standard_id, source_type, source_id],
        )


def insert_standard(db: Database, s: Standard) -> None:
    db.execute(
        "INSERT INTO standards (id, title, statement, rationale, level, measures, audiences, "
        "definitions, position, version, created_at, updated_at, child_wording, "
        "external_references) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            s.id,
            s.title,
            s.statement,
            s.rationale,
            s.level.value,
            _measures_to_json(s.measures),
            dumps({k.value: v for k, v in s.audiences.items()}),
            dumps(s.definitions),
            s.position,
            s.version,
            ts(s.created_at),
            ts(s.updated_at),
            s.child_wording or None,
            dumps(list(s.references)),
        ],
    )
    for theme_id in s.source_theme_ids:
        db.execute(
            "INSERT INTO standard_sources (standard_id, source_type, source_id) VALUES (?,?,?)",
            [s.id, "theme", theme_id],
        )
    for note_id in s.source_note_ids:
        db.execute(
            "INSERT INTO standard_sources (standard_id, source_type, source_id) VALUES (?,?,?)",
            [s.id, "note", note_id],
        )
    insert_version(
        db,
        StandardVersion(s.id, s.version, s.title, s.statement, s.rationale, s.created_at),
    )


def insert_version(db: Database, v: StandardVersion) -> None:
    db.execute(
        "INSERT INTO standard_versions (standard_id, version, title, statement, rationale, "
        "created_at) VALUES (?,?,?,?,?,?)",
        [v.standard_id, v.version, v.title, v.statement, v.rationale, ts(v.created_at)],
    )


def update_version(db: Database, v: StandardVersion) -> None:
    """Rewrite the wording of a stored version (one nobody has rated yet)."""
    db.execute(
        "UPDATE standard_versions SET title = ?, statement = ?, rationale = ?, created_at = ? "
        "WHERE standard_id = ? AND version = ?",
        [v.title, v.statement, v.rationale, ts(v.created_at), v.standard_id, v.version],
    )


def delete_version(db: Database, standard_id: str, version: int) -> None:
    db.execute(
        "DELETE FROM standard_versions WHERE standard_id = ? AND version = ?",
        [standard_id, version],
    )


def get_version(db: Database, standard_id: str, version: int) -> StandardVersion | None:
    rows = list(
        query(
            db,
            "SELECT * FROM standard_versions WHERE standard_id = ? AND version = ?",
            [standard_id, version],
        )
    )
    return _version(rows[0]) if rows else None


def version_rated(db: Database, standard_id: str, version: int, since: datetime | None) -> bool:
    """Has anyone rated this version? A rating that does not say which version it was
    given to (NULL: from before versions were recorded) counts for the version current
    when it was given: given at or after `since` (None: the first version, so any time)."""
    row = db.execute(
        "SELECT EXISTS (SELECT 1 FROM ratings WHERE standard_id = ? AND "
        "(version = ? OR (version IS NULL AND created_at >= ?)))",
        [standard_id, version, "" if since is None else ts(since)],
    ).fetchone()
    return bool(row[0])


def _version(r: Row) -> StandardVersion:
    return StandardVersion(
        standard_id=r["standard_id"],
        version=r["version"],
        title=r["title"],
        statement=r["statement"],
        rationale=r["rationale"],
        created_at=parse_ts(r["created_at"]),
    )


def list_versions(db: Database, standard_id: str) -> list[StandardVersion]:
    return [
        _version(r)
        for r in query(
            db,
            "SELECT * FROM standard_versions WHERE standard_id = ? ORDER BY version",
            [standard_id],
        )
    ]


# ---------------------------------------------------------------- sources, for reading


class SourceThemeRow(NamedTuple):
    standard_id: str
    theme_id: str
    name: str
    deleted: bool  # taken off its board since (still a source)
    session_id: str
    session_title: str
    session_date: str | None


class SourceNoteRow(NamedTuple):
    standard_id: str  # the standard it is a source of ("" for a note read through a theme)
    theme_id: str  # the theme it is in ("" for a note linked directly)
    note_id: str
    text: str
    group_id: str | None
    hidden: bool
    session_id: str
    session_title: str
    session_date: str | None
    status: str = "shown"  # shown, hidden or pending (never approved)
    withdrawn: bool = False  # taken back by its writer since


_THEMES = (
    "SELECT ss.standard_id, t.id AS theme_id, t.name, t.deleted_at, s.id AS session_id, "
    "s.title AS session_title, s.date AS session_date FROM standard_sources ss "
    "JOIN themes t ON t.id = ss.source_id JOIN activities a ON a.id = t.activity_id "
    "JOIN sessions s ON s.id = a.session_id WHERE ss.source_type = 'theme' {where}"
    "ORDER BY s.date, s.created_at, t.position, t.created_at"
)
_THEME_NOTES = (
    "SELECT DISTINCT tn.theme_id, n.id, n.text, n.group_id, n.status, n.withdrawn_at, "
    "s.id AS session_id, s.title AS session_title, s.date AS session_date, n.created_at "
    "FROM theme_notes tn JOIN notes n ON n.id = tn.note_id "
    "JOIN activities a ON a.id = n.activity_id JOIN sessions s ON s.id = a.session_id "
    "WHERE tn.theme_id IN "
    "(SELECT source_id FROM standard_sources WHERE source_type = 'theme' {where}) "
    "ORDER BY n.created_at, n.id"
)
_NOTES = (
    "SELECT ss.standard_id, n.id, n.text, n.group_id, n.status, n.withdrawn_at, "
    "s.id AS session_id, s.title AS session_title, s.date AS session_date "
    "FROM standard_sources ss JOIN notes n ON n.id = ss.source_id "
    "JOIN activities a ON a.id = n.activity_id JOIN sessions s ON s.id = a.session_id "
    "WHERE ss.source_type = 'note' {where}"
    "ORDER BY s.date, s.created_at, n.created_at, n.id"
)


def source_themes(db: Database, standard_id: str | None = None) -> list[SourceThemeRow]:
    """The themes standards came from (of one standard, or of all), oldest session first."""
    where, params = _where(standard_id)
    return [
        SourceThemeRow(
            r["standard_id"],
            r["theme_id"],
            r["name"],
            r["deleted_at"] is not None,
            r["session_id"],
            r["session_title"],
            r["session_date"],
        )
        for r in query(db, _THEMES.format(where=where), params)
    ]


def source_theme_notes(db: Database, standard_id: str | None = None) -> list[SourceNoteRow]:
    """The notes in those themes, oldest first (taken-back ones too, marked)."""
    where, params = _where(standard_id, prefix="")
    return [
        _source_note(r, standard_id="", theme_id=r["theme_id"])
        for r in query(db, _THEME_NOTES.format(where=where), params)
    ]


def _source_note(r: Row, *, standard_id: str, theme_id: str) -> SourceNoteRow:
    """A note in a standard's sources: linked directly (standard_id) or in a theme."""
    return SourceNoteRow(
        standard_id,
        theme_id,
        r["id"],
        r["text"],
        r["group_id"],
        r["status"] == "hidden",
        r["session_id"],
        r["session_title"],
        r["session_date"],
        r["status"],
        r["withdrawn_at"] is not None,
    )


def source_notes(db: Database, standard_id: str | None = None) -> list[SourceNoteRow]:
    """Notes linked to standards directly (taken-back ones too, marked)."""
    where, params = _where(standard_id)
    return [
        _source_note(r, standard_id=r["standard_id"], theme_id="")
        for r in query(db, _NOTES.format(where=where), params)
    ]


def _where(standard_id: str | None, prefix: str = "ss.") -> tuple[str, list[str]]:
    if standard_id is None:
        return "", []
    return f"AND {prefix}standard_id = ? ", [standard_id]


# ---------------------------------------------------------------- what can be a source


class ThemeChoiceRow(NamedTuple):
    theme_id: str
    name: str
    session_id: str
    session_title: str
    session_date: str | None
    group_ids: tuple[str, ...]  # of the theme's notes (repeats left out)
    notes: int  # how many notes it holds (not hidden, not taken back)


class NoteChoiceRow(NamedTuple):
    note_id: str
    text: str
    group_id: str | None
    session_id: str
    session_title: str
    session_date: str | None


_LIVE_SESSION = "s.deleted_at IS NULL AND a.deleted_at IS NULL"


def theme_choices(db: Database) -> list[ThemeChoiceRow]:
    """Every theme on any session's board, oldest session first, in board order."""
    groups: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for r in query(
        db,
        "SELECT tn.theme_id, n.group_id FROM theme_notes tn JOIN notes n ON n.id = tn.note_id "
        "JOIN themes t ON t.id = tn.theme_id "
        "WHERE t.deleted_at IS NULL AND n.withdrawn_at IS NULL AND n.status != 'hidden'",
    ):
        counts[r["theme_id"]] = counts.get(r["theme_id"], 0) + 1
        if r["group_id"] is not None:
            found = groups.setdefault(r["theme_id"], [])
            if r["group_id"] not in found:
                found.append(r["group_id"])
    return [
        ThemeChoiceRow(
            r["id"],
            r["name"],
            r["session_id"],
            r["session_title"],
            r["session_date"],
            tuple(groups.get(r["id"], ())),
            counts.get(r["id"], 0),
        )
        for r in query(
            db,
            "SELECT t.id, t.name, s.id AS session_id, s.title AS session_title, "
            "s.date AS session_date FROM themes t JOIN activities a ON a.id = t.activity_id "
            "JOIN sessions s ON s.id = a.session_id "
            f"WHERE t.deleted_at IS NULL AND {_LIVE_SESSION} "
            "ORDER BY s.date, s.created_at, a.position, t.position, t.created_at",
        )
    ]


def note_choices(db: Database) -> list[NoteChoiceRow]:
    """Every note of any session that can be a source: not hidden, not taken back."""
    return [
        NoteChoiceRow(
            r["id"], r["text"], r["group_id"], r["session_id"], r["session_title"], r["date"]
        )
        for r in query(
            db,
            "SELECT n.id, n.text, n.group_id, s.id AS session_id, s.title AS session_title, "
            "s.date FROM notes n JOIN activities a ON a.id = n.activity_id "
            "JOIN sessions s ON s.id = a.session_id "
            f"WHERE n.withdrawn_at IS NULL AND n.status != 'hidden' AND {_LIVE_SESSION} "
            "ORDER BY s.date, s.created_at, a.position, n.created_at, n.id",
        )
    ]


def live_theme_ids(db: Database, theme_ids: Sequence[str]) -> set[str]:
    """Those of the ids that are themes still on a board."""
    return _existing(db, "SELECT id FROM themes WHERE deleted_at IS NULL AND id IN ({})", theme_ids)


def live_note_ids(db: Database, note_ids: Sequence[str]) -> set[str]:
    """Those of the ids that are notes not taken back by their writers."""
    return _existing(db, "SELECT id FROM notes WHERE withdrawn_at IS NULL AND id IN ({})", note_ids)


def _existing(db: Database, sql: str, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        found.update(r["id"] for r in query(db, sql.format(",".join("?" * len(chunk))), chunk))
    return found
