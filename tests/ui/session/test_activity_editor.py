"""The activity editor's "Show people the results of" chooser for rating rounds (Delphi
feedback) and its vote-rule lock, on a real project with real services."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from workshop_app.core.errors import StateError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivitySettings,
    ActivityState,
    Participant,
    Vote,
)
from workshop_app.core.scales import RatingQuestion
from workshop_app.services import consensus, live, results, sessions
from workshop_app.services.project import OpenProject, create_project
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.storage import contributions
from workshop_app.storage.writer import Tx
from workshop_app.ui.session.activity_editor import NO_FEEDBACK, ActivityEditor


@pytest.fixture
def p(tmp_path: Path) -> Iterator[OpenProject]:
    project = create_project(tmp_path / "rounds.cground", "Rounds", "Testborough")
    yield project
    project.close()


def rate_session(p: OpenProject, title: str, day: date) -> Activity:
    s = sessions.create_session(p, SessionDetails(title, date=day))
    sessions.add_activity(p, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas"))
    return sessions.add_activity(
        p,
        s.id,
        ActivityFields(
            ActivityKind.RATE, f"Rate {title}", settings=ActivitySettings(consensus_round=True)
        ),
    )


@pytest.fixture
def editor(qtbot, p: OpenProject) -> ActivityEditor:
    e = ActivityEditor()
    qtbot.addWidget(e)
    e.set_rounds_source(lambda a: consensus.earlier_rounds(p, a.session_id, a.id))
    e.set_lock_source(lambda a: sessions.get_rules_lock(p, a))
    return e


def choices(e: ActivityEditor) -> list[str]:
    return [e.feedback.itemText(i) for i in range(e.feedback.count())]


def test_a_second_round_can_show_the_first_rounds_results(
    qtbot, p: OpenProject, editor: ActivityEditor
) -> None:
    one = rate_session(p, "One", date(2026, 3, 1))
    two = rate_session(p, "Two", date(2026, 4, 1))
    editor.load(two)
    assert editor.form.isRowVisible(editor.feedback)
    assert editor.feedback.accessibleName() == "Show people the results of"
    assert choices(editor) == [
        NO_FEEDBACK,
        "Round 1: Rate One (One, 1 March 2026) – shown once it is closed",
    ]
    assert editor.feedback.currentIndex() == 0  # nothing chosen yet

    editor.feedback.setCurrentIndex(1)
    with qtbot.waitSignal(editor.edited) as sent:
        editor.flush()
    activity_id, fields = sent.args
    assert activity_id == two.id and fields.settings.feedback_from == one.id

    # the service stores it; loading the stored activity shows the choice
    stored = sessions.update_activity(p, two.id, fields)
    assert sessions.get_activity(p, two.id).settings.feedback_from == one.id
    editor.load(stored)
    assert editor.feedback.currentData() == one.id
    with qtbot.assertNotEmitted(editor.edited):
        editor.flush()  # nothing changed


def test_a_closed_round_is_listed_without_the_proviso(
    p: OpenProject, editor: ActivityEditor
) -> None:
    one = rate_session(p, "One", date(2026, 3, 1))
    two = rate_session(p, "Two", date(2026, 4, 1))
    live.go_live(p, one.session_id)
    live.set_activity_state(p, one.id, ActivityState.OPEN)
    live.set_activity_state(p, one.id, ActivityState.CLOSED)
    editor.load(sessions.get_activity(p, two.id))
    assert choices(editor)[1] == "Round 1: Rate One (One, 1 March 2026)"


def test_the_first_round_has_nothing_earlier_to_show(
    p: OpenProject, editor: ActivityEditor
) -> None:
    one = rate_session(p, "One", date(2026, 3, 1))
    rate_session(p, "Two", date(2026, 4, 1))
    editor.load(one)
    assert choices(editor) == [NO_FEEDBACK]


def test_the_chooser_is_only_for_rating_rounds(p: OpenProject, editor: ActivityEditor) -> None:
    one = rate_session(p, "One", date(2026, 3, 1))
    ideas = sessions.list_activities(p, one.session_id)[0]
    editor.load(ideas)
    assert not editor.form.isRowVisible(editor.feedback)
    assert editor.fields().settings.feedback_from is None


def test_a_choice_no_longer_listed_is_kept_not_silently_dropped(
    qtbot, p: OpenProject, editor: ActivityEditor
) -> None:
    one = rate_session(p, "One", date(2026, 3, 1))
    two = rate_session(p, "Two", date(2026, 4, 1))
    fields = ActivityFields.of(two)
    two = sessions.update_activity(
        p, two.id, replace(fields, settings=replace(fields.settings, feedback_from=one.id))
    )
    sessions.delete_session(p, one.session_id)  # round one is gone (it can be restored)
    editor.load(two)
    assert editor.feedback.currentText() == "A round that is no longer before this one"
    with qtbot.assertNotEmitted(editor.edited):
        editor.flush()

    # and without any source of rounds, loading and flushing keeps the choice too
    bare = ActivityEditor()
    qtbot.addWidget(bare)
    bare.load(two)
    assert bare.fields().settings.feedback_from == one.id


def test_a_rating_becomes_a_consensus_round_only_when_ticked(
    qtbot, p: OpenProject, editor: ActivityEditor
) -> None:
    s = sessions.create_session(p, SessionDetails("Workshop", date=date(2026, 3, 1)))
    casual = sessions.add_activity(p, s.id, ActivityFields(ActivityKind.RATE, "How did we do?"))
    editor.load(casual)
    assert editor.form.isRowVisible(editor.round)
    assert editor.round.accessibleName() == "Consensus round"
    assert not editor.round.isChecked()
    assert consensus.rounds(p) == []  # not counted as a round of the project

    editor.round.setChecked(True)
    with qtbot.waitSignal(editor.edited) as sent:
        editor.flush()
    activity_id, fields = sent.args
    assert activity_id == casual.id and fields.settings.consensus_round
    sessions.update_activity(p, casual.id, fields)
    assert [r.activity_id for r in consensus.rounds(p)] == [casual.id]

    # the box belongs to rate activities only
    ideas = sessions.add_activity(p, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas"))
    editor.load(ideas)
    assert not editor.form.isRowVisible(editor.round)
    assert not editor.fields().settings.consensus_round


def test_a_rating_asks_about_importance_or_agreement_as_chosen(
    qtbot, p: OpenProject, editor: ActivityEditor
) -> None:
    s = sessions.create_session(p, SessionDetails("Workshop", date=date(2026, 3, 1)))
    rate = sessions.add_activity(p, s.id, ActivityFields(ActivityKind.RATE, "Rate"))
    assert rate.settings.question is RatingQuestion.IMPORTANCE  # the default
    editor.load(rate)
    assert editor.form.isRowVisible(editor.question)
    assert editor.question.accessibleName() == "Ask about"
    editor.question.setCurrentIndex(editor.question.findData(RatingQuestion.AGREEMENT.value))
    with qtbot.waitSignal(editor.edited) as sent:
        editor.flush()
    stored = sessions.update_activity(p, rate.id, sent.args[1])
    assert stored.settings.question is RatingQuestion.AGREEMENT

    # once the round has opened the question is fixed, like the scale
    live.go_live(p, s.id)
    opened = live.set_activity_state(p, rate.id, ActivityState.OPEN)
    editor.load(opened)
    assert not editor.question.isEnabled()

    # an activity saved before the question was a choice shows importance without that
    # counting as an edit
    legacy = replace(rate, settings=replace(rate.settings, question=None))
    editor.load(legacy)
    assert editor.question.currentData() == RatingQuestion.IMPORTANCE.value
    assert editor.fields().settings.question is None


def test_a_vote_not_started_but_with_votes_stored_has_fixed_rules_in_the_editor_too(
    p: OpenProject, editor: ActivityEditor
) -> None:
    """The editor used to judge by the state alone (pending: editable) while the service
    also asked whether anyone had voted (core.voting.rules_locked_reason): a vote with
    votes stored but not started (say, a file from another laptop) offered an edit that
    was then refused. Both now ask the one rule."""
    s = sessions.create_session(p, SessionDetails("Workshop", date=date(2026, 3, 1)))
    vote = sessions.add_activity(p, s.id, ActivityFields(ActivityKind.VOTE, "Vote"))
    editor.load(vote)
    assert editor.budget.isEnabled() and editor.budget.toolTip() == ""

    def someone_voted(tx: Tx) -> None:
        who = Participant(new_id(), s.id, None, utc_now())
        contributions.insert_participant(tx.db, who)
        contributions.upsert_vote(tx.db, Vote(new_id(), vote.id, who.id, new_id(), 1, utc_now()))

    p.store.write_now(someone_voted)
    stored = sessions.get_activity(p, vote.id)
    assert stored.state is ActivityState.PENDING
    editor.load(stored)
    reason = results.vote_rules(p, vote.id).locked_reason
    assert reason == "Some people have already voted, so the rules are fixed."
    for field in (editor.vote_on, editor.budget, editor.cap):
        assert not field.isEnabled()
        assert field.toolTip() == reason
    changed = replace(ActivityFields.of(stored), settings=replace(stored.settings, vote_budget=2))
    with pytest.raises(StateError, match="already voted"):
        sessions.update_activity(p, vote.id, changed)


def test_without_a_lock_source_the_editor_fixes_the_rules_once_the_vote_has_opened(
    qtbot, p: OpenProject
) -> None:
    bare = ActivityEditor()
    qtbot.addWidget(bare)
    s = sessions.create_session(p, SessionDetails("Workshop", date=date(2026, 3, 1)))
    vote = sessions.add_activity(p, s.id, ActivityFields(ActivityKind.VOTE, "Vote"))
    bare.load(vote)
    assert bare.budget.isEnabled()
    live.go_live(p, s.id)
    bare.load(live.set_activity_state(p, vote.id, ActivityState.OPEN))
    assert not bare.budget.isEnabled() and "unfair" in bare.budget.toolTip()
