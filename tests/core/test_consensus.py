from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.consensus import (
    SMILEY_TO_NINE,
    TOO_FEW_RATERS,
    ConsensusRules,
    Distribution,
    Earlier,
    RatingCounts,
    Verdict,
    classify,
    distribution,
    group_informed,
    group_result,
    median,
    product_score,
    quartiles,
    statement_result,
    to_nine_point,
    values_of_counts,
)
from workshop_app.core.errors import DomainError
from workshop_app.core.model import RatingScale

RULES = ConsensusRules()


def ratings(high: int = 0, middle: int = 0, low: int = 0) -> list[int]:
    return [8] * high + [5] * middle + [2] * low


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # exactly 70 % agree and 10 % disagree: in (the threshold is inclusive)
        (ratings(high=7, middle=2, low=1), Verdict.IN),
        # 69 % agree: not in
        (ratings(high=69, middle=31), Verdict.NONE),
        # 70 % agree but exactly 15 % disagree: the ceiling is strict, so not in
        (ratings(high=14, middle=3, low=3), Verdict.NONE),
        # 70 % agree, 14.3 % disagree (1 of 7): in
        (ratings(high=70, middle=16, low=14), Verdict.IN),
        # mirror image: exactly 70 % disagree, 10 % agree: out
        (ratings(low=7, middle=2, high=1), Verdict.OUT),
        (ratings(low=14, middle=3, high=3), Verdict.NONE),
        (ratings(high=10), Verdict.IN),
        (ratings(low=10), Verdict.OUT),
        (ratings(middle=10), Verdict.NONE),
        ([], Verdict.NONE),
        ([7, 8, 9, 1, 5, 6, 4, 8, 9, 9], Verdict.NONE),  # 60 % agree
        ([7, 7, 7, 7, 7, 7, 7, 4, 4, 4], Verdict.IN),  # band edges: 7 counts as agree
        ([3, 3, 3, 3, 3, 3, 3, 4, 6, 6], Verdict.OUT),  # 3 counts as disagree
    ],
)
def test_classify_follows_the_default_rules(values: list[int], expected: Verdict) -> None:
    assert classify(values, RULES) is expected


def test_custom_thresholds_change_the_verdict() -> None:
    values = ratings(high=6, middle=4)
    assert classify(values, RULES) is Verdict.NONE
    assert classify(values, ConsensusRules(agree_min_percent=60)) is Verdict.IN


@pytest.mark.parametrize(("raw", "nine"), sorted(SMILEY_TO_NINE.items()))
def test_smiley_ratings_map_onto_the_nine_point_bands(raw: int, nine: int) -> None:
    assert to_nine_point(raw, RatingScale.SMILEY) == nine


def test_smiley_faces_fall_in_the_expected_bands() -> None:
    d = distribution(to_nine_point(r, RatingScale.SMILEY) for r in range(1, 6))
    assert (d.low, d.middle, d.high) == (2, 1, 2)


@pytest.mark.parametrize(
    ("raw", "scale"),
    [
        (0, RatingScale.NINE_POINT),
        (10, RatingScale.NINE_POINT),
        (0, RatingScale.SMILEY),
        (6, RatingScale.SMILEY),
        (-1, RatingScale.SMILEY),
    ],
)
def test_out_of_range_ratings_are_refused(raw: int, scale: RatingScale) -> None:
    with pytest.raises(DomainError):
        to_nine_point(raw, scale)


@pytest.mark.parametrize(
    "rules",
    [
        ConsensusRules(agree_min_percent=101),
        ConsensusRules(disagree_max_percent=-1),
        ConsensusRules(agree_min_percent=50, disagree_max_percent=50),
        ConsensusRules(min_group_raters=0),
    ],
)
def test_inconsistent_rules_are_refused(rules: ConsensusRules) -> None:
    with pytest.raises(DomainError):
        rules.validate()


def test_rules_describe_themselves_with_their_numbers() -> None:
    text = ConsensusRules(agree_min_percent=75, disagree_max_percent=10).describe()
    assert "at least 75%" in text and "fewer than 10%" in text


@given(st.lists(st.integers(min_value=1, max_value=9), max_size=60))
def test_a_set_of_ratings_is_never_both_in_and_out(values: list[int]) -> None:
    verdict = classify(values, RULES)
    d = distribution(values)
    if verdict is Verdict.IN:
        assert d.high * 100 >= 70 * d.raters
    if verdict is Verdict.OUT:
        assert d.low * 100 >= 70 * d.raters
    assert d.low + d.middle + d.high == d.raters == len(values)


