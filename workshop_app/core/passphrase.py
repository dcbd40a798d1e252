"""Passphrases for encrypted projects: how strong one looks, and the recovery sheet.

The strength is a conservative estimate of the guesses an attacker would need, in bits
(decision 027): each character adds the log2 of the size of its character class (26 for
lower case, 26 upper, 10 digits, 33 symbols and space), but a character that repeats the
one before or continues a run (abc, 321) adds 1 bit only, and a passphrase that is, or is
made of, one of the most common passwords counts as almost nothing. The estimate is
deliberately rough and errs low; the rule it enforces is the UK NCSC's "three random
words": at least 12 characters and no common password.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from datetime import date

#: The shortest passphrase accepted (three short random words and two spaces).
MIN_LENGTH = 12

#: Bits at which the meter moves up a step: weak, fair, good, strong.
LEVELS: tuple[tuple[float, str], ...] = ((40, "weak"), (60, "fair"), (80, "good"))
STRONG = "strong"

#: Passwords at the top of every leaked-password list (lower case; checked as a whole
#: and with digits and symbols stripped).
COMMON = frozenset(
    {
        "password",
        "passw0rd",
        "123456",
        "12345678",
        "123456789",
        "1234567890",
        "qwerty",
        "qwertyuiop",
        "letmein",
        "iloveyou",
        "welcome",
        "admin",
        "monkey",
        "dragon",
        "football",
        "baseball",
        "sunshine",
        "princess",
        "trustno1",
        "abc123",
        "changeme",
        "secret",
        "passwordpassword",
        "correcthorsebatterystaple",
    }
)


@dataclass(frozen=True, slots=True)
class Strength:
    bits: float
    level: str  # "too short", "common", "weak", "fair", "good", "strong"
    acceptable: bool
    advice: str  # one sentence for the facilitator

    @property
    def label(self) -> str:
        return f"Strength: {self.level}"


def _pool(ch: str) -> int:
    if ch in string.ascii_lowercase:
        return 26
    if ch in string.ascii_uppercase:
        return 26
    if ch in string.digits:
        return 10
    if ord(ch) < 128:
        return 33
    return 100  # letters of other alphabets: a bigger pool, counted modestly


def estimate_bits(passphrase: str) -> float:
    """A rough, low estimate of the passphrase's entropy in bits (see the module)."""
    bits = 0.0
    previous = ""
    step = 0
    for ch in passphrase:
        run = bool(previous) and len(ch) == 1 and abs(ord(ch) - ord(previous)) <= 1
        if run and ch != previous and step and ord(ch) - ord(previous) != step:
            run = False
        if run:
            bits += 1.0
            step = ord(ch) - ord(previous)
        else:
            bits += math.log2(_pool(ch))
            step = 0
        previous = ch
    return bits


def _is_common(passphrase: str) -> bool:
    folded = passphrase.lower().replace(" ", "")
    letters = "".join(c for c in folded if c.isalpha())
    return folded in COMMON or (bool(letters) and letters in COMMON and len(letters) >= 6)


def strength(passphrase: str) -> Strength:
    """How strong `passphrase` looks, and whether it is accepted for a new project."""
    if "\x00" in passphrase:
        return Strength(0.0, "unusable", False, "A passphrase cannot contain a NUL character.")
    if _is_common(passphrase):
        return Strength(
            0.0, "common", False, "This is one of the most common passwords: choose another."
        )
    bits = estimate_bits(passphrase)
    if len(passphrase) < MIN_LENGTH:
        return Strength(
            bits,
            "too short",
            False,
            f"Use at least {MIN_LENGTH} characters: three random words are easy to remember "
            "and hard to guess.",
        )
    level = next((name for limit, name in LEVELS if bits < limit), STRONG)
    advice = {
        "weak": "Acceptable, but add another word to make it stronger.",
        "fair": "Good enough; another word would make it stronger.",
        "good": "A good passphrase.",
        STRONG: "A strong passphrase.",
    }[level]
    return Strength(bits, level, True, advice)


def recovery_sheet(title: str, file_name: str, created: date, passphrase: str | None = None) -> str:
    """The text of the printable recovery sheet: the project and where its file is, and
    a place to write the passphrase by hand (the passphrase itself only on request)."""
    written = (
        f"Passphrase: {passphrase}"
        if passphrase is not None
        else "Passphrase (write it by hand): ______________________________________"
    )
    return "\n".join(
        [
            "Common Ground: recovery sheet for an encrypted project",
            "",
            f"Project: {title}",
            f"Project file: {file_name}",
            f"Created: {created.day} {created:%B %Y}",
            "",
            written,
            "",
            "Without this passphrase nobody can open the project, including you: it is not",
            "stored anywhere on the computer. Keep this sheet locked away, apart from the",
            "laptop, and shred it when the project has been deleted.",
            "",
        ]
    )
