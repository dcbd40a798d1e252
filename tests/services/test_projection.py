"""What the projector may show (services/projection.py): the rules, from the real file."""

from __future__ import annotations

import pytest

from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import ActivityKind, ActivityState, GroupKind, NoteStatus, Theme
from workshop_app.services import groups, live, moderation, sessions
from workshop_app.services import participation as svc
from workshop_app.services.paths import shipped_plans_dir
from workshop_app.services.plans import load_plan
from workshop_app.services.projection import MAX_NOTES, projector_view
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
        ("Telling someone", 2),
        ("Strangers online", 0),
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
