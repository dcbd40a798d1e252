from __future__ import annotations

import copy
from typing import Any

import pytest

from workshop_app.core.model import ActivityKind, GroupKind, RatingScale, VoteTarget
from workshop_app.core.plan import PlanError, parse_plan, plan_to_mapping, slugify
from workshop_app.core.scales import RatingQuestion

SOURCE = "sessions/example.toml"


def good() -> dict[str, Any]:
    return {
        "format": 1,
        "id": "example",
        "title": "Example",
        "summary": "A plan for tests.",
        "audience": ["child", "parent"],
        "moderation": "approve_first",
        "activities": [
            {
                "kind": "info",
                "title": "Welcome",
                "minutes": 5,
                "prompt": "Welcome, all.",
                "child_prompt": "Hello!",
            },
            {
                "kind": "vote",
                "title": "Vote",
                "minutes": 10,
                "prompt": "Vote on themes.",
                "child_prompt": "Put your dots.",
                "vote_on": "themes",
                "budget": 3,
                "per_item_cap": 2,
            },
            {
                "kind": "rate",
                "title": "Rate",
                "minutes": 15,
                "prompt": "Rate.",
                "child_prompt": "Pick a face.",
                "scale": "smiley",
                "consensus_round": True,
            },
        ],
    }


def test_a_good_plan_parses_into_activities_with_settings() -> None:
    plan = parse_plan(good(), SOURCE)
    assert plan.audience == (GroupKind.CHILD, GroupKind.PARENT)
    assert [a.kind for a in plan.activities] == [
        ActivityKind.INFO,
        ActivityKind.VOTE,
        ActivityKind.RATE,
    ]
    vote = plan.activities[1].settings
    assert (vote.vote_on, vote.vote_budget, vote.per_item_cap, vote.timer_seconds) == (
        VoteTarget.THEMES,
        3,
        2,
        600,
    )
    assert plan.activities[2].settings.scale is RatingScale.SMILEY
    assert plan.activities[2].settings.consensus_round
    assert plan.total_minutes == 30


def test_a_rate_activity_is_a_consensus_round_only_when_the_plan_says_so() -> None:
    data = broken("activities.2.consensus_round", None)
    plan = parse_plan(data, SOURCE)
    assert not plan.activities[2].settings.consensus_round
    assert "consensus_round" not in plan_to_mapping(plan)["activities"][2]


def test_a_plan_survives_a_round_trip_through_its_mapping() -> None:
    plan = parse_plan(good(), SOURCE)
    assert parse_plan(plan_to_mapping(plan), SOURCE) == plan


def test_a_rate_activity_asks_about_importance_or_agreement_as_the_plan_says() -> None:
    assert parse_plan(good(), SOURCE).activities[2].settings.question is RatingQuestion.IMPORTANCE
    plan = parse_plan(broken("activities.2.question", "agreement"), SOURCE)
    assert plan.activities[2].settings.question is RatingQuestion.AGREEMENT
    assert plan_to_mapping(plan)["activities"][2]["question"] == "agreement"
    with pytest.raises(PlanError, match="question: must be one of importance, agreement"):
        parse_plan(broken("activities.2.question", "liking"), SOURCE)
    with pytest.raises(PlanError, match="only applies to rate activities"):
        parse_plan(broken("activities.1.question", "agreement"), SOURCE)


def broken(path: str, value: Any) -> dict[str, Any]:
    """good() with one field changed; path like 'activities.1.kind'; value None deletes."""
    data = copy.deepcopy(good())
    *parents, last = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    if value is None:
        del target[key]
    else:
        target[key] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("format", 2, "format: is 2; this version of Common Ground reads format 1"),
        ("format", None, "format: is missing"),
        ("id", "Has Spaces", "id: must be 2-63 lowercase"),
        ("title", None, "title: is missing"),
        ("title", "   ", "title: is empty"),
        ("title", 5, "title: must be text, not a number"),
        ("audience", "child", "audience: must be a list"),
        ("audience", ["kids"], "audience[1]: must be one of child"),
        ("activities", [], "activities: is empty"),
        ("activities", None, "activities: is missing"),
        ("activities", {"kind": "info"}, "activities: must be a list of tables"),
        ("activities.0.kind", "lecture", "activities[1].kind: must be one of info"),
        ("activities.0.minutes", 0, "activities[1].minutes: must be between 1 and 240, not 0"),
        ("activities.0.minutes", "5", "activities[1].minutes: must be a whole number"),
        (
            "activities.0.minutes",
            2.5,
            "activities[1].minutes: must be a whole number, not a decimal number",
        ),
        ("activities.0.child_prompt", None, "activities[1].child_prompt: is missing"),
        (
            "activities.0.promt",
            "typo",
            "activities[1].promt: unknown field (did you mean 'prompt'?)",
        ),
        ("activities.0.scale", "smiley", "activities[1].scale: only applies to rate"),
        ("activities.0.budget", 3, "activities[1].budget: only applies to vote"),
        (
            "activities.1.consensus_round",
            True,
            "activities[2].consensus_round: only applies to rate activities, not vote",
        ),
        ("activities.2.consensus_round", "yes", "activities[3].consensus_round: must be true or"),
        ("activities.1.vote_on", None, "activities[2].vote_on: is missing"),
        ("activities.1.per_item_cap", 4, "activities[2].per_item_cap: is 4, more than the budget"),
        ("activities.2.scale", "stars", "activities[3].scale: must be one of nine_point, smiley"),
        ("moderation", "maybe", "moderation: must be one of"),
        ("colour", "red", "colour: unknown field"),
        ("activities.0.prompt", "x" * 2001, "activities[1].prompt: is 2001 characters"),
    ],
)
def test_broken_plans_name_the_file_the_field_and_the_problem(
    path: str, value: Any, expected: str
) -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(broken(path, value), SOURCE)
    lines = str(caught.value).splitlines()
    assert any(line.startswith(f"{SOURCE}: {expected}") for line in lines), lines


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    data = broken("title", None)
    data["activities"][0]["kind"] = "lecture"
    data["activities"][2]["scale"] = "stars"
    with pytest.raises(PlanError) as caught:
        parse_plan(data, SOURCE)
    assert len(caught.value.problems) == 3


def test_an_activity_that_is_not_a_table_is_reported() -> None:
    data = good()
    data["activities"].append("brainstorm")
    with pytest.raises(PlanError, match=r"activities\[4\]: must be a table, not text"):
        parse_plan(data, SOURCE)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Joint Workshop (v2)", "joint-workshop-v2"),
        ("  ", "my-plan"),
        ("Ä", "my-plan"),
        ("x" * 100, "x" * 63),
    ],
)
def test_slugify_makes_plan_ids(title: str, slug: str) -> None:
    assert slugify(title) == slug
