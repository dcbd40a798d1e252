from __future__ import annotations

from typing import Any

import pytest

from workshop_app.core.errors import DomainError
from workshop_app.core.settings import SPECS, ProjectSettings, settings_from_mapping


def test_every_setting_is_declared_once_with_a_label_and_a_description() -> None:
    keys = [s.key for s in SPECS]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(ProjectSettings().as_mapping())
    for spec in SPECS:
        assert spec.label and spec.description
        assert getattr(ProjectSettings(), spec.key) == spec.default
        assert spec.check(spec.default) is None


def test_missing_settings_take_their_defaults_and_unknown_ones_are_ignored() -> None:
    s = settings_from_mapping({"vote_budget_cap": 6, "from_a_newer_version": True})
    assert s.vote_budget_cap == 6
    assert s.consensus_agree_min_percent == 70


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consensus_agree_min_percent": 120}, "between 0 and 100"),
        ({"consensus_agree_min_percent": "70"}, "whole number"),
        ({"consensus_agree_min_percent": True}, "whole number"),
        ({"vote_budget_cap": 0}, "at least 1"),
        ({"moderation_default": "sometimes"}, "must be one of"),
        ({"support_info": 5}, "must be text"),
        ({"support_info": "x" * 4001}, "at most 4000"),
        ({"consensus_disagree_max_percent": 80}, "lower than the agreement"),
        ({"no_such_setting": 1}, "no setting called"),
    ],
)
def test_bad_settings_are_refused_with_a_message(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(DomainError, match=message):
        ProjectSettings().with_changes(**changes)


def test_settings_build_the_consensus_rules() -> None:
    s = ProjectSettings().with_changes(
        consensus_agree_min_percent=80,
        consensus_disagree_max_percent=10,
        consensus_min_group_raters=5,
    )
    rules = s.consensus_rules
    assert (rules.agree_min_percent, rules.disagree_max_percent, rules.min_group_raters) == (
        80,
        10,
        5,
    )
