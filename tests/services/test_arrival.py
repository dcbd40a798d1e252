"""The arrival check's second look (decision 032), through the real services, file, writer,
theme model and shipped disclosure reference.

While a look runs, a phone's note is stored unread and never reaches the projector until the
look has read it; a note the phrase rules let through but whose nearest labelled notes are
possible disclosures is then held, exactly as one the rules found: off the projector in a
*show at once* session, help offered on the phone's page, the reason kept as a kind. Its
vector is kept with it. When the look cannot read, the rules alone decide and nothing a phone
sends is lost or kept off the projector for good.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from tests import disk
from workshop_app.core import safeguarding
from workshop_app.core.ids import utc_now
from workshop_app.core.model import (
    ActivityKind,
    ActivityState,
    ModerationMode,
    Note,
    NoteStatus,
    Participant,
)
from workshop_app.core.survey import QuestionFields, QuestionKind
from workshop_app.services import live, moderation, projection, sessions, survey
from workshop_app.services import participation as phones
from workshop_app.services.arrival import SecondLook
from workshop_app.services.events import Reviewed
from workshop_app.services.project import OpenProject, open_project
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.services.vectors import VectorKeeper
from workshop_app.storage import vectors as vectors_repo
from workshop_app.themes import ThemeEngine, ThemeModel
from workshop_app.themes.disclosure import DisclosureCheck
from workshop_app.web.server import ParticipantServer

# In no labelled file; the rules let them through; all three of their nearest labelled notes
# are possible disclosures (asserted below, so a new reference that changes that says so).
UNSPOKEN = "a man in a game told me he would buy me a ps5 if i met him"
SOFTLY = "no point anymore honestly"
ORDINARY = "more youth clubs in the evening"
READS_LIKE = safeguarding.ReasonKind.READS_LIKE_DISCLOSURE.value


@pytest.fixture
def engine(shipped_engine: ThemeEngine) -> ThemeEngine:
    return shipped_engine


@dataclass
class Room:
    p: OpenProject
    session_id: str
    brainstorm: str
    look: SecondLook
    n: int = 0

    def join(self) -> Participant:
        return phones.join(self.p, self.session_id, None).result(5)

    def key(self) -> str:
        self.n += 1
        return f"key-arrival-{self.n:04d}"

    def post(self, who: Participant, text: str, key: str | None = None) -> dict[str, Any]:
        future = phones.post_note(
            self.p, who.id, self.brainstorm, text, key or self.key(), look=self.look
        )
        return future.result(10).body

    def read(self) -> None:
        """Let the look read what is waiting (it runs on its own thread)."""
        self.look.notify()
        assert self.look.wait_idle(60)

    def note(self, note_id: str) -> Note:
        return next(n for n in moderation.list_wall(self.p, self.brainstorm) if n.id == note_id)

    def projected(self) -> tuple[str, ...]:
        return projection.projector_view(self.p, self.session_id).notes


def _room(p: OpenProject, look: SecondLook, mode: ModerationMode) -> Room:
    s = sessions.create_session(p, SessionDetails("Drop-in", moderation=mode))
    fields = ActivityFields(ActivityKind.BRAINSTORM, "What matters", prompt="What matters")
    brainstorm = sessions.add_activity(p, s.id, fields).id
    live.go_live(p, s.id)
    live.show_activity(p, brainstorm)
    live.set_activity_state(p, brainstorm, ActivityState.OPEN)
    return Room(p, s.id, brainstorm, look)


@pytest.fixture
def at_once(project: OpenProject, look: SecondLook) -> Room:
    return _room(project, look, ModerationMode.SHOW_AT_ONCE)


def test_the_notes_used_here_are_what_they_say(engine: ThemeEngine) -> None:
    reference = DisclosureCheck.load()
    found = reference.neighbours(engine.encode([UNSPOKEN, SOFTLY, ORDINARY]))
    assert list(found) == [3, 3, 0]
    for text in (UNSPOKEN, SOFTLY, ORDINARY):
        assert not safeguarding.check(text).hold, f"the rules alone hold {text!r}"


def test_a_note_that_reads_like_a_disclosure_is_held_off_the_projector(at_once: Room) -> None:
    who = at_once.join()
    told: list[object] = []
    at_once.p.bus.subscribe(told.append)
    ordinary = at_once.post(who, ORDINARY)
    unspoken = at_once.post(who, UNSPOKEN)
    at_once.read()
    # its phone, and only its phone, is told to re-read its page (waiting, and help offered)
    assert Reviewed(at_once.session_id, frozenset({who.id})) in told
    assert "support" not in ordinary
    note = at_once.note(unspoken["note"]["id"])
    assert note.held and note.status is NoteStatus.PENDING and not note.unread
    assert note.hold_reasons == (READS_LIKE,)
    assert safeguarding.hold_labels(note.hold_reasons) == [
        "Possible disclosure: reads like one, though no particular words matched"
    ]
    assert at_once.projected() == (ORDINARY,)
    assert moderation.held_count(at_once.p, at_once.session_id) == moderation.HeldCount(1, 1)
    assert phones.phone_view(at_once.p, who).support == phones.support_info(at_once.p)
    assert at_once.look.held_count == 1 and at_once.look.read_count == 2
    # released like any held note, one at a time, by the facilitator
    moderation.release(at_once.p, note.id)
    assert at_once.projected() == (ORDINARY, UNSPOKEN)


def test_an_unread_note_never_reaches_the_projector(
    project: OpenProject, engine: ThemeEngine
) -> None:
    look = SecondLook(project, engine)  # not started yet: notes wait for it
    room = _room(project, look, ModerationMode.SHOW_AT_ONCE)
    who = room.join()
    body = room.post(who, ORDINARY)
    assert body["note"]["status"] == "shown"  # the phone's answer does not wait for the look
    assert room.note(body["note"]["id"]).unread
    assert room.projected() == ()
    moderation.set_status(project, body["note"]["id"], NoteStatus.SHOWN)  # approval: still unread
    assert room.projected() == ()
    look.start()
    try:
        room.read()
        assert room.projected() == (ORDINARY,)
    finally:
        look.stop()


def test_a_rule_s_reason_is_not_doubled_by_the_second_look(at_once: Room) -> None:
    who = at_once.join()
    body = at_once.post(who, "a man online keeps asking me for pics")
    at_once.read()
    reasons = at_once.note(body["note"]["id"]).hold_reasons
    assert "asked_for_images" in reasons and READS_LIKE not in reasons
    assert at_once.look.held_count == 0


def test_a_note_held_for_a_personal_detail_gains_the_look_s_reason(at_once: Room) -> None:
    who = at_once.join()
    body = at_once.post(who, SOFTLY + " text me 07700 900123")
    at_once.read()
    note = at_once.note(body["note"]["id"])
    assert note.held and "phone" in note.hold_reasons
    assert safeguarding.is_disclosure(note.hold_reasons) == (READS_LIKE in note.hold_reasons)


def test_the_vector_is_kept_with_the_note_so_the_keeper_has_nothing_to_do(
    at_once: Room, engine: ThemeEngine
) -> None:
    who = at_once.join()
    ids = [at_once.post(who, t)["note"]["id"] for t in (ORDINARY, SOFTLY)]
    at_once.read()
    reader = at_once.p.store.reader()
    kept = vectors_repo.get_vectors(reader, ids, engine.identity)
    assert set(kept) == set(ids)
    mine = np.frombuffer(kept[ids[1]].data, dtype="<f4")
    assert np.allclose(mine, engine.encode([SOFTLY])[0], atol=1e-6)
    assert ids[0] not in vectors_repo.backlog(reader, engine.identity).missing


ROOM_NOTES = [
    "more youth clubs in the evening",
    "teachers need training about online grooming",
    "parents don't understand the apps we use",
    "a trusted adult to talk to at school",
    "the police take ages to reply to a report",
    "no point anymore honestly",
    "apps should make reporting easier",
    "free wifi in the library for homework",
]


def _reading(look: SecondLook) -> Callable[[], bool]:
    return lambda: look.running and not look.problem


def test_a_keeper_beside_the_look_leaves_it_the_new_notes_and_each_is_encoded_once(
    at_once: Room, engine: ThemeEngine
) -> None:
    """The look keeps each note's vector as it reads it; the keeper, told the look reads,
    leaves it the notes waiting for it instead of encoding every new note a second time."""
    keeper = VectorKeeper(at_once.p, engine, look_reads=_reading(at_once.look), settle=0.05)
    keeper.start()
    try:
        who = [at_once.join() for _ in range(4)]
        ids = [at_once.post(who[i % 4], t)["note"]["id"] for i, t in enumerate(ROOM_NOTES)]
        at_once.read()
        keeper.notify()
        assert keeper.wait_idle(60)
    finally:
        keeper.stop()
    assert keeper.embedded == 0, "every new note was the look's to encode"
    assert at_once.look.read_count == len(ROOM_NOTES)
    reader = at_once.p.store.reader()
    kept = vectors_repo.get_vectors(reader, ids, engine.identity)
    assert set(kept) == set(ids), "yet every note has its vector"
    for note_id, text in zip(ids, ROOM_NOTES, strict=True):
        alone = engine.encode([text])[0]
        assert np.allclose(np.frombuffer(kept[note_id].data, dtype="<f4"), alone, atol=1e-6)
    assert vectors_repo.backlog(reader, engine.identity, leave_unread=True) == (
        [],
        len(ROOM_NOTES),
        0,
    )


def test_when_the_look_cannot_read_the_keeper_encodes_the_notes_it_left(
    project: OpenProject, engine: ThemeEngine
) -> None:
    other = DisclosureCheck(
        "another-model:0000", np.eye(3, 768, dtype=np.float32), np.ones(3, bool)
    )
    look = SecondLook(project, engine, other)
    look.start()
    keeper = VectorKeeper(project, engine, look_reads=_reading(look), settle=0.05)
    keeper.start()
    try:
        room = _room(project, look, ModerationMode.SHOW_AT_ONCE)
        who = room.join()
        ids = [room.post(who, t)["note"]["id"] for t in ROOM_NOTES[:3]]
        room.read()
        assert look.problem  # read by the rules alone: no vectors from the look
        keeper.notify()
        assert keeper.wait_idle(60)
    finally:
        keeper.stop()
        look.stop()
    assert keeper.embedded == 3
    kept = vectors_repo.get_vectors(project.store.reader(), ids, engine.identity)
    assert set(kept) == set(ids)


def test_an_edit_waits_for_the_look_and_one_that_reads_like_a_disclosure_is_held(
    at_once: Room,
) -> None:
    who = at_once.join()
    nid = at_once.post(who, ORDINARY)["note"]["id"]
    at_once.read()
    assert at_once.projected() == (ORDINARY,)
    at_once.look.stop()  # so the edit is seen waiting
    phones.edit_note(at_once.p, who.id, nid, SOFTLY, at_once.key(), look=at_once.look).result(10)
    assert at_once.note(nid).unread and at_once.projected() == ()
    again = SecondLook(at_once.p, at_once.look.engine)
    again.start()
    try:
        again.notify()
        assert again.wait_idle(60)
    finally:
        again.stop()
    note = at_once.note(nid)
    assert note.held and note.status is NoteStatus.PENDING and note.text == SOFTLY
    assert not note.unread and at_once.projected() == ()


def test_a_retry_is_answered_from_the_first_answer_with_no_second_note(at_once: Room) -> None:
    who = at_once.join()
    key = at_once.key()
    first = at_once.post(who, UNSPOKEN, key)
    again = phones.post_note(
        at_once.p, who.id, at_once.brainstorm, UNSPOKEN, key, look=at_once.look
    ).result(10)
    assert again.replayed and again.body == first
    at_once.read()
    assert len(moderation.list_wall(at_once.p, at_once.brainstorm)) == 1


def test_a_written_survey_answer_is_read_too(project: OpenProject, look: SecondLook) -> None:
    s = sessions.create_session(project, SessionDetails("Feedback"))
    fields = ActivityFields(ActivityKind.SURVEY, "How was it")
    activity = sessions.add_activity(project, s.id, fields).id
    question = survey.add_question(
        project, activity, QuestionFields(QuestionKind.TEXT, "Anything else?")
    )
    live.go_live(project, s.id)
    live.show_activity(project, activity)
    live.set_activity_state(project, activity, ActivityState.OPEN)
    who = phones.join(project, s.id, None).result(5)
    phones.answer_survey(
        project, who.id, activity, {question.id: UNSPOKEN}, "key-survey-0001", look=look
    ).result(10)
    look.notify()
    assert look.wait_idle(60)
    (written,) = moderation.list_wall(project, activity)
    assert written.held and written.hold_reasons == (READS_LIKE,)


def test_when_the_look_cannot_read_the_rules_alone_decide_and_nothing_is_lost(
    project: OpenProject, engine: ThemeEngine
) -> None:
    # a reference made with another model cannot read these vectors: refused, said once
    other = DisclosureCheck(
        "another-model:0000", np.eye(3, 768, dtype=np.float32), np.ones(3, bool)
    )
    said: list[str] = []
    look = SecondLook(project, engine, other, on_problem=said.append)
    look.start()
    try:
        room = _room(project, look, ModerationMode.SHOW_AT_ONCE)
        who = room.join()
        body = room.post(who, UNSPOKEN)
        told = room.post(who, "a man online keeps asking me for pics")
        room.read()
        assert len(said) == 1 and "another-model" in said[0] and look.problem == said[0]
        assert room.note(body["note"]["id"]).status is NoteStatus.SHOWN  # the rules let it through
        assert room.note(told["note"]["id"]).held  # the rules still hold what they find
        assert room.projected() == (UNSPOKEN,)  # read by the rules alone, not kept off for good
    finally:
        look.stop()


def test_a_server_starting_gets_the_look_ready_before_the_room_s_first_note(
    project: OpenProject,
) -> None:
    """Loading the model holds the interpreter lock for tens of milliseconds at a time: the
    look loads it when a participant server starts (phones are coming), so the first notes'
    answers and the console never wait through it; a project merely open loads nothing."""
    engine = ThemeEngine(ThemeModel())  # not loaded yet
    look = SecondLook(project, engine)
    look.start()
    server = ParticipantServer(project, look=look)
    try:
        assert look.wait_idle(60)
        assert not engine.model.loaded, "no server yet: the model waits"
        server.start("127.0.0.1", 0)
        deadline = time.monotonic() + 60
        while not engine.model.loaded and time.monotonic() < deadline:
            time.sleep(0.05)
        assert engine.model.loaded and look.read_count == 0 and look.problem == ""
    finally:
        server.stop()
        look.stop()


def test_a_look_that_cannot_read_says_so_when_serving_starts(
    project: OpenProject, tmp_path: Any
) -> None:
    said: list[str] = []
    broken = ThemeEngine(ThemeModel(tmp_path / "no-model-here"))
    look = SecondLook(project, broken, on_problem=said.append)
    look.start()
    try:
        assert look.wait_idle(60) and said == []
        look.get_ready()
        deadline = time.monotonic() + 30
        while not said and time.monotonic() < deadline:
            time.sleep(0.02)
        assert look.wait_idle(60)
        assert len(said) == 1 and look.problem == said[0] and look.read_count == 0
    finally:
        look.stop()


def test_notes_left_unread_when_the_app_closed_are_read_by_the_next_look(
    tmp_path: Any, engine: ThemeEngine
) -> None:
    path = tmp_path / "closed.cground"
    from workshop_app.services.project import create_project

    with create_project(path, "Closed mid-session") as p:
        room = _room(p, SecondLook(p, engine), ModerationMode.SHOW_AT_ONCE)
        who = room.join()
        nid = room.post(who, SOFTLY)["note"]["id"]  # the look never ran
    with open_project(path) as p:
        look = SecondLook(p, engine)
        look.start()
        try:
            assert look.wait_idle(60)
            (note,) = [n for n in moderation.list_wall(p, room.brainstorm) if n.id == nid]
            assert note.held and not note.unread
        finally:
            look.stop()


def test_a_full_disk_keeps_the_note_waiting_and_the_look_tries_again(
    project: OpenProject, engine: ThemeEngine
) -> None:
    look = SecondLook(project, engine)
    room = _room(project, look, ModerationMode.SHOW_AT_ONCE)
    who = room.join()
    nid = room.post(who, ORDINARY)["note"]["id"]
    store = project.store
    # a kept vector on the vectors' first page, so the look's needs a page of its own
    paper = moderation.capture_paper_note(project, room.brainstorm, "paper: more clubs")
    kept = vectors_repo.NewVector(paper.id, paper.text, 768, bytes(3072))
    store.write_now(lambda tx: vectors_repo.put_vectors(tx.db, [kept], "m", utc_now()))
    disk.fill(store)
    look.start()
    try:
        time.sleep(1.0)  # the look has read it and could not store what it found
        assert look.running and room.note(nid).unread and ORDINARY not in room.projected()
        disk.free(store)
        room.read()  # tries again (RETRY_AFTER) and stores it: nothing was lost
        assert not room.note(nid).unread and ORDINARY in room.projected()
    finally:
        look.stop()
