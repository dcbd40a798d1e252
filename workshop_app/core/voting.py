"""Dot-vote rules: the default budget and whether an allocation fits it."""

from __future__ import annotations

from collections.abc import Mapping

from workshop_app.core.errors import DomainError
from workshop_app.core.model import ActivitySettings, ActivityState


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
    )
