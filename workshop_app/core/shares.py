"""Shares and percentages, one rule for every screen and document (STYLE habit 13).

Rounded **down**: a share of 69.5 % reads 69 %, never the 70 % that a consensus rule (at
least 70 % rating 7–9) asks for; 14.9 % reads 14 %, and a "below 15 %" rule is judged on
the counts, never on the rounded figure. So the shares of one row may add up to less than
100 %; wherever such a row is shown, ROUNDING_NOTE says so.
"""

from __future__ import annotations

import math
from fractions import Fraction

ROUNDING_NOTE = "Percentages are rounded down, so a row may add up to less than 100%."
ROUNDING_METHOD = (
    "Percentages are rounded down to a whole number (69.9% is shown as 69%), so that a share "
    "never appears to meet a consensus threshold it missed; the verdicts are judged on the "
    "counts themselves. A row of percentages may therefore add up to less than 100%."
)

# A share computed in binary is not exact: 29/100 is stored as 0.28999…, and flooring that
# would take a whole point off. Floats are rounded to this many places before they are
# rounded down; counts and fractions are exact and never need it.
_FLOAT_PLACES = 9


def percent_down(part: float | Fraction, whole: float | Fraction) -> int | None:
    """The whole percentage `part` is of `whole`, rounded down (None: nothing to divide)."""
    if whole <= 0:
        return None
    if isinstance(part, int | Fraction) and isinstance(whole, int | Fraction):
        return math.floor(Fraction(part) * 100 / Fraction(whole))  # exact: no float on the way
    return math.floor(round(float(part) * 100 / float(whole), _FLOAT_PLACES))


def percent_text(part: float | Fraction, whole: float | Fraction) -> str:
    """'69%' (rounded down), or '–' when there is nothing to divide."""
    value = percent_down(part, whole)
    return "–" if value is None else f"{value}%"


def share_text(share: float | Fraction | None) -> str:
    """A share already divided (0.695 → '69%'; 29/100 → '29%'), or '' for none."""
    return "" if share is None else percent_text(share, 1)


def count_and_percent(part: int, whole: int) -> str:
    """ "7 (58%)": a count with its share of `whole`, rounded down ("7 (–)" for a whole of 0)."""
    return f"{part} ({percent_text(part, whole)})"
