from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.consensus import (
    SMILEY_TO_NINE,
    ConsensusRules,
    Verdict,
    classify,
    distribution,
    to_nine_point,
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
