"""Running a session live: the facilitator's side (services/live.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from workshop_app.core.errors import DomainError, NotFoundError, StateError
from workshop_app.core.model import (
    ActivityKind,
    ActivitySettings,
    ActivityState,
    GroupKind,
    ModerationMode,
    SessionState,
)
from workshop_app.services import groups, live, sessions
from workshop_app.services import participation as svc
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, SessionDetails

KINDS = (ActivityKind.INFO, ActivityKind.BRAINSTORM, ActivityKind.VOTE, ActivityKind.RATE)


def new_session(p: OpenProject, kinds: tuple[ActivityKind, ...] = KINDS) -> str:
    s = sessions.create_session(
        p, SessionDetails("Live test", moderation=ModerationMode.SHOW_AT_ONCE)
    )
    for kind in kinds:
        sessions.add_activity(p, s.id, ActivityFields(kind, kind.value.title()))
    return s.id


def activity_ids(p: OpenProject, session_id: str) -> dict[ActivityKind, str]:
    return {a.kind: a.id for a in sessions.list_activities(p, session_id)}


def states(p: OpenProject, session_id: str) -> dict[ActivityKind, ActivityState]:
    return {a.kind: a.state for a in sessions.list_activities(p, session_id)}


@pytest.fixture
def sid(project: OpenProject) -> str:
    return new_session(project)


@pytest.fixture
def live_sid(project: OpenProject, sid: str) -> str:
    live.go_live(project, sid)
    return sid


@pytest.fixture
def events(project: OpenProject) -> Iterator[list[Changed]]:
    """Every event the writer publishes, collected through the project's own EventBus."""
    seen: list[Changed] = []
    lock = threading.Lock()

    def collect(event: object) -> None:
        assert isinstance(event, Changed)
        with lock:
            seen.append(event)

    unsubscribe = project.bus.subscribe(collect)
    yield seen
    unsubscribe()


# ---------------------------------------------------------------- go_live


def test_go_live_makes_a_planned_session_live_with_the_first_activity_current(
    project: OpenProject, sid: str
) -> None:
    assert sessions.get_session(project, sid).state is SessionState.PLANNED
    returned = live.go_live(project, sid)
    stored = sessions.get_session(project, sid)
    first = sessions.list_activities(project, sid)[0]
    assert stored.state is SessionState.LIVE
    assert stored.current_activity_id == first.id
    assert returned == stored


def test_going_live_again_is_a_no_op_that_returns_the_same_session(
    project: OpenProject, live_sid: str
) -> None:
    before = sessions.get_session(project, live_sid)
    again = live.go_live(project, live_sid)
    assert again == before
    assert sessions.get_session(project, live_sid) == before


def test_a_session_without_activities_goes_live_with_no_current_activity(
    project: OpenProject,
) -> None:
    sid = new_session(project, kinds=())
    assert live.go_live(project, sid).current_activity_id is None
    assert svc.live_state(project, sid)["activity"] is None


def test_resuming_a_closed_session_keeps_its_current_activity(
    project: OpenProject, live_sid: str
) -> None:
    vote = activity_ids(project, live_sid)[ActivityKind.VOTE]
    live.show_activity(project, vote)
    live.end_session(project, live_sid)
    resumed = live.go_live(project, live_sid)
    assert resumed.state is SessionState.LIVE
    assert resumed.current_activity_id == vote


def test_go_live_publishes_live_and_sessions_events(
    project: OpenProject, sid: str, events: list[Changed]
) -> None:
    live.go_live(project, sid)
    assert Changed(Topic.LIVE, session_id=sid) in events
    assert Changed(Topic.SESSIONS, session_id=sid) in events


def test_go_live_on_an_unknown_session_raises_not_found(project: OpenProject) -> None:
    with pytest.raises(NotFoundError):
        live.go_live(project, "0" * 32)


# ---------------------------------------------------------------- set_activity_state


def test_opening_an_activity_makes_it_current(project: OpenProject, live_sid: str) -> None:
    ids = activity_ids(project, live_sid)
    opened = live.set_activity_state(project, ids[ActivityKind.BRAINSTORM], ActivityState.OPEN)
    assert opened.state is ActivityState.OPEN
    assert sessions.get_session(project, live_sid).current_activity_id == opened.id
    assert states(project, live_sid)[ActivityKind.BRAINSTORM] is ActivityState.OPEN


