"""Areas, services, self-assessments and their answers (schema v9, issue 16)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlite_utils import Database

from workshop_app.core.assessment import (
    ActionItem,
    Area,
    Assessment,
    AssessmentAnswer,
    AssessStatus,
    FrameworkStatement,
    MeasureValue,
    Service,
    ServiceKind,
)
from workshop_app.core.errors import NotFoundError
from workshop_app.core.model import Measure, MeasureType
from workshop_app.storage.rows import Row, dumps, loads, parse_ts, query, ts

# ---------------------------------------------------------------- areas and services


def _area(r: Row) -> Area:
    return Area(r["id"], r["name"], r["position"], parse_ts(r["created_at"]))


def list_areas(db: Database) -> list[Area]:
    sql = "SELECT * FROM areas WHERE deleted_at IS NULL ORDER BY position, name"
    return [_area(r) for r in query(db, sql)]


def get_area(db: Database, area_id: str, *, include_deleted: bool = False) -> Area:
    sql = "SELECT * FROM areas WHERE id = ?" + (
        "" if include_deleted else " AND deleted_at IS NULL"
    )
    rows = list(query(db, sql, [area_id]))
    if not rows:
        raise NotFoundError("That area no longer exists.")
    return _area(rows[0])


def insert_area(db: Database, a: Area) -> None:
    db.execute(
        "INSERT INTO areas (id, name, position, created_at) VALUES (?,?,?,?)",
        [a.id, a.name, a.position, ts(a.created_at)],
    )


def update_area(db: Database, a: Area) -> None:
    db.execute("UPDATE areas SET name = ?, position = ? WHERE id = ?", [a.name, a.position, a.id])


def set_area_deleted(db: Database, area_id: str, when: datetime | None) -> None:
    db.execute(
        "UPDATE areas SET deleted_at = ? WHERE id = ?",
        [None if when is None else ts(when), area_id],
    )


def _service(r: Row) -> Service:
    return Service(
        r["id"],
        r["name"],
        ServiceKind(r["kind"]),
        r["area_id"],
        r["position"],
        parse_ts(r["created_at"]),
    )


def list_services(db: Database) -> list[Service]:
    sql = "SELECT * FROM services WHERE deleted_at IS NULL ORDER BY position, name"
    return [_service(r) for r in query(db, sql)]


def get_service(db: Database, service_id: str, *, include_deleted: bool = False) -> Service:
    sql = "SELECT * FROM services WHERE id = ?" + (
        "" if include_deleted else " AND deleted_at IS NULL"
    )
    rows = list(query(db, sql, [service_id]))
    if not rows:
        raise NotFoundError("That service no longer exists.")
    return _service(rows[0])


def insert_service(db: Database, s: Service) -> None:
    db.execute(
        "INSERT INTO services (id, name, kind, area_id, position, created_at) VALUES (?,?,?,?,?,?)",
        [s.id, s.name, s.kind.value, s.area_id, s.position, ts(s.created_at)],
    )


def update_service(db: Database, s: Service) -> None:
    db.execute(
        "UPDATE services SET name = ?, kind = ?, area_id = ?, position = ? WHERE id = ?",
        [s.name, s.kind.value, s.area_id, s.position, s.id],
    )


def set_service_deleted(db: Database, service_id: str, when: datetime | None) -> None:
    db.execute(
        "UPDATE services SET deleted_at = ? WHERE id = ?",
        [None if when is None else ts(when), service_id],
    )


def name_taken(db: Database, table: str, name: str, except_id: str = "") -> bool:
    """Whether another area or service (`table`) not removed has this name (any case)."""
    assert table in ("areas", "services")
    rows = db.execute(
        f"SELECT 1 FROM {table} WHERE deleted_at IS NULL AND lower(name) = lower(?) AND id != ?",
        [name, except_id],
    ).fetchall()
    return bool(rows)


# ---------------------------------------------------------------- the framework version


def _framework_json(statements: tuple[FrameworkStatement, ...]) -> str:
    return dumps(
        [
            {
                "standard_id": s.standard_id,
                "version": s.version,
                "title": s.title,
                "statement": s.statement,
                "measures": [
                    {
                        "type": m.type.value,
                        "description": m.description,
                        "numerator": m.numerator,
                        "denominator": m.denominator,
                        "data_source": m.data_source,
                    }
                    for m in s.measures
                ],
            }
            for s in statements
        ]
    )


def _framework(text: str) -> tuple[FrameworkStatement, ...]:
    return tuple(
        FrameworkStatement(
            s["standard_id"],
            s["version"],
            s["title"],
            s["statement"],
            tuple(
                Measure(
                    MeasureType(m["type"]),
                    m["description"],
                    m.get("numerator", ""),
                    m.get("denominator", ""),
                    m.get("data_source", ""),
                )
                for m in s["measures"]
            ),
        )
        for s in loads(text)
    )


def _assessment(r: Row) -> Assessment:
    return Assessment(
        r["activity_id"],
        r["service_id"],
        _framework(r["framework"]),
        parse_ts(r["created_at"]),
        r["current_standard_id"],
    )


def get_assessment(db: Database, activity_id: str) -> Assessment | None:
    rows = list(query(db, "SELECT * FROM assessments WHERE activity_id = ?", [activity_id]))
    return _assessment(rows[0]) if rows else None


def put_assessment(db: Database, a: Assessment, now: datetime) -> None:
    db.execute(
        "INSERT INTO assessments (activity_id, service_id, framework, current_standard_id, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?) ON CONFLICT(activity_id) DO UPDATE SET "
        "service_id = excluded.service_id, framework = excluded.framework, "
        "current_standard_id = excluded.current_standard_id, updated_at = excluded.updated_at",
        [
            a.activity_id,
            a.service_id,
            _framework_json(a.statements),
            a.current_standard_id,
            ts(a.created_at),
            ts(now),
        ],
    )


class AssessmentRow(NamedTuple):
    """A self-assessment of the project with where it happened (sessions not deleted)."""

    assessment: Assessment
    activity_title: str
    activity_state: str
    session_id: str
    session_title: str
    session_date: date | None


def list_assessments(db: Database) -> list[AssessmentRow]:
    """Every self-assessment activity that is set up, in session and agenda order."""
    return [
        AssessmentRow(
            _assessment(r),
            r["title"],
            r["state"],
            r["session_id"],
            r["session_title"],
            date.fromisoformat(r["date"]) if r["date"] else None,
        )
        for r in query(
            db,
            "SELECT x.*, a.title, a.state, a.session_id, s.title AS session_title, s.date "
            "FROM assessments x JOIN activities a ON a.id = x.activity_id "
            "JOIN sessions s ON s.id = a.session_id "
            "WHERE a.deleted_at IS NULL AND s.deleted_at IS NULL AND a.kind = 'assess' "
            "ORDER BY s.date IS NULL, s.date, s.created_at, a.position, a.created_at",
        )
    ]


# ---------------------------------------------------------------- answers


def _answer(r: Row) -> AssessmentAnswer:
    return AssessmentAnswer(
        r["activity_id"],
        r["standard_id"],
        r["participant_id"],
        AssessStatus(r["status"]),
        r["evidence"],
        tuple(
            MeasureValue(m.get("numerator"), m.get("denominator"), m.get("period", ""))
            for m in loads(r["measures"])
        ),
        tuple(
            ActionItem(
                a["what"], a.get("who", ""), date.fromisoformat(a["by"]) if a.get("by") else None
            )
            for a in loads(r["actions"])
        ),
        parse_ts(r["updated_at"]),
    )


def _measures(values: tuple[MeasureValue, ...]) -> str:
    return dumps(
        [
            {"numerator": m.numerator, "denominator": m.denominator, "period": m.period}
            for m in values
        ]
    )


def _actions(items: tuple[ActionItem, ...]) -> str:
    return dumps(
        [{"what": a.what, "who": a.who, "by": a.by.isoformat() if a.by else None} for a in items]
    )


def put_answer(db: Database, answer_id: str, a: AssessmentAnswer) -> None:
    """A team member's view or the settled answer, replacing the one before (and bringing a
    cleared settled answer back)."""
    values: list[Any] = [
        answer_id,
        a.activity_id,
        a.standard_id,
        a.participant_id,
        a.status.value,
        a.evidence,
        _measures(a.measures),
        _actions(a.actions),
        ts(a.updated_at),
        ts(a.updated_at),
    ]
    target = (
        "(activity_id, standard_id) WHERE participant_id IS NULL"
        if a.participant_id is None
        else "(activity_id, standard_id, participant_id) WHERE participant_id IS NOT NULL"
    )
    db.execute(
        "INSERT INTO assessment_answers (id, activity_id, standard_id, participant_id, status, "
        "evidence, measures, actions, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) "
        f"ON CONFLICT{target} DO UPDATE SET status = excluded.status, "
        "evidence = excluded.evidence, measures = excluded.measures, "
        "actions = excluded.actions, updated_at = excluded.updated_at, deleted_at = NULL",
        values,
    )


def clear_settled(db: Database, activity_id: str, standard_id: str, when: datetime) -> None:
    """Take the team's settled answer back (kept, marked deleted)."""
    db.execute(
        "UPDATE assessment_answers SET deleted_at = ? WHERE activity_id = ? AND standard_id = ? "
        "AND participant_id IS NULL",
        [ts(when), activity_id, standard_id],
    )


