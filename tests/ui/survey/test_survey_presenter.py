"""The survey room's presenter (ui/survey/survey_presenter.py) without a widget: the words
it shows, and every change as one undoable step on a real project file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from tests.services.test_survey import Survey, make_survey
from workshop_app.core.survey import QuestionKind
from workshop_app.services import survey as survey_service
from workshop_app.services.project import OpenProject
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.survey.survey_presenter import (
    NO_SURVEY,
    SurveyPresenter,
    Typed,
    question_line,
    wording_words,
)


@pytest.fixture
def room(project: OpenProject) -> Survey:
    return make_survey(project)


def presenter_of(room: Survey) -> tuple[SurveyPresenter, QUndoStack, list[tuple[str, str]]]:
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    s = SurveyPresenter(room.p, Actions(stack, lambda t, m: errors.append((t, m))))
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
    s = SurveyPresenter(project, Actions(QUndoStack(), lambda t, m: None))
    assert s.read() == [] and s.answered_words() == NO_SURVEY


def test_adding_editing_and_deleting_are_each_one_undo_step(room: Survey) -> None:
    s, stack, errors = presenter_of(room)
    made = s.add(Typed(QuestionKind.CHOICE, "Best snack?", "", "Crisps\n\nFruit\n", True))
    assert made is not None and made.options == ("Crisps", "Fruit")
    assert texts(s)[-1] == "Best snack?"
    assert s.save(made.id, Typed(QuestionKind.CHOICE, "Best food?", "", "Crisps\nFruit", True))
    assert not s.save(made.id, Typed(QuestionKind.CHOICE, "Best food?", "", "Crisps\nFruit", True))
    assert s.delete(room.smiley)
    assert texts(s) == ["Best part?", "What should change?", "Best food?"]
    stack.undo()
    s.read()
    assert texts(s)[0] == "How did today feel?"
    stack.undo()
    s.read()
    assert texts(s)[-1] == "Best snack?"
    stack.undo()
    s.read()
    assert len(s.questions) == 3
    stack.redo()
    s.read()
    assert texts(s)[-1] == "Best snack?"
    assert errors == []


def test_a_refused_question_shows_an_error_and_leaves_nothing_to_undo(room: Survey) -> None:
    s, stack, errors = presenter_of(room)
    assert s.add(Typed(QuestionKind.CHOICE, "Which?", "", "Only one", False)) is None
    assert errors == [
        (
            "Could not add a question",
            "A choose-one question needs 2 to 8 answers to choose from; this one has 1.",
        )
    ]
    assert stack.count() == 0


def test_moving_and_we_did_are_undoable(room: Survey) -> None:
    s, stack, _errors = presenter_of(room)
    assert s.move(room.text, -1)
    assert texts(s) == ["How did today feel?", "What should change?", "Best part?"]
    assert not s.move(room.smiley, -1)  # already first
    assert s.save_we_did(room.text, "We added a break.")
    assert s.question(room.text).we_did == "We added a break."  # type: ignore[union-attr]
    stack.undo()
    stack.undo()
    s.read()
    assert texts(s) == ["How did today feel?", "Best part?", "What should change?"]
    assert s.question(room.text).we_did == ""  # type: ignore[union-attr]


def test_an_import_is_one_undo_step_and_a_bad_file_names_its_line(
    room: Survey, tmp_path: Path
) -> None:
    s, stack, errors = presenter_of(room)
    good = tmp_path / "panel.toml"
    good.write_text('[[question]]\nkind = "yes_no"\ntext = "Again?"\n', "utf-8")
    assert [q.text for q in s.import_file(good)] == ["Again?"]
    stack.undo()
    s.read()
    assert "Again?" not in texts(s)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[question]]\nkind = "yes-or-no"\ntext = "Again?"\n', "utf-8")
    assert s.import_file(bad) == []
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