def test_opening_an_activity_closes_any_other_open_one(project: OpenProject, live_sid: str) -> None:
    ids = activity_ids(project, live_sid)
    live.set_activity_state(project, ids[ActivityKind.BRAINSTORM], ActivityState.OPEN)
    live.set_activity_state(project, ids[ActivityKind.VOTE], ActivityState.OPEN)
    now = states(project, live_sid)
    assert now[ActivityKind.BRAINSTORM] is ActivityState.CLOSED
    assert now[ActivityKind.VOTE] is ActivityState.OPEN
    assert [k for k, s in now.items() if s is ActivityState.OPEN] == [ActivityKind.VOTE]
    assert sessions.get_session(project, live_sid).current_activity_id == ids[ActivityKind.VOTE]


def test_opening_an_activity_leaves_other_sessions_alone(
    project: OpenProject, live_sid: str
) -> None:
    other = new_session(project)
    live.go_live(project, other)
    other_brainstorm = activity_ids(project, other)[ActivityKind.BRAINSTORM]
    live.set_activity_state(project, other_brainstorm, ActivityState.OPEN)
    live.set_activity_state(
        project, activity_ids(project, live_sid)[ActivityKind.BRAINSTORM], ActivityState.OPEN
    )
    assert states(project, other)[ActivityKind.BRAINSTORM] is ActivityState.OPEN


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        (ActivityKind.BRAINSTORM, [ActivityState.OPEN, ActivityState.CLOSED, ActivityState.OPEN]),
        (ActivityKind.VOTE, [ActivityState.OPEN, ActivityState.CLOSED, ActivityState.REVEALED]),
        (
            ActivityKind.RATE,
            [
                ActivityState.OPEN,
                ActivityState.CLOSED,
                ActivityState.REVEALED,
                ActivityState.CLOSED,
            ],
        ),
    ],
)
def test_legal_transitions_are_stored(
    project: OpenProject, live_sid: str, kind: ActivityKind, path: list[ActivityState]
) -> None:
    aid = activity_ids(project, live_sid)[kind]
    for target in path:
        assert live.set_activity_state(project, aid, target).state is target
        assert sessions.get_activity(project, aid).state is target


@pytest.mark.parametrize(
    ("kind", "before", "target"),
    [
        (ActivityKind.BRAINSTORM, [], ActivityState.CLOSED),
        (ActivityKind.BRAINSTORM, [], ActivityState.REVEALED),
        (ActivityKind.BRAINSTORM, [], ActivityState.PENDING),
        (ActivityKind.VOTE, [ActivityState.OPEN], ActivityState.OPEN),
        (ActivityKind.VOTE, [ActivityState.OPEN], ActivityState.REVEALED),
        (ActivityKind.VOTE, [ActivityState.OPEN], ActivityState.PENDING),
        (ActivityKind.BRAINSTORM, [ActivityState.OPEN, ActivityState.CLOSED], "reveal"),
        (ActivityKind.INFO, [ActivityState.OPEN, ActivityState.CLOSED], "reveal"),
    ],
)
def test_illegal_transitions_raise_a_domain_error_and_change_nothing(
    project: OpenProject,
    live_sid: str,
    kind: ActivityKind,
    before: list[ActivityState],
    target: ActivityState | str,
) -> None:
    aid = activity_ids(project, live_sid)[kind]
    for state in before:
        live.set_activity_state(project, aid, state)
    stored = sessions.get_activity(project, aid)
    goal = ActivityState.REVEALED if target == "reveal" else target
    assert isinstance(goal, ActivityState)
    with pytest.raises(DomainError):
        live.set_activity_state(project, aid, goal)
    assert sessions.get_activity(project, aid) == stored


@pytest.mark.parametrize("kind", [ActivityKind.VOTE, ActivityKind.RATE])
def test_only_votes_and_ratings_can_be_revealed(
    project: OpenProject, live_sid: str, kind: ActivityKind
) -> None:
    aid = activity_ids(project, live_sid)[kind]
    live.set_activity_state(project, aid, ActivityState.OPEN)
    live.set_activity_state(project, aid, ActivityState.CLOSED)
    assert live.set_activity_state(project, aid, ActivityState.REVEALED).state is (
        ActivityState.REVEALED
    )


