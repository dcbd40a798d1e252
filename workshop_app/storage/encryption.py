"""Encrypting a plain project file, or decrypting an encrypted one, as a verified copy.

SQLCipher's `sqlcipher_export` copies every table, index and row from one database into an
attached one with another key (an empty key: plain). The file's version and application id
are not part of that export and are set on the copy. The copy is then opened on its own
and compared, table by table and row by row, with the original before anyone replaces
anything (services/protection.py does the replacing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from workshop_app.storage.cipher import DB_ERRORS, Key, open_connection, quote
from workshop_app.storage.db import effective_key
from workshop_app.storage.errors import DamagedProjectError, classify


class CopyNotVerifiedError(DamagedProjectError):
    """The encrypted (or decrypted) copy did not match the original: nothing replaced."""

    def __init__(self, path: Path, what: str):
        super().__init__(
            path,
            f"The new copy of {path.name} did not match it ({what}), so the project was "
            "left exactly as it was. Try again, or copy the file somewhere else first.",
        )


def _open_source(path: Path, key: Key | None) -> Any:
    conn = sqlcipher.connect(str(path))
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(key.pragma())
    return conn


def export_copy(source: Path, target: Path, source_key: Key | None, target_key: Key | None) -> None:
    """Write `target` as a copy of `source` with another key (None: plain), then check
    that it holds the same rows. `target` must not exist; it is removed when anything
    goes wrong. The source is only read."""
    source_key = effective_key(source, source_key)
    try:
        src = _open_source(source, source_key)
        try:
            version = int(src.execute("PRAGMA user_version").fetchone()[0])
            app_id = int(src.execute("PRAGMA application_id").fetchone()[0])
            secret = target_key.passphrase if target_key is not None else ""
            src.execute(f"ATTACH DATABASE {quote(str(target))} AS copy KEY {quote(secret)}")
            src.execute("SELECT sqlcipher_export('copy')")
            src.execute(f"PRAGMA copy.user_version = {version}")
            src.execute(f"PRAGMA copy.application_id = {app_id}")
            src.execute("DETACH DATABASE copy")
        finally:
            src.close()
        conn = open_connection(str(target), target_key)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        verify_same(source, source_key, target, target_key)
    except BaseException as exc:
        remove_with_logs(target)
        problem = classify(exc, source) if isinstance(exc, (*DB_ERRORS, OSError)) else exc
        if problem is exc:
            raise
        raise problem from exc


def table_counts(path: Path, key: Key | None) -> dict[str, int]:
    """Every table's row count, and the file's version, as one comparable mapping."""
    conn = open_connection(str(path), key)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        counts = {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}
        counts["(version)"] = int(conn.execute("PRAGMA user_version").fetchone()[0])
        counts["(application id)"] = int(conn.execute("PRAGMA application_id").fetchone()[0])
        check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        counts["(integrity)"] = 1 if check == ["ok"] else 0
        return counts
    finally:
        conn.close()


def verify_same(source: Path, source_key: Key | None, copy: Path, copy_key: Key | None) -> None:
    """Raise CopyNotVerifiedError unless `copy` holds every table and row of `source`."""
    before = table_counts(source, source_key)
    after = table_counts(copy, copy_key)
    if before != after:
        differing = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        raise CopyNotVerifiedError(source, "different " + ", ".join(differing))


def remove_with_logs(path: Path) -> None:
    """Remove a database file and its -wal and -shm, whichever exist."""
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def fold_log(path: Path, key: Key | None) -> None:
    """Fold the write-ahead log into the file and empty it (before the file is copied
    or replaced: nothing may stay behind only in the -wal)."""
    conn = open_connection(str(path), effective_key(path, key))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
