"""The arrival check's second look (decision 032), through the real services, file, writer,
theme model and shipped disclosure reference.

A note the phrase rules let through but whose nearest labelled notes are possible disclosures
is stored held, exactly as one the rules found: off the projector in a *show at once*
session, the help information in its answer, the reason kept as a kind. Its vector is kept
with it, so the background keeper has nothing left to do. When the look cannot read, the
rules alone decide and nothing a phone sends is lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from workshop_app.core import safeguarding
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
from workshop_app.services.arrival import SecondLook, after_reading
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.storage import vectors as vectors_repo
from workshop_app.themes import ThemeEngine, ThemeModel
from workshop_app.themes.disclosure import DisclosureCheck

# In no labelled file; the rules let them through; all three of their nearest labelled notes
# are possible disclosures (asserted below, so a new reference that changes that says so).
UNSPOKEN = "a man in a game told me he would buy me a ps5 if i met him"
SOFTLY = "no point anymore honestly"
ORDINARY = "more youth clubs in the evening"
READS_LIKE = safeguarding.ReasonKind.READS_LIKE_DISCLOSURE.value


@pytest.fixture(scope="module")
def engine() -> ThemeEngine:
    engine = ThemeEngine(ThemeModel())
    engine.model.load()
    return engine


@pytest.fixture
def look(engine: ThemeEngine) -> Iterator[SecondLook]:
    look = SecondLook(engine)
    yield look
    look.close()


@dataclass
class Room:
    p: OpenProject
    session_id: str
    brainstorm: str
    look: SecondLook | None
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
        return future.result(30).body

    def note(self, note_id: str) -> Note:
        return next(n for n in moderation.list_wall(self.p, self.brainstorm) if n.id == note_id)

    def projected(self) -> tuple[str, ...]:
        return projection.projector_view(self.p, self.session_id).notes


def _room(p: OpenProject, look: SecondLook | None, mode: ModerationMode) -> Room:
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
    ordinary = at_once.post(who, ORDINARY)
    unspoken = at_once.post(who, UNSPOKEN)
    assert "support" not in ordinary
    assert unspoken["support"] == phones.support_info(at_once.p)
    assert unspoken["note"]["status"] == "pending"
    note = at_once.note(unspoken["note"]["id"])
    assert note.held and note.status is NoteStatus.PENDING
    assert note.hold_reasons == (READS_LIKE,)
    assert safeguarding.hold_labels(note.hold_reasons) == [
        "Possible disclosure: reads like one, though no particular words matched"
    ]
    assert at_once.projected() == (ORDINARY,)
    assert moderation.held_count(at_once.p, at_once.session_id) == moderation.HeldCount(1, 1)
    # released like any held note, one at a time, by the facilitator
    moderation.release(at_once.p, note.id)
    assert at_once.projected() == (ORDINARY, UNSPOKEN)


def test_a_rule_s_reason_is_not_doubled_by_the_second_look(at_once: Room) -> None:
    who = at_once.join()
    body = at_once.post(who, "a man online keeps asking me for pics")
    reasons = at_once.note(body["note"]["id"]).hold_reasons
    assert "asked_for_images" in reasons and READS_LIKE not in reasons


def test_a_personal_detail_in_a_note_that_reads_like_a_disclosure_keeps_both(
    at_once: Room,
) -> None:
    who = at_once.join()
    body = at_once.post(who, SOFTLY + " text me 07700 900123")
    note = at_once.note(body["note"]["id"])
    assert "phone" in note.hold_reasons
    assert safeguarding.is_disclosure(note.hold_reasons) == (READS_LIKE in note.hold_reasons)


def test_the_vector_is_kept_with_the_note_so_the_keeper_has_nothing_to_do(
    at_once: Room, engine: ThemeEngine
) -> None:
    who = at_once.join()
    ids = [at_once.post(who, t)["note"]["id"] for t in (ORDINARY, SOFTLY)]
    reader = at_once.p.store.reader()
    kept = vectors_repo.get_vectors(reader, ids, engine.identity)
    assert set(kept) == set(ids)
    mine = np.frombuffer(kept[ids[1]].data, dtype="<f4")
    assert np.allclose(mine, engine.encode([SOFTLY])[0], atol=1e-6)
    assert vectors_repo.backlog(reader, engine.identity).missing == []


def test_an_edit_that_reads_like_a_disclosure_takes_the_note_down(at_once: Room) -> None:
    who = at_once.join()
    nid = at_once.post(who, ORDINARY)["note"]["id"]
    assert at_once.projected() == (ORDINARY,)
    body = (
        phones.edit_note(at_once.p, who.id, nid, SOFTLY, at_once.key(), look=at_once.look)
        .result(30)
        .body
    )
    assert body["support"] == phones.support_info(at_once.p)
    note = at_once.note(nid)
    assert note.held and note.status is NoteStatus.PENDING and note.text == SOFTLY
    assert at_once.projected() == ()
    assert at_once.look is not None
    kept = vectors_repo.get_vectors(at_once.p.store.reader(), [nid], at_once.look.identity)
    assert kept[nid].text_hash == vectors_repo.text_hash(SOFTLY)


def test_a_retry_is_answered_from_the_first_answer_with_no_second_note(at_once: Room) -> None:
    who = at_once.join()
    key = at_once.key()
    first = at_once.post(who, UNSPOKEN, key)
    again = phones.post_note(
        at_once.p, who.id, at_once.brainstorm, UNSPOKEN, key, look=at_once.look
    ).result(30)
    assert again.replayed and again.body == first
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
    body = (
        phones.answer_survey(
            project, who.id, activity, {question.id: UNSPOKEN}, "key-survey-0001", look=look
        )
        .result(30)
        .body
    )
    assert body["support"] == phones.support_info(project)
    (written,) = [n for n in moderation.list_wall(project, activity)]
    assert written.held and written.hold_reasons == (READS_LIKE,)


def test_when_the_look_cannot_read_the_rules_alone_decide_and_nothing_is_lost(
    project: OpenProject, engine: ThemeEngine
) -> None:
    # a reference made with another model cannot read these vectors: refused, said once
    other = DisclosureCheck(
        "another-model:0000", np.eye(3, 768, dtype=np.float32), np.ones(3, bool)
    )
    look = SecondLook(engine, other)
    try:
        room = _room(project, look, ModerationMode.SHOW_AT_ONCE)
        who = room.join()
        body = room.post(who, UNSPOKEN)
        assert "another-model" in look.problem
        assert room.note(body["note"]["id"]).status is NoteStatus.SHOWN  # the rules let it through
        told = room.post(who, "a man online keeps asking me for pics")
        assert room.note(told["note"]["id"]).held  # the rules still hold what they find
        assert room.projected() == (UNSPOKEN,)
    finally:
        look.close()


def test_a_closed_look_leaves_the_rules_to_decide(
    project: OpenProject, engine: ThemeEngine
) -> None:
    look = SecondLook(engine)
    look.close()  # e.g. a request racing the server's stop
    room = _room(project, look, ModerationMode.APPROVE_FIRST)
    who = room.join()
    body = room.post(who, UNSPOKEN)
    assert room.note(body["note"]["id"]).status is NoteStatus.PENDING  # stored, waiting


def test_an_error_of_the_writer_job_reaches_the_caller(at_once: Room) -> None:
    who = at_once.join()
    future = phones.post_note(
        at_once.p, who.id, "no-such-activity", ORDINARY, "key-x-0001", look=at_once.look
    )
    with pytest.raises(Exception, match="not part of this session"):
        future.result(30)


def test_after_reading_without_a_look_runs_at_once() -> None:
    seen: list[object] = []

    def then(readings: object) -> Any:
        from concurrent.futures import Future

        seen.append(readings)
        done: Future[int] = Future()
        done.set_result(7)
        return done

    assert after_reading(None, ["x"], then).result(1) == 7
    assert seen == [None]