# ---------------------------------------------------------------- results by group


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # the edge cases of the issue, as ratings of one group
        (ratings(high=7, middle=2, low=1), Verdict.IN),  # 70 % agree, 10 % disagree
        (ratings(high=7, middle=1, low=2), Verdict.NONE),  # 70 % agree, 20 % disagree
        (ratings(high=14, middle=3, low=3), Verdict.NONE),  # 70 % agree, exactly 15 %
        (ratings(high=14, middle=4, low=2), Verdict.IN),  # 70 % agree, 10 % disagree
        (ratings(high=13, middle=6, low=1), Verdict.NONE),  # 65 % agree
        (ratings(low=7, middle=2, high=1), Verdict.OUT),  # 70 % disagree, 10 % agree
        (ratings(low=14, middle=3, high=3), Verdict.NONE),  # 15 % agree: out needs < 15 %
        ([], Verdict.NONE),
        ([9], Verdict.IN),  # a single rater is 100 % of the raters
        ([1], Verdict.OUT),
        ([5], Verdict.NONE),
    ],
)
def test_a_group_is_judged_by_the_same_rules(values: list[int], expected: Verdict) -> None:
    g = group_result("g1", "Parents", values, RULES)
    assert g.verdict is expected
    assert g.judged == (len(values) >= 3)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([4], 4.0),
        ([9, 1], 5.0),
        ([2, 8, 7], 7.0),
        ([1, 2, 8, 9], 5.0),
        ([7, 8, 8, 9], 8.0),
        ([6, 7], 6.5),
    ],
)
def test_median_of_ratings(values: list[int], expected: float | None) -> None:
    assert median(values) == expected


def test_groups_below_the_minimum_are_reported_but_not_judged() -> None:
    rules = ConsensusRules(min_group_raters=5)
    small = group_result("g1", "Children", [9, 9, 9, 9], rules)
    assert small.verdict is Verdict.IN  # what the ratings say ...
    assert not small.judged  # ... but four raters are too few for this project
    assert small.label == TOO_FEW_RATERS
    enough = group_result("g1", "Children", [9, 9, 9, 9, 9], rules)
    assert enough.judged and enough.label == "Consensus in"


def test_raters_without_a_group_are_never_judged_as_a_group() -> None:
    g = group_result(None, "Not said", [9] * 20, RULES)
    assert not g.judged
    assert group_informed([g]) is Verdict.NONE
    assert product_score([g]) is None


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        # every judged group in: in
        ([("a", 7, 2, 1), ("b", 3, 0, 0)], Verdict.IN),
        # one judged group not in: none, however strong the others
        ([("a", 10, 0, 0), ("b", 10, 0, 0), ("c", 7, 1, 2)], Verdict.NONE),
        # the group that disagrees is below the minimum (2 raters): not counted
        ([("a", 10, 0, 0), ("b", 0, 0, 2)], Verdict.IN),
        # every judged group out: out
        ([("a", 0, 0, 5), ("b", 1, 2, 7)], Verdict.OUT),
        # in one group, out in another: none
        ([("a", 5, 0, 0), ("b", 0, 0, 5)], Verdict.NONE),
        # no group has enough raters: none (there is nothing to judge)
        ([("a", 2, 0, 0), ("b", 2, 0, 0)], Verdict.NONE),
        ([], Verdict.NONE),
    ],
)
def test_the_group_informed_verdict_must_hold_in_every_judged_group(
    groups: list[tuple[str, int, int, int]], expected: Verdict
) -> None:
    results = [
        group_result(gid, gid, ratings(high=h, middle=m, low=lo), RULES) for gid, h, m, lo in groups
    ]
    assert group_informed(results) is expected


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        # (7+1)/(10+2) = 2/3
        ([("a", 7, 2, 1)], 2 / 3),
        # 2/3 x (3+1)/(3+2) = 8/15
        ([("a", 7, 2, 1), ("b", 3, 0, 0)], 8 / 15),
        # the group of 2 is not judged, so it does not count
        ([("a", 7, 2, 1), ("b", 0, 0, 2)], 2 / 3),
        # (0+1)/(5+2) x (5+1)/(5+2) = 6/49
        ([("a", 0, 0, 5), ("b", 5, 0, 0)], 6 / 49),
        ([("a", 2, 0, 0)], None),
    ],
)
def test_the_product_score_multiplies_each_judged_groups_smoothed_agreement(
    groups: list[tuple[str, int, int, int]], expected: float | None
) -> None:
    results = [
        group_result(gid, gid, ratings(high=h, middle=m, low=lo), RULES) for gid, h, m, lo in groups
    ]
    if expected is None:
        assert product_score(results) is None
    else:
        assert product_score(results) == pytest.approx(expected, abs=1e-12)


