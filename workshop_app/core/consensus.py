"""Consensus rules for rating rounds (Delphi-like, 1-9 scale).

The rules are project settings and are written into every report, so they are data:
`ConsensusRules`. The defaults follow common Delphi practice: *consensus in* when at
least 70 % rate 7-9 and fewer than 15 % rate 1-3; *consensus out* the mirror image.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction

from workshop_app.core.cells import fewer_than, suppressed
from workshop_app.core.errors import DomainError
from workshop_app.core.model import RatingScale
from workshop_app.core.scales import (
    DEFAULT_QUESTION,
    HIGH,
    LOW,
    MIDDLE,
    SCALE_POINTS,
    RatingQuestion,
    band_of,
)
from workshop_app.core.shares import percent_down, percent_text


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

# The row of raters (and voters) who joined without choosing a stakeholder group: its own
# row everywhere, never merged into a group, never left out.
NO_GROUP = "No group chosen"


# The 5-point smiley scale children use, mapped onto 1-9 so that both kinds of rating
# can be pooled. 1 and 2 fall in the low band (1-3), 3 in the middle (4-6), 4 and 5 in
# the high band (7-9). An assumption of the method, and the reports say so
# (core.scales.SMILEY_ASSUMPTION). Documented in docs/consensus.md.
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


def judged_with_small_cells(rules: ConsensusRules, min_cell: int) -> ConsensusRules:
    """The rules as applied where small-cell suppression (core.cells) is on: a group whose
    figures are withheld is not judged separately either. Otherwise "consensus in, in every
    group" or a group-informed verdict would tell the room how its few members rated."""
    if min_cell <= rules.min_group_raters:
        return rules
    return replace(rules, min_group_raters=min_cell)


@dataclass(frozen=True, slots=True)
class Distribution:
    """How many raters fall in each band (core.scales.BANDS): what the rules judge."""

    raters: int
    low: int  # 1-3
    middle: int  # 4-6
    high: int  # 7-9

    def shares(self) -> Shares:
        """The three bands as whole percentages of the raters, rounded down (core.shares)."""
        if self.raters == 0:
            return Shares(0, 0, 0, 0)
        low, middle, high = (
            percent_down(c, self.raters) or 0 for c in (self.low, self.middle, self.high)
        )
        return Shares(self.raters, low, middle, high)


@dataclass(frozen=True, slots=True)
class Shares:
    """Whole percentages of raters scoring 1-3, 4-6 and 7-9, rounded down (all 0 when
    nobody rated): 69.5 % rating 7–9 shows as 69 %, never the 70 % a rule asks for."""

    raters: int
    low: int
    middle: int
    high: int

    @property
    def rounded_off(self) -> bool:
        """Rounding down left the three short of 100 (say so beside them)."""
        return self.raters > 0 and self.low + self.middle + self.high < 100


def distribution(values: Iterable[int]) -> Distribution:
    """Count 1-9 ratings into the three bands; DomainError for a value off the scale."""
    counts = {LOW: 0, MIDDLE: 0, HIGH: 0}
    for v in values:
        try:
            counts[band_of(v)] += 1
        except ValueError:
            raise DomainError(f"A rating must be 1 to 9, not {v}.") from None
    return Distribution(sum(counts.values()), counts[LOW], counts[MIDDLE], counts[HIGH])


@dataclass(frozen=True, slots=True)
class RatingCounts:
    """How many gave each point of the 1-9 scale (children's faces already mapped):
    the whole spread of one statement's ratings, as the console lists it ("0 0 1 … 2").

    Not a `Distribution`: that one keeps only the three bands the rules judge, and is
    derived from this (`bands`). The median and quartiles are core's one median and IQR.
    """

    counts: tuple[int, ...] = (0,) * SCALE_POINTS  # counts[0] is for 1, counts[8] for 9

    @property
    def count(self) -> int:
        return sum(self.counts)

    @property
    def values(self) -> list[int]:
        return values_of_counts(self.counts)

    @property
    def median(self) -> float | None:
        return median(self.values)

    @property
    def quartiles(self) -> tuple[float, float] | None:
        return quartiles(self.values)

    @property
    def bands(self) -> Distribution:
        return distribution(self.values)


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


def quartiles(values: Iterable[int]) -> tuple[float, float] | None:
    """The 25th and 75th percentiles (the interquartile range, IQR) of 1-9 ratings.

    Linear interpolation between ranked ratings: the method of R's default (type 7),
    numpy's default and Excel's QUARTILE.INC, so a reader can check it. One rating gives
    (r, r); none gives None."""
    ordered = sorted(values)
    if not ordered:
        return None
    return (_percentile(ordered, 0.25), _percentile(ordered, 0.75))


def _percentile(ordered: Sequence[int], p: float) -> float:
    position = (len(ordered) - 1) * Fraction(p)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return float(ordered[below] + (ordered[above] - ordered[below]) * (position - below))


def values_of_counts(counts: Sequence[int]) -> list[int]:
    """The ratings 1..len(counts) given how many gave each (counts[0] for 1)."""
    return [value for value, c in enumerate(counts, start=1) for _ in range(c)]


