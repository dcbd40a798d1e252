from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.ids import normalise_join_code
from workshop_app.core.model import (
    ActivityKind,
    ActivitySettings,
    GroupKind,
    ModerationMode,
    RatingScale,
    SessionState,
)
from workshop_app.core.plan import parse_plan
from workshop_app.services import groups, sessions
from workshop_app.services import project as projects
from workshop_app.services.events import Changed, Topic
from workshop_app.services.sessions import ActivityFields, SessionDetails

PLAN = parse_plan(
    {
        "format": 1,
        "id": "mini",
        "title": "Mini",
        "audience": ["parent"],
        "activities": [
            {
                "kind": "info",
                "title": "Welcome",
                "minutes": 5,
                "prompt": "Hi",
                "child_prompt": "Hi",
            },
            {
                "kind": "brainstorm",
                "title": "Ideas",
                "minutes": 20,
                "prompt": "What helps?",
                "child_prompt": "What helps you?",
                "facilitator_notes": "Give examples.",
            },
            {
                "kind": "vote",
                "title": "Vote",
                "minutes": 10,
                "prompt": "Vote",
                "child_prompt": "Dots",
                "vote_on": "themes",
                "per_item_cap": 2,
            },
        ],
    },
    "mini.toml",
)


def group_id(p, kind: GroupKind) -> str:
    return next(g.id for g in groups.list_groups(p) if g.kind is kind)


def titles(p, session_id: str) -> list[str]:
    return [a.title for a in sessions.list_activities(p, session_id)]


def test_a_session_from_a_plan_gets_the_plans_agenda(project) -> None:
    s = sessions.create_session(
        project,
        SessionDetails(
            "Parents' evening", date(2026, 10, 1), "Library", (group_id(project, GroupKind.PARENT),)
        ),
        PLAN,
    )
    acts = sessions.list_activities(project, s.id)
    assert [a.title for a in acts] == ["Welcome", "Ideas", "Vote"]
    assert [a.position for a in acts] == [0, 1, 2]
    assert acts[1].facilitator_notes == "Give examples."
    assert acts[1].settings.timer_seconds == 1200
    assert acts[2].settings.per_item_cap == 2
    assert s.plan_id == "mini" and s.state is SessionState.PLANNED
    assert normalise_join_code(s.join_token) == s.join_token
    assert sessions.get_session(project, s.id) == s


@pytest.mark.parametrize(
    ("kind", "default", "expected"),
    [
        (GroupKind.CHILD, "show_at_once", ModerationMode.APPROVE_FIRST),
        (GroupKind.PARENT, "show_at_once", ModerationMode.SHOW_AT_ONCE),
        (GroupKind.PARENT, "approve_first", ModerationMode.APPROVE_FIRST),
    ],
)
def test_sessions_with_children_approve_notes_first(
    project, kind: GroupKind, default: str, expected: ModerationMode
) -> None:
    projects.update_settings(project, moderation_default=default)
    s = sessions.create_session(project, SessionDetails("S", group_ids=(group_id(project, kind),)))
    assert s.moderation is expected


def test_join_tokens_differ_between_sessions(project) -> None:
    a = sessions.create_session(project, SessionDetails("A"))
    b = sessions.create_session(project, SessionDetails("B"))
    assert a.join_token != b.join_token


def test_editing_an_activity_commits_and_publishes_a_change(project) -> None:
    seen: list[object] = []
    project.bus.subscribe(seen.append)
    s = sessions.create_session(project, SessionDetails("S"), PLAN)
    ideas = sessions.list_activities(project, s.id)[1]
    fields = ActivityFields(
        ActivityKind.BRAINSTORM,
        "  Ideas, please ",
        "What would help?",
        "What would help you?",
        "",
        ActivitySettings(timer_seconds=300),
    )
    updated = sessions.update_activity(project, ideas.id, fields)
    assert updated.title == "Ideas, please"
    assert sessions.get_activity(project, ideas.id).prompt == "What would help?"
    assert Changed(Topic.ACTIVITIES, s.id, ideas.id) in seen


def test_an_invalid_edit_is_refused_and_stores_nothing(project) -> None:
    s = sessions.create_session(project, SessionDetails("S"), PLAN)
    ideas = sessions.list_activities(project, s.id)[1]
    with pytest.raises(DomainError, match="cannot be empty"):
        sessions.update_activity(project, ideas.id, ActivityFields(ActivityKind.BRAINSTORM, " "))
    assert sessions.get_activity(project, ideas.id) == ideas


def test_changing_the_kind_drops_settings_that_no_longer_apply(project) -> None:
    s = sessions.create_session(project, SessionDetails("S"), PLAN)
    vote = sessions.list_activities(project, s.id)[2]
    rate = sessions.update_activity(
        project, vote.id, ActivityFields(ActivityKind.RATE, "Rate", settings=vote.settings)
    )
    assert rate.settings.per_item_cap is None
    assert rate.settings.scale is RatingScale.NINE_POINT


def test_moving_an_activity_renumbers_the_agenda(project) -> None:
    s = sessions.create_session(project, SessionDetails("S"), PLAN)
    vote = sessions.list_activities(project, s.id)[2]
    sessions.move_activity(project, vote.id, 0)
    assert titles(project, s.id) == ["Vote", "Welcome", "Ideas"]
    sessions.move_activity(project, vote.id, 99)
    assert titles(project, s.id) == ["Welcome", "Ideas", "Vote"]
    assert [a.position for a in sessions.list_activities(project, s.id)] == [0, 1, 2]


