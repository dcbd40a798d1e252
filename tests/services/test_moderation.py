"""Moderating the note wall (services/moderation.py), read back from the real file."""

from __future__ import annotations

import pytest

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.model import ActivityKind, ActivityState, GroupKind, NoteSource, NoteStatus
from workshop_app.services import groups, live, moderation, sessions
from workshop_app.services import participation as svc
from workshop_app.services.events import Changed, Topic
from workshop_app.services.paths import shipped_plans_dir
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails


@pytest.fixture
def wall(project):
    """A live children's session (approve first) with its first brainstorm open."""
    child = next(g for g in groups.list_groups(project) if g.kind is GroupKind.CHILD)
    plan = load_plan(shipped_plans_dir() / "prep-children-8-12.toml")
    s = sessions.create_session(project, SessionDetails("Club", group_ids=(child.id,)), plan)
    live.go_live(project, s.id)
    brainstorms = [
        a for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.BRAINSTORM
    ]
    live.set_activity_state(project, brainstorms[0].id, ActivityState.OPEN)
    who = svc.join(project, s.id, child.id).result()

    def post(text: str, key: str) -> str:
        return (
            svc.post_note(project, who.id, brainstorms[0].id, text, key).result().body["note"]["id"]
        )

    return project, s, brainstorms, child, post


def _note(project, activity_id, note_id):
    return next(n for n in moderation.list_wall(project, activity_id) if n.id == note_id)


def test_notes_from_a_childrens_session_wait_until_approved(wall):
    project, _s, b, _child, post = wall
    nid = post("strangers in games", "key-aaaaaa1")
    assert _note(project, b[0].id, nid).status is NoteStatus.PENDING
    before = moderation.approve(project, nid)
    assert before.status is NoteStatus.PENDING, "returns the note as it was, for undo"
    assert _note(project, b[0].id, nid).status is NoteStatus.SHOWN


def test_hiding_keeps_the_note_and_unhiding_brings_it_back(wall):
    project, _s, b, _child, post = wall
    nid = post("something personal", "key-aaaaaa2")
    moderation.hide(project, nid)
    hidden = _note(project, b[0].id, nid)
    assert hidden.status is NoteStatus.HIDDEN and hidden.text == "something personal"
    moderation.approve(project, nid)
    assert _note(project, b[0].id, nid).status is NoteStatus.SHOWN


def test_a_correction_keeps_the_original_and_every_step(wall):
    project, _s, b, _child, post = wall
    nid = post("grown ups shoud listen", "key-aaaaaa3")
    moderation.correct_text(project, nid, "grown ups should listen")
    moderation.correct_text(project, nid, "Grown-ups should listen")
    note = _note(project, b[0].id, nid)
    assert note.text == "Grown-ups should listen"
    assert note.original_text == "grown ups shoud listen"
    steps = moderation.history(project, nid)
    assert [(e.old_text, e.new_text, e.edited_by) for e in steps] == [
        ("grown ups shoud listen", "grown ups should listen", "facilitator"),
        ("grown ups should listen", "Grown-ups should listen", "facilitator"),
    ]


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_a_refused_correction_changes_nothing(wall, text):
    project, _s, b, _child, post = wall
    nid = post("keep me", "key-aaaaaa4")
    with pytest.raises(DomainError):
        moderation.correct_text(project, nid, text)
    assert _note(project, b[0].id, nid).text == "keep me"
    assert moderation.history(project, nid) == []


def test_flags_are_set_with_a_follow_up_note_and_cleared(wall):
    project, _s, b, _child, post = wall
    nid = post("someone keeps messaging me", "key-aaaaaa5")
    moderation.flag(project, nid, True, "Speak to Sam after the session")
    note = _note(project, b[0].id, nid)
    assert note.flagged and note.flag_note == "Speak to Sam after the session"
    moderation.flag(project, nid, False)
    note = _note(project, b[0].id, nid)
    assert not note.flagged and note.flag_note == ""


def test_duplicates_point_at_the_first_note_of_their_set_and_keep_both(wall):
    project, _s, b, _child, post = wall
    first = post("tell a trusted adult", "key-aaaaaa6")
    second = post("tell a grown up you trust", "key-aaaaaa7")
    third = post("tell someone you trust", "key-aaaaaa8")
    moderation.mark_duplicate(project, second, first)
    moderation.mark_duplicate(project, third, second)  # a chain becomes a set
    assert _note(project, b[0].id, third).duplicate_of == first
    assert len(moderation.list_wall(project, b[0].id)) == 3
    moderation.mark_duplicate(project, third, None)
    assert _note(project, b[0].id, third).duplicate_of is None


def test_duplicates_must_be_other_notes_of_the_same_activity(wall):
    project, _s, b, _child, post = wall
    first = post("one", "key-aaaaaa9")
    with pytest.raises(DomainError, match="itself"):
        moderation.mark_duplicate(project, first, first)
    paper = moderation.capture_paper_note(project, b[1].id, "elsewhere")
    with pytest.raises(DomainError, match="same activity"):
        moderation.mark_duplicate(project, first, paper.id)


def test_paper_notes_are_typed_in_shown_with_their_group(wall):
    project, _s, b, child, _post = wall
    note = moderation.capture_paper_note(project, b[0].id, "  who do I call?  ", child.id)
    stored = _note(project, b[0].id, note.id)
    assert (stored.text, stored.source, stored.status, stored.group_id) == (
        "who do I call?",
        NoteSource.FACILITATOR,
        NoteStatus.SHOWN,
        child.id,
    )
    assert stored.participant_id is None


def test_paper_notes_only_go_into_brainstorms(wall):
    project, s, _b, _child, _post = wall
    info = sessions.list_activities(project, s.id)[0]
    with pytest.raises(DomainError, match="brainstorm"):
        moderation.capture_paper_note(project, info.id, "hello")


def test_a_withdrawn_note_cannot_be_moderated(wall):
    project, _s, _b, _child, post = wall
    nid = post("take me back", "key-aaaaab1")
    who_id = next(n for n in moderation.list_wall(project, _b[0].id) if n.id == nid).participant_id
    svc.withdraw_note(project, who_id, nid, "key-aaaaab2").result()
    with pytest.raises(NotFoundError):
        moderation.approve(project, nid)


def test_every_moderation_step_is_announced_for_the_wall_and_projector(wall):
    project, s, _b, _child, post = wall
    nid = post("announce me", "key-aaaaab3")
    heard: list[object] = []
    project.bus.subscribe(heard.append)
    moderation.approve(project, nid)
    moderation.flag(project, nid, True)
    assert heard == [Changed(Topic.CONTENT, s.id, nid)] * 2
