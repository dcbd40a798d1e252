"""What the projector may show (services/projection.py): the rules, from the real file."""

from __future__ import annotations

import pytest

from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import ActivityKind, ActivityState, GroupKind, NoteStatus, Theme
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import groups, live, moderation, sessions
from workshop_app.services import participation as svc
from workshop_app.services.plans import load_plan
from workshop_app.services.projection import MAX_NOTES, TIES, Stage, projector_view
from workshop_app.services.sessions import SessionDetails
from workshop_app.storage import contributions


@pytest.fixture
def room(project):
    child = next(g for g in groups.list_groups(project) if g.kind is GroupKind.CHILD)
    plan = load_plan(shipped_plans_dir() / "prep-children-8-12.toml")
    s = sessions.create_session(project, SessionDetails("Club", group_ids=(child.id,)), plan)
    live.go_live(project, s.id)
    acts = sessions.list_activities(project, s.id)
    b = next(a for a in acts if a.kind is ActivityKind.BRAINSTORM)
    live.set_activity_state(project, b.id, ActivityState.OPEN)
    who = svc.join(project, s.id, child.id).result()
    return project, s, acts, b, who


def _post(project, who, activity, text, key):
    return svc.post_note(project, who.id, activity.id, text, key).result().body["note"]["id"]


def test_only_approved_notes_reach_the_projector(room):
    project, s, _acts, b, who = room
    shown = _post(project, who, b, "approved idea", "key-proj-01")
    _post(project, who, b, "still pending", "key-proj-02")
    hidden = _post(project, who, b, "hidden by the facilitator", "key-proj-03")
    taken = _post(project, who, b, "taken back", "key-proj-04")
    dup = _post(project, who, b, "approved idea again", "key-proj-05")
    flagged = _post(project, who, b, "flagged but approved", "key-proj-06")
    for n in (shown, hidden, taken, dup, flagged):
        moderation.approve(project, n)
    moderation.hide(project, hidden)
    moderation.mark_duplicate(project, dup, shown)
    moderation.flag(project, flagged, True, "talk to them quietly")
    svc.withdraw_note(project, who.id, taken, "key-proj-07").result()
    svc.request_help(project, who.id, "I am by the window", "key-proj-08").result()

    view = projector_view(project, s.id)
    assert view.notes == ("approved idea", "flagged but approved")
    assert view.earlier_notes == 0
    everything = repr(view)
    for secret in ("still pending", "hidden by", "taken back", "talk to them", "by the window"):
        assert secret not in everything


def test_vote_results_stay_hidden_until_revealed(room):
    project, s, acts, _b, who = room
    cluster = next(a for a in acts if a.kind is ActivityKind.CLUSTER)
    vote = next(a for a in acts if a.kind is ActivityKind.VOTE)
    theme_ids = []

    def add(tx):
        for i, name in enumerate(("Strangers online", "Telling someone")):
            t = Theme(new_id(), cluster.id, name, "#ffcc00", i, (), utc_now())
            contributions.insert_theme(tx.db, t)
            theme_ids.append(t.id)

    project.store.write_now(add)
    live.set_activity_state(project, vote.id, ActivityState.OPEN)
    svc.cast_votes(project, who.id, vote.id, {theme_ids[1]: 2}, "key-proj-09").result()
    view = projector_view(project, s.id)
    assert view.results == () and view.results_hidden
    live.set_activity_state(project, vote.id, ActivityState.CLOSED)
    assert projector_view(project, s.id).results == ()
    live.set_activity_state(project, vote.id, ActivityState.REVEALED)
    assert projector_view(project, s.id).results == (
        (1, "Telling someone", 2),
        (2, "Strangers online", 0),
    )


def test_the_join_code_shows_only_while_live(room):
    project, s, _acts, _b, _who = room
    view = projector_view(project, s.id)
    assert (
        view.live
        and view.join_code.replace("-", "") == sessions.get_session(project, s.id).join_token
    )
    live.end_session(project, s.id)
    assert projector_view(project, s.id).join_code == ""


