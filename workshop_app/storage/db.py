"""The one way to open a project file: identify it, refuse what is not ours or too new,
back it up and migrate it when it is older, and configure every connection alike.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from workshop_app.storage.cipher import (
    DATABASE_ERRORS,
    DB_ERRORS,
    SQLITE_MAGIC,
    Key,
    looks_plain,
    may_be_encrypted,
    open_connection,
)
from workshop_app.storage.errors import (
    DamagedProjectError,
    NewerProjectError,
    NotAProjectError,
    PassphraseNeededError,
    ProjectFileError,
    ProjectMissingError,
    StorageProblem,
    WrongPassphraseError,
    classify,
)
from workshop_app.storage.schema import APPLICATION_ID, MIGRATIONS, Migration

log = logging.getLogger(__name__)

__all__ = ["SQLITE_MAGIC", "Key"]

PROJECT_SUFFIX = ".cground"
BUSY_TIMEOUT_MS = 5000


def connect(path: Path, *, readonly: bool = False, key: Key | None = None) -> Database:
    """A configured connection to an existing, already-checked project file (`key`
    for an encrypted one: it is applied, and checked, before anything else)."""
    conn = open_connection(str(path), key, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    if key is not None:
        _check_key(conn, path)
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


def _check_key(conn: Any, path: Path) -> None:
    """Read the first page: a wrong key fails here, with words about the passphrase."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DATABASE_ERRORS as e:
        conn.close()
        if getattr(e, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise WrongPassphraseError(path) from None
        raise _damaged_or_storage(e, path) from e


def effective_key(path: Path, key: Key | None) -> Key | None:
    """The key to open `path` with: none for a plain file, whatever was given."""
    try:
        return None if looks_plain(path) else key
    except OSError:
        return key


def is_encrypted(path: Path) -> bool:
    """Whether an existing project file is encrypted (it has no plain SQLite header)."""
    return not looks_plain(path)


def create_file(path: Path, key: Key | None = None) -> None:
    """Create a new, empty project file at the current schema version; encrypted with
    `key` when one is given."""
    conn = open_connection(str(path), key)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
        db = Database(conn, execute_plugins=False)
        _migrate(db, MIGRATIONS, start=0)
    finally:
        conn.close()


def identify(
    path: Path, migrations: Sequence[Migration] = MIGRATIONS, key: Key | None = None
) -> bool:
    """Check that `path` is a Common Ground project this version can open, without
    changing the file in any way; returns whether it needs upgrading.

    Raises a ProjectFileError subclass with a message for people when it is missing, a
    folder, not SQLite, someone else's SQLite, unreadable or from a newer version. The file
    is read as immutable: another program's database keeps its write-ahead log untouched.
    A file that may be encrypted needs `key` (PassphraseNeededError without one,
    WrongPassphraseError when it does not open it: never "damaged").
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
    if head == SQLITE_MAGIC:
        key = None  # a plain file opens as it always did, whatever key was given
    elif not may_be_encrypted(path):
        raise NotAProjectError(
            path, f"{path} is not a Common Ground project (it is not a database file)."
        )
    elif key is None:
        raise PassphraseNeededError(path)
    try:
        conn = open_connection(path.resolve().as_uri() + "?immutable=1", key, uri=True)
    except DB_ERRORS as e:  # pragma: no cover - sqlite opens lazily
        raise _damaged_or_storage(e, path) from e
    try:
        if key is not None:
            _check_key(conn, path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except DATABASE_ERRORS as e:
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


def check_and_upgrade(
    path: Path, migrations: Sequence[Migration] = MIGRATIONS, key: Key | None = None
) -> Path | None:
    """Make sure `path` is a readable project file at the current version.

    Raises a ProjectFileError subclass with a message for people when it is missing,
    not SQLite, someone else's SQLite, damaged, or from a newer version; a StorageProblem
    when the disk is in the way (full, read-only, failing). Migrates older files after
    writing a backup beside them; returns the backup's path (or None).
    """
    identify(path, migrations, key)  # nothing that is not ours is opened for writing
    key = effective_key(path, key)
    target = migrations[-1].version if migrations else 0
    try:
        conn = open_connection(str(path), key)
    except DB_ERRORS as e:  # pragma: no cover - sqlite opens lazily
        raise _damaged_or_storage(e, path) from e
    try:
        try:
            # Read again through a normal connection: a write-ahead log may hold changes
            # the immutable read above could not see.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except DATABASE_ERRORS as e:
            raise _damaged_or_storage(e, path) from e
        if version > target:
            raise NewerProjectError(path, version, target)
        try:
            problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
        except DATABASE_ERRORS as e:
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
            except DB_ERRORS as e:
                raise _damaged_or_storage(e, path) from e
            return None
    finally:
        conn.close()

    backup = backup_path(path, version)
    try:
        make_backup(path, backup, key)
    except Exception as e:  # SQLite's (either driver) or the OS's; anything else re-raised
        problem = classify(e, backup)
        if problem is e:
            raise
        raise problem from e
    log.info("backed up %s to %s before migrating from %d to %d", path, backup, version, target)
    conn = open_connection(str(path), key)
    try:
        _migrate(Database(conn, execute_plugins=False), migrations, start=version)
        conn.execute("PRAGMA journal_mode = WAL")
    except DB_ERRORS as e:
        problem = classify(e, path)
        if problem is e:
            raise
        raise problem from e
    finally:
        conn.close()
    return backup


def _damaged_or_storage(e: Exception, path: Path) -> ProjectFileError:
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


def make_backup(source: Path, target: Path, key: Key | None = None) -> None:
    """A consistent copy through SQLite's online backup (safe with WAL). The copy of
    an encrypted file is encrypted with the same key."""
    key = effective_key(source, key)
    src = open_connection(str(source), key)
    dst = open_connection(str(target), key)
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
