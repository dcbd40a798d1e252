from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.errors import DomainError
from workshop_app.core.voting import (
    check_allocation,
    default_budget,
    equal_weight_ranks,
    equal_weight_scores,
)


@pytest.mark.parametrize(
    ("items", "cap", "budget"),
    [
        (0, 10, 1),
        (1, 10, 1),
        (3, 10, 1),
        (4, 10, 2),
        (9, 10, 3),
        (10, 10, 4),
        (30, 10, 10),
        (31, 10, 10),
        (100, 10, 10),
        (100, 5, 5),
    ],
)
def test_default_budget_is_a_third_of_the_items_capped(items: int, cap: int, budget: int) -> None:
    assert default_budget(items, cap) == budget


@pytest.mark.parametrize(
    ("dots", "budget", "cap", "total"),
    [({}, 3, 2, 0), ({"a": 1, "b": 2}, 3, 2, 3), ({"a": 3}, 3, None, 3), ({"a": 0}, 1, 1, 0)],
)
def test_allocations_within_the_rules_are_accepted(
    dots: dict[str, int], budget: int, cap: int | None, total: int
) -> None:
    assert check_allocation(dots, budget, cap) == total


@pytest.mark.parametrize(
    ("dots", "budget", "cap", "message"),
    [
        ({"a": 2, "b": 2}, 3, 2, "budget is 3"),
        ({"a": 3}, 5, 2, "At most 2"),
        ({"a": -1}, 3, 2, "negative"),
    ],
)
def test_allocations_breaking_the_rules_are_refused(
    dots: dict[str, int], budget: int, cap: int | None, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        check_allocation(dots, budget, cap)


# ---------------------------------------------------------------- equal-weight ranking


def test_every_group_counts_equally_in_the_equal_weight_ranking() -> None:
    # 30 adults put 30 dots on "a"; 6 children put 6 dots on "b": on raw dots "a" wins,
    # with groups counting equally the two tie
    dots = {"a": {"adults": 30}, "b": {"children": 6}, "c": {}}
    scores = equal_weight_scores(dots)
    assert scores == {"a": Fraction(1, 2), "b": Fraction(1, 2), "c": Fraction(0)}
    assert equal_weight_ranks(scores, ["a", "b", "c"]) == {"a": 1, "b": 1, "c": 3}


def test_people_with_no_group_are_not_a_group_in_the_equal_weight_ranking() -> None:
    scores = equal_weight_scores({"a": {None: 50, "p": 1}, "b": {"p": 3}})
    assert scores == {"a": Fraction(1, 4), "b": Fraction(3, 4)}
    assert equal_weight_scores({"a": {None: 5}}) == {}


@given(
    st.dictionaries(
        st.sampled_from("abcde"),
        st.dictionaries(st.sampled_from(["g1", "g2", "g3", None]), st.integers(0, 20)),
        min_size=1,
    )
)
def test_equal_weight_scores_sum_to_one_when_any_group_voted(
    dots: dict[str, dict[str | None, int]],
) -> None:
    scores = equal_weight_scores(dots)
    voted = any(n for by in dots.values() for g, n in by.items() if g is not None)
    assert (sum(scores.values()) == 1) if voted else scores == {}
