from __future__ import annotations

import pytest

from workshop_app.core.errors import DomainError
from workshop_app.core.voting import check_allocation, default_budget


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
