"""Encrypted project files (SQLCipher 4, AES-256): the passphrase as a value, and the one
place a connection to a project file is made, plain or encrypted.

A plain file is opened by Python's own sqlite3, as always; an encrypted one by the
SQLCipher binding (`sqlcipher3`, decision 027), which is the same SQLite with pages
encrypted and authenticated. The key is applied on every connection, before anything is
read. The passphrase is never logged, never put in a message and never written anywhere:
`Key` hides it from repr and str.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from workshop_app.core.retention import CIPHER_NAME

#: What either driver raises; storage catches these, never one module's alone.
DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher.DatabaseError)

SQLITE_MAGIC = b"SQLite format 3\x00"

#: SQLCipher's page size: an encrypted file is always a whole number of pages.
CIPHER_PAGE = 4096

__all__ = ["CIPHER_NAME", "Key"]


@dataclass(frozen=True, slots=True)
class Key:
    """A project's passphrase. Its text never appears in repr, str or logs."""

    passphrase: str = field(repr=False)

    def __post_init__(self) -> None:
        if not self.passphrase:
            raise ValueError("a passphrase cannot be empty")
        if "\x00" in self.passphrase:  # SQLite's statements end at one
            raise ValueError("a passphrase cannot contain a NUL character")

    def __str__(self) -> str:
        return "Key(hidden)"

    def pragma(self) -> str:
        """The `PRAGMA key` statement (pragmas take no parameters: quotes are doubled)."""
        return "PRAGMA key = '" + self.passphrase.replace("'", "''") + "'"


def looks_plain(path: Path) -> bool:
    """Whether the file starts like an ordinary (unencrypted) SQLite database."""
    with path.open("rb") as f:
        return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def may_be_encrypted(path: Path) -> bool:
    """Whether a file that is not plain SQLite could be an encrypted project: a whole,
    non-zero number of SQLCipher pages. (Its bytes are random without the key, so this is
    as much as can be told; a text file or a picture almost never passes.)"""
    size = path.stat().st_size
    return size > 0 and size % CIPHER_PAGE == 0


def open_connection(
    target: str,
    key: Key | None,
    *,
    uri: bool = False,
    check_same_thread: bool = True,
    timeout: float = 5.0,
) -> Any:
    """A connection to `target` (a path or, with `uri`, a file: URI) with `key` applied
    first. Without a key it is Python's sqlite3, exactly as before encryption existed.
    Nothing is read yet: a wrong key shows on the first statement that reads."""
    if key is None:
        return sqlite3.connect(
            target, uri=uri, check_same_thread=check_same_thread, timeout=timeout
        )
    conn = sqlcipher.connect(target, uri=uri, check_same_thread=check_same_thread, timeout=timeout)
    try:
        # A wrong key would otherwise print "hmac check failed" lines on stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key.pragma())
    except BaseException:
        conn.close()
        raise
    return conn


def row_factory(conn: Any) -> Any:
    """The Row class of the driver `conn` belongs to (one driver's rows refuse the
    other's cursors)."""
    return sqlcipher.Row if isinstance(conn, sqlcipher.Connection) else sqlite3.Row


def is_encrypted_connection(conn: Any) -> bool:
    return isinstance(conn, sqlcipher.Connection)


def quote(value: str) -> str:
    """A SQL string literal (for ATTACH ... KEY, which takes no parameters)."""
    return "'" + value.replace("'", "''") + "'"