@pytest.mark.parametrize("session_state", [SessionState.PLANNED, SessionState.CLOSED])
def test_changing_an_activity_of_a_session_that_is_not_live_raises_state_error(
    project: OpenProject, sid: str, session_state: SessionState
) -> None:
    if session_state is SessionState.CLOSED:
        live.go_live(project, sid)
        live.end_session(project, sid)
    aid = activity_ids(project, sid)[ActivityKind.BRAINSTORM]
    with pytest.raises(StateError):
        live.set_activity_state(project, aid, ActivityState.OPEN)
    with pytest.raises(StateError):
        live.show_activity(project, aid)
    assert sessions.get_activity(project, aid).state is ActivityState.PENDING


def test_set_activity_state_publishes_live_and_activities_events(
    project: OpenProject, live_sid: str, events: list[Changed]
) -> None:
    aid = activity_ids(project, live_sid)[ActivityKind.BRAINSTORM]
    live.set_activity_state(project, aid, ActivityState.OPEN)
    assert Changed(Topic.LIVE, session_id=live_sid, item_id=aid) in events
    assert Changed(Topic.ACTIVITIES, session_id=live_sid, item_id=aid) in events


def test_a_refused_transition_publishes_nothing(
    project: OpenProject, live_sid: str, events: list[Changed]
) -> None:
    aid = activity_ids(project, live_sid)[ActivityKind.BRAINSTORM]
    with pytest.raises(DomainError):
        live.set_activity_state(project, aid, ActivityState.REVEALED)
    assert events == []


# ---------------------------------------------------------------- show_activity


def test_show_activity_makes_it_current_without_opening_it(
    project: OpenProject, live_sid: str
) -> None:
    ids = activity_ids(project, live_sid)
    shown = live.show_activity(project, ids[ActivityKind.RATE])
    assert shown.state is ActivityState.PENDING
    assert sessions.get_session(project, live_sid).current_activity_id == ids[ActivityKind.RATE]
    state = svc.live_state(project, live_sid)
    assert (state["activity"], state["kind"], state["state"]) == (
        ids[ActivityKind.RATE],
        "rate",
        "pending",
    )


def test_show_activity_leaves_an_open_activity_open(project: OpenProject, live_sid: str) -> None:
    ids = activity_ids(project, live_sid)
    live.set_activity_state(project, ids[ActivityKind.BRAINSTORM], ActivityState.OPEN)
    live.show_activity(project, ids[ActivityKind.INFO])
    assert states(project, live_sid)[ActivityKind.BRAINSTORM] is ActivityState.OPEN


def test_show_activity_of_an_unknown_activity_raises_not_found(
    project: OpenProject, live_sid: str
) -> None:
    with pytest.raises(NotFoundError):
        live.show_activity(project, "f" * 32)


def test_live_state_version_changes_with_every_change_phones_must_see(
    project: OpenProject, live_sid: str
) -> None:
    ids = activity_ids(project, live_sid)
    seen = {svc.live_state(project, live_sid)["version"]}
    live.show_activity(project, ids[ActivityKind.BRAINSTORM])
    seen.add(svc.live_state(project, live_sid)["version"])
    live.set_activity_state(project, ids[ActivityKind.BRAINSTORM], ActivityState.OPEN)
    seen.add(svc.live_state(project, live_sid)["version"])
    live.set_activity_state(project, ids[ActivityKind.BRAINSTORM], ActivityState.CLOSED)
    seen.add(svc.live_state(project, live_sid)["version"])
    live.end_session(project, live_sid)
    seen.add(svc.live_state(project, live_sid)["version"])
    assert len(seen) == 5


# ---------------------------------------------------------------- end_session


