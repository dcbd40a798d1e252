"""Small-cell suppression: one rule for every screen, document and export."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.cells import count_text, method_text, suppressed


@pytest.mark.parametrize(
    ("n", "min_cell", "shown"),
    [(0, 5, "0"), (1, 5, "fewer than 5"), (4, 5, "fewer than 5"), (5, 5, "5"), (3, 1, "3")],
)
def test_a_group_of_fewer_than_n_is_shown_as_fewer_than_n(
    n: int, min_cell: int, shown: str
) -> None:
    assert count_text(n, min_cell) == shown


@given(st.integers(0, 500), st.integers(1, 50))
def test_a_figure_is_withheld_exactly_when_1_to_n_minus_1_people_gave_it(n: int, m: int) -> None:
    assert suppressed(n, m) == (1 <= n < m)
    assert (count_text(n, m) == str(n)) != suppressed(n, m)


def test_the_methods_state_n() -> None:
    assert "fewer than 7" in method_text(7)
    assert "switched off" in method_text(1)
