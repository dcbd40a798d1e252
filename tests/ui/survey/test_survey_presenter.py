"""The survey room's presenter (ui/survey/survey_presenter.py) without a widget: the words
it shows, and every change as one undoable step on a real project file."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtGui import QUndoStack

from tests.services.test_survey import Survey, make_survey
from tests.ui.conftest import make_actions, wait_for_actions
from workshop_app.core.survey import QuestionKind
from workshop_app.services import survey as survey_service
from workshop_app.services.project import OpenProject
from workshop_app.ui.common.commands import Op
from workshop_app.ui.survey.survey_presenter import (
    NO_SURVEY,
    SurveyPresenter,
    Typed,
    question_line,
    wording_words,
)

T = TypeVar("T")


@pytest.fixture
def room(project: OpenProject) -> Survey:
    return make_survey(project)


def presenter_of(room: Survey) -> tuple[SurveyPresenter, QUndoStack, list[tuple[str, str]]]:
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    s = SurveyPresenter(room.p, make_actions(stack, lambda t, m: errors.append((t, m))))
    s.session_id = room.session.id
    s.read()
    return s, stack, errors


def texts(s: SurveyPresenter) -> list[str]:
    return [q.text for q in s.questions]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ""),
        ("Did you feel safe today?", "Reading age about 6."),  # 5 words, 6 syllables
        (
            "Please indicate the extent to which the facilitators demonstrated genuine "
            "responsiveness to participants.",
            "Reading age over 18: written for adults. Long words: “facilitators”, "
            "“demonstrated”, “responsiveness” and 1 more — is there a shorter word?",
        ),
    ],
)
def test_the_wording_checks_are_plain_words(text: str, words: str) -> None:
    assert wording_words(text) == words


def test_a_question_line_says_how_it_is_answered_and_how_many_answered(room: Survey) -> None:
    q = survey_service.list_questions(room.p, room.activity.id)[0]
    assert question_line(1, q, 12) == (
        "1. How did today feel? — Smiley faces (5, unhappy to happy) · needs an answer · "
        "12 answered"
    )


def test_a_session_without_a_survey_says_how_to_add_one(project: OpenProject) -> None:
    s = SurveyPresenter(project, make_actions(QUndoStack(), lambda t, m: None))
    assert s.read() == [] and s.answered_words() == NO_SURVEY


def done(s: SurveyPresenter, op: Op[T]) -> T | None:
    """Wait for an action to be committed (or refused), as the window's event loop does;
    the presenter reads the project again as its view would on the change events."""
    wait_for_actions()
    s.read()
    assert op.done
    return op.result if op.accepted else None


def undo(s: SurveyPresenter) -> None:
    s.actions.undo()
    wait_for_actions()
    s.read()


def test_adding_editing_and_deleting_are_each_one_undo_step(room: Survey) -> None:
    s, stack, errors = presenter_of(room)
    made = done(s, s.add(Typed(QuestionKind.CHOICE, "Best snack?", "", "Crisps\n\nFruit\n", True)))
    assert made is not None and made.options == ("Crisps", "Fruit")
    assert texts(s)[-1] == "Best snack?"
    best_food = Typed(QuestionKind.CHOICE, "Best food?", "", "Crisps\nFruit", True)
    assert done(s, s.save(made.id, best_food)) is not None
    assert not s.save(made.id, best_food).accepted  # nothing changed: nothing to do
    assert done(s, s.delete(room.smiley)) is not None
    assert texts(s) == ["Best part?", "What should change?", "Best food?"]
    assert stack.count() == 3
    undo(s)
    assert texts(s)[0] == "How did today feel?"
    undo(s)
    assert texts(s)[-1] == "Best snack?"
    undo(s)
    assert len(s.questions) == 3
    s.actions.redo()
    wait_for_actions()
    s.read()
    assert texts(s)[-1] == "Best snack?"
    assert errors == []


def test_a_refused_question_shows_an_error_and_leaves_nothing_to_undo(room: Survey) -> None:
    s, stack, errors = presenter_of(room)
    assert done(s, s.add(Typed(QuestionKind.CHOICE, "Which?", "", "Only one", False))) is None
    assert errors == [
        (
            "Could not add a question",
            "A choose-one question needs 2 to 8 answers to choose from; this one has 1.",
        )
    ]
    assert stack.count() == 0


def test_moving_and_we_did_are_undoable(room: Survey) -> None:
    s, _stack, _errors = presenter_of(room)
    assert done(s, s.move(room.text, -1)) == 3
    assert texts(s) == ["How did today feel?", "What should change?", "Best part?"]
    assert not s.move(room.smiley, -1).accepted  # already first
    assert done(s, s.save_we_did(room.text, "We added a break.")) == ""
    assert s.question(room.text).we_did == "We added a break."  # type: ignore[union-attr]
    undo(s)
    undo(s)
    assert texts(s) == ["How did today feel?", "Best part?", "What should change?"]
    assert s.question(room.text).we_did == ""  # type: ignore[union-attr]


def test_an_import_is_one_undo_step_and_a_bad_file_names_its_line(
    room: Survey, tmp_path: Path
) -> None:
    s, _stack, errors = presenter_of(room)
    good = tmp_path / "panel.toml"
    good.write_text('[[question]]\nkind = "yes_no"\ntext = "Again?"\n', "utf-8")
    assert [q.text for q in done(s, s.import_file(good)) or []] == ["Again?"]
    undo(s)
    assert "Again?" not in texts(s)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[question]]\nkind = "yes-or-no"\ntext = "Again?"\n', "utf-8")
    assert done(s, s.import_file(bad)) is None
    assert errors and "bad.toml, line 1: kind" in errors[0][1]


def test_counts_and_results_are_worded_from_the_answers(room: Survey) -> None:
    s, _stack, _errors = presenter_of(room)
    room.answer(room.join(), {room.smiley: 5, room.choice: 2, room.text: "More"}, "key-00001")
    assert s.answered_words() == "1 person has answered. The survey is open."
    lines = s.results_text().splitlines()
    assert lines[:2] == ["1 person answered.", "1. How did today feel?"]
    assert "   Really happy: 1 (100%)" in lines
    assert "   Most of you were happy: 1 out of 1 of you chose a happy face." in lines
    assert "   Written answers to read on the Notes tab: 1" in lines
