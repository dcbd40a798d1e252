"""The survey's rules (core/survey.py): questions, answers a phone may send, findings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.survey import (
    AGREE_WORDS,
    CHILD_AGREE_WORDS,
    SMILEY_WORDS,
    QuestionFields,
    QuestionKind,
    SurveyQuestion,
    check_answers,
    choices,
    clean_question,
    cleared,
    main_finding,
    tally,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def question(
    kind: QuestionKind, qid: str = "q1", options: tuple[str, ...] = (), required: bool = False
) -> SurveyQuestion:
    return SurveyQuestion(qid, "a1", 1, kind, "How was it?", "", options, required, "", NOW, NOW)


def test_a_question_is_trimmed_and_its_spaces_collapsed() -> None:
    f = clean_question(QuestionFields(QuestionKind.YES_NO, "  Did   you\nlike it? ", " Fun? "))
    assert (f.text, f.child_text) == ("Did you like it?", "Fun?")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (QuestionFields(QuestionKind.SMILEY, "   "), "The question cannot be empty."),
        (QuestionFields(QuestionKind.CHOICE, "Which?", options=("Only one",)), "needs 2 to 8"),
        (QuestionFields(QuestionKind.CHOICE, "Which?", options=("A", "a")), "are the same"),
        (QuestionFields(QuestionKind.CHOICE, "Which?", options=tuple("ABCDEFGHI")), "has 9"),
        (QuestionFields(QuestionKind.YES_NO, "Yes?", options=("A", "B")), "Only choose-one"),
        (QuestionFields(QuestionKind.TEXT, "x" * 301), "the limit is 300"),
    ],
)
def test_a_broken_question_is_refused_in_plain_words(fields: QuestionFields, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        clean_question(fields)


def test_each_kind_offers_its_answers_and_children_read_their_own_agree_words() -> None:
    assert choices(question(QuestionKind.SMILEY)) == SMILEY_WORDS
    assert choices(question(QuestionKind.AGREE)) == AGREE_WORDS
    assert choices(question(QuestionKind.AGREE), child=True) == CHILD_AGREE_WORDS
    assert choices(question(QuestionKind.YES_NO)) == ("Yes", "No")
    assert choices(question(QuestionKind.CHOICE, options=("Art", "Music"))) == ("Art", "Music")
    assert choices(question(QuestionKind.TEXT)) == ()


def test_answers_are_checked_as_a_whole() -> None:
    qs = [
        question(QuestionKind.SMILEY, "s", required=True),
        question(QuestionKind.TEXT, "t"),
        question(QuestionKind.YES_NO, "y"),
    ]
    assert check_answers(qs, {"s": "5", "t": "  More games\r\n ", "y": ""}) == {
        "s": 5,
        "t": "More games",
    }
    with pytest.raises(DomainError, match="Question 1 needs an answer"):
        check_answers(qs, {"t": "hi"})
    with pytest.raises(DomainError, match="Question 1: choose one of the 5 answers"):
        check_answers(qs, {"s": 6})
    with pytest.raises(DomainError, match="Question 3: choose one of the 2"):
        check_answers(qs, {"s": 1, "y": True})
    with pytest.raises(DomainError, match="Question 2: the answer must be text"):
        check_answers(qs, {"s": 1, "t": 3})
    with pytest.raises(NotFoundError, match="reload the page"):
        check_answers(qs, {"s": 1, "gone": 1})
    with pytest.raises(DomainError, match="mapping"):
        check_answers(qs, ["s", 1])
    assert cleared(qs, {"s": 1, "t": " "}) == {"t"}


@pytest.mark.parametrize(
    ("kind", "values", "options", "finding"),
    [
        (
            QuestionKind.SMILEY,
            [5, 4, 4, 2],
            (),
            "Most of you were happy: 3 out of 4 of you chose a happy face.",
        ),
        (
            QuestionKind.SMILEY,
            [1, 2, 3],
            (),
            "Most of you were not happy: 2 out of 3 of you chose an unhappy face.",
        ),
        (
            QuestionKind.SMILEY,
            [1, 5, 3, 3],
            (),
            "You had mixed feelings: 1 chose a happy face, 1 an unhappy face and 2 the face in "
            "the middle.",
        ),
        (QuestionKind.AGREE, [4, 5, 1], (), "Most of you agreed: 2 out of 3 of you."),
        (QuestionKind.AGREE, [1, 1, 5], (), "Most of you did not agree: 2 out of 3 of you."),
        (
            QuestionKind.AGREE,
            [1, 5, 3],
            (),
            "You did not all think the same: 1 agreed, 1 did not agree and 1 were not sure.",
        ),
        (QuestionKind.YES_NO, [1, 1, 2], (), "Most of you said yes: 2 out of 3 of you."),
        (QuestionKind.YES_NO, [2, 2, 1], (), "Most of you said no: 2 out of 3 of you."),
        (QuestionKind.YES_NO, [1, 2], (), "Half of you said yes and half said no (1 each)."),
        (
            QuestionKind.CHOICE,
            [2, 2, 1],
            ("Art", "Games"),
            "The answer chosen most was “Games”: 2 out of 3 of you.",
        ),
        (
            QuestionKind.CHOICE,
            [1, 2, 3, 3, 1],
            ("Art", "Games", "Music"),
            "“Art” and “Music” were chosen most, by 2 of you each (5 answered).",
        ),
        (QuestionKind.SMILEY, [], (), "Nobody answered this question."),
    ],
)
def test_the_main_finding_is_computed_from_the_counts(
    kind: QuestionKind, values: list[int], options: tuple[str, ...], finding: str
) -> None:
    q = question(kind, options=options)
    assert main_finding(q, tally(q, values)) == finding


def test_a_free_text_finding_counts_the_answers() -> None:
    q = question(QuestionKind.TEXT)
    assert main_finding(q, 0) == "Nobody wrote an answer to this question."
    assert main_finding(q, 1) == "1 person wrote an answer in their own words."
    assert main_finding(q, 7) == "7 people wrote an answer in their own words."


@given(st.lists(st.integers(1, 5), max_size=60))
def test_a_tally_counts_every_answer_once_and_its_shares_never_exceed_100(
    values: list[int],
) -> None:
    q = question(QuestionKind.SMILEY)
    t = tally(q, values)
    assert t.answered == len(values)
    shares = [t.share(i) for i in range(5)]
    if values:
        assert sum(s for s in shares if s is not None) <= 100
    assert main_finding(q, t)


_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.text(max_size=20),
    st.floats(),
    st.lists(st.integers()),
)


@given(st.dictionaries(st.sampled_from(["s", "c", "t", "zzz", ""]), _ANY, max_size=5))
def test_whatever_a_phone_sends_is_answered_cleanly_or_refused_in_words(
    raw: dict[str, object],
) -> None:
    qs = [
        question(QuestionKind.SMILEY, "s", required=True),
        question(QuestionKind.CHOICE, "c", options=("A", "B", "C")),
        question(QuestionKind.TEXT, "t"),
    ]
    try:
        clean = check_answers(qs, raw)
    except DomainError as exc:
        clean = {}
        refusal = str(exc)
    else:
        refusal = ""
    if refusal or not clean:
        assert refusal  # a refusal always says why
        return
    assert set(clean) <= {"s", "c", "t"} and "s" in clean
    assert isinstance(clean["s"], int) and 1 <= clean["s"] <= 5
    if "c" in clean:
        assert isinstance(clean["c"], int) and 1 <= clean["c"] <= 3
    if "t" in clean:
        assert isinstance(clean["t"], str) and 0 < len(clean["t"]) <= 500
