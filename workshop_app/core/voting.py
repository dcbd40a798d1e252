"""Dot-vote rules: the default budget and whether an allocation fits it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TypeVar

from workshop_app.core.errors import DomainError
from workshop_app.core.model import ActivitySettings, ActivityState
from workshop_app.core.ranking import ranked
from workshop_app.core.scales import DEFAULT_QUESTION


def default_budget(item_count: int, cap: int = 10) -> int:
    """Number of items divided by three (rounded up), at least 1, at most `cap`."""
    if item_count <= 0:
        return 1
    return max(1, min(cap, -(-item_count // 3)))


def check_allocation(dots_by_item: Mapping[str, int], budget: int, per_item_cap: int | None) -> int:
    """Raise DomainError if a participant's whole allocation breaks the rules.

    Returns the total dots used. Checked on the whole allocation inside the writer's
    transaction, so two racing submissions cannot together exceed the budget.
    """
    total = 0
    for item, dots in dots_by_item.items():
        if dots < 0:
            raise DomainError(f"Dots cannot be negative (item {item}).")
        if per_item_cap is not None and dots > per_item_cap:
            raise DomainError(f"At most {per_item_cap} dots can go on one item.")
        total += dots
    if total > budget:
        raise DomainError(f"That is {total} dots; the budget is {budget}.")
    return total


def rules_locked_reason(state: ActivityState, has_votes: bool) -> str:
    """Why a vote's or rating round's rules can no longer change ("" while they can).

    Once anyone could have voted, changing the budget, the cap, what is voted on or the
    scale would be unfair to those who already have.
    """
    if state is ActivityState.OPEN:
        return (
            "People are voting now, so the rules are fixed: changing them part-way would be "
            "unfair to those who have already voted."
        )
    if state in (ActivityState.CLOSED, ActivityState.REVEALED):
        return (
            "This vote has been held, so its rules are fixed: changing them now would make "
            "the results unfair."
        )
    if has_votes:
        return "Some people have already voted, so the rules are fixed."
    return ""


def same_rules(a: ActivitySettings, b: ActivitySettings) -> bool:
    """Whether two settings agree on everything that decides how votes count."""
    return (a.vote_on, a.vote_budget, a.per_item_cap, a.scale) == (
        b.vote_on,
        b.vote_budget,
        b.per_item_cap,
        b.scale,
    ) and (a.question or DEFAULT_QUESTION) == (b.question or DEFAULT_QUESTION)


# ---------------------------------------------------------------- results by group

G = TypeVar("G")


def group_totals(dots_by_item: Iterable[Mapping[G, int]]) -> dict[G, int]:
    """Every dot each group placed, over all the items of a vote."""
    totals: dict[G, int] = {}
    for by_group in dots_by_item:
        for group, dots in by_group.items():
            totals[group] = totals.get(group, 0) + dots
    return totals


def equal_weight_scores(
    dots_by_item: Mapping[str, Mapping[str | None, int]],
) -> dict[str, Fraction]:
    """Each item's score when every stakeholder group counts equally: the mean, over the
    groups that placed any dots, of the share of that group's own dots the item got.

    A group of 30 adults and a group of 6 children then weigh the same, however many dots
    each had. People who chose no group are not a group and are left out of this score
    (their dots still count in the raw totals). Exact fractions, so ties are true ties.
    Empty when no group placed a dot."""
    totals = {g: n for g, n in group_totals(dots_by_item.values()).items() if g is not None}
    voting = [g for g, n in totals.items() if n > 0]
    if not voting:
        return {}
    return {
        item: sum((Fraction(by_group.get(g, 0), totals[g]) for g in voting), Fraction(0))
        / len(voting)
        for item, by_group in dots_by_item.items()
    }


def equal_weight_ranks(scores: Mapping[str, Fraction], order: Sequence[str]) -> dict[str, int]:
    """Competition ranks (core.ranking) of `scores`; `order` (the items' listing order)
    only breaks ties in the listing, never in the rank."""
    ranks = ranked([i for i in order if i in scores], lambda i: float(scores[i]))
    return {item: rank for rank, item in ranks}


EQUAL_WEIGHT_METHOD = (
    "Equal-weight ranking: for each stakeholder group, the share of that group's own dots "
    "each item received; an item's score is the mean of these shares over the groups that "
    "voted, so every group counts equally however many people or dots it had. People who "
    "chose no group are not a group and are not in this score (their dots are in the raw "
    "totals). Items with equal scores share a rank."
)
