"""Moderating the note wall (services/moderation.py), read back from the real file."""

from __future__ import annotations

import pytest

from workshop_app.core.errors import DomainError, FlaggedNoteError, HeldNoteError, NotFoundError
from workshop_app.core.model import ActivityKind, ActivityState, GroupKind, NoteSource, NoteStatus
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import groups, live, moderation, sessions
from workshop_app.services import participation as svc
from workshop_app.services.events import Changed, Reviewed, Topic
from workshop_app.services.plans import load_plan
from workshop_app.services.projection import projector_view
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
    writer = frozenset({_note(project, _b[0].id, nid).participant_id})
    # the wall and projector hear of each step; the writer's phone re-reads its notes
    assert heard == [Changed(Topic.CONTENT, s.id, nid), Reviewed(s.id, writer)] * 2


# ---------------------------------------------------------------- batches and exact undo


def test_a_batch_changes_every_note_in_one_step_and_its_undo_restores_each(wall):
    project, s, b, _child, post = wall
    a, c, d = (post(t, f"key-batch-0{i}") for i, t in enumerate(("a", "c", "d")))
    moderation.hide(project, d)
    heard: list[object] = []
    project.bus.subscribe(heard.append)
    before = moderation.set_status_many(project, [a, c, d], NoteStatus.SHOWN)
    assert before == {a: NoteStatus.PENDING, c: NoteStatus.PENDING, d: NoteStatus.HIDDEN}
    writers = frozenset(_note(project, b[0].id, i).participant_id for i in (a, c, d))
    assert heard == [Changed(Topic.CONTENT, s.id, None), Reviewed(s.id, writers)], (
        "one event for the batch, and one for the phones that wrote its notes"
    )
    assert {_note(project, b[0].id, i).status for i in (a, c, d)} == {NoteStatus.SHOWN}
    moderation.set_statuses(project, before)
    assert [_note(project, b[0].id, i).status for i in (a, c, d)] == [
        NoteStatus.PENDING,
        NoteStatus.PENDING,
        NoteStatus.HIDDEN,
    ]


def test_a_batch_leaves_out_notes_already_so_and_notes_taken_back(wall):
    project, _s, b, _child, post = wall
    a = post("keep", "key-batch-11")
    gone = post("gone", "key-batch-12")
    moderation.approve(project, a)
    who = _note(project, b[0].id, gone).participant_id
    svc.withdraw_note(project, who, gone, "key-batch-13").result()
    assert moderation.set_status_many(project, [a, gone], NoteStatus.SHOWN) == {}
    with pytest.raises(NotFoundError):
        moderation.set_status_many(project, [gone], NoteStatus.SHOWN)


def test_approving_all_waiting_touches_only_waiting_notes_of_that_activity(wall):
    project, _s, b, _child, post = wall
    waiting = [post(f"w{i}", f"key-all-0{i}") for i in range(3)]
    hidden = post("hidden", "key-all-09")
    moderation.hide(project, hidden)
    paper = moderation.capture_paper_note(project, b[1].id, "other activity")
    approved = moderation.approve_all_waiting(project, b[0].id)
    assert approved == dict.fromkeys(waiting, NoteStatus.PENDING)
    assert _note(project, b[0].id, hidden).status is NoteStatus.HIDDEN
    assert _note(project, b[1].id, paper.id).status is NoteStatus.SHOWN
    with pytest.raises(DomainError, match="No notes are waiting"):
        moderation.approve_all_waiting(project, b[0].id)


