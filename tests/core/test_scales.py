"""One scale per rating activity: the words of importance and agreement, defined once."""

from __future__ import annotations

import pytest

from workshop_app.core.scales import (
    AGREEMENT,
    IMPORTANCE,
    SMILEY_ASSUMPTION,
    RatingQuestion,
    words_for,
)


def test_an_activity_saved_before_the_question_was_a_choice_asked_about_importance() -> None:
    assert words_for(None) is IMPORTANCE


@pytest.mark.parametrize(
    ("question", "hint", "bands", "child_bands"),
    [
        (
            RatingQuestion.IMPORTANCE,
            "1 = not important, 9 = critical.",
            ("1–3 (not important)", "4–6 (important but not critical)", "7–9 (critical)"),
            ("Not important", "In the middle", "Important"),
        ),
        (
            RatingQuestion.AGREEMENT,
            "1 = strongly disagree, 9 = strongly agree.",
            ("1–3 (disagree)", "4–6 (unsure)", "7–9 (agree)"),
            ("Do not agree", "Not sure", "Agree"),
        ),
    ],
)
def test_each_question_has_its_own_words_for_adults_and_children(
    question: RatingQuestion,
    hint: str,
    bands: tuple[str, str, str],
    child_bands: tuple[str, str, str],
) -> None:
    words = words_for(question)
    assert words.hint == hint
    assert words.band_words(child=False) == bands
    assert words.band_words(child=True) == child_bands
    assert len(words.faces) == 5


def test_the_two_questions_never_share_words() -> None:
    """The bug this fixes: a prompt mixing "not important/disagree" with "critical/agree"."""
    importance = " ".join([IMPORTANCE.describe(), IMPORTANCE.child_hint, *IMPORTANCE.faces]).lower()
    agreement = " ".join([AGREEMENT.describe(), AGREEMENT.child_hint, *AGREEMENT.faces]).lower()
    assert "agree" not in importance
    assert "important" not in agreement and "critical" not in agreement


def test_the_smiley_mapping_is_stated_as_an_assumption() -> None:
    assert SMILEY_ASSUMPTION.startswith("Assumption:")
    assert "not a measurement" in SMILEY_ASSUMPTION
