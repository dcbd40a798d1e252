"""Merges in SQL: copying a source project file to read it, reading every table, and the
one writer job that applies a merge plan (core/merge.py) to the target.

The source file is never opened for writing: it is read once as bytes (its SHA-256) while
being copied, with its write-ahead log, into a private folder; the copy is upgraded and
read. The target is written in ONE job: all of a merge, or (a full disk, a bug) nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from workshop_app.core.ids import new_id
from workshop_app.core.merge import MergePlan, Row, Tables, plan_merge, row_key
from workshop_app.core.merge_rules import RULE_FOR, RULES, How
from workshop_app.storage.cipher import Key, open_connection
from workshop_app.storage.db import effective_key
from workshop_app.storage.errors import ProjectFileError, classify
from workshop_app.storage.rows import parse_opt_ts, parse_ts, query, ts
from workshop_app.storage.vectors import text_hash
from workshop_app.storage.writer import Tx

#: Copy attempts before giving up on a source that keeps changing while it is read.
COPY_ATTEMPTS = 5
_CHUNK = 1 << 20

#: The target's columns a plan needs of a big table (not the vectors themselves).
_TARGET_COLUMNS: Mapping[str, str] = {"note_vectors": "note_id, text_hash"}


class SourceChangingError(ProjectFileError):
    """The source kept changing while it was copied (a session running on it)."""

    def __init__(self, path: Path):
        super().__init__(
            path,
            f"{path.name} kept changing while it was being read (is a session running on it "
            "on the other laptop?). Try again when it is quiet, or end the session there first.",
        )


@dataclass(frozen=True, slots=True)
class SourceCopy:
    copy: Path  # in a private folder, removed by the caller
    sha256: str  # of the source file as it was read
    version: int  # the source file's schema version before the copy was upgraded


def copy_source(source: Path, folder: Path, key: Key | None = None) -> SourceCopy:
    """Copy `source` (and its -wal, if any) into `folder`, hashing the file as it is read.

    The source is only ever read. If another program changes it while it is copied (its
    size or time changes, or the copy's hash differs from a second read), the copy is made
    again, a few times at most. An encrypted source stays encrypted in the copy (`key`
    reads its version)."""
    copy = folder / source.name
    wal = source.with_name(source.name + "-wal")
    for _ in range(COPY_ATTEMPTS):
        before = _stamp(source), _stamp(wal)
        try:
            digest = _copy_hashing(source, copy)
            copy.with_name(copy.name + "-wal").unlink(missing_ok=True)
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        except OSError as exc:
            raise classify(exc, source) from exc
        if (_stamp(source), _stamp(wal)) == before:
            return SourceCopy(copy, digest, _user_version(copy, key))
    raise SourceChangingError(source)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source: Path, copy: Path) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as src, copy.open("wb") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


def _user_version(path: Path, key: Key | None) -> int:
    conn = open_connection(path.resolve().as_uri() + "?mode=ro", effective_key(path, key), uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


# ---------------------------------------------------------------- reading


def table_names(db: Database) -> set[str]:
    return {
        r["name"]
        for r in query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")
        if not r["name"].startswith("sqlite_")
    }


def read_tables(db: Database, *, target: bool = False) -> dict[str, list[Row]]:
    """Every table a rule brings across, as rows of dicts (a target's derived tables
    without their large columns)."""
    present = table_names(db)
    out: dict[str, list[Row]] = {}
    for rule in RULES:
        if rule.table not in present or rule.how is How.SKIP:
            continue  # never read: what a merge does not bring stays where it is
        columns = _TARGET_COLUMNS.get(rule.table, "*") if target else "*"
        out[rule.table] = [dict(r) for r in query(db, f"SELECT {columns} FROM {_q(rule.table)}")]
    return out


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ---------------------------------------------------------------- the writer job


@dataclass(frozen=True, slots=True)
class SourceInfo:
    project_id: str
    title: str
    file_name: str
    sha256: str
    version: int


@dataclass(frozen=True, slots=True)
class Applied:
    merge_id: str
    plan: MergePlan


def merge_job(
    sources: Sequence[tuple[SourceInfo, Tables, Iterable[str]]], now: datetime
) -> Callable[[Tx], list[Applied]]:
    """One writer job bringing every source in, in order: each planned against the
    target as the previous left it, all committed together or not at all."""

    def job(tx: Tx) -> list[Applied]:
        conn = tx.db.conn
        conn.execute("PRAGMA defer_foreign_keys = ON")
        try:
            done = [
                _apply_one(tx.db, info, tables, set(accept), now)
                for info, tables, accept in sources
            ]
            touched = {t for a in done for t in a.plan.inserts} | {"merges", "merge_rows"}
            for table in sorted(touched):
                broken = conn.execute(f"PRAGMA foreign_key_check({_q(table)})").fetchone()
                if broken is not None:
                    raise RuntimeError(f"merge would leave {table} pointing at missing rows")
        finally:
            conn.execute("PRAGMA defer_foreign_keys = OFF")
        return done

    return job


def _apply_one(
    db: Database, info: SourceInfo, tables: Tables, accept: set[str], now: datetime
) -> Applied:
    target = read_tables(db, target=True)
    plan = plan_merge(tables, target, accept=accept, text_hash=text_hash, source_title=info.title)
    merge_id = new_id()
    [project] = target["project"]
    db.execute(
        "INSERT INTO merges (id, project_id, source_project_id, source_title, source_file, "
        "source_sha256, source_version, counts, details, created_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            merge_id,
            project["id"],
            info.project_id,
            info.title,
            info.file_name,
            info.sha256,
            info.version,
            json.dumps(plan.counts, sort_keys=True),
            json.dumps(details(plan), ensure_ascii=False, sort_keys=True),
            ts(now),
        ],
    )
    for table, rows in plan.inserts.items():
        if table == "merged_standards":
            rows = [{**r, "merge_id": r.get("merge_id") or merge_id} for r in rows]
        _insert(db, table, rows)
        if table != "merge_rows":
            rule = RULE_FOR[table]
            db.conn.executemany(
                "INSERT OR IGNORE INTO merge_rows (merge_id, table_name, row_id) VALUES (?,?,?)",
                [(merge_id, table, row_key(rule, r)) for r in rows],
            )
    for table, row_id, changes in plan.updates:
        sets = ", ".join(f"{_q(c)} = ?" for c in changes)
        db.execute(
            f"UPDATE {_q(table)} SET {sets} WHERE id = ?",
            [*changes.values(), row_id],
        )
    return Applied(merge_id, plan)


def _insert(db: Database, table: str, rows: Sequence[Row]) -> None:
    by_columns: dict[tuple[str, ...], list[Row]] = {}
    for r in rows:
        by_columns.setdefault(tuple(r), []).append(r)
    for columns, group in by_columns.items():
        names = ", ".join(_q(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        db.conn.executemany(
            f"INSERT INTO {_q(table)} ({names}) VALUES ({marks})",
            [tuple(r[c] for c in columns) for r in group],
        )


def details(plan: MergePlan) -> dict[str, Any]:
    """What the merges row keeps besides its counts: the groups matched, the standards
    flagged, how many rows were kept as they were here and why rows were held back."""
    kept: dict[str, int] = {}
    for k in plan.kept:
        kept[k.table] = kept.get(k.table, 0) + 1
    return {
        "groups_matched": [
            {"source": m.source.name, "target": m.target.name, "exact": m.exact}
            for m in plan.groups
        ],
        "standards_flagged": [f.copy_id for f in plan.flagged],
        "kept_here": kept,
        "held_back": dict(plan.held_back),
        "notes_flags_updated": sum(1 for table, _id, _c in plan.updates if table == "notes"),
    }


# ---------------------------------------------------------------- merges done, flags


@dataclass(frozen=True, slots=True)
class MergeRow:
    id: str
    project_id: str
    source_project_id: str
    source_title: str
    source_file: str
    source_sha256: str
    source_version: int
    counts: dict[str, int]
    details: dict[str, Any]
    created_at: datetime


def list_merges(db: Database) -> list[MergeRow]:
    if "merges" not in table_names(db):
        return []
    return [
        MergeRow(
            r["id"],
            r["project_id"],
            r["source_project_id"],
            r["source_title"],
            r["source_file"],
            r["source_sha256"],
            r["source_version"],
            json.loads(r["counts"]),
            json.loads(r["details"]),
            parse_ts(r["created_at"]),
        )
        for r in query(db, "SELECT * FROM merges ORDER BY created_at, rowid")
    ]


@dataclass(frozen=True, slots=True)
class FlagRow:
    standard_id: str  # the other laptop's version
    original_id: str
    title: str
    original_title: str
    source_title: str
    source_file: str
    merged_at: datetime
    settled_at: datetime | None
    original_deleted: bool


def list_flags(db: Database, *, open_only: bool = True) -> list[FlagRow]:
    """Standards brought beside another by a merge: while both are there and the
    facilitator has not settled it, the pair is flagged."""
    sql = (
        "SELECT ms.standard_id, ms.original_id, ms.settled_at, s.title, o.title AS o_title, "
        "o.deleted_at AS o_deleted, m.source_title, m.source_file, m.created_at "
        "FROM merged_standards ms JOIN standards s ON s.id = ms.standard_id "
        "JOIN standards o ON o.id = ms.original_id JOIN merges m ON m.id = ms.merge_id "
        "WHERE s.deleted_at IS NULL"
    )
    if open_only:
        sql += " AND ms.settled_at IS NULL"
    return [
        FlagRow(
            r["standard_id"],
            r["original_id"],
            r["title"],
            r["o_title"],
            r["source_title"],
            r["source_file"],
            parse_ts(r["created_at"]),
            parse_opt_ts(r["settled_at"]),
            r["o_deleted"] is not None,
        )
        for r in query(db, sql + " ORDER BY o.position, s.created_at, s.id")
    ]


def settle_flag(db: Database, standard_id: str, when: datetime | None) -> bool:
    return (
        db.execute(
            "UPDATE merged_standards SET settled_at = ? WHERE standard_id = ?",
            [None if when is None else ts(when), standard_id],
        ).rowcount
        > 0
    )
