"""Conversions between SQLite values and core values (timestamps, JSON, enums)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from workshop_app.storage.cipher import row_factory

Row = sqlite3.Row


def query(db: Database, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
    """Rows of a SELECT, read by column name: `db.query` without its per-query overhead.

    sqlite_utils builds a dict per row and parses the statement first; on the phone
    server's hot path that cost more than SQLite itself (docs/performance.md).
    """
    cursor = db.conn.cursor()
    cursor.row_factory = row_factory(db.conn)  # an encrypted file's driver has its own
    yield from cursor.execute(sql, params)


def ts(value: datetime) -> str:
    """UTC timestamps are stored as ISO 8601 text, which sorts correctly."""
    return value.isoformat()


def parse_ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


def parse_opt_ts(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def parse_day(value: str | None) -> date | None:
    return None if not value else date.fromisoformat(value)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(value: str) -> Any:
    return json.loads(value)
