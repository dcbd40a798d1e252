"""The evaluation survey through the real services and a real project file: the panel's
questions (typed and from a file, undoable), answers from phones (idempotent, checked as
a whole, free text as moderated notes), and the results with small groups withheld."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from workshop_app.core.errors import DomainError, LimitError, NotFoundError, StateError
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivityState,
    GroupKind,
    ModerationMode,
    NoteStatus,
    Participant,
    Session,
)
from workshop_app.core.survey import QUESTIONS_MAX, QuestionFields, QuestionKind
from workshop_app.core.survey_file import SurveyFileError
from workshop_app.services import groups, live, moderation, participation, privacy, sessions, survey
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, SessionDetails


@dataclass
class Survey:
    p: OpenProject
    session: Session
    activity: Activity
    smiley: str
    choice: str
    text: str

    def join(self, kind: GroupKind | None = None) -> Participant:
        group = None
        if kind is not None:
            group = next(g.id for g in groups.list_groups(self.p) if g.kind is kind)
        return participation.join(self.p, self.session.id, group).result(5)

    def answer(self, who: Participant, answers: object, key: str) -> participation.Submitted:
        return participation.answer_survey(self.p, who.id, self.activity.id, answers, key).result(5)

    def count(self, table: str) -> int:
        return int(self.p.store.reader().execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def make_survey(
    p: OpenProject, moderation_mode: ModerationMode = ModerationMode.SHOW_AT_ONCE
) -> Survey:
    s = sessions.create_session(p, SessionDetails("Youth evaluation", moderation=moderation_mode))
    a = sessions.add_activity(p, s.id, ActivityFields(ActivityKind.SURVEY, "How was it?"))
    smiley = survey.add_question(
        p, a.id, QuestionFields(QuestionKind.SMILEY, "How did today feel?", required=True)
    )
    choice = survey.add_question(
        p, a.id, QuestionFields(QuestionKind.CHOICE, "Best part?", options=("Games", "Talking"))
    )
    text = survey.add_question(p, a.id, QuestionFields(QuestionKind.TEXT, "What should change?"))
    live.go_live(p, s.id)
    live.set_activity_state(p, a.id, ActivityState.OPEN)
    return Survey(p, s, a, smiley.id, choice.id, text.id)


@pytest.fixture
def room(project: OpenProject) -> Survey:
    return make_survey(project)


# ---------------------------------------------------------------- the panel's questions


def test_questions_are_added_in_order_moved_and_deleted_softly(project: OpenProject) -> None:
    room = make_survey(project)
    ids = [q.id for q in survey.list_questions(project, room.activity.id)]
    assert ids == [room.smiley, room.choice, room.text]
    assert survey.move_question(project, room.text, 1) == 3
    assert survey.list_questions(project, room.activity.id)[0].id == room.text
    survey.delete_question(project, room.choice)
    assert room.choice not in [q.id for q in survey.list_questions(project, room.activity.id)]
    assert room.count("survey_questions") == 3  # kept, marked deleted
    survey.restore_questions(project, [room.choice])
    assert len(survey.list_questions(project, room.activity.id)) == 3


def test_a_question_can_be_added_at_a_place(room: Survey) -> None:
    q = survey.add_question(
        room.p, room.activity.id, QuestionFields(QuestionKind.YES_NO, "Again?"), 2
    )
    assert [x.id for x in survey.list_questions(room.p, room.activity.id)][1] == q.id


def test_an_edit_returns_the_question_as_it_was_for_undo(room: Survey) -> None:
    before = survey.update_question(
        room.p, room.smiley, QuestionFields(QuestionKind.SMILEY, "How was today?", "Was it fun?")
    )
    assert before.text == "How did today feel?"
    now = survey.list_questions(room.p, room.activity.id)[0]
    assert (now.text, now.child_text, now.required) == ("How was today?", "Was it fun?", False)
    survey.update_question(room.p, room.smiley, before.fields)  # the undo
    assert survey.list_questions(room.p, room.activity.id)[0].fields == before.fields


def test_questions_belong_to_survey_activities_only(room: Survey) -> None:
    info = sessions.add_activity(room.p, room.session.id, ActivityFields(ActivityKind.INFO, "Hi"))
    with pytest.raises(DomainError, match="survey activities only"):
        survey.add_question(room.p, info.id, QuestionFields(QuestionKind.TEXT, "Hi?"))


def test_an_answered_question_keeps_its_kind_and_choices_but_its_wording_may_change(
    room: Survey,
) -> None:
    room.answer(room.join(), {room.smiley: 4, room.choice: 1}, "key-00001")
    with pytest.raises(StateError, match="can no longer change"):
        survey.update_question(room.p, room.smiley, QuestionFields(QuestionKind.AGREE, "Agree?"))
    with pytest.raises(StateError):
        survey.update_question(
            room.p,
            room.choice,
            QuestionFields(QuestionKind.CHOICE, "Best part?", options=("Games", "Food")),
        )
    survey.update_question(room.p, room.smiley, QuestionFields(QuestionKind.SMILEY, "How was it?"))
    with pytest.raises(DomainError, match="kind cannot change"):
        sessions.update_activity(
            room.p, room.activity.id, ActivityFields(ActivityKind.BRAINSTORM, "How was it?")
        )


def test_a_survey_holds_a_limited_number_of_questions(room: Survey) -> None:
    for i in range(QUESTIONS_MAX - 3):
        survey.add_question(room.p, room.activity.id, QuestionFields(QuestionKind.YES_NO, f"Q{i}?"))
    with pytest.raises(LimitError, match=f"at most {QUESTIONS_MAX}"):
        survey.add_question(room.p, room.activity.id, QuestionFields(QuestionKind.YES_NO, "More?"))


def test_what_we_did_is_kept_with_the_question(room: Survey) -> None:
    assert survey.set_we_did(room.p, room.text, "  We moved the sessions to Saturdays. ") == ""
    assert survey.list_questions(room.p, room.activity.id)[2].we_did == (
        "We moved the sessions to Saturdays."
    )
    with pytest.raises(DomainError, match="the limit is 600"):
        survey.set_we_did(room.p, room.text, "x" * 601)


def test_questions_are_imported_from_a_file_all_or_none(room: Survey, tmp_path: Path) -> None:
    good = tmp_path / "panel.csv"
    good.write_text("kind,text,options\nyes_no,Come again?,\nchoice,Which?,A|B\n", "utf-8")
    made = survey.import_questions(room.p, room.activity.id, good)
    assert [q.text for q in made] == ["Come again?", "Which?"]
    assert len(survey.list_questions(room.p, room.activity.id)) == 5
    bad = tmp_path / "typo.csv"
    bad.write_text("kind,text\nyes_no,Fine\nsmily,Oops\n", "utf-8")
    with pytest.raises(SurveyFileError, match=r"typo.csv, line 3: kind: “smily”"):
        survey.import_questions(room.p, room.activity.id, bad)
    assert len(survey.list_questions(room.p, room.activity.id)) == 5
    survey.delete_questions(room.p, [q.id for q in made])  # the undo of an import
    assert len(survey.list_questions(room.p, room.activity.id)) == 3


def test_a_file_that_is_not_text_or_not_there_is_refused_clearly(
    room: Survey, tmp_path: Path
) -> None:
    binary = tmp_path / "q.toml"
    binary.write_bytes(b"\xff\xfe\x00k")
    with pytest.raises(SurveyFileError, match="not plain text in UTF-8"):
        survey.import_questions(room.p, room.activity.id, binary)
    with pytest.raises(NotFoundError):
        survey.import_questions(room.p, room.activity.id, tmp_path / "missing.toml")


# ---------------------------------------------------------------- phones


def test_a_phone_sees_the_questions_and_its_own_answers(room: Survey) -> None:
    who = room.join()
    room.answer(who, {room.smiley: 5, room.text: "More breaks"}, "key-00001")
    view = participation.phone_view(room.p, who)
    assert [q.id for q in view.questions] == [room.smiley, room.choice, room.text]
    assert view.my_answers == {room.smiley: 5, room.text: "More breaks"}


def test_a_retry_with_the_same_key_writes_nothing_twice(room: Survey) -> None:
    who = room.join()
    first = room.answer(who, {room.smiley: 5, room.text: "More breaks"}, "key-00001")
    again = room.answer(who, {room.smiley: 1, room.text: "Something else"}, "key-00001")
    assert again.replayed and again.body == first.body
    assert room.count("notes") == 1 and room.count("survey_answers") == 2
    assert participation.phone_view(room.p, who).my_answers[room.smiley] == 5


def test_garbage_is_refused_and_stores_nothing(room: Survey) -> None:
    who = room.join()
    for answers in ({room.smiley: 9}, {room.choice: 1}, "nonsense", {room.smiley: 1, "x" * 80: 1}):
        with pytest.raises(DomainError):
            room.answer(who, answers, "key-bad-01")
    with pytest.raises(DomainError, match="key"):
        room.answer(who, {room.smiley: 1}, "no")
    assert room.count("survey_answers") == 0 and room.count("notes") == 0


def test_answers_are_taken_only_while_the_survey_is_open(room: Survey) -> None:
    who = room.join()
    live.set_activity_state(room.p, room.activity.id, ActivityState.CLOSED)
    with pytest.raises(StateError, match="not taking answers"):
        room.answer(who, {room.smiley: 3}, "key-00001")


def test_a_free_text_answer_is_a_moderated_note_of_the_survey(project: OpenProject) -> None:
    room = make_survey(project, ModerationMode.APPROVE_FIRST)
    who = room.join(GroupKind.CHILD)
    room.answer(who, {room.smiley: 4, room.text: "My name is Sam Smith"}, "key-00001")
    notes = (
        project.store.reader()
        .execute("SELECT activity_id, status, participant_id, group_id FROM notes")
        .fetchall()
    )
    assert [tuple(n) for n in notes] == [
        (room.activity.id, NoteStatus.PENDING.value, who.id, who.group_id)
    ]
    # the privacy review finds what it finds in any note
    assert privacy.findings(room.p, room.session.id)


def test_changing_a_written_answer_keeps_its_history_and_an_empty_one_takes_it_back(
    room: Survey,
) -> None:
    who = room.join()
    room.answer(who, {room.smiley: 4, room.text: "More games"}, "key-00001")
    room.answer(who, {room.smiley: 4, room.text: "More games and food"}, "key-00002")
    assert room.count("notes") == 1 and room.count("note_edits") == 1
    room.answer(who, {room.smiley: 4, room.text: ""}, "key-00003")
    assert participation.phone_view(room.p, who).my_answers == {room.smiley: 4}
    withdrawn = project_rows(room, "SELECT withdrawn_at IS NOT NULL FROM notes")
    assert withdrawn == [(1,)]
    results = survey.survey_results(room.p, room.activity.id)
    assert results.questions[2].answered == 0


def project_rows(room: Survey, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in room.p.store.reader().execute(sql).fetchall()]


def test_an_answer_changes_the_content_for_the_console(room: Survey) -> None:
    seen: list[object] = []
    room.p.bus.subscribe(seen.append)
    room.answer(room.join(), {room.smiley: 2}, "key-00001")
    assert Changed(Topic.CONTENT, session_id=room.session.id, item_id=room.activity.id) in seen


# ---------------------------------------------------------------- results


def test_results_count_each_answer_and_withhold_small_groups(room: Survey) -> None:
    for i in range(5):
        room.answer(room.join(GroupKind.CHILD), {room.smiley: 5 if i < 4 else 2}, f"key-c{i:05}")
    for i in range(2):
        room.answer(room.join(GroupKind.PARENT), {room.smiley: 1, room.choice: 2}, f"key-p{i:05}")
    r = survey.survey_results(room.p, room.activity.id)
    assert r.respondents == 7 and r.min_cell == 5
    smiley = r.questions[0]
    assert smiley.tally is not None and smiley.tally.counts == (2, 1, 0, 0, 4)
    assert smiley.finding == "Most of you were happy: 4 out of 7 of you chose a happy face."
    by_name = {g.name: g for g in smiley.groups}
    child = next(g for g in by_name.values() if g.answered == 5)
    parent = next(g for g in by_name.values() if g.answered == 2)
    assert child.counts == (0, 1, 0, 0, 4) and not child.withheld
    assert parent.withheld and parent.counts == ()
    assert survey.answer_counts(room.p, room.activity.id) == (
        7,
        {room.smiley: 7, room.choice: 2, room.text: 0},
    )


def test_written_answers_carry_the_privacy_reviews_text_and_may_be_quoted_once_shown(
    room: Survey,
) -> None:
    who = room.join()
    room.answer(who, {room.smiley: 3, room.text: "Call me on 07700 900123"}, "key-00001")
    finding = privacy.findings(room.p, room.session.id)[0]
    privacy.decide(room.p, finding.note_id, finding.fragment, finding.kind, "remove")
    # A phone number: held back on arrival, waiting, not quotable until released.
    held = survey.survey_results(room.p, room.activity.id).questions[2].written[0]
    assert not held.quotable
    moderation.release(room.p, finding.note_id)
    r = survey.survey_results(room.p, room.activity.id, privacy.export_texts(room.p))
    (written,) = r.questions[2].written
    assert "07700" not in written.text and "[removed]" in written.text
    assert written.quotable
    moderation.set_statuses(room.p, {written.note_id: NoteStatus.HIDDEN})
    again = survey.survey_results(room.p, room.activity.id)
    assert again.questions[2].quotes == () and again.questions[2].answered == 1


def test_a_survey_is_found_by_its_place_on_the_agenda(room: Survey) -> None:
    assert survey.resolve_survey(room.p, room.session.id, 1).id == room.activity.id
    with pytest.raises(NotFoundError, match="has 1 activities, not 2"):
        survey.resolve_survey(room.p, room.session.id, 2)
    sessions.add_activity(room.p, room.session.id, ActivityFields(ActivityKind.INFO, "Hello"))
    with pytest.raises(DomainError, match="is not a survey"):
        survey.resolve_survey(room.p, room.session.id, 2)
    assert [a.id for a in survey.list_surveys(room.p, room.session.id)] == [room.activity.id]


def test_survey_notes_are_not_offered_in_a_vote_on_notes(room: Survey) -> None:
    room.answer(room.join(), {room.smiley: 3, room.text: "More games"}, "key-00001")
    from workshop_app.storage.participation import session_shown_notes

    assert session_shown_notes(room.p.store.reader(), room.session.id) == []


def test_the_projector_shows_the_findings_only_once_revealed_and_never_written_answers(
    room: Survey,
) -> None:
    from workshop_app.services.projection import Stage, projector_view

    room.answer(room.join(), {room.smiley: 5, room.text: "Secret words"}, "key-00001")
    view = projector_view(room.p, room.session.id)
    assert view.stage is Stage.SURVEY and view.results_hidden and view.findings == ()
    assert view.status == "Answer the questions on your phone. Your answers are anonymous."
    live.set_activity_state(room.p, room.activity.id, ActivityState.CLOSED)
    assert projector_view(room.p, room.session.id).findings == ()
    live.set_activity_state(room.p, room.activity.id, ActivityState.REVEALED)
    shown = projector_view(room.p, room.session.id)
    assert shown.findings == (
        "1. How did today feel? Most of you were happy: 1 out of 1 of you chose a happy face.",
        "2. Best part? Nobody answered this question.",
    )
    assert shown.status == "What you said: 1 person answered."
    assert "Secret words" not in repr(shown)


def test_a_survey_from_another_laptop_is_merged_with_its_answers_once(tmp_path: Path) -> None:
    from workshop_app.services import merge
    from workshop_app.services.demo import write_demo
    from workshop_app.services.project import open_project

    a, b = tmp_path / "a.cground", tmp_path / "b.cground"
    write_demo(a, seed=21)
    write_demo(b, seed=22)
    with open_project(b) as other:
        theirs = [
            x for s in sessions.list_sessions(other) for x in survey.list_surveys(other, s.id)
        ]
        expected = survey.survey_results(other, theirs[0].id)
    with open_project(a) as p:
        merge.merge(p, [merge.read_source(b, a)])
        merge.merge(p, [merge.read_source(b, a)])  # the same source again adds nothing
        got = survey.survey_results(p, theirs[0].id)
        assert (
            len([x for s in sessions.list_sessions(p) for x in survey.list_surveys(p, s.id)]) == 2
        )
    assert got.respondents == expected.respondents == 21
    assert [q.finding for q in got.questions] == [q.finding for q in expected.questions]
    assert [w.text for w in got.questions[-1].written] == [
        w.text for w in expected.questions[-1].written
    ]
    assert [q.question.we_did for q in got.questions] == [
        q.question.we_did for q in expected.questions
    ]