def median_text(value: float | None) -> str:
    """ "7", "7.5"; "–" for none. The one way a median is written (console, Word, phone)."""
    return "–" if value is None else f"{value:g}"


def score_text(score: float | None) -> str:
    """The product score to two places ("0.35"); "–" for none."""
    return "–" if score is None else f"{score:.2f}"


def iqr_text(q: tuple[float, float] | None) -> str:
    """ "5–8" (or "6" when both quartiles are equal); "–" for none."""
    if q is None:
        return "–"
    low, high = (f"{v:g}" for v in q)
    return low if low == high else f"{low}–{high}"


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
    enough: bool = False  # at least rules.min_group_raters raters (any row, "no group" too)
    quartiles: tuple[float, float] | None = None

    @property
    def label(self) -> str:
        """ "Consensus in", "Consensus out", "No consensus" or "Too few raters". People who
        chose no group get their verdict too when there are enough of them (they are not a
        group, so they never count in the verdict across groups)."""
        return self.verdict.label if self.enough else TOO_FEW_RATERS

    def shown(self, min_cell: int) -> bool:
        """Whether this row's figures may be shown (core.cells: small-cell suppression)."""
        return not suppressed(self.distribution.raters, min_cell)

    def label_for(self, min_cell: int) -> str:
        """The label as it may be shown: "fewer than 5" for a suppressed row."""
        return self.label if self.shown(min_cell) else fewer_than(min_cell)


@dataclass(frozen=True, slots=True)
class Earlier:
    """How the round before rated the same statement, for "change from the previous
    round"."""

    round_number: int
    version: int  # the version rated then
    distribution: Distribution
    median: float | None


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
    quartiles: tuple[float, float] | None = None  # overall IQR
    statement: str = ""  # the wording rated (of `version`)
    child_wording: str = ""  # what children rated instead ("" when none rated it or none)
    earlier: Earlier | None = None  # the previous round that rated it, if any

    def change_text(self) -> str:
        """Change from the previous round: "Round 1: median 5 → 7; 7–9 40% → 75%"; "First
        rated in this round" when none rated it before. Shares rounded down (core.shares)."""
        e = self.earlier
        if e is None:
            return "First rated in this round"
        before = e.distribution
        now = self.distribution
        median_before = median_text(e.median)
        median_now = median_text(self.median)
        reworded = f" (version {e.version} then)" if e.version != self.version else ""
        return (
            f"Round {e.round_number}{reworded}: median {median_before} → {median_now}; "
            f"7–9 {percent_text(before.high, before.raters)} → "
            f"{percent_text(now.high, now.raters)}"
        )

    @property
    def judged_groups(self) -> tuple[GroupResult, ...]:
        return tuple(g for g in self.by_group.values() if g.judged)

    def across_groups(self, min_cell: int = 1) -> str:
        """The verdict across groups in words that say which way each group went.

        "Consensus in, in every group (3)"; "No consensus in any group (2)"; "Groups
        differ: 1 consensus out, 2 no consensus" (never "In every group: no consensus"
        when one group reached consensus out). Groups withheld by small-cell suppression
        are counted, never described."""
        judged = self.judged_groups
        if not judged:
            return "No group had enough raters to be judged"
        shown = [g for g in judged if g.shown(min_cell)]
        withheld = len(judged) - len(shown)
        tail = (
            f"; {withheld} group{'s' if withheld > 1 else ''} with {fewer_than(min_cell)} "
            "raters not shown"
            if withheld
            else ""
        )
        if not shown:
            return f"Every group judged has {fewer_than(min_cell)} raters: not shown"
        every = "every group shown" if withheld else "every group"
        verdicts = [g.verdict for g in shown]
        if len(set(verdicts)) == 1:
            v = verdicts[0]
            if v is Verdict.NONE:
                return (
                    f"No consensus in any group{' shown' if withheld else ''} ({len(shown)}){tail}"
                )
            return f"{v.label}, in {every} ({len(shown)}){tail}"
        parts = [f"{verdicts.count(v)} {v.label.lower()}" for v in Verdict if verdicts.count(v)]
        return f"Groups differ: {', '.join(parts)}{tail}"


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
    question: RatingQuestion = DEFAULT_QUESTION  # what was asked: its words in core.scales
    min_cell: int = 1  # small-cell suppression (core.cells): the project's setting


def group_result(
    group_id: str | None, name: str, values: Sequence[int], rules: ConsensusRules
) -> GroupResult:
    d = distribution(values)
    enough = d.raters >= rules.min_group_raters
    return GroupResult(
        group_id=group_id,
        name=name,
        distribution=d,
        median=median(values),
        verdict=classify(values, rules),
        judged=group_id is not None and enough,
        enough=enough,
        quartiles=quartiles(values),
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
            k, names.get(k, NO_GROUP if k is None else k), ratings_by_group.get(k, ()), rules
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
        quartiles=quartiles(everyone),
    )
