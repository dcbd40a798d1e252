"""Rules for what a phone may send: sizes, counts, keys. Pure; the server and the
services both use them, so a limit is stated once."""

from __future__ import annotations

import re

from workshop_app.core.errors import DomainError, LimitError
from workshop_app.core.validate import clean_text

NOTE_MAX = 500  # characters in one sticky note
HELP_MESSAGE_MAX = 300  # "I'm by the window in a blue jumper"
NOTES_PER_ACTIVITY_MAX = 40  # per participant: a flood guard, far above real use
KEY_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")  # matched in full: "$" would let "…\n" through
#: Control characters other than newline and tab (carriage returns are made newlines first).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def check_key(key: object) -> str:
    """An idempotency key: 8-64 letters, digits, '-' or '_' (a UUID fits)."""
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise DomainError("Each submission needs a key of 8 to 64 letters, digits, - or _.")
    return key


def clean_note(text: object) -> str:
    if not isinstance(text, str):
        raise DomainError("A note must be text.")
    text = clean_text(_plain_lines(text), "A note", NOTE_MAX, required=True)
    return text


def clean_help_message(text: object) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise DomainError("The message must be text.")
    return clean_text(_plain_lines(text), "The message", HELP_MESSAGE_MAX, required=False)


def check_note_count(existing: int) -> None:
    if existing >= NOTES_PER_ACTIVITY_MAX:
        raise LimitError(
            f"You have sent {existing} notes for this activity (taken-back ones count too), "
            "the most one person can send."
        )


def _plain_lines(text: str) -> str:
    """Normalise line breaks and drop control characters other than newline and tab."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)
