"""Words on the phone pages that depend on who reads them: places in a ranking, note and
idea statuses, confirmations. The templates and the page's script say the same things."""

from __future__ import annotations


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def place(rank: int, joint: bool) -> str:
    """A rank as a phone shows it: '1st', or 'Joint 1st' when items share it."""
    return f"Joint {ordinal(rank)}" if joint else ordinal(rank)
