from __future__ import annotations

import pytest

from workshop_app.core.errors import DomainError
from workshop_app.core.model import ActivityKind, ActivitySettings, RatingScale, VoteTarget
from workshop_app.core.scales import RatingQuestion
from workshop_app.core.validate import check_activity_settings, clean_text


@pytest.mark.parametrize(
    ("value", "required", "expected"),
    [("  Hello  ", True, "Hello"), ("", False, ""), ("a\nb", True, "a\nb")],
)
def test_clean_text_trims(value: str, required: bool, expected: str) -> None:
    assert clean_text(value, "The title", 10, required=required) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [("   ", "cannot be empty"), ("x" * 11, "limit is 10"), ("a\x00b", "cannot be stored")],
)
def test_clean_text_refuses(value: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        clean_text(value, "The title", 10, required=True)


def test_settings_that_do_not_apply_to_a_kind_are_dropped() -> None:
    s = ActivitySettings(timer_seconds=60, vote_budget=3, per_item_cap=2, scale=RatingScale.SMILEY)
    assert check_activity_settings(ActivityKind.BRAINSTORM, s) == ActivitySettings(60)
    assert check_activity_settings(ActivityKind.RATE, s) == ActivitySettings(
        60, scale=RatingScale.SMILEY, question=RatingQuestion.IMPORTANCE
    )
    vote = check_activity_settings(ActivityKind.VOTE, s)
    assert (vote.vote_budget, vote.per_item_cap, vote.scale, vote.vote_on) == (
        3,
        2,
        None,
        VoteTarget.THEMES,
    )


@pytest.mark.parametrize(
    ("kind", "settings", "message"),
    [
        (ActivityKind.INFO, ActivitySettings(timer_seconds=0), "timer"),
        (ActivityKind.INFO, ActivitySettings(timer_seconds=4 * 3600 + 1), "timer"),
        (ActivityKind.VOTE, ActivitySettings(vote_budget=0), "budget"),
        (ActivityKind.VOTE, ActivitySettings(per_item_cap=51), "per-item cap"),
        (ActivityKind.VOTE, ActivitySettings(vote_budget=2, per_item_cap=3), "larger than"),
    ],
)
def test_bad_activity_settings_are_refused(
    kind: ActivityKind, settings: ActivitySettings, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        check_activity_settings(kind, settings)
