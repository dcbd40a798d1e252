"""Consensus rules for rating rounds (Delphi-like, 1-9 scale).

The rules are project settings and are written into every report, so they are data:
`ConsensusRules`. The defaults follow common Delphi practice: *consensus in* when at
least 70 % rate 7-9 and fewer than 15 % rate 1-3; *consensus out* the mirror image.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from workshop_app.core.errors import DomainError
from workshop_app.core.model import RatingScale


class Verdict(StrEnum):
    IN = "consensus_in"
    OUT = "consensus_out"
    NONE = "no_consensus"


# The 5-point smiley scale children use, mapped onto 1-9 so that both kinds of rating
# can be pooled. 1 and 2 fall in the "disagree" band (1-3), 3 in the middle (4-6),
# 4 and 5 in the "agree" band (7-9). Documented in docs/consensus.md.
SMILEY_TO_NINE: dict[int, int] = {1: 1, 2: 3, 3: 5, 4: 7, 5: 9}


def to_nine_point(raw: int, scale: RatingScale) -> int:
    """Map a rating given on `scale` onto 1-9; raises DomainError when out of range."""
    if scale is RatingScale.SMILEY:
        if raw not in SMILEY_TO_NINE:
            raise DomainError(f"A smiley rating must be 1 to 5, not {raw}.")
        return SMILEY_TO_NINE[raw]
    if not 1 <= raw <= 9:
        raise DomainError(f"A rating must be 1 to 9, not {raw}.")
    return raw


@dataclass(frozen=True, slots=True)
class ConsensusRules:
    """Thresholds as whole percentages so that reports quote them exactly."""

    agree_min_percent: int = 70  # share rating 7-9 needed for "consensus in"
    disagree_max_percent: int = 15  # share rating 1-3 must stay below this
    min_group_raters: int = 3  # groups with fewer raters are not judged separately

    def validate(self) -> ConsensusRules:
        for name in ("agree_min_percent", "disagree_max_percent"):
            value = getattr(self, name)
            if not 0 <= value <= 100:
                raise DomainError(f"{name.replace('_', ' ')} must be 0-100, not {value}.")
        if self.disagree_max_percent >= self.agree_min_percent:
            raise DomainError(
                "The disagreement ceiling must be lower than the agreement threshold."
            )
        if self.min_group_raters < 1:
            raise DomainError("At least one rater per group is needed to judge a group.")
        return self

    def describe(self) -> str:
        """The rules in one paragraph, for reports and the settings screen."""
        return (
            f"Consensus in: at least {self.agree_min_percent}% of raters score 7-9 and "
            f"fewer than {self.disagree_max_percent}% score 1-3. Consensus out: at least "
            f"{self.agree_min_percent}% score 1-3 and fewer than "
            f"{self.disagree_max_percent}% score 7-9. Otherwise: no consensus. "
            f"Groups with fewer than {self.min_group_raters} raters are not judged "
            f"separately."
        )


@dataclass(frozen=True, slots=True)
class Distribution:
    raters: int
    low: int  # 1-3
    middle: int  # 4-6
    high: int  # 7-9


def distribution(values: Iterable[int]) -> Distribution:
    low = middle = high = n = 0
    for v in values:
        if not 1 <= v <= 9:
            raise DomainError(f"A rating must be 1 to 9, not {v}.")
        n += 1
        if v <= 3:
            low += 1
        elif v <= 6:
            middle += 1
        else:
            high += 1
    return Distribution(n, low, middle, high)


def classify(values: Iterable[int], rules: ConsensusRules) -> Verdict:
    """Apply the rules to a set of 1-9 ratings. Integer arithmetic: 70 % is exact."""
    d = distribution(values)
    if d.raters == 0:
        return Verdict.NONE
    if (
        d.high * 100 >= rules.agree_min_percent * d.raters
        and d.low * 100 < rules.disagree_max_percent * d.raters
    ):
        return Verdict.IN
    if (
        d.low * 100 >= rules.agree_min_percent * d.raters
        and d.high * 100 < rules.disagree_max_percent * d.raters
    ):
        return Verdict.OUT
    return Verdict.NONE
