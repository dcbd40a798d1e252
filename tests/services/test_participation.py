"""What a phone can do (services/participation.py), checked by reading the file back.

Every write goes through the real single writer into a real SQLite file; "nothing was
stored" is checked by counting rows.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from workshop_app.core.errors import (
    DomainError,
    LimitError,
    NobodyListeningError,
    NotFoundError,
    StateError,
)
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivitySettings,
    ActivityState,
    GroupKind,
    ModerationMode,
    NoteStatus,
    Participant,
    RatingScale,
    Session,
    SessionState,
    Standard,
    StandardLevel,
    Theme,
    VoteTarget,
)
from workshop_app.core.participation import HELP_MESSAGE_MAX, NOTE_MAX, NOTES_PER_ACTIVITY_MAX
from workshop_app.services import demo, groups, live, sessions
from workshop_app.services import participation as svc
from workshop_app.services import project as projects
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.storage import contributions, standards
from workshop_app.storage.writer import Tx

BUDGET = 5
CAP = 3
TABLES = ("participants", "notes", "note_edits", "votes", "ratings", "help_requests", "submissions")


@dataclass
class Room:
    p: OpenProject
    session: Session
    info: Activity
    brainstorm: Activity
    vote: Activity
    rate: Activity
    themes: list[str]
    standards: list[str]

    def rows(self) -> dict[str, int]:
        db = self.p.store.reader()
        return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}

    def open(self, activity: Activity) -> None:
        live.set_activity_state(self.p, activity.id, ActivityState.OPEN)

    def group(self, kind: GroupKind) -> str:
        return next(g.id for g in groups.list_groups(self.p) if g.kind is kind)

    def join(self, group: str | None = None) -> Participant:
        return svc.join(self.p, self.session.id, group).result(5)


def make_room(
    p: OpenProject,
    moderation: ModerationMode = ModerationMode.SHOW_AT_ONCE,
    vote_on: VoteTarget = VoteTarget.THEMES,
    go_live: bool = True,
) -> Room:
    s = sessions.create_session(p, SessionDetails("Room", moderation=moderation))

    def add(kind: ActivityKind, **settings: Any) -> Activity:
        fields = ActivityFields(
            kind,
            kind.value.title(),
            prompt=f"Adult {kind.value}",
            child_prompt=f"Child {kind.value}",
            settings=ActivitySettings(**settings),
        )
        return sessions.add_activity(p, s.id, fields)

    info, brainstorm = add(ActivityKind.INFO), add(ActivityKind.BRAINSTORM)
    vote = add(ActivityKind.VOTE, vote_budget=BUDGET, per_item_cap=CAP, vote_on=vote_on)
    rate = add(ActivityKind.RATE)
    now = utc_now()
    themes = [Theme(new_id(), brainstorm.id, f"Theme {i}", "#fc0", i, (), now) for i in range(4)]
    stds = [
        Standard(
            new_id(),
            f"Standard {i}",
            f"Statement {i}",
            "",
            StandardLevel.EXPECTED,
            (),
            {},
            {},
            i,
            1,
            (),
            (),
            now,
            now,
        )
        for i in range(3)
    ]

    def job(tx: Tx) -> None:
        for t in themes:
            contributions.insert_theme(tx.db, t)
        for st in stds:
            standards.insert_standard(tx.db, st)

    p.store.write_now(job)
    if go_live:
        live.go_live(p, s.id)
    return Room(p, s, info, brainstorm, vote, rate, [t.id for t in themes], [x.id for x in stds])


@pytest.fixture
def room(project: OpenProject) -> Room:
    return make_room(project)


_keys = iter(range(10**9))


def k() -> str:
    return f"svc-key-{next(_keys):06d}"


def refused(future_or_call: Any, error: type[Exception] = DomainError) -> Exception:
    """Run a submission, expecting it to be refused with `error` (sync or from the writer)."""
    with pytest.raises(error) as info:
        _settle(future_or_call)
    return info.value


def _settle(call: Any) -> None:
    result = call()
    if isinstance(result, Future):
        result.result(5)


# ---------------------------------------------------------------- join


def test_join_without_a_group_stores_an_anonymous_participant(room: Room) -> None:
    who = room.join()
    assert who.group_id is None and who.session_id == room.session.id
    assert svc.get_participant(room.p, who.id) == who
    assert room.rows()["participants"] == 1


def test_join_with_a_group_remembers_the_group(room: Room) -> None:
    gid = room.group(GroupKind.PARENT)
    who = room.join(gid)
    stored = svc.get_participant(room.p, who.id)
    assert stored is not None and stored.group_id == gid


def test_join_with_an_unknown_group_is_not_found_and_stores_no_participant(room: Room) -> None:
    refused(lambda: svc.join(room.p, room.session.id, "nope"), NotFoundError)
    assert room.rows()["participants"] == 0


def test_join_with_a_removed_group_is_not_found(room: Room) -> None:
    gid = room.group(GroupKind.PRACTITIONER)
    groups.remove_group(room.p, gid)
    refused(lambda: svc.join(room.p, room.session.id, gid), NotFoundError)
    assert room.rows()["participants"] == 0


@pytest.mark.parametrize("ended", [False, True])
def test_join_a_session_that_is_not_live_is_a_state_error(
    project: OpenProject, ended: bool
) -> None:
    r = make_room(project, go_live=ended)
    if ended:
        live.end_session(project, r.session.id)
    refused(lambda: svc.join(project, r.session.id, None), StateError)
    assert r.rows()["participants"] == 0


def _session_for(p: OpenProject, *kinds: GroupKind) -> Session:
    """A live session that invited only the groups of these kinds."""
    invited = tuple(g.id for g in groups.list_groups(p) if g.kind in kinds)
    s = sessions.create_session(p, SessionDetails("Invited only", group_ids=invited))
    return live.go_live(p, s.id)


def test_the_groups_to_choose_are_the_sessions_own_groups(project: OpenProject) -> None:
    s = _session_for(project, GroupKind.CHILD)
    chosen = svc.groups_to_choose(project, s)
    assert {g.kind for g in chosen} == {GroupKind.CHILD} and len(chosen) == 2
    assert [g.id for g in chosen] == list(s.group_ids)


def test_a_session_that_invited_no_group_offers_every_group(room: Room) -> None:
    assert room.session.group_ids == ()
    assert svc.groups_to_choose(room.p, room.session) == groups.list_groups(room.p)


def test_joining_with_a_group_the_session_did_not_invite_is_refused(
    project: OpenProject,
) -> None:
    s = _session_for(project, GroupKind.CHILD)
    practitioners = next(
        g.id for g in groups.list_groups(project) if g.kind is GroupKind.PRACTITIONER
    )
    refused(lambda: svc.join(project, s.id, practitioners), DomainError)
    assert project.store.reader().execute("SELECT count(*) FROM participants").fetchone()[0] == 0
    assert svc.join(project, s.id, s.group_ids[0]).result(5).group_id == s.group_ids[0]


def test_each_join_is_a_new_random_participant(room: Room) -> None:
    ids = {room.join().id for _ in range(20)}
    assert len(ids) == 20 and all(len(i) == 32 for i in ids)


# ---------------------------------------------------------------- post_note


@pytest.mark.parametrize(
    ("moderation", "status"),
    [
        (ModerationMode.APPROVE_FIRST, NoteStatus.PENDING),
        (ModerationMode.SHOW_AT_ONCE, NoteStatus.SHOWN),
    ],
)
def test_a_note_is_pending_or_shown_according_to_the_sessions_moderation(
    project: OpenProject, moderation: ModerationMode, status: NoteStatus
) -> None:
    r = make_room(project, moderation=moderation)
    r.open(r.brainstorm)
    who = r.join()
    body = svc.post_note(project, who.id, r.brainstorm.id, "  Block strangers  ", k()).result(5)
    assert body.replayed is False
    assert body.body["note"]["status"] == status.value
    assert body.body["note"]["text"] == "Block strangers"
    [note] = contributions.list_notes(project.store.reader(), r.brainstorm.id)
    assert (note.text, note.original_text, note.status) == (
        "Block strangers",
        "Block strangers",
        status,
    )
    assert note.participant_id == who.id and note.group_id == who.group_id


def test_a_note_carries_the_participants_group(room: Room) -> None:
    room.open(room.brainstorm)
    gid = room.group(GroupKind.CHILD)
    who = room.join(gid)
    svc.post_note(room.p, who.id, room.brainstorm.id, "Idea", k()).result(5)
    [note] = contributions.list_notes(room.p.store.reader(), room.brainstorm.id)
    assert note.group_id == gid


@pytest.mark.parametrize("state", ["pending", "closed"])
def test_a_note_for_an_activity_that_is_not_open_is_a_state_error(room: Room, state: str) -> None:
    if state == "closed":
        room.open(room.brainstorm)
        live.set_activity_state(room.p, room.brainstorm.id, ActivityState.CLOSED)
    who = room.join()
    before = room.rows()
    refused(lambda: svc.post_note(room.p, who.id, room.brainstorm.id, "x", k()), StateError)
    assert room.rows() == before


def test_a_note_for_a_vote_activity_is_a_domain_error(room: Room) -> None:
    room.open(room.vote)
    who = room.join()
    before = room.rows()
    e = refused(lambda: svc.post_note(room.p, who.id, room.vote.id, "x", k()))
    assert not isinstance(e, NotFoundError | StateError)
    assert room.rows() == before


def test_a_note_for_another_sessions_activity_is_not_found(project: OpenProject) -> None:
    mine, other = make_room(project), make_room(project)
    mine.open(mine.brainstorm)
    other.open(other.brainstorm)
    who = mine.join()
    before = mine.rows()
    refused(lambda: svc.post_note(project, who.id, other.brainstorm.id, "x", k()), NotFoundError)
    refused(lambda: svc.post_note(project, who.id, "unknown", "x", k()), NotFoundError)
    assert mine.rows() == before


def test_a_note_after_the_session_ended_is_a_state_error(room: Room) -> None:
    room.open(room.brainstorm)
    who = room.join()
    live.end_session(room.p, room.session.id)
    before = room.rows()
    refused(lambda: svc.post_note(room.p, who.id, room.brainstorm.id, "x", k()), StateError)
    assert room.rows() == before


def test_a_note_from_an_unknown_participant_is_not_found(room: Room) -> None:
    room.open(room.brainstorm)
    refused(lambda: svc.post_note(room.p, "ghost", room.brainstorm.id, "x", k()), NotFoundError)
    assert room.rows()["notes"] == 0


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\t\n", "\x00\x01\x02", "x" * (NOTE_MAX + 1), None, 42, ["a"], {"t": "a"}, b"a"],
    ids=[
        "empty",
        "spaces",
        "whitespace",
        "controls",
        "too-long",
        "none",
        "int",
        "list",
        "dict",
        "bytes",
    ],
)
def test_a_note_that_is_empty_too_long_or_not_text_is_refused_and_nothing_stored(
    room: Room, text: object
) -> None:
    room.open(room.brainstorm)
    who = room.join()
    before = room.rows()
    refused(lambda: svc.post_note(room.p, who.id, room.brainstorm.id, text, k()))
    assert room.rows() == before


def test_a_note_of_exactly_the_limit_is_stored_and_control_characters_are_dropped(
    room: Room,
) -> None:
    room.open(room.brainstorm)
    who = room.join()
    svc.post_note(room.p, who.id, room.brainstorm.id, "a\x00b\x07c\r\nd", k()).result(5)
    svc.post_note(room.p, who.id, room.brainstorm.id, "y" * NOTE_MAX, k()).result(5)
    texts = [n.text for n in contributions.list_notes(room.p.store.reader(), room.brainstorm.id)]
    assert texts == ["abc\nd", "y" * NOTE_MAX]


@pytest.mark.parametrize("bad_key", [None, "", "short", "x" * 65, "has space!", 12345678, ["k"]])
def test_a_submission_without_a_proper_key_is_refused(room: Room, bad_key: object) -> None:
    room.open(room.brainstorm)
    who = room.join()
    before = room.rows()
    refused(lambda: svc.post_note(room.p, who.id, room.brainstorm.id, "x", bad_key))
    assert room.rows() == before


def test_the_same_key_twice_replays_the_first_answer_and_stores_one_note(room: Room) -> None:
    room.open(room.brainstorm)
    who = room.join()
    key = k()
    first = svc.post_note(room.p, who.id, room.brainstorm.id, "Once", key).result(5)
    again = svc.post_note(room.p, who.id, room.brainstorm.id, "Once", key).result(5)
    different_text = svc.post_note(room.p, who.id, room.brainstorm.id, "Other", key).result(5)
    assert (first.replayed, again.replayed, different_text.replayed) == (False, True, True)
    assert again.body == first.body == different_text.body
    assert room.rows()["notes"] == 1


def test_the_same_key_sent_concurrently_stores_one_note(room: Room) -> None:
    room.open(room.brainstorm)
    who = room.join()
    key = k()
    futures = [svc.post_note(room.p, who.id, room.brainstorm.id, "Once", key) for _ in range(20)]
    results = [f.result(5) for f in futures]
    assert sum(not r.replayed for r in results) == 1
    assert len({str(r.body) for r in results}) == 1
    assert room.rows()["notes"] == 1


def test_the_same_key_from_another_participant_is_independent(room: Room) -> None:
    room.open(room.brainstorm)
    a, b = room.join(), room.join()
    key = k()
    first = svc.post_note(room.p, a.id, room.brainstorm.id, "From A", key).result(5)
    second = svc.post_note(room.p, b.id, room.brainstorm.id, "From B", key).result(5)
    assert not second.replayed
    assert first.body["note"]["id"] != second.body["note"]["id"]
    assert room.rows()["notes"] == 2


def test_a_refused_submission_does_not_use_up_its_key(room: Room) -> None:
    who = room.join()
    key = k()
    refused(lambda: svc.post_note(room.p, who.id, room.brainstorm.id, "Early", key), StateError)
    room.open(room.brainstorm)
    ok = svc.post_note(room.p, who.id, room.brainstorm.id, "Early", key).result(5)
    assert not ok.replayed and room.rows()["notes"] == 1


def test_the_flood_guard_stops_notes_at_the_limit(room: Room) -> None:
    room.open(room.brainstorm)
    who, other = room.join(), room.join()
    futures = [
        svc.post_note(room.p, who.id, room.brainstorm.id, f"n{i}", k())
        for i in range(NOTES_PER_ACTIVITY_MAX)
    ]
    for f in futures:
        f.result(5)
    refused(lambda: svc.post_note(room.p, who.id, room.brainstorm.id, "one more", k()), LimitError)
    assert room.rows()["notes"] == NOTES_PER_ACTIVITY_MAX
    svc.post_note(room.p, other.id, room.brainstorm.id, "someone else", k()).result(5)
    assert room.rows()["notes"] == NOTES_PER_ACTIVITY_MAX + 1


# ---------------------------------------------------------------- edit and withdraw


@pytest.fixture
def noted(room: Room) -> tuple[Room, Participant, str]:
    room.open(room.brainstorm)
    who = room.join()
    sent = svc.post_note(room.p, who.id, room.brainstorm.id, "First words", k()).result(5)
    return room, who, sent.body["note"]["id"]


def note_row(p: OpenProject, note_id: str) -> dict[str, Any]:
    return dict(next(p.store.reader().query("SELECT * FROM notes WHERE id = ?", [note_id])))


def test_editing_a_note_keeps_its_original_text_and_records_the_edit(
    noted: tuple[Room, Participant, str],
) -> None:
    room, who, nid = noted
    out = svc.edit_note(room.p, who.id, nid, "Better words", k()).result(5)
    assert out.body["note"]["text"] == "Better words" and out.body["note"]["edited"] is True
    row = note_row(room.p, nid)
    assert (row["text"], row["original_text"]) == ("Better words", "First words")
    edits = list(room.p.store.reader().query("SELECT * FROM note_edits WHERE note_id = ?", [nid]))
    assert [(e["old_text"], e["new_text"], e["edited_by"]) for e in edits] == [
        ("First words", "Better words", "participant")
    ]


def test_editing_a_note_to_the_same_text_writes_no_edit(
    noted: tuple[Room, Participant, str],
) -> None:
    room, who, nid = noted
    out = svc.edit_note(room.p, who.id, nid, "  First words ", k()).result(5)
    assert out.body["note"]["edited"] is False
    assert room.rows()["note_edits"] == 0


def test_editing_someone_elses_note_is_not_found(noted: tuple[Room, Participant, str]) -> None:
    room, _who, nid = noted
    stranger = room.join()
    before = room.rows()
    refused(lambda: svc.edit_note(room.p, stranger.id, nid, "Hijack", k()), NotFoundError)
    refused(lambda: svc.withdraw_note(room.p, stranger.id, nid, k()), NotFoundError)
    assert room.rows() == before
    assert note_row(room.p, nid)["text"] == "First words"
    assert note_row(room.p, nid)["withdrawn_at"] is None


@pytest.mark.parametrize("text", ["", "x" * (NOTE_MAX + 1), None])
def test_an_edit_with_bad_text_is_refused(
    noted: tuple[Room, Participant, str], text: object
) -> None:
    room, who, nid = noted
    refused(lambda: svc.edit_note(room.p, who.id, nid, text, k()))
    assert note_row(room.p, nid)["text"] == "First words"
    assert room.rows()["note_edits"] == 0


def test_withdrawing_a_note_hides_it_from_the_phone_and_the_counts(
    noted: tuple[Room, Participant, str],
) -> None:
    room, who, nid = noted
    out = svc.withdraw_note(room.p, who.id, nid, k()).result(5)
    assert out.body == {"withdrawn": nid}
    assert note_row(room.p, nid)["withdrawn_at"] is not None
    assert projects.get_counts(room.p).notes == 0
    assert svc.phone_view(room.p, who).my_notes == ()


def test_a_withdrawn_note_cannot_be_edited_or_withdrawn_again(
    noted: tuple[Room, Participant, str],
) -> None:
    room, who, nid = noted
    svc.withdraw_note(room.p, who.id, nid, k()).result(5)
    before = room.rows()
    refused(lambda: svc.edit_note(room.p, who.id, nid, "Back again", k()), NotFoundError)
    refused(lambda: svc.withdraw_note(room.p, who.id, nid, k()), NotFoundError)
    assert room.rows() == before
    assert note_row(room.p, nid)["text"] == "First words"


def test_a_note_cannot_be_edited_once_its_activity_closed(
    noted: tuple[Room, Participant, str],
) -> None:
    room, who, nid = noted
    live.set_activity_state(room.p, room.brainstorm.id, ActivityState.CLOSED)
    refused(lambda: svc.edit_note(room.p, who.id, nid, "Late", k()), StateError)
    refused(lambda: svc.withdraw_note(room.p, who.id, nid, k()), StateError)
    assert note_row(room.p, nid)["text"] == "First words"
    assert note_row(room.p, nid)["withdrawn_at"] is None


# ---------------------------------------------------------------- votes


@pytest.fixture
def voting(room: Room) -> tuple[Room, Participant]:
    room.open(room.vote)
    return room, room.join()


def stored_votes(room: Room, who: Participant) -> dict[str, int]:
    return dict(svc.phone_view(room.p, who).my_votes)


def test_votes_within_the_budget_are_stored(voting: tuple[Room, Participant]) -> None:
    room, who = voting
    t = room.themes
    out = svc.cast_votes(room.p, who.id, room.vote.id, {t[0]: 3, t[1]: 2, t[2]: 0}, k()).result(5)
    assert out.body == {"dots": {t[0]: 3, t[1]: 2}, "used": 5, "budget": BUDGET}
    assert stored_votes(room, who) == {t[0]: 3, t[1]: 2}
    assert room.rows()["votes"] == 2


def test_a_new_allocation_replaces_the_old_one(voting: tuple[Room, Participant]) -> None:
    room, who = voting
    t = room.themes
    svc.cast_votes(room.p, who.id, room.vote.id, {t[0]: 3, t[1]: 2}, k()).result(5)
    svc.cast_votes(room.p, who.id, room.vote.id, {t[2]: 1}, k()).result(5)
    assert stored_votes(room, who) == {t[2]: 1}
    svc.cast_votes(room.p, who.id, room.vote.id, {}, k()).result(5)
    assert stored_votes(room, who) == {}


def _bad_allocations(t: list[str]) -> dict[str, object]:
    return {
        "over budget": {t[0]: 3, t[1]: 3},
        "over per-item cap": {t[0]: CAP + 1},
        "negative": {t[0]: -1, t[1]: 2},
        "unknown item": {"not-a-theme": 1},
        "unknown item with zero": {t[0]: 1, "gone": 0},
        "bool": {t[0]: True},
        "float": {t[0]: 1.0},
        "string number": {t[0]: "2"},
        "none": {t[0]: None},
        "huge": {t[0]: 10**6},
        "not a mapping": [t[0], 1],
        "a number": 3,
        "too many items": {f"i{i}": 0 for i in range(201)},
        "key too long": {"x" * 65: 1},
    }


@pytest.mark.parametrize("case", list(_bad_allocations(["a", "b"])))
def test_a_bad_allocation_is_refused_and_the_previous_votes_stay(
    voting: tuple[Room, Participant], case: str
) -> None:
    room, who = voting
    t = room.themes
    svc.cast_votes(room.p, who.id, room.vote.id, {t[3]: 1}, k()).result(5)
    before = room.rows()
    dots = _bad_allocations(t)[case]
    refused(lambda: svc.cast_votes(room.p, who.id, room.vote.id, dots, k()))
    assert room.rows() == before
    assert stored_votes(room, who) == {t[3]: 1}


def test_votes_for_a_closed_vote_are_a_state_error(voting: tuple[Room, Participant]) -> None:
    room, who = voting
    live.set_activity_state(room.p, room.vote.id, ActivityState.CLOSED)
    refused(
        lambda: svc.cast_votes(room.p, who.id, room.vote.id, {room.themes[0]: 1}, k()), StateError
    )
    assert room.rows()["votes"] == 0


def test_votes_for_a_brainstorm_are_a_domain_error(room: Room) -> None:
    room.open(room.brainstorm)
    who = room.join()
    e = refused(lambda: svc.cast_votes(room.p, who.id, room.brainstorm.id, {}, k()))
    assert not isinstance(e, NotFoundError | StateError)


def test_racing_allocations_from_one_phone_never_exceed_the_budget(
    voting: tuple[Room, Participant],
) -> None:
    room, who = voting
    t = room.themes
    allocations = [
        {t[i % 4]: CAP, t[(i + 1) % 4]: BUDGET - CAP} if i % 3 else {t[i % 4]: CAP}
        for i in range(50)
    ]
    # All fifty are queued before any answer is awaited: the writer sees them together.
    futures = [svc.cast_votes(room.p, who.id, room.vote.id, a, k()) for a in allocations]
    results = [f.result(10) for f in futures]
    assert all(r.body["used"] <= BUDGET for r in results)
    stored = stored_votes(room, who)
    assert sum(stored.values()) <= BUDGET
    assert stored == {x: n for x, n in allocations[-1].items() if n}  # the last one wins
    db = room.p.store.reader()
    total = db.execute("SELECT sum(dots) FROM votes WHERE participant_id = ?", [who.id]).fetchone()[
        0
    ]
    assert total <= BUDGET


def test_racing_over_budget_allocations_are_all_refused(voting: tuple[Room, Participant]) -> None:
    room, who = voting
    t = room.themes
    futures = [
        svc.cast_votes(room.p, who.id, room.vote.id, {t[0]: CAP, t[1]: CAP}, k()) for _ in range(30)
    ]
    for f in futures:
        with pytest.raises(DomainError):
            f.result(10)
    assert room.rows()["votes"] == 0


def test_votes_on_notes_are_on_the_shown_notes_only(project: OpenProject) -> None:
    r = make_room(project, moderation=ModerationMode.APPROVE_FIRST, vote_on=VoteTarget.NOTES)
    r.open(r.brainstorm)
    who = r.join()
    pending = svc.post_note(project, who.id, r.brainstorm.id, "Waiting", k()).result(5)
    r.open(r.vote)
    view = svc.phone_view(project, who)
    assert view.vote_items == ()
    refused(
        lambda: svc.cast_votes(project, who.id, r.vote.id, {pending.body["note"]["id"]: 1}, k()),
        NotFoundError,
    )


# ---------------------------------------------------------------- ratings


@pytest.fixture
def rating(room: Room) -> Room:
    room.open(room.rate)
    return room


def stored_ratings(p: OpenProject, who: Participant) -> list[tuple[str, int, int, str]]:
    return [
        (r["standard_id"], r["value"], r["raw_value"], r["scale"])
        for r in p.store.reader().query(
            "SELECT * FROM ratings WHERE participant_id = ? ORDER BY standard_id", [who.id]
        )
    ]


def test_a_nine_point_rating_stores_the_raw_value_as_the_value(rating: Room) -> None:
    who = rating.join(rating.group(GroupKind.PARENT))
    s = rating.standards
    out = svc.rate(rating.p, who.id, rating.rate.id, {s[0]: 8, s[1]: 1}, k()).result(5)
    assert out.body == {"ratings": {s[0]: 8, s[1]: 1}, "scale": "nine_point"}
    assert stored_ratings(rating.p, who) == sorted(
        [(s[0], 8, 8, "nine_point"), (s[1], 1, 1, "nine_point")]
    )


@pytest.mark.parametrize(("raw", "value"), [(1, 1), (2, 3), (3, 5), (4, 7), (5, 9)])
def test_a_child_friendly_group_rates_with_smileys_mapped_onto_nine_points(
    rating: Room, raw: int, value: int
) -> None:
    who = rating.join(rating.group(GroupKind.CHILD))
    s = rating.standards[0]
    out = svc.rate(rating.p, who.id, rating.rate.id, {s: raw}, k()).result(5)
    assert out.body["scale"] == "smiley"
    assert stored_ratings(rating.p, who) == [(s, value, raw, "smiley")]
    assert svc.phone_view(rating.p, who).my_ratings == {s: raw}


def test_rating_again_replaces_the_earlier_rating(rating: Room) -> None:
    who = rating.join()
    s = rating.standards[0]
    svc.rate(rating.p, who.id, rating.rate.id, {s: 2}, k()).result(5)
    svc.rate(rating.p, who.id, rating.rate.id, {s: 9}, k()).result(5)
    assert stored_ratings(rating.p, who) == [(s, 9, 9, "nine_point")]


@pytest.mark.parametrize(
    ("group", "raw"),
    [(GroupKind.PARENT, 0), (GroupKind.PARENT, 10), (GroupKind.CHILD, 6), (GroupKind.CHILD, 0)],
)
def test_a_rating_outside_the_scale_is_refused(rating: Room, group: GroupKind, raw: int) -> None:
    who = rating.join(rating.group(group))
    s = rating.standards
    before = rating.rows()
    refused(
        lambda: svc.rate(rating.p, who.id, rating.rate.id, {s[0]: 5 if raw else 3, s[1]: raw}, k())
    )
    assert rating.rows() == before


@pytest.mark.parametrize(
    "ratings", [{}, {"unknown": 5}, [1, 2], {"x": True}, {"x": 2.5}, None], ids=str
)
def test_a_bad_rating_request_is_refused_and_nothing_stored(rating: Room, ratings: object) -> None:
    who = rating.join()
    good = {rating.standards[0]: 5}
    payload = {**good, **ratings} if isinstance(ratings, dict) and ratings else ratings
    before = rating.rows()
    refused(lambda: svc.rate(rating.p, who.id, rating.rate.id, payload, k()))
    assert rating.rows() == before


def test_rating_a_vote_activity_is_refused(room: Room) -> None:
    room.open(room.vote)
    who = room.join()
    refused(lambda: svc.rate(room.p, who.id, room.vote.id, {room.standards[0]: 5}, k()))
    assert room.rows()["ratings"] == 0


def test_ratings_with_the_demo_projects_standards(tmp_path: Path) -> None:
    path = tmp_path / "demo.cground"
    demo.write_demo(path)
    with projects.open_project(path) as p:
        r = make_room(p)
        r.open(r.rate)
        who = r.join()
        view = svc.phone_view(p, who)
        assert len(view.statements) >= 5  # the demo's standards and ours
        demo_statement = view.statements[0].id
        svc.rate(p, who.id, r.rate.id, {demo_statement: 7}, k()).result(5)
        assert svc.phone_view(p, who).my_ratings == {demo_statement: 7}


# ---------------------------------------------------------------- help


def test_help_through_an_ended_sessions_link_reaches_whoever_runs_the_live_one(
    project: OpenProject,
) -> None:
    earlier = make_room(project)
    who = earlier.join()
    live.end_session(project, earlier.session.id)
    make_room(project)  # today's session, live
    seen: list[Changed] = []
    project.bus.subscribe(lambda e: seen.append(e) if isinstance(e, Changed) else None)
    out = svc.request_help(project, who.id, "By the window", k()).result(5)
    assert out.body == {"help": "sent"}
    [req] = contributions.list_help_requests(project.store.reader(), earlier.session.id)
    assert (req.message, req.participant_id) == ("By the window", who.id)
    assert any(e.topic is Topic.HELP and e.session_id == earlier.session.id for e in seen)


@pytest.mark.parametrize("newcomer", [False, True], ids=["joined", "never joined"])
def test_help_that_nobody_would_read_is_refused_and_stores_nothing(
    room: Room, newcomer: bool
) -> None:
    who = room.join()
    live.end_session(room.p, room.session.id)  # no session of the project is live now
    before = room.rows()
    if newcomer:
        refused(
            lambda: svc.request_help_as_newcomer(room.p, room.session.id, "Hello?", k()),
            NobodyListeningError,
        )
    else:
        refused(lambda: svc.request_help(room.p, who.id, "Hello?", k()), NobodyListeningError)
    assert room.rows() == before  # no request and, for a newcomer, no participant either
    assert not svc.someone_listening(room.p, sessions.get_session(room.p, room.session.id))


def test_help_before_joining_gets_an_id_of_its_own_with_no_group(room: Room) -> None:
    before = room.rows()
    answer = svc.request_help_as_newcomer(room.p, room.session.id, None, k()).result(5)
    assert answer.submitted.body == {"help": "sent"}
    who = svc.get_participant(room.p, answer.participant_id)
    assert who is not None and who.group_id is None and not who.joined
    [req] = contributions.list_help_requests(room.p.store.reader(), room.session.id)
    assert (req.message, req.participant_id) == ("", who.id)
    assert room.rows()["participants"] == before["participants"] + 1


def test_a_newcomers_refused_help_request_creates_nobody(room: Room) -> None:
    before = room.rows()
    refused(lambda: svc.request_help_as_newcomer(room.p, room.session.id, "x" * 301, k()))
    refused(lambda: svc.request_help_as_newcomer(room.p, room.session.id, "ok", "bad key\n"))
    refused(lambda: svc.request_help_as_newcomer(room.p, room.session.id, "\ud800", k()))
    assert room.rows() == before


@pytest.mark.parametrize("message", ["x" * (HELP_MESSAGE_MAX + 1), 5, ["hi"]])
def test_a_help_message_too_long_or_not_text_is_refused(room: Room, message: object) -> None:
    who = room.join()
    before = room.rows()
    refused(lambda: svc.request_help(room.p, who.id, message, k()))
    assert room.rows() == before


def test_a_help_message_of_exactly_the_limit_is_stored(room: Room) -> None:
    who = room.join()
    svc.request_help(room.p, who.id, "h" * HELP_MESSAGE_MAX, k()).result(5)
    assert room.rows()["help_requests"] == 1


def test_a_repeated_help_request_is_stored_once(room: Room) -> None:
    who = room.join()
    key = k()
    first = svc.request_help(room.p, who.id, "Please", key).result(5)
    again = svc.request_help(room.p, who.id, "Please", key).result(5)
    assert again.replayed and again.body == first.body
    assert room.rows()["help_requests"] == 1


# ---------------------------------------------------------------- phone_view


def test_the_phone_view_shows_the_child_friendly_prompt_to_child_groups(room: Room) -> None:
    room.open(room.brainstorm)
    child = svc.phone_view(room.p, room.join(room.group(GroupKind.CHILD)))
    adult = svc.phone_view(room.p, room.join(room.group(GroupKind.PARENT)))
    anonymous = svc.phone_view(room.p, room.join())
    assert (child.child_friendly, child.prompt) == (True, "Child brainstorm")
    assert (adult.child_friendly, adult.prompt) == (False, "Adult brainstorm")
    assert anonymous.prompt == "Adult brainstorm"
    assert child.accepting and adult.accepting


def test_the_phone_view_falls_back_to_the_adult_prompt_without_a_child_prompt(
    project: OpenProject,
) -> None:
    s = sessions.create_session(project, SessionDetails("Plain"))
    sessions.add_activity(
        project, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas", prompt="Adults only")
    )
    live.go_live(project, s.id)
    gid = next(g.id for g in groups.list_groups(project) if g.child_friendly)
    who = svc.join(project, s.id, gid).result(5)
    assert svc.phone_view(project, who).prompt == "Adults only"


def test_a_child_rating_without_a_child_prompt_is_not_given_the_adults_scale_instructions(
    project: OpenProject,
) -> None:
    s = sessions.create_session(project, SessionDetails("Plain"))
    rate = sessions.add_activity(
        project,
        s.id,
        ActivityFields(ActivityKind.RATE, "Rating", prompt="Rate each statement from 1 to 9."),
    )
    live.go_live(project, s.id)
    live.set_activity_state(project, rate.id, ActivityState.OPEN)
    child = next(g.id for g in groups.list_groups(project) if g.child_friendly)
    adult = next(g.id for g in groups.list_groups(project) if not g.child_friendly)
    assert svc.phone_view(project, svc.join(project, s.id, child).result(5)).prompt == ""
    adults_view = svc.phone_view(project, svc.join(project, s.id, adult).result(5))
    assert adults_view.prompt == "Rate each statement from 1 to 9."


def test_no_group_in_a_childrens_session_rates_with_faces_as_it_is_shown(
    project: OpenProject,
) -> None:
    s = _session_for(project, GroupKind.CHILD)
    rate = sessions.add_activity(project, s.id, ActivityFields(ActivityKind.RATE, "Rating"))
    live.set_activity_state(project, rate.id, ActivityState.OPEN)
    now = utc_now()
    standard = Standard(
        new_id(), "A", "Statement", "", StandardLevel.EXPECTED, (), {}, {}, 0, 1, (), (), now, now
    )
    project.store.write_now(lambda tx: standards.insert_standard(tx.db, standard))
    who = svc.join(project, s.id, None).result(5)
    assert svc.for_children(project, s, who) and svc.for_children(project, s, None)
    assert svc.phone_view(project, who).scale is RatingScale.SMILEY
    svc.rate(project, who.id, rate.id, {standard.id: 5}, k()).result(5)
    row = project.store.reader().execute("SELECT value, raw_value, scale FROM ratings").fetchone()
    assert tuple(row) == (9, 5, "smiley")


def test_the_phone_view_lists_vote_items_from_the_sessions_themes(room: Room) -> None:
    room.open(room.vote)
    view = svc.phone_view(room.p, room.join())
    assert [i.id for i in view.vote_items] == room.themes
    assert [i.text for i in view.vote_items] == [f"Theme {i}" for i in range(4)]
    assert (view.budget, view.per_item_cap) == (BUDGET, CAP)


def test_the_phone_view_lists_vote_items_from_shown_notes(project: OpenProject) -> None:
    r = make_room(project, vote_on=VoteTarget.NOTES)
    r.open(r.brainstorm)
    who = r.join()
    a = svc.post_note(project, who.id, r.brainstorm.id, "Note A", k()).result(5)
    b = svc.post_note(project, who.id, r.brainstorm.id, "Note B", k()).result(5)
    svc.withdraw_note(project, who.id, b.body["note"]["id"], k()).result(5)
    r.open(r.vote)
    view = svc.phone_view(project, who)
    assert [(i.id, i.text) for i in view.vote_items] == [(a.body["note"]["id"], "Note A")]


def test_vote_results_are_shown_only_after_reveal(voting: tuple[Room, Participant]) -> None:
    room, who = voting
    t = room.themes
    other = room.join()
    svc.cast_votes(room.p, who.id, room.vote.id, {t[0]: 3, t[1]: 1}, k()).result(5)
    svc.cast_votes(room.p, other.id, room.vote.id, {t[1]: 3}, k()).result(5)
    open_view = svc.phone_view(room.p, who)
    assert open_view.results == () and open_view.turnout == 2
    assert open_view.my_votes == {t[0]: 3, t[1]: 1}
    live.set_activity_state(room.p, room.vote.id, ActivityState.CLOSED)
    assert svc.phone_view(room.p, who).results == ()
    live.set_activity_state(room.p, room.vote.id, ActivityState.REVEALED)
    results = svc.phone_view(room.p, who).results
    assert [(r.item.id, r.total) for r in results] == [(t[1], 4), (t[0], 3), (t[2], 0), (t[3], 0)]
    assert not svc.phone_view(room.p, who).accepting


def test_tied_vote_results_share_a_rank_on_the_phone(voting: tuple[Room, Participant]) -> None:
    room, who = voting
    t = room.themes
    other = room.join()
    svc.cast_votes(room.p, who.id, room.vote.id, {t[0]: 2, t[2]: 1}, k()).result(5)
    svc.cast_votes(room.p, other.id, room.vote.id, {t[1]: 2, t[3]: 1}, k()).result(5)
    live.set_activity_state(room.p, room.vote.id, ActivityState.CLOSED)
    live.set_activity_state(room.p, room.vote.id, ActivityState.REVEALED)
    results = svc.phone_view(room.p, who).results
    assert [(r.rank, r.item.id, r.total, r.joint) for r in results] == [
        (1, t[0], 2, True),
        (1, t[1], 2, True),
        (3, t[2], 1, True),
        (3, t[3], 1, True),
    ]


def test_the_rating_view_uses_smileys_for_children_and_the_activity_scale_for_others(
    rating: Room,
) -> None:
    child = svc.phone_view(rating.p, rating.join(rating.group(GroupKind.CHILD)))
    adult = svc.phone_view(rating.p, rating.join(rating.group(GroupKind.PRACTITIONER)))
    assert child.scale is RatingScale.SMILEY and adult.scale is RatingScale.NINE_POINT
    assert [st.id for st in adult.statements] == rating.standards


def test_the_phone_view_shows_only_my_notes_in_the_current_activity(room: Room) -> None:
    room.open(room.brainstorm)
    me, other = room.join(), room.join()
    svc.post_note(room.p, me.id, room.brainstorm.id, "Mine", k()).result(5)
    svc.post_note(room.p, other.id, room.brainstorm.id, "Theirs", k()).result(5)
    assert [n.text for n in svc.phone_view(room.p, me).my_notes] == ["Mine"]
    room.open(room.vote)
    assert svc.phone_view(room.p, me).my_notes == ()


def test_the_phone_view_of_an_ended_session_accepts_nothing(room: Room) -> None:
    room.open(room.brainstorm)
    who = room.join()
    live.end_session(room.p, room.session.id)
    view = svc.phone_view(room.p, who)
    assert view.session.state is SessionState.CLOSED and not view.accepting
