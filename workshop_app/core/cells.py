"""Small-cell suppression, the one rule for every screen, document and export.

A figure about a stakeholder group from fewer than N raters or voters (a project setting,
`min_cell_size`, default 5) is never shown: in its place each view writes "fewer than N".
Three children in a room are identifiable, and their share rating 7–9 or their dots tell
everyone present what each of them chose. Zero is shown as zero: nobody to identify.

Overall figures (every rater or voter together) are not suppressed; a group's own figures
are. The verdict across groups (core/consensus.py) is an aggregate and stays.
"""

from __future__ import annotations

DEFAULT_MIN_CELL = 5


def suppressed(n: int, min_cell: int) -> bool:
    """Whether a group's figures from `n` people are withheld (1 ≤ n < min_cell)."""
    return 0 < n < min_cell


def fewer_than(min_cell: int) -> str:
    """What is shown instead: "fewer than 5"."""
    return f"fewer than {min_cell}"


def count_text(n: int, min_cell: int) -> str:
    """A group's number of people as it may be shown: "12", "0" or "fewer than 5"."""
    return fewer_than(min_cell) if suppressed(n, min_cell) else str(n)


def method_text(min_cell: int) -> str:
    """The sentence reports' methods give."""
    if min_cell <= 1:
        return (
            "Small-cell suppression was switched off for this project (the smallest group "
            "shown separately is 1), so figures for very small groups are shown."
        )
    return (
        f"Small-cell suppression: figures for a stakeholder group (or for people who chose "
        f"no group) that come from fewer than {min_cell} raters or voters are not shown; "
        f"“{fewer_than(min_cell)}” stands in their place, so that nobody in a small group "
        f"can be identified by their answers. They still count in the overall figures. "
        f"The smallest group shown separately is a project setting ({min_cell} here)."
    )
