"""Ranking with ties, the one rule every screen and document uses (STYLE habit 13).

Standard competition ranking ("1224"): equal totals share the better rank and the next
rank skips, so two items tied for first are both 1st and the next is 3rd. Items come best
first; ties keep the order the caller gave (e.g. by name), which only decides the listing,
never the rank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


def competition_ranks(totals: Sequence[float]) -> list[int]:
    """Ranks of totals already sorted best first (highest first): equal totals share the
    better rank."""
    ranks: list[int] = []
    for i, total in enumerate(totals):
        if i and total > totals[i - 1]:
            raise ValueError("totals must be sorted best first")
        ranks.append(ranks[-1] if i and total == totals[i - 1] else i + 1)
    return ranks


def ranked(items: Iterable[T], total: Callable[[T], float]) -> list[tuple[int, T]]:
    """(rank, item) pairs, best first; ties keep the items' given order."""
    ordered = sorted(items, key=lambda item: -total(item))  # sorted() is stable
    return list(zip(competition_ranks([total(i) for i in ordered]), ordered, strict=True))
