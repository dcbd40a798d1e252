"""The project row, its settings and its stakeholder groups."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from workshop_app.core.errors import NotFoundError
from workshop_app.core.model import GroupKind, Project, StakeholderGroup
from workshop_app.storage.rows import Row, dumps, loads, parse_ts, query, ts


def get_project(db: Database) -> Project:
    rows = list(query(db, "SELECT * FROM project LIMIT 1"))
    if not rows:
        raise NotFoundError("This project file has no project details.")
    r = rows[0]
    return Project(
        id=r["id"],
        title=r["title"],
        locality=r["locality"],
        created_at=parse_ts(r["created_at"]),
        updated_at=parse_ts(r["updated_at"]),
    )


def session_days(db: Database) -> list[date]:
    """The dates of the sessions still in the project (undated ones left out)."""
    return [
        date.fromisoformat(r["date"])
        for r in query(
            db, "SELECT date FROM sessions WHERE deleted_at IS NULL AND date IS NOT NULL"
        )
        if r["date"]
    ]


def insert_project(db: Database, project: Project) -> None:
    db.execute(
        "INSERT INTO project (id, title, locality, created_at, updated_at) VALUES (?,?,?,?,?)",
        [
            project.id,
            project.title,
            project.locality,
            ts(project.created_at),
            ts(project.updated_at),
        ],
    )


def update_project(db: Database, title: str, locality: str, now: datetime) -> None:
    db.execute(
        "UPDATE project SET title = ?, locality = ?, updated_at = ?",
        [title, locality, ts(now)],
    )


def get_settings(db: Database) -> dict[str, Any]:
    return {r["key"]: loads(r["value"]) for r in query(db, "SELECT key, value FROM settings")}


def get_setting(db: Database, key: str) -> Any:
    """One stored setting's value, or None when it was never stored."""
    row = db.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return None if row is None else loads(row[0])


def put_settings(db: Database, values: dict[str, Any]) -> None:
    for key, value in values.items():
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, dumps(value)],
        )


def _group(r: Row) -> StakeholderGroup:
    return StakeholderGroup(
        id=r["id"],
        name=r["name"],
        kind=GroupKind(r["kind"]),
        child_friendly=bool(r["child_friendly"]),
        position=r["position"],
        created_at=parse_ts(r["created_at"]),
    )


def list_groups(db: Database) -> list[StakeholderGroup]:
    return [
        _group(r)
        for r in query(
            db, "SELECT * FROM stakeholder_groups WHERE deleted_at IS NULL ORDER BY position, name"
        )
    ]


def get_group(db: Database, group_id: str, *, include_deleted: bool = False) -> StakeholderGroup:
    sql = "SELECT * FROM stakeholder_groups WHERE id = ?"
    if not include_deleted:
        sql += " AND deleted_at IS NULL"
    rows = list(query(db, sql, [group_id]))
    if not rows:
        raise NotFoundError("That stakeholder group no longer exists.")
    return _group(rows[0])


def insert_group(db: Database, group: StakeholderGroup) -> None:
    db.execute(
        "INSERT INTO stakeholder_groups (id, name, kind, child_friendly, position, created_at) "
        "VALUES (?,?,?,?,?,?)",
        [
            group.id,
            group.name,
            group.kind.value,
            int(group.child_friendly),
            group.position,
            ts(group.created_at),
        ],
    )


def update_group(db: Database, group: StakeholderGroup) -> None:
    db.execute(
        "UPDATE stakeholder_groups SET name = ?, kind = ?, child_friendly = ?, position = ? "
        "WHERE id = ?",
        [group.name, group.kind.value, int(group.child_friendly), group.position, group.id],
    )


def set_group_deleted(db: Database, group_id: str, when: datetime | None) -> None:
    """Groups are hidden, never erased: notes keep pointing at them."""
    db.execute(
        "UPDATE stakeholder_groups SET deleted_at = ? WHERE id = ?",
        [None if when is None else ts(when), group_id],
    )


def group_name_taken(db: Database, name: str, except_id: str = "") -> bool:
    rows = db.execute(
        "SELECT 1 FROM stakeholder_groups WHERE deleted_at IS NULL AND lower(name) = lower(?) "
        "AND id != ?",
        [name, except_id],
    ).fetchall()
    return bool(rows)