def test_the_projector_gets_the_newest_notes_and_a_count_of_the_rest(room):
    project, s, _acts, b, _who = room
    people = [svc.join(project, s.id, None).result() for _ in range(2)]
    ids = [
        _post(project, people[i % 2], b, f"idea {i:02d}", f"key-many-{i:02d}") for i in range(30)
    ]
    moderation.set_status_many(project, ids[:29], NoteStatus.SHOWN)  # the last one waits
    moderation.hide(project, ids[28])
    view = projector_view(project, s.id)
    assert len(view.notes) == MAX_NOTES
    assert view.notes[-1] == "idea 27", "newest last; hidden and waiting notes left out"
    assert view.notes[0] == f"idea {27 - MAX_NOTES + 1:02d}"
    assert view.earlier_notes == 28 - MAX_NOTES


def _themes(project, cluster, names):
    ids = []

    def add(tx):
        for i, name in enumerate(names):
            t = Theme(new_id(), cluster.id, name, "#ffcc00", i, (), utc_now())
            contributions.insert_theme(tx.db, t)
            ids.append(t.id)

    project.store.write_now(add)
    return ids


def test_what_the_room_is_told_is_true_at_every_step_of_a_vote(room):
    project, s, acts, _b, who = room
    cluster = next(a for a in acts if a.kind is ActivityKind.CLUSTER)
    vote = next(a for a in acts if a.kind is ActivityKind.VOTE)
    ids = _themes(project, cluster, ("Strangers online", "Telling someone", "Games"))
    live.show_activity(project, vote.id)
    pending = projector_view(project, s.id)
    assert pending.stage is Stage.VOTING and pending.status == "Voting starts soon."
    assert pending.choices == () and pending.for_children

    live.set_activity_state(project, vote.id, ActivityState.OPEN)
    svc.cast_votes(project, who.id, vote.id, {ids[1]: 1}, "key-proj-v1").result()
    voting = projector_view(project, s.id)
    assert voting.choices == ("Strangers online", "Telling someone", "Games")
    assert voting.results == () and "1" not in "".join(voting.choices)
    assert "tap +" in voting.status, "children are told how, in their words"

    live.set_activity_state(project, vote.id, ActivityState.CLOSED)
    closed = projector_view(project, s.id)
    assert closed.choices == () and closed.results == ()
    assert closed.status.startswith("Voting has closed"), closed.status
    assert "everyone has voted" not in repr(closed)


def test_revealed_ties_share_a_place_and_say_so(room):
    project, s, acts, _b, who = room
    cluster = next(a for a in acts if a.kind is ActivityKind.CLUSTER)
    vote = next(a for a in acts if a.kind is ActivityKind.VOTE)
    ids = _themes(project, cluster, ("Strangers online", "Telling someone", "Games"))
    live.set_activity_state(project, vote.id, ActivityState.OPEN)
    svc.cast_votes(project, who.id, vote.id, {ids[0]: 1, ids[1]: 1}, "key-proj-t1").result()
    live.set_activity_state(project, vote.id, ActivityState.CLOSED)
    live.set_activity_state(project, vote.id, ActivityState.REVEALED)
    view = projector_view(project, s.id)
    assert view.stage is Stage.RESULTS
    assert [(place, dots) for place, _item, dots in view.results] == [(1, 1), (1, 1), (3, 0)]
    assert view.footnote == TIES
    assert "1 person voted" in view.status


def test_an_adult_session_gets_adult_words_and_an_ended_one_a_thank_you(project):
    parent = next(g for g in groups.list_groups(project) if g.kind is GroupKind.PARENT)
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(project, SessionDetails("Evening", group_ids=(parent.id,)), plan)
    live.go_live(project, s.id)
    view = projector_view(project, s.id)
    assert not view.for_children and view.stage is Stage.INFO  # the welcome
    assert "Scan the code" in view.status
    b = next(
        a for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.BRAINSTORM
    )
    live.set_activity_state(project, b.id, ActivityState.OPEN)
    notes = projector_view(project, s.id)
    assert notes.stage is Stage.NOTES and notes.status.startswith("Add your notes")
    live.end_session(project, s.id)
    ended = projector_view(project, s.id)
    assert ended.ended and ended.stage is Stage.ENDED and ended.notes == ()
    assert ended.status.startswith("Thank you")