def list_answers(db: Database, activity_id: str) -> list[AssessmentAnswer]:
    """Every view and settled answer of a self-assessment (not cleared), oldest first;
    views of participants who are gone are kept."""
    return [
        _answer(r)
        for r in query(
            db,
            "SELECT * FROM assessment_answers WHERE activity_id = ? AND deleted_at IS NULL "
            "ORDER BY created_at, id",
            [activity_id],
        )
    ]


def participant_answers(
    db: Database, activity_id: str, participant_id: str
) -> dict[str, AssessmentAnswer]:
    return {
        r["standard_id"]: _answer(r)
        for r in query(
            db,
            "SELECT * FROM assessment_answers WHERE activity_id = ? AND participant_id = ? "
            "AND deleted_at IS NULL",
            [activity_id, participant_id],
        )
    }


def count_answers(db: Database) -> int:
    """Settled answers in self-assessments of sessions not deleted."""
    row = db.execute(
        "SELECT count(*) FROM assessment_answers x JOIN activities a ON a.id = x.activity_id "
        "JOIN sessions s ON s.id = a.session_id WHERE x.participant_id IS NULL "
        "AND x.deleted_at IS NULL AND a.deleted_at IS NULL AND s.deleted_at IS NULL"
    ).fetchone()
    return int(row[0])
