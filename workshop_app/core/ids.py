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


# Crockford's base32: no I, L, O or U, so a code read off a projector types cleanly.
JOIN_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_TOKEN_LENGTH = 10  # 50 random bits; wrong guesses are rate-limited (decision 006)
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_join_token() -> str:
    """A session's join code: 10 random characters, in the QR link and typed by hand."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_TOKEN_LENGTH))


def normalise_join_code(typed: str) -> str | None:
    """What a person typed ('abcde-fghjk', with spaces or look-alikes) as a token, or None."""
    code = "".join(ch for ch in typed.upper() if ch not in " -_.").translate(_TYPED)
    if len(code) != JOIN_TOKEN_LENGTH or any(ch not in JOIN_ALPHABET for ch in code):
        return None
    return code


def format_join_code(token: str) -> str:
    """A token split in two for reading aloud and typing: 'ABCDE-FGHJK'."""
    half = len(token) // 2
    return f"{token[:half]}-{token[half:]}"
