"""Shares are rounded down everywhere (core/shares.py): 69.5 % is never the 70 % a rule asks."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.shares import count_and_percent, percent_down, percent_text, share_text


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [(139, 200, "69%"), (2, 3, "66%"), (1, 3, "33%"), (3, 3, "100%"), (0, 7, "0%"), (1, 0, "–")],
)
def test_percentages_are_rounded_down(part: int, whole: int, text: str) -> None:
    assert percent_text(part, whole) == text


def test_a_share_already_divided_is_rounded_down_too() -> None:
    assert share_text(0.695) == "69%"
    assert share_text(0.9999) == "99%"
    assert share_text(None) == ""


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_a_rounded_share_never_claims_more_than_the_counts(part: int, whole: int) -> None:
    value = percent_down(part, whole)
    assert value is not None
    assert value * whole <= part * 100 < (value + 1) * whole


@given(st.lists(st.integers(0, 50), min_size=1, max_size=5).filter(lambda c: sum(c) > 0))
def test_a_rows_shares_never_add_up_to_more_than_100(counts: list[int]) -> None:
    total = sum(counts)
    shares = [percent_down(c, total) or 0 for c in counts]
    assert 100 - len(counts) < sum(shares) <= 100


def test_the_documents_percentages_are_rounded_down() -> None:
    # moved from tests/export/test_docx_common.py: the Word documents call percent_text
    assert percent_text(7, 10) == "70%" and percent_text(2, 3) == "66%"
    assert percent_text(0, 0) == "–"
    assert percent_text(699, 1000) == "69%", "never rounded up to a threshold it missed"


def test_a_share_computed_in_binary_is_not_pushed_down_a_whole_point() -> None:
    # 29/100 is stored as 0.28999…: flooring it read 28% in the carry dialog
    assert 0.29 * 100 < 29
    assert share_text(0.29) == "29%" and share_text(57 / 100) == "57%"
    assert share_text(Fraction(29, 100)) == "29%" and share_text(Fraction(2, 3)) == "66%"


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_a_share_already_divided_reads_as_its_counts_do(part: int, whole: int) -> None:
    assert share_text(part / whole) == percent_text(part, whole)
    assert share_text(Fraction(part, whole)) == percent_text(part, whole)


def test_a_count_is_shown_with_its_share() -> None:
    assert count_and_percent(7, 12) == "7 (58%)"
    assert count_and_percent(139, 200) == "139 (69%)"
    assert count_and_percent(0, 0) == "0 (–)"