def test_a_flag_is_restored_exactly_with_its_time_and_follow_up(wall):
    project, _s, b, _child, post = wall
    nid = post("worried about home", "key-flag-01")
    none = moderation.set_flag(project, nid, True, "Ask Sam to check in")
    assert not none.flagged and none.note == ""
    first = moderation.set_flag(project, nid, True, "Sam checked in at the break")
    assert first.flagged and first.note == "Ask Sam to check in"
    again = moderation.set_flag(project, nid, False)
    assert again.flagged_at == first.flagged_at, "changing the note kept the flag's time"
    assert not _note(project, b[0].id, nid).flagged
    moderation.restore_flag(project, nid, again)
    note = _note(project, b[0].id, nid)
    assert note.flagged and note.flag_note == "Sam checked in at the break"
    moderation.restore_flag(project, nid, none)
    note = _note(project, b[0].id, nid)
    assert not note.flagged and note.flag_note == ""


def test_marking_several_duplicates_points_all_at_the_first_and_keeps_no_chains(wall):
    project, _s, b, _child, post = wall
    first, second, third, fourth = (post(f"n{i}", f"key-dups-0{i}") for i in range(4))
    moderation.mark_duplicate(project, fourth, third)  # fourth repeats third
    before = moderation.mark_duplicates(project, [second, third], first)
    assert before == {second: None, third: None, fourth: third}
    wall_notes = {n.id: n.duplicate_of for n in moderation.list_wall(project, b[0].id)}
    assert wall_notes == {first: None, second: first, third: first, fourth: first}
    moderation.restore_duplicates(project, before)
    wall_notes = {n.id: n.duplicate_of for n in moderation.list_wall(project, b[0].id)}
    assert wall_notes == {first: None, second: None, third: None, fourth: third}


def test_marking_the_first_note_among_its_duplicates_leaves_it_first(wall):
    project, _s, b, _child, post = wall
    first, second = post("x", "key-dups-11"), post("y", "key-dups-12")
    assert moderation.mark_duplicates(project, [first, second], first) == {second: None}
    assert _note(project, b[0].id, first).duplicate_of is None
    assert moderation.mark_duplicates(project, [second], None) == {second: first}
    with pytest.raises(DomainError, match="itself"):
        moderation.mark_duplicates(project, [first], first)
    paper = moderation.capture_paper_note(project, b[1].id, "elsewhere")
    with pytest.raises(DomainError, match="same activity"):
        moderation.mark_duplicates(project, [first, second], paper.id)


def test_a_typed_in_paper_note_can_be_taken_off_and_brought_back(wall):
    project, s, b, _child, _post = wall
    paper = moderation.capture_paper_note(project, b[0].id, "from the post-it wall")
    moderation.remove_paper_note(project, paper.id)
    assert paper.id not in {n.id for n in moderation.list_wall(project, b[0].id)}
    assert "from the post-it wall" not in projector_view(project, s.id).notes
    moderation.restore_paper_note(project, paper.id)
    assert _note(project, b[0].id, paper.id).text == "from the post-it wall"


def test_a_phone_note_is_never_taken_off_by_the_facilitator(wall):
    project, _s, b, _child, post = wall
    nid = post("mine to take back", "key-paper-01")
    with pytest.raises(DomainError, match="hide it instead"):
        moderation.remove_paper_note(project, nid)
    assert nid in {n.id for n in moderation.list_wall(project, b[0].id)}


def test_group_names_include_removed_groups(wall):
    project, _s, _b, child, _post = wall
    groups.remove_group(project, child.id)
    assert moderation.group_names(project)[child.id] == child.name


def test_the_wall_reader_sees_every_change_and_reuses_only_unchanged_notes(wall):
    project, _s, brainstorms, _child, post = wall
    act = brainstorms[0].id
    reader = moderation.WallReader(project)
    a = post("first idea", "key-reader-01")
    b = post("second idea", "key-reader-02")
    first = {n.id: n for n in reader.read(act)}
    assert set(first) == {a, b}
    moderation.approve(project, a)  # a status change
    moderation.flag(project, b, True, "check in with them")  # a flag (no updated_at bump)
    second = {n.id: n for n in reader.read(act)}
    assert second == {n.id: n for n in moderation.list_wall(project, act)}
    assert second[a].status is NoteStatus.SHOWN and second[b].flagged
    assert second[a] is not first[a] and second[b] is not first[b]
    c = post("third idea", "key-reader-03")
    third = {n.id: n for n in reader.read(act)}
    assert third[a] is second[a] and third[b] is second[b], "unchanged notes are reused"
    assert c in third


