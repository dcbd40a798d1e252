"""Project settings, each declared once: key, type, default, description, check.

Storage keeps them as a key -> JSON value table; this module turns that mapping into a
checked `ProjectSettings` and back. Unknown keys (from a newer version) are preserved by
storage and ignored here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from workshop_app.core.cells import DEFAULT_MIN_CELL
from workshop_app.core.consensus import ConsensusRules
from workshop_app.core.errors import DomainError
from workshop_app.core.model import ModerationMode

DEFAULT_SUPPORT_INFO = (
    "If anything today worries or upsets you, you can talk to one of the facilitators "
    "at any time, or ask for a private chat with the button on this page.\n\n"
    "Childline (for anyone under 19): call 0800 1111 or visit childline.org.uk - free, "
    "confidential, any time.\n"
    "NSPCC helpline (for adults worried about a child): call 0808 800 5000.\n"
    "CEOP (report online sexual abuse or grooming): ceop.police.uk\n"
    "In an emergency call 999."
)


@dataclass(frozen=True, slots=True)
class SettingSpec:
    key: str
    type: type
    default: Any
    label: str
    description: str
    check: Callable[[Any], str | None] = lambda _v: None  # returns a problem or None


def _percent(v: Any) -> str | None:
    return None if 0 <= v <= 100 else "must be between 0 and 100"


def _positive(v: Any) -> str | None:
    return None if v >= 1 else "must be at least 1"


def _months(v: Any) -> str | None:
    return None if 1 <= v <= 120 else "must be between 1 and 120"


def _short_text(limit: int) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if len(v) <= limit else f"must be at most {limit} characters"

    return check


def _moderation(v: Any) -> str | None:
    allowed = [m.value for m in ModerationMode]
    return None if v in allowed else f"must be one of {', '.join(allowed)}"


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "support_info",
        str,
        DEFAULT_SUPPORT_INFO,
        "Support information",
        "Shown to participants behind the 'Need help?' link on every page: local "
        "services and national helplines.",
        _short_text(4000),
    ),
    SettingSpec(
        "moderation_default",
        str,
        ModerationMode.SHOW_AT_ONCE.value,
        "Moderation for adult sessions",
        "Whether notes from adult sessions appear at once or wait for approval. "
        "Sessions with children always start in 'approve first'.",
        _moderation,
    ),
    SettingSpec(
        "consensus_agree_min_percent",
        int,
        70,
        "Consensus: agreement threshold (%)",
        "Share of raters scoring 7-9 needed for 'consensus in'.",
        _percent,
    ),
    SettingSpec(
        "consensus_disagree_max_percent",
        int,
        15,
        "Consensus: disagreement ceiling (%)",
        "Share of raters scoring 1-3 must stay below this for 'consensus in'.",
        _percent,
    ),
    SettingSpec(
        "consensus_min_group_raters",
        int,
        3,
        "Consensus: smallest group judged",
        "Stakeholder groups with fewer raters are reported but not judged separately.",
        _positive,
    ),
    SettingSpec(
        "min_cell_size",
        int,
        DEFAULT_MIN_CELL,
        "Smallest group shown separately",
        "A stakeholder group's figures from fewer raters or voters than this are shown as "
        "'fewer than N' on screen, in documents and in data exports, so that nobody in a "
        "small group (three children, say) can be identified by their answers.",
        _positive,
    ),
    SettingSpec(
        "framework_review_months",
        int,
        12,
        "Framework review interval (months)",
        "The standards framework gives a review date this many months after the last "
        "consensus round (or after it was written, before any round).",
        _positive,
    ),
    SettingSpec(
        "participant_cap",
        int,
        150,
        "Most people in one session",
        "Phones beyond this many are turned away with a message (a guard against one "
        "device joining again and again). Raise it for a bigger room.",
        _positive,
    ),
    SettingSpec(
        "vote_budget_cap",
        int,
        10,
        "Largest default dot-vote budget",
        "The default budget is the number of items divided by three, capped at this.",
        _positive,
    ),
    SettingSpec(
        "retention_months",
        int,
        12,
        "Keep the project for (months)",
        "How many months after the last session the project file is kept before it "
        "should be deleted securely (File > Delete project securely). Reminders start "
        "30 days before.",
        _months,
    ),
)

SPEC_BY_KEY: dict[str, SettingSpec] = {s.key: s for s in SPECS}


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    support_info: str = DEFAULT_SUPPORT_INFO
    moderation_default: str = ModerationMode.SHOW_AT_ONCE.value
    consensus_agree_min_percent: int = 70
    consensus_disagree_max_percent: int = 15
    consensus_min_group_raters: int = 3
    min_cell_size: int = DEFAULT_MIN_CELL
    framework_review_months: int = 12
    vote_budget_cap: int = 10
    participant_cap: int = 150
    retention_months: int = 12

    @property
    def consensus_rules(self) -> ConsensusRules:
        return ConsensusRules(
            agree_min_percent=self.consensus_agree_min_percent,
            disagree_max_percent=self.consensus_disagree_max_percent,
            min_group_raters=self.consensus_min_group_raters,
        )

    @property
    def moderation(self) -> ModerationMode:
        return ModerationMode(self.moderation_default)

    def with_changes(self, **changes: Any) -> ProjectSettings:
        """A checked copy; raises DomainError naming the first bad setting."""
        for key, value in changes.items():
            check_setting(key, value)
        return settings_from_mapping({**self.as_mapping(), **changes})

    def as_mapping(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def check_setting(key: str, value: Any) -> Any:
    """Return `value` if it is valid for `key`, else raise DomainError."""
    spec = SPEC_BY_KEY.get(key)
    if spec is None:
        raise DomainError(f"There is no setting called {key!r}.")
    if spec.type is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise DomainError(f"{spec.label} must be a whole number.")
    if spec.type is str and not isinstance(value, str):
        raise DomainError(f"{spec.label} must be text.")
    problem = spec.check(value)
    if problem:
        raise DomainError(f"{spec.label} {problem}.")
    return value


def settings_from_mapping(values: Mapping[str, Any]) -> ProjectSettings:
    """Known keys are checked; missing ones take their default; unknown are ignored."""
    checked = {k: check_setting(k, v) for k, v in values.items() if k in SPEC_BY_KEY}
    result = replace(ProjectSettings(), **checked)
    result.consensus_rules.validate()
    return result
