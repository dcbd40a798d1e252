"""Identifiers and clocks. Every entity has a random UUID and UTC timestamps."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime


def new_id() -> str:
    """A random UUID4 as 32 lowercase hex digits (merge-safe across laptops)."""
    return uuid.uuid4().hex


def utc_now() -> datetime:
    """The current time in UTC, to the microsecond."""
    return datetime.now(UTC)


def new_join_token() -> str:
    """An unguessable, URL-safe token for a session's join link (128 bits)."""
    return secrets.token_urlsafe(16)