def test_a_deleted_activity_comes_back_at_its_place(project) -> None:
    s = sessions.create_session(project, SessionDetails("S"), PLAN)
    ideas = sessions.list_activities(project, s.id)[1]
    sessions.delete_activity(project, ideas.id)
    assert titles(project, s.id) == ["Welcome", "Vote"]
    with pytest.raises(NotFoundError):
        sessions.get_activity(project, ideas.id)
    sessions.restore_activity(project, ideas.id)
    assert titles(project, s.id) == ["Welcome", "Ideas", "Vote"]


def test_adding_an_activity_in_the_middle(project) -> None:
    s = sessions.create_session(project, SessionDetails("S"), PLAN)
    sessions.add_activity(project, s.id, ActivityFields(ActivityKind.INFO, "Break"), position=1)
    assert titles(project, s.id) == ["Welcome", "Break", "Ideas", "Vote"]


def test_a_deleted_session_can_be_restored(project) -> None:
    s = sessions.create_session(project, SessionDetails("S"), PLAN)
    sessions.delete_session(project, s.id)
    assert sessions.list_sessions(project) == []
    sessions.restore_session(project, s.id)
    assert [x.id for x in sessions.list_sessions(project)] == [s.id]
    assert len(sessions.list_activities(project, s.id)) == 3


def test_session_details_are_updated_and_checked(project) -> None:
    parents = group_id(project, GroupKind.PARENT)
    s = sessions.create_session(project, SessionDetails("S"))
    new = sessions.update_session(
        project, s.id, SessionDetails("Evening session", date(2026, 12, 1), "Hall", (parents,))
    )
    assert (new.title, new.date, new.venue, new.group_ids) == (
        "Evening session",
        date(2026, 12, 1),
        "Hall",
        (parents,),
    )
    with pytest.raises(DomainError):
        sessions.update_session(project, s.id, SessionDetails(""))
    with pytest.raises(NotFoundError):
        sessions.update_session(project, s.id, SessionDetails("S", group_ids=("nope",)))


def test_sessions_are_listed_by_date(project) -> None:
    sessions.create_session(project, SessionDetails("Later", date(2026, 12, 1)))
    sessions.create_session(project, SessionDetails("Undated"))
    sessions.create_session(project, SessionDetails("Sooner", date(2026, 9, 1)))
    assert [s.title for s in sessions.list_sessions(project)] == ["Sooner", "Later", "Undated"]


@pytest.mark.parametrize(
    ("typed", "error"),
    [("ab", "at least the first 4"), ("zzzzzz", "No session has an id")],
)
def test_short_session_ids_must_be_unique_prefixes(project, typed: str, error: str) -> None:
    sessions.create_session(project, SessionDetails("S"))
    with pytest.raises(DomainError, match=error):
        sessions.resolve_session_id(project, typed)


def test_a_session_id_prefix_resolves(project) -> None:
    s = sessions.create_session(project, SessionDetails("S"))
    assert sessions.resolve_session_id(project, s.id[:8].upper()) == s.id


def test_groups_are_unique_by_name_and_can_be_restored(project) -> None:
    g = groups.add_group(project, "Foster carers", GroupKind.PARENT)
    assert g.child_friendly is False
    with pytest.raises(DomainError, match="already a group"):
        groups.add_group(project, "foster CARERS", GroupKind.OTHER)
    groups.remove_group(project, g.id)
    assert g.id not in [x.id for x in groups.list_groups(project)]
    groups.restore_group(project, g.id)
    assert groups.list_groups(project)[-1].name == "Foster carers"


def test_child_groups_are_child_friendly_by_default(project) -> None:
    g = groups.add_group(project, "Under 8s", GroupKind.CHILD)
    assert g.child_friendly is True
    g2 = groups.update_group(
        project, g.id, name="Under eights", kind=GroupKind.CHILD, child_friendly=False
    )
    assert (g2.name, g2.child_friendly) == ("Under eights", False)


def test_a_held_votes_rules_cannot_change_but_its_wording_can(project) -> None:
    from workshop_app.core.errors import StateError
    from workshop_app.core.model import ActivitySettings, ActivityState
    from workshop_app.infra.paths import shipped_plans_dir
    from workshop_app.services import live
    from workshop_app.services.plans import load_plan

    plan = load_plan(shipped_plans_dir() / "generic-co-design.toml")
    s = sessions.create_session(project, SessionDetails("Rules"), plan)
    vote = next(a for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.VOTE)
    live.go_live(project, s.id)
    live.set_activity_state(project, vote.id, ActivityState.OPEN)
    fields = sessions.ActivityFields.of(vote)
    more_dots = replace(fields, settings=ActivitySettings(vote_budget=9, per_item_cap=None))
    with pytest.raises(StateError, match="unfair"):
        sessions.update_activity(project, vote.id, more_dots)
    assert sessions.get_activity(project, vote.id).settings == vote.settings
    renamed = sessions.update_activity(project, vote.id, replace(fields, title="Top three"))
    assert renamed.title == "Top three" and renamed.settings == vote.settings
