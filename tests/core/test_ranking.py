"""One ranking rule with ties (core/ranking.py): 1, 1, 3 — never 1, 2, 3 for equals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.ranking import competition_ranks, ranked


@pytest.mark.parametrize(
    ("totals", "ranks"),
    [
        ([], []),
        ([5], [1]),
        ([5, 5, 5], [1, 1, 1]),
        ([9, 7, 7, 4], [1, 2, 2, 4]),
        ([3, 3, 1, 1, 0], [1, 1, 3, 3, 5]),
    ],
)
def test_equal_totals_share_the_better_rank_and_the_next_skips(
    totals: list[int], ranks: list[int]
) -> None:
    assert competition_ranks(totals) == ranks


def test_totals_out_of_order_are_a_bug_in_the_caller() -> None:
    with pytest.raises(ValueError, match="best first"):
        competition_ranks([1, 2])


def test_ranked_sorts_best_first_and_keeps_the_given_order_among_ties() -> None:
    items = [("b", 2), ("a", 5), ("c", 2), ("d", 5)]
    assert ranked(items, lambda i: i[1]) == [
        (1, ("a", 5)),
        (1, ("d", 5)),
        (3, ("b", 2)),
        (3, ("c", 2)),
    ]


@given(st.lists(st.integers(0, 20), max_size=40))
def test_a_rank_is_one_more_than_the_number_of_better_totals(totals: list[int]) -> None:
    pairs = ranked(totals, float)
    for rank, total in pairs:
        assert rank == 1 + sum(1 for t in totals if t > total)
    assert [t for _, t in pairs] == sorted(totals, reverse=True)