def test_end_session_closes_the_open_activity_and_the_session(
    project: OpenProject, live_sid: str, events: list[Changed]
) -> None:
    ids = activity_ids(project, live_sid)
    live.set_activity_state(project, ids[ActivityKind.VOTE], ActivityState.OPEN)
    ended = live.end_session(project, live_sid)
    assert ended.state is SessionState.CLOSED
    assert sessions.get_session(project, live_sid).state is SessionState.CLOSED
    assert states(project, live_sid)[ActivityKind.VOTE] is ActivityState.CLOSED
    assert ActivityState.OPEN not in states(project, live_sid).values()
    assert Changed(Topic.LIVE, session_id=live_sid) in events


def test_end_session_leaves_revealed_and_pending_activities_as_they_are(
    project: OpenProject, live_sid: str
) -> None:
    vote = activity_ids(project, live_sid)[ActivityKind.VOTE]
    for state in (ActivityState.OPEN, ActivityState.CLOSED, ActivityState.REVEALED):
        live.set_activity_state(project, vote, state)
    live.end_session(project, live_sid)
    after = states(project, live_sid)
    assert after[ActivityKind.VOTE] is ActivityState.REVEALED
    assert after[ActivityKind.RATE] is ActivityState.PENDING


def test_ending_a_planned_session_is_refused(project: OpenProject, sid: str) -> None:
    with pytest.raises(DomainError):
        live.end_session(project, sid)
    assert sessions.get_session(project, sid).state is SessionState.PLANNED


def test_ending_an_ended_session_is_refused(project: OpenProject, live_sid: str) -> None:
    live.end_session(project, live_sid)
    with pytest.raises(DomainError):
        live.end_session(project, live_sid)


# ---------------------------------------------------------------- rotate_join_token


def test_rotating_the_join_token_gives_a_new_token_and_the_old_one_stops_resolving(
    project: OpenProject, live_sid: str
) -> None:
    old = sessions.get_session(project, live_sid).join_token
    assert svc.session_for_token(project, old) is not None
    new = live.rotate_join_token(project, live_sid)
    assert new != old
    assert sessions.get_session(project, live_sid).join_token == new
    assert svc.session_for_token(project, old) is None
    found = svc.session_for_token(project, new)
    assert found is not None and found.id == live_sid


def test_rotating_the_join_token_publishes_a_join_event_for_that_session(
    project: OpenProject, live_sid: str, events: list[Changed]
) -> None:
    live.rotate_join_token(project, live_sid)
    assert events == [Changed(Topic.JOIN, session_id=live_sid)]


def test_rotating_the_join_token_keeps_participants_and_their_notes(
    project: OpenProject, live_sid: str
) -> None:
    brainstorm = activity_ids(project, live_sid)[ActivityKind.BRAINSTORM]
    live.set_activity_state(project, brainstorm, ActivityState.OPEN)
    who = svc.join(project, live_sid, None).result(5)
    svc.post_note(project, who.id, brainstorm, "Still here", "rotate-key-1").result(5)
    live.rotate_join_token(project, live_sid)
    assert svc.get_participant(project, who.id) == who
    view = svc.phone_view(project, who)
    assert [n.text for n in view.my_notes] == ["Still here"]


def test_many_rotations_never_repeat_a_token(project: OpenProject, live_sid: str) -> None:
    tokens = {live.rotate_join_token(project, live_sid) for _ in range(30)}
    assert len(tokens) == 30


def test_activity_settings_survive_going_live(project: OpenProject) -> None:
    s = sessions.create_session(project, SessionDetails("Settings"))
    vote = sessions.add_activity(
        project,
        s.id,
        ActivityFields(
            ActivityKind.VOTE, "Vote", settings=ActivitySettings(vote_budget=4, per_item_cap=2)
        ),
    )
    live.go_live(project, s.id)
    live.set_activity_state(project, vote.id, ActivityState.OPEN)
    stored = sessions.get_activity(project, vote.id)
    assert (stored.settings.vote_budget, stored.settings.per_item_cap) == (4, 2)


# ---------------------------------------------------------------- the console's reads


def test_participants_are_counted_by_group_name_with_not_said_for_no_group(
    project: OpenProject, live_sid: str
) -> None:
    from workshop_app.services import groups

    parent = next(g for g in groups.list_groups(project) if g.name == "Parents and carers")
    for gid in (parent.id, parent.id, None):
        svc.join(project, live_sid, gid).result(5)
    assert live.participants_by_group(project, live_sid) == {
        "Parents and carers": 2,
        "No group chosen": 1,
    }
    assert live.participants_by_group(project, new_session(project)) == {}


