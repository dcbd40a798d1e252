"""Draft standards, their sources (themes and notes) and their versions across rounds."""

from __future__ import annotations

from sqlite_utils import Database

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
        audiences={Audience(k): v for k, v in loads(r["audiences"]).items()},
        definitions=dict(loads(r["definitions"])),
        position=r["position"],
        version=r["version"],
        source_theme_ids=tuple(src.get("theme", ())),
        source_note_ids=tuple(src.get("note", ())),
        created_at=parse_ts(r["created_at"]),
        updated_at=parse_ts(r["updated_at"]),
    )


def list_standards(db: Database) -> list[Standard]:
    sources: dict[str, dict[str, list[str]]] = {}
    for r in query(db, "SELECT * FROM standard_sources ORDER BY source_type, source_id"):
        sources.setdefault(r["standard_id"], {}).setdefault(r["source_type"], []).append(
            r["source_id"]
        )
    return [
        _standard(r, sources)
        for r in query(
            db, "SELECT * FROM standards WHERE deleted_at IS NULL ORDER BY position, created_at"
        )
    ]


def insert_standard(db: Database, s: Standard) -> None:
    db.execute(
        "INSERT INTO standards (id, title, statement, rationale, level, measures, audiences, "
        "definitions, position, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
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


def list_versions(db: Database, standard_id: str) -> list[StandardVersion]:
    return [
        StandardVersion(
            standard_id=r["standard_id"],
            version=r["version"],
            title=r["title"],
            statement=r["statement"],
            rationale=r["rationale"],
            created_at=parse_ts(r["created_at"]),
        )
        for r in query(
            db,
            "SELECT * FROM standard_versions WHERE standard_id = ? ORDER BY version",
            [standard_id],
        )
    ]
