"""The self-assessment rules (core/assessment.py): what an answer may hold, a measure's
value in words, and which statements most services find hard to meet."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.assessment import (
    HARD_MIN_SERVICES,
    AssessStatus,
    MeasureValue,
    clean_actions,
    clean_measures,
    hardest,
    hardness,
)
from workshop_app.core.errors import DomainError
from workshop_app.core.model import Measure, MeasureType

S = AssessStatus
M = Measure(MeasureType.PROCESS, "Seen in time", "seen", "referred")


@pytest.mark.parametrize(
    ("statuses", "assessed", "not_met", "hard"),
    [
        ((S.NOT_MET,), 1, 1, False),  # one service is not "most services"
        ((S.NOT_MET, S.PARTLY_MET), 2, 2, True),
        ((S.NOT_MET, S.MET), 2, 1, False),  # half is not more than half
        ((S.NOT_MET, S.MET, S.PARTLY_MET), 3, 2, True),
        ((S.NOT_MET, S.NOT_APPLICABLE, S.NOT_APPLICABLE), 1, 1, False),
        ((S.NOT_MET, None, S.PARTLY_MET, None), 2, 2, True),  # not settled: not counted
        ((), 0, 0, False),
    ],
)
def test_hard_to_meet_is_more_than_half_of_at_least_two_services(
    statuses: tuple[AssessStatus | None, ...], assessed: int, not_met: int, hard: bool
) -> None:
    h = hardness("s", "A statement", statuses)
    assert (h.assessed, h.not_fully_met, h.hard) == (assessed, not_met, hard)


@given(st.lists(st.sampled_from([*AssessStatus, None]), max_size=30))
def test_hardness_is_judged_on_counts(statuses: list[AssessStatus | None]) -> None:
    h = hardness("s", "t", statuses)
    applicable = [x for x in statuses if x not in (None, S.NOT_APPLICABLE)]
    assert h.assessed == len(applicable)
    assert h.hard == (
        len(applicable) >= HARD_MIN_SERVICES
        and Fraction(h.not_fully_met, max(1, h.assessed)) > Fraction(1, 2)
    )


def test_the_hardest_come_first_by_exact_share_then_by_services() -> None:
    rows = [
        hardness("a", "Alpha", [S.NOT_MET, S.NOT_MET, S.MET]),  # 2/3
        hardness("b", "Beta", [S.NOT_MET, S.NOT_MET]),  # 2/2
        hardness("c", "Gamma", [S.NOT_MET] * 4),  # 4/4: more services than Beta
        hardness("d", "Delta", [S.MET, S.MET]),
    ]
    assert [h.title for h in hardest(rows)] == ["Gamma", "Beta", "Alpha"]


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_a_measure_percentage_is_rounded_down(numerator: int, denominator: int) -> None:
    if numerator > denominator:
        numerator, denominator = denominator, numerator or 1
    value = MeasureValue(numerator, denominator)
    assert value.percent == f"{numerator * 100 // denominator}%"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([{"numerator": "4.5"}], "whole number"),
        ([{"numerator": 3, "denominator": 0}], "denominator of 0"),
        ([{"numerator": 10**8}], "larger than 10,000,000"),
        ([{"period": 7}], "period must be text"),
        ([{"colour": "red"}], "unknown field 'colour'"),
        (["45"], "send its numerator"),
    ],
)
def test_bad_measure_values_are_refused_in_plain_words(raw: object, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        clean_measures(raw, [M])


def test_measure_values_in_words() -> None:
    assert MeasureValue(3, None, "May").text == "3 (no denominator given), May"
    assert MeasureValue(None, 9).text == "out of 9 (no numerator given)"
    assert MeasureValue().text == "" and MeasureValue().percent == ""


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("do it", "must be a list"),
        ([5], "send what, who and by when"),
        ([{"what": "x", "owner": "y"}], "unknown field 'owner'"),
        ([{"what": "x", "by": "31/12/2026"}], "must be a date"),
        ([{"what": "x"}] * 11, "At most 10 actions"),
    ],
)
def test_bad_actions_are_refused(raw: object, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        clean_actions(raw)