def test_help_requests_are_listed_for_their_session_only(
    project: OpenProject, live_sid: str
) -> None:
    other = new_session(project)
    live.go_live(project, other)
    mine = svc.join(project, live_sid, None).result(5)
    theirs = svc.join(project, other, None).result(5)
    svc.request_help(project, mine.id, "Mine", "help-key-01").result(5)
    svc.request_help(project, theirs.id, "Theirs", "help-key-02").result(5)
    assert [h.message for h in live.help_requests(project, live_sid)] == ["Mine"]


def test_help_alerts_include_waiting_requests_sent_through_other_sessions_links(
    project: OpenProject, live_sid: str
) -> None:
    old = new_session(project)
    live.go_live(project, old)
    child = next(g for g in groups.list_groups(project) if g.kind is GroupKind.CHILD)
    asker = svc.join(project, old, child.id).result(5)
    seen = svc.join(project, old, None).result(5)  # no group chosen
    live.end_session(project, old)
    svc.request_help(project, asker.id, "Old link", "help-key-11").result(5)
    svc.request_help(project, seen.id, "Handled", "help-key-12").result(5)
    mine = svc.join(project, live_sid, None).result(5)
    svc.request_help(project, mine.id, "Mine", "help-key-13").result(5)
    handled = next(r for r in live.help_requests(project, old) if r.message == "Handled")
    live.acknowledge_help(project, handled.id, "talked at the door")
    alerts = {a.request.message: a for a in live.help_alerts(project, live_sid)}
    assert set(alerts) == {"Old link", "Handled", "Mine"}  # seen minutes ago: still shown
    assert alerts["Old link"].other_session and alerts["Old link"].asker == child.name
    assert alerts["Handled"].asker == "no group chosen"
    assert not alerts["Mine"].other_session
    assert alerts["Old link"].session_title == sessions.get_session(project, old).title


def test_live_session_ids_lists_the_sessions_left_live(project: OpenProject, live_sid: str) -> None:
    planned = new_session(project)
    ended = new_session(project)
    live.go_live(project, ended)
    live.end_session(project, ended)
    ids = live.live_session_ids(project)
    assert ids == [live_sid] and planned not in ids


def test_acknowledging_a_help_request_keeps_the_follow_up_private_and_can_be_undone(
    project,
) -> None:
    s = sessions.create_session(project, SessionDetails("Evening"))
    live.go_live(project, s.id)
    who = svc.join(project, s.id, None).result()
    svc.request_help(project, who.id, "by the window", "help-key-10").result()
    (request,) = live.help_requests(project, s.id)
    live.acknowledge_help(project, request.id, "  Talked at the break  ")
    (seen,) = live.help_requests(project, s.id)
    assert seen.acknowledged_at is not None and seen.follow_up == "Talked at the break"
    live.reopen_help(project, request.id)
    (again,) = live.help_requests(project, s.id)
    assert again.acknowledged_at is None and again.follow_up == "Talked at the break"
    with pytest.raises(NotFoundError):
        live.acknowledge_help(project, "no-such-request")


def test_revealing_results_puts_that_vote_on_screen(project: OpenProject, live_sid: str) -> None:
    ids = activity_ids(project, live_sid)
    live.set_activity_state(project, ids[ActivityKind.VOTE], ActivityState.OPEN)
    live.set_activity_state(project, ids[ActivityKind.VOTE], ActivityState.CLOSED)
    live.show_activity(project, ids[ActivityKind.BRAINSTORM])  # the room moved on
    live.set_activity_state(project, ids[ActivityKind.VOTE], ActivityState.REVEALED)
    assert sessions.get_session(project, live_sid).current_activity_id == ids[ActivityKind.VOTE]
    # Closing again (hiding the results) leaves the screen where it is.
    live.set_activity_state(project, ids[ActivityKind.VOTE], ActivityState.CLOSED)
    assert sessions.get_session(project, live_sid).current_activity_id == ids[ActivityKind.VOTE]
