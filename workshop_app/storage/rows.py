"""Conversions between SQLite values and core values (timestamps, JSON, enums)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any


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