# ---------------------------------------------------------------- safeguarding by construction


def test_approve_all_waiting_never_puts_a_flagged_note_on_the_screen(wall):
    project, s, b, _child, post = wall
    calm = post("more youth clubs please", "key-safe-001")
    told = post("a man online asked me for pictures", "key-safe-002")
    moderation.set_flag(project, told, True, "talk to them at the break")
    approved = moderation.approve_all_waiting(project, b[0].id)
    assert set(approved) == {calm}
    assert _note(project, b[0].id, told).status is NoteStatus.PENDING
    assert moderation.kept_waiting(project, b[0].id).flagged == 1
    shown = projector_view(project, s.id).notes
    assert "more youth clubs please" in shown
    assert not any("pictures" in n for n in shown)
    with pytest.raises(DomainError, match="The only notes waiting are held back or flagged"):
        moderation.approve_all_waiting(project, b[0].id)


def test_a_flagged_note_goes_on_the_screen_only_when_confirmed_one_at_a_time(wall):
    project, _s, b, _child, post = wall
    told = post("my uncle says not to tell mum about our chats", "key-safe-003")
    moderation.set_flag(project, told, True)
    with pytest.raises(HeldNoteError):  # held back on arrival, and flagged
        moderation.approve(project, told)
    # Batches, undos and redos leave it where it is (they are the same call).
    assert moderation.set_status_many(project, [told], NoteStatus.SHOWN) == {}
    assert moderation.set_statuses(project, {told: NoteStatus.SHOWN}) == {}
    assert _note(project, b[0].id, told).status is NoteStatus.PENDING
    # It was also held back on arrival (a possible disclosure): confirming the flag alone
    # does not put it up, nor does releasing it without confirming the flag.
    with pytest.raises(HeldNoteError):
        moderation.approve(project, told, flagged_confirmed=True)
    with pytest.raises(FlaggedNoteError):
        moderation.release(project, told)
    moderation.release(project, told, flagged_confirmed=True)
    assert _note(project, b[0].id, told).status is NoteStatus.SHOWN
    # Hiding and sending back to waiting are always allowed.
    moderation.set_status_many(project, [told], NoteStatus.HIDDEN)
    assert _note(project, b[0].id, told).status is NoteStatus.HIDDEN


def test_a_flagged_note_taken_back_by_its_writer_stays_on_the_wall_and_off_the_screen(wall):
    project, s, b, _child, post = wall
    told = post("someone keeps messaging me", "key-safe-004")
    moderation.set_flag(project, told, True, "speak to them privately")
    other = post("never mind this one", "key-safe-005")
    who = svc.get_participant(project, _note(project, b[0].id, told).participant_id)
    assert who is not None
    svc.withdraw_note(project, who.id, told, "key-safe-006").result()
    svc.withdraw_note(project, who.id, other, "key-safe-007").result()
    wall_ids = {n.id: n for n in moderation.list_wall(project, b[0].id)}
    assert told in wall_ids and wall_ids[told].withdrawn and wall_ids[told].flagged
    assert wall_ids[told].flag_note == "speak to them privately"
    assert other not in wall_ids, "an unflagged note taken back leaves the wall"
    assert moderation.flagged_count(project, s.id) == 1
    # Its follow-up can still be written; it cannot be approved or put on the screen.
    moderation.set_flag(project, told, True, "spoke to them, they are OK")
    assert _note(project, b[0].id, told).flag_note == "spoke to them, they are OK"
    with pytest.raises(NotFoundError):
        moderation.approve(project, told, flagged_confirmed=True)
    assert not any("messaging" in n for n in projector_view(project, s.id).notes)