def test_a_statement_is_judged_overall_by_group_and_across_groups() -> None:
    # The worked example of docs/consensus.md.
    children = [9, 9, 7, 7, 7, 5, 5, 3]  # smileys 5 5 4 4 4 3 3 2, mapped: 5 of 8 agree
    parents = [9, 8, 8, 7, 7, 7, 7, 6, 6, 2]  # 7 of 10 agree, 1 disagrees (10 %)
    practitioners = [8, 8, 8, 9, 9, 7]  # 6 of 6 agree
    no_group = [1, 2]
    result = statement_result(
        "s1",
        "A trusted adult",
        2,
        {"c": children, "p": parents, "x": practitioners, None: no_group, "y": [9, 9]},
        RULES,
        {"p": "Parents", "c": "Children", "x": "Practitioners", "y": "Youth", "z": "Police"},
    )
    assert (result.statement_id, result.title, result.version) == ("s1", "A trusted adult", 2)
    # overall: 28 raters, 20 agree (71.4 %), 4 disagree (14.3 %): in
    assert result.distribution == Distribution(raters=28, low=4, middle=4, high=20)
    assert result.verdict is Verdict.IN
    assert result.median == 7.0  # the 14th and 15th of 28 sorted ratings are both 7
    # the groups in the order given, then nobody's group last; a group nobody from rated
    # ("z") is listed with no raters
    assert list(result.by_group) == ["p", "c", "x", "y", "z", None]
    assert result.by_group["p"].verdict is Verdict.IN and result.by_group["p"].judged
    assert result.by_group["c"].verdict is Verdict.NONE and result.by_group["c"].judged
    assert result.by_group["x"].verdict is Verdict.IN
    assert result.by_group["y"].label == TOO_FEW_RATERS
    assert result.by_group["z"].distribution.raters == 0
    assert result.by_group[None].name == "No group chosen" and not result.by_group[None].judged
    assert [g.group_id for g in result.judged_groups] == ["p", "c", "x"]
    # the children are not convinced, so there is no group-informed consensus
    assert result.group_informed is Verdict.NONE
    # (7+1)/(10+2) x (5+1)/(8+2) x (6+1)/(6+2) = 2/3 x 3/5 x 7/8 = 0.35
    assert result.product_score == pytest.approx(0.35)


def test_a_statement_nobody_rated() -> None:
    result = statement_result("s1", "T", 1, {}, RULES, {"p": "Parents"})
    assert result.distribution == Distribution(0, 0, 0, 0)
    assert result.median is None
    assert result.verdict is Verdict.NONE and result.group_informed is Verdict.NONE
    assert result.product_score is None
    assert result.by_group["p"].label == TOO_FEW_RATERS


def test_a_single_rater() -> None:
    result = statement_result("s1", "T", 1, {"p": [8]}, RULES, {"p": "Parents"})
    assert result.verdict is Verdict.IN  # one of one agrees
    assert result.group_informed is Verdict.NONE  # but no group has enough raters
    assert result.median == 8.0


@pytest.mark.parametrize(
    ("verdict", "words"),
    [
        (Verdict.IN, "Consensus in"),
        (Verdict.OUT, "Consensus out"),
        (Verdict.NONE, "No consensus"),
    ],
)
def test_verdicts_have_words(verdict: Verdict, words: str) -> None:
    assert verdict.label == words


# ---------------------------------------------------------------- issue 13: honest groups


def test_raters_with_no_group_get_their_own_row_and_verdict_when_there_are_enough() -> None:
    result = statement_result("s1", "T", 1, {None: [8, 8, 9, 9]}, RULES, {"p": "Parents"})
    row = result.by_group[None]
    assert row.name == "No group chosen"
    assert row.label == "Consensus in"  # not "Too few raters" whatever their number
    assert not row.judged  # not a group: never in the verdict across groups
    assert result.by_group["p"].label == TOO_FEW_RATERS


