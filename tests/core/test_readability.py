"""Wording checks (core/readability.py): syllables, sentences, the Flesch–Kincaid reading
age and the advice shown while a question is written, against values worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.readability import (
    OLDEST_AGE,
    YOUNGEST_AGE,
    advice,
    check_wording,
    sentences_of,
    summary,
    syllables,
)


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("cat", 1),
        ("the", 1),
        ("safe", 1),
        ("jumped", 1),
        ("wanted", 2),
        ("little", 2),
        ("happy", 2),
        ("today", 2),
        ("people", 2),
        ("questions", 2),
        ("everyone", 3),
        ("facilitator", 5),
        ("responsibility", 6),
        ("don't", 1),
    ],
)
def test_syllables_are_counted_by_rule(word: str, count: int) -> None:
    assert syllables(word) == count


def test_sentences_end_at_stops_question_marks_and_line_breaks() -> None:
    assert sentences_of("Did you like it? Tell us why!\nThanks") == [
        "Did you like it",
        "Tell us why",
        "Thanks",
    ]


def test_a_short_plain_sentence_reads_at_the_youngest_age() -> None:
    # 6 words, 6 syllables, 1 sentence: 0.39*6 + 11.8*1 - 15.59 = -1.45
    check = check_wording("The cat sat on the mat.")
    assert (check.words, check.syllables, check.sentences) == (6, 6, 1)
    assert check.grade == pytest.approx(-1.45)
    assert check.reading_age == YOUNGEST_AGE
    assert advice(check) == ["Reading age about 5."]


def test_a_question_for_young_people_reads_at_about_ten() -> None:
    # 11 words, 15 syllables: 0.39*11 + 11.8*15/11 - 15.59 = 4.79 -> age 10
    check = check_wording("Did you feel safe and listened to during the workshop today?")
    assert check.grade == pytest.approx(0.39 * 11 + 11.8 * 15 / 11 - 15.59)
    assert check.reading_age == 10
    assert summary("Did you feel safe and listened to during the workshop today?") == (
        "Reading age about 10."
    )


def test_a_long_sentence_and_long_words_are_named_in_plain_words() -> None:
    text = (
        "To what extent do you consider that the facilitators demonstrated appropriate "
        "responsiveness to the contributions of participants throughout the duration of "
        "the consultation process?"
    )
    check = check_wording(text)
    assert check.longest_sentence == 24 and check.long_sentences == 1
    assert check.reading_age == OLDEST_AGE + 1
    assert advice(check) == [
        "Reading age over 18: written for adults.",
        "One sentence has 24 words — try under 15.",
        "Long words: “facilitators”, “demonstrated”, “responsiveness” and 3 more — is there "
        "a shorter word?",
    ]


def test_several_long_sentences_are_counted() -> None:
    one = " ".join(["we"] * 16) + ". "
    assert advice(check_wording(one * 2))[1] == (
        "2 sentences have 15 words or more (the longest 16) — try under 15."
    )


def test_text_without_words_gives_no_advice() -> None:
    assert check_wording("  ?! 42").reading_age is None
    assert summary("") == ""


@given(st.text(max_size=300))
def test_any_text_gets_a_reading_age_in_range_or_none(text: str) -> None:
    age = check_wording(text).reading_age
    assert age is None or YOUNGEST_AGE <= age <= OLDEST_AGE + 1
