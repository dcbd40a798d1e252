"""Checks on what facilitators type: titles, prompts, activity settings, group names.

Each check returns the cleaned value or raises DomainError with a message for people.
"""

from __future__ import annotations

from workshop_app.core.errors import DomainError
from workshop_app.core.model import ActivityKind, ActivitySettings, RatingScale, VoteTarget
from workshop_app.core.scales import DEFAULT_QUESTION

TITLE_MAX = 200
PROMPT_MAX = 2000
VENUE_MAX = 200
MAX_TIMER_SECONDS = 4 * 60 * 60
MAX_DOTS = 50


def clean_text(value: str, what: str, limit: int, *, required: bool) -> str:
    """Trim surrounding white space; enforce presence and length."""
    value = value.strip()
    if required and not value:
        raise DomainError(f"{what} cannot be empty.")
    if len(value) > limit:
        raise DomainError(f"{what} is {len(value)} characters long; the limit is {limit}.")
    if "\x00" in value or not storable(value):
        raise DomainError(
            f"{what} contains a character that cannot be stored (often half of an emoji); "
            "please type it again."
        )
    return value


def storable(value: str) -> bool:
    """Whether text can be written as UTF-8: a lone surrogate ("\\ud800" sent in JSON, half
    of an emoji cut by a keyboard) cannot, and SQLite would refuse the whole write."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_activity_settings(kind: ActivityKind, s: ActivitySettings) -> ActivitySettings:
    """Keep only the settings that apply to `kind`, after checking them."""
    timer = s.timer_seconds
    if timer is not None and not 0 < timer <= MAX_TIMER_SECONDS:
        raise DomainError("The timer must be between 1 second and 4 hours (or off).")
    if kind is ActivityKind.VOTE:
        if s.vote_budget is not None and not 1 <= s.vote_budget <= MAX_DOTS:
            raise DomainError(f"The vote budget must be between 1 and {MAX_DOTS} dots.")
        if s.per_item_cap is not None and not 1 <= s.per_item_cap <= MAX_DOTS:
            raise DomainError(f"The per-item cap must be between 1 and {MAX_DOTS} dots.")
        if (
            s.vote_budget is not None
            and s.per_item_cap is not None
            and s.per_item_cap > s.vote_budget
        ):
            raise DomainError("The per-item cap cannot be larger than the budget.")
        return ActivitySettings(
            timer_seconds=timer,
            vote_budget=s.vote_budget,
            per_item_cap=s.per_item_cap,
            vote_on=s.vote_on or VoteTarget.THEMES,
        )
    if kind is ActivityKind.RATE:
        return ActivitySettings(
            timer_seconds=timer,
            scale=s.scale or RatingScale.NINE_POINT,
            feedback_from=s.feedback_from or None,
            consensus_round=s.consensus_round,
            question=s.question or DEFAULT_QUESTION,
        )
    return ActivitySettings(timer_seconds=timer)
