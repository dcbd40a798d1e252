"""The one way to open a project file: identify it, refuse what is not ours or too new,
back it up and migrate it when it is older, and configure every connection alike.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from workshop_app.storage.errors import (
    DamagedProjectError,
    NewerProjectError,
    NotAProjectError,
    ProjectFileError,
    ProjectMissingError,
    StorageProblem,
    classify,
)
from workshop_app.storage.schema import APPLICATION_ID, MIGRATIONS, Migration

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
PROJECT_SUFFIX = ".cground"
BUSY_TIMEOUT_MS = 5000


def connect(path: Path, *, readonly: bool = False) -> Database:
    """A configured connection to an existing, already-checked project file."""
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    db = Database(conn, execute_plugins=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # Deleted and overwritten content is zeroed, not left in free pages: words removed
    # from the project for privacy are gone from the file (services/privacy.py).
    conn.execute("PRAGMA secure_delete = ON")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    return db


def create_file(path: Path) -> None:
    """Create a new, empty project file at the current schema version."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
        db = Database(conn, execute_plugins=False)
        _migrate(db, MIGRATIONS, start=0)
    finally:
        conn.close()


def identify(path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> bool:
    """Check that `path` is a Common Ground project this version can open, without
    changing the file in any way; returns whether it needs upgrading.

    Raises a ProjectFileError subclass with a message for people when it is missing, a
    folder, not SQLite, someone else's SQLite, unreadable or from a newer version. The file
    is read as immutable: another program's database keeps its write-ahead log untouched.
    """
    target = migrations[-1].version if migrations else 0
    if not path.exists():
        raise ProjectMissingError(path)
    if path.is_dir():
        raise NotAProjectError(path, f"{path} is a folder, not a Common Ground project file.")
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as e:
        problem = classify(e, path)
        if isinstance(problem, StorageProblem):
            raise problem from e
        raise NotAProjectError(path, f"{path} cannot be read: {e.strerror}.") from e
    if head != SQLITE_MAGIC:
        raise NotAProjectError(
            path, f"{path} is not a Common Ground project (it is not a database file)."
        )
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?immutable=1", uri=True)
    except sqlite3.Error as e:  # pragma: no cover - sqlite opens lazily
        raise _damaged_or_storage(e, path) from e
    try:
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as e:
            raise _damaged_or_storage(e, path) from e
    finally:
        conn.close()
    if app_id != APPLICATION_ID:
        # Tables may live only in a write-ahead log the immutable read does not see.
        has_log = path.with_name(path.name + "-wal").exists()
        what = "another program's database" if tables or has_log else "an empty database"
        raise NotAProjectError(path, f"{path} is not a Common Ground project (it is {what}).")
    if version > target:
        raise NewerProjectError(path, version, target)
    return bool(version < target)


def check_and_upgrade(path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> Path | None:
    """Make sure `path` is a readable project file at the current version.

    Raises a ProjectFileError subclass with a message for people when it is missing,
    not SQLite, someone else's SQLite, damaged, or from a newer version; a StorageProblem
    when the disk is in the way (full, read-only, failing). Migrates older files after
    writing a backup beside them; returns the backup's path (or None).
    """
    identify(path, migrations)  # nothing that is not ours is opened for writing
    target = migrations[-1].version if migrations else 0
    try:
        conn = sqlite3.connect(str(path))
    except sqlite3.Error as e:  # pragma: no cover - sqlite opens lazily
        raise _damaged_or_storage(e, path) from e
    try:
        try:
            # Read again through a normal connection: a write-ahead log may hold changes
            # the immutable read above could not see.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as e:
            raise _damaged_or_storage(e, path) from e
        if version > target:
            raise NewerProjectError(path, version, target)
        try:
            problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as e:
            problem = classify(e, path)
            if isinstance(problem, StorageProblem):
                raise problem from e
            problems = [str(e)]
        if problems != ["ok"]:
            raise DamagedProjectError(
                path,
                f"{path} is damaged ({problems[0]}). Try a backup copy of the project.",
            )
        if version == target:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.Error as e:
                raise _damaged_or_storage(e, path) from e
            return None
    finally:
        conn.close()

    backup = backup_path(path, version)
    try:
        make_backup(path, backup)
    except (sqlite3.Error, OSError) as e:
        problem = classify(e, backup)
        if problem is e:
            raise
        raise problem from e
    log.info("backed up %s to %s before migrating from %d to %d", path, backup, version, target)
    conn = sqlite3.connect(str(path))
    try:
        _migrate(Database(conn, execute_plugins=False), migrations, start=version)
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as e:
        problem = classify(e, path)
        if problem is e:
            raise
        raise problem from e
    finally:
        conn.close()
    return backup


def _damaged_or_storage(e: sqlite3.Error, path: Path) -> ProjectFileError:
    """A disk problem when it is one (full, read-only, I/O), else a damaged file."""
    problem = classify(e, path)
    if isinstance(problem, StorageProblem):
        return problem
    return DamagedProjectError(
        path, f"{path} is damaged and cannot be read ({e}). Try a backup copy."
    )


def backup_path(path: Path, version: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.stem}.v{version}-backup-{stamp}{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.v{version}-backup-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def make_backup(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's online backup (safe with WAL)."""
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _migrate(db: Database, migrations: Sequence[Migration], start: int) -> None:
    """Apply every step above `start`, each in its own transaction with its version."""
    conn = db.conn
    for step in migrations:
        if step.version <= start:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            step.apply(db)
            conn.execute(f"PRAGMA user_version = {int(step.version)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        log.info("migrated project file to version %d: %s", step.version, step.description)


def schema_version(db: Database) -> int:
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])