@pytest.mark.parametrize(
    ("ratings", "min_cell", "expected"),
    [
        (
            {"p": [1, 1, 2, 2, 1], "c": [5, 5, 5, 8, 8]},
            1,
            "Groups differ: 1 consensus out, 1 no consensus",
        ),
        ({"p": [9] * 5, "c": [8] * 5}, 1, "Consensus in, in every group (2)"),
        ({"p": [1] * 5, "c": [2] * 5}, 1, "Consensus out, in every group (2)"),
        ({"p": [5] * 5, "c": [5] * 5}, 1, "No consensus in any group (2)"),
        (
            {"p": [9] * 5, "c": [9] * 3},
            5,
            "Consensus in, in every group shown (1); 1 group with fewer than 5 raters not shown",
        ),
        ({"p": [9] * 2}, 1, "No group had enough raters to be judged"),
    ],
)
def test_the_verdict_across_groups_says_which_way_each_group_went(
    ratings: dict[str | None, list[int]], min_cell: int, expected: str
) -> None:
    result = statement_result("s1", "T", 1, ratings, RULES, {"p": "Parents", "c": "Children"})
    assert result.across_groups(min_cell) == expected


def test_a_small_groups_verdict_is_withheld() -> None:
    result = statement_result("s1", "T", 1, {"c": [9, 9, 9]}, RULES, {"c": "Children"})
    assert result.by_group["c"].label == "Consensus in"
    assert result.by_group["c"].label_for(5) == "fewer than 5"


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([5], (5.0, 5.0)), ([1, 2, 3, 4], (1.75, 3.25)), ([1, 9, 7, 7, 8], (7.0, 8.0))],
)
def test_quartiles_interpolate_between_ranked_ratings(
    values: list[int], expected: tuple[float, float] | None
) -> None:
    assert quartiles(values) == expected


@given(st.lists(st.integers(1, 9), min_size=1, max_size=60))
def test_quartiles_bracket_the_median_and_match_counts(values: list[int]) -> None:
    q = quartiles(values)
    m = median(values)
    assert q is not None and m is not None
    assert min(values) <= q[0] <= m <= q[1] <= max(values)
    counts = [values.count(v) for v in range(1, 10)]
    assert quartiles(values_of_counts(counts)) == q


def test_change_from_the_previous_round_is_written_out() -> None:
    now = statement_result("s1", "T", 2, {"p": [7, 8, 9, 9]}, RULES)
    assert now.change_text() == "First rated in this round"
    before = [4, 5, 7, 8, 2]
    now = replace(now, earlier=Earlier(1, 1, distribution(before), median(before)))
    assert now.change_text() == "Round 1 (version 1 then): median 5 → 8.5; 7–9 40% → 100%"


@pytest.mark.parametrize(
    ("d", "expected", "short"),
    [
        (Distribution(0, 0, 0, 0), (0, 0, 0), False),
        (Distribution(10, 2, 0, 8), (20, 0, 80), False),
        # thirds: 33.3 each, rounded down, never 34 (the row says it adds up to 99)
        (Distribution(3, 1, 1, 1), (33, 33, 33), True),
        # 14.29 / 28.57 / 57.14: each rounded down, 28.57 is not lifted to 29
        (Distribution(7, 1, 2, 4), (14, 28, 57), True),
        (Distribution(1, 0, 0, 1), (0, 0, 100), False),
        # 69.5 % rating 7-9 never reads as the 70 % a consensus rule asks for
        (Distribution(200, 0, 61, 139), (0, 30, 69), True),
    ],
)
def test_shares_are_whole_percentages_rounded_down(
    d: Distribution, expected: tuple[int, int, int], short: bool
) -> None:
    s = d.shares()
    assert (s.low, s.middle, s.high) == expected
    assert s.raters == d.raters
    assert s.rounded_off is short


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ((0,) * 9, None),
        ((1, 0, 0, 0, 0, 0, 0, 0, 0), 1.0),
        ((0, 0, 0, 0, 0, 0, 0, 0, 3), 9.0),
        ((1, 0, 0, 0, 0, 0, 0, 0, 1), 5.0),
        ((0, 1, 1, 0, 0, 0, 0, 0, 0), 2.5),
        ((0, 0, 2, 0, 0, 0, 1, 0, 0), 3.0),
        ((0, 0, 0, 1, 0, 0, 1, 0, 2), 8.0),
    ],
)
def test_the_median_of_a_spread_of_counts(counts: tuple[int, ...], median: float | None) -> None:
    assert RatingCounts(counts).median == median
