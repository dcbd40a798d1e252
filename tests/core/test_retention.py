"""The retention date and its reminders (core/retention.py): pure functions of dates."""

from __future__ import annotations

from datetime import date

import pytest

from workshop_app.core.retention import (
    REMIND_DAYS,
    RetentionState,
    add_months,
    long_date,
    retention_for,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 3, 4), 12, date(2027, 3, 4)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),  # a leap year
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 5, 1), 120, date(2036, 5, 1)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_kept_from_the_last_session_or_else_from_creation() -> None:
    kept = retention_for([date(2026, 3, 4), None, date(2026, 6, 20)], date(2026, 1, 2), 12)
    assert kept.keep_until == date(2027, 6, 20)
    assert kept.basis == "12 months after the last session (20 June 2026)"
    fresh = retention_for([None], date(2026, 1, 2), 1)
    assert fresh.keep_until == date(2026, 2, 2)
    assert fresh.basis == "1 month after the project was created (2 January 2026)"


def test_reminders_start_thirty_days_before_and_say_overdue_in_plain_words() -> None:
    kept = retention_for([date(2026, 3, 4)], date(2026, 1, 1), 12)
    until = kept.keep_until
    assert kept.state(date(2027, 2, 1)) is RetentionState.KEEP
    assert kept.reminder(date(2027, 2, 1)) is None
    soon = date.fromordinal(until.toordinal() - REMIND_DAYS)
    assert kept.state(soon) is RetentionState.SOON
    assert kept.reminder(soon) == (
        "This project is to be kept until 4 March 2027 (12 months after the last session "
        "(4 March 2026)): 30 days left. Export what you need before then."
    )
    assert "1 day left" in (kept.reminder(date(2027, 3, 3)) or "")
    assert kept.state(until) is RetentionState.DUE
    assert "until today, 4 March 2027" in (kept.reminder(until) or "")
    late = date(2027, 3, 9)
    assert kept.state(late) is RetentionState.OVERDUE
    assert "5 days ago" in (kept.reminder(late) or "")
    assert "Delete project securely" in (kept.reminder(late) or "")
    assert kept.short(date(2027, 1, 1)) == "keep until 4 March 2027"
    assert kept.short(late).startswith("past its keep-until date (4 March 2027)")


def test_long_date_has_no_leading_zero() -> None:
    assert long_date(date(2026, 7, 5)) == "5 July 2026"
