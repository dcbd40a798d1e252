"""The phone pages' words that depend on numbers (web/words.py)."""

from __future__ import annotations

import pytest

from workshop_app.web.words import ordinal, place


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ],
)
def test_ordinals_read_as_spoken(n: int, expected: str) -> None:
    assert ordinal(n) == expected


def test_a_shared_place_says_joint() -> None:
    assert place(1, joint=True) == "Joint 1st"
    assert place(3, joint=False) == "3rd"
