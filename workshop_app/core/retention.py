"""How long a project is kept: its retention date and the reminder a facilitator sees.

A project is kept `months` after its last session (the latest session date; a project
with no dated session counts from the day it was created). Reminders start
`REMIND_DAYS` before that date; after it, the project is overdue for secure deletion.
Pure functions of dates, so the start screen, the project window and the exports say the
same thing.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

#: Reminders start this many days before the retention date.
REMIND_DAYS = 30

#: How an encrypted project file is protected (storage/cipher.py opens it so).
CIPHER_NAME = "SQLCipher 4, AES-256"


class RetentionState(StrEnum):
    KEEP = "keep"  # more than REMIND_DAYS to go: no reminder
    SOON = "soon"  # within REMIND_DAYS
    DUE = "due"  # today is the date
    OVERDUE = "overdue"


def add_months(start: date, months: int) -> date:
    """`start` plus whole months; the 31st becomes the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Retention:
    keep_until: date
    months: int
    counted_from: date
    from_session: bool  # False: no dated session yet, counted from the project's creation

    @property
    def basis(self) -> str:
        """Why this date, in plain words: "12 months after the last session (4 March 2026)"."""
        what = "the last session" if self.from_session else "the project was created"
        unit = "month" if self.months == 1 else "months"
        return f"{self.months} {unit} after {what} ({long_date(self.counted_from)})"

    def state(self, today: date) -> RetentionState:
        days = (self.keep_until - today).days
        if days < 0:
            return RetentionState.OVERDUE
        if days == 0:
            return RetentionState.DUE
        if days <= REMIND_DAYS:
            return RetentionState.SOON
        return RetentionState.KEEP

    def reminder(self, today: date) -> str | None:
        """The sentence a facilitator sees, or None while the date is far off."""
        state = self.state(today)
        when = long_date(self.keep_until)
        if state is RetentionState.KEEP:
            return None
        if state is RetentionState.OVERDUE:
            days = (today - self.keep_until).days
            ago = "1 day" if days == 1 else f"{days} days"
            return (
                f"This project was to be kept until {when} ({self.basis}), {ago} ago. "
                "Export what you need, then delete it securely (File > Delete project securely)."
            )
        if state is RetentionState.DUE:
            return (
                f"This project is to be kept until today, {when} ({self.basis}). Export what "
                "you need, then delete it securely (File > Delete project securely)."
            )
        days = (self.keep_until - today).days
        left = "1 day" if days == 1 else f"{days} days"
        return (
            f"This project is to be kept until {when} ({self.basis}): {left} left. Export "
            "what you need before then."
        )

    def short(self, today: date) -> str:
        """For a list of recent projects (see keep_until_note)."""
        return keep_until_note(self.keep_until, today)


def keep_until_note(keep_until: date, today: date) -> str:
    """A line for the list of recent projects: "keep until 4 March 2027", with the days
    left once reminders have started, or "past its keep-until date …" after it."""
    when = long_date(keep_until)
    days = (keep_until - today).days
    if days < 0:
        return f"past its keep-until date ({when}): delete it securely"
    if days == 0:
        return f"keep until today ({when})"
    if days <= REMIND_DAYS:
        return f"keep until {when}: {'1 day' if days == 1 else f'{days} days'} left"
    return f"keep until {when}"


def retention_for(session_dates: Iterable[date | None], created: date, months: int) -> Retention:
    """The retention date `months` after the latest session date (or the creation day)."""
    dated = [d for d in session_dates if d is not None]
    start = max(dated) if dated else created
    return Retention(add_months(start, months), months, start, bool(dated))


def protection_text(encrypted: bool, kept: Retention) -> str:
    """The methods' sentences on how the data is protected and until when it is kept."""
    if encrypted:
        how = (
            f"The project file these results come from is encrypted ({CIPHER_NAME}) with a "
            "passphrase that is not stored with it or on the computer."
        )
    else:
        how = (
            "The project file these results come from is not encrypted: anyone with a copy "
            "of it can read the notes."
        )
    return (
        f"{how} It is kept until {long_date(kept.keep_until)} ({kept.basis}), then deleted "
        "securely with its write-ahead log and backups."
    )


def long_date(d: date) -> str:
    """4 March 2026 (no leading zero, English month name, as the exports write dates)."""
    return f"{d.day} {d.strftime('%B')} {d.year}"
