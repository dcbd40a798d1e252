"""Consensus rules for rating rounds (Delphi-like, 1-9 scale).

The rules are project settings and are written into every report, so they are data:
`ConsensusRules`. The defaults follow common Delphi practice: *consensus in* when at
least 70 % rate 7-9 and fewer than 15 % rate 1-3; *consensus out* the mirror image.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from workshop_app.core.errors import DomainError
from workshop_app.core.model import RatingScale


class Verdict(StrEnum):
    IN = "consensus_in"
    OUT = "consensus_out"
    NONE = "no_consensus"

    @property
    def label(self) -> str:
        """The words reports and the console use."""
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.IN: "Consensus in",
    Verdict.OUT: "Consensus out",
    Verdict.NONE: "No consensus",
}

# Shown instead of a verdict for a group with fewer raters than the rules' minimum.
TOO_FEW_RATERS = "Too few raters"


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


def median(values: Iterable[int]) -> float | None:
    """The median of 1-9 ratings (the mean of the middle two for an even count)."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    mid = n // 2
    if n % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


@dataclass(frozen=True, slots=True)
class GroupResult:
    """One stakeholder group's ratings of one statement.

    `group_id` is None for raters who joined without choosing a group; they count in the
    overall result but never in the group-informed criterion or the product score.
    """

    group_id: str | None
    name: str
    distribution: Distribution
    median: float | None
    verdict: Verdict
    judged: bool  # at least rules.min_group_raters raters (and a real group)

    @property
    def label(self) -> str:
        """ "Consensus in", "Consensus out", "No consensus" or "Too few raters"."""
        return self.verdict.label if self.judged else TOO_FEW_RATERS


@dataclass(frozen=True, slots=True)
class StatementResult:
    """One statement (a standard) in one rating round, overall and by group."""

    statement_id: str
    title: str
    version: int  # the statement version that was rated
    distribution: Distribution  # overall, every rater
    median: float | None
    verdict: Verdict  # overall
    by_group: dict[str | None, GroupResult]  # in group order; None (no group) last
    group_informed: Verdict  # must hold in every judged group (and there must be one)
    product_score: float | None  # product over judged groups of (agree+1)/(raters+2)

    @property
    def judged_groups(self) -> tuple[GroupResult, ...]:
        return tuple(g for g in self.by_group.values() if g.judged)


@dataclass(frozen=True, slots=True)
class RoundResults:
    """Every statement rated in one rate activity (one Delphi round)."""

    activity_id: str
    round_number: int | None  # 1, 2, ... across the project's rounds; None: not a round
    rules: ConsensusRules
    statements: tuple[StatementResult, ...]  # in framework order
    title: str = ""  # the activity's title
    session_id: str = ""
    session_title: str = ""


def group_result(
    group_id: str | None, name: str, values: Sequence[int], rules: ConsensusRules
) -> GroupResult:
    d = distribution(values)
    return GroupResult(
        group_id=group_id,
        name=name,
        distribution=d,
        median=median(values),
        verdict=classify(values, rules),
        judged=group_id is not None and d.raters >= rules.min_group_raters,
    )


def group_informed(groups: Iterable[GroupResult]) -> Verdict:
    """IN only when every judged group is IN (and at least one group is judged); OUT
    likewise; otherwise NONE."""
    verdicts = {g.verdict for g in groups if g.judged}
    if len(verdicts) == 1:
        return next(iter(verdicts))
    return Verdict.NONE


def product_score(groups: Iterable[GroupResult]) -> float | None:
    """Product over judged groups of (agree + 1) / (raters + 2), agree = ratings 7-9.

    A smoothed agreement share per group (Laplace's rule), multiplied so that one
    unconvinced group pulls the whole score down. None when no group is judged.
    """
    judged = [g for g in groups if g.judged]
    if not judged:
        return None
    score = Fraction(1)
    for g in judged:
        score *= Fraction(g.distribution.high + 1, g.distribution.raters + 2)
    return float(score)


def statement_result(
    statement_id: str,
    title: str,
    version: int,
    ratings_by_group: Mapping[str | None, Sequence[int]],
    rules: ConsensusRules,
    group_names: Mapping[str | None, str] | None = None,
) -> StatementResult:
    """Judge one statement from its 1-9 ratings keyed by group id (None: no group).

    `group_names` gives the names and the order of groups; groups named there but
    without ratings are included (with no raters) so that reports list every group.
    Groups with ratings but no name are listed after, under their id.
    """
    names: dict[str | None, str] = dict(group_names or {})
    keys: list[str | None] = [k for k in names if k is not None]
    keys += [k for k in ratings_by_group if k is not None and k not in names]
    if ratings_by_group.get(None):
        keys.append(None)
    by_group = {
        k: group_result(
            k, names.get(k, "No group" if k is None else k), ratings_by_group.get(k, ()), rules
        )
        for k in keys
    }
    everyone = [v for values in ratings_by_group.values() for v in values]
    return StatementResult(
        statement_id=statement_id,
        title=title,
        version=version,
        distribution=distribution(everyone),
        median=median(everyone),
        verdict=classify(everyone, rules),
        by_group=by_group,
        group_informed=group_informed(by_group.values()),
        product_score=product_score(by_group.values()),
    )
