"""The Survey tab (ui/survey/survey_panel.py): real widgets over a real project file, phones
answering through the real participation service, events through the real bridge."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from tests.services.test_survey import Survey, make_survey
from tests.ui.conftest import make_actions, wait_for_actions
from workshop_app.core.model import GroupKind
from workshop_app.core.survey import QuestionKind
from workshop_app.services import project as project_service
from workshop_app.services import survey as survey_service
from workshop_app.services.project import OpenProject
from workshop_app.ui.bridge import Bridge
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.survey.survey_panel import SurveyPanel


@dataclass
class Console:
    panel: SurveyPanel
    room: Survey
    stack: QUndoStack
    errors: list[tuple[str, str]]
    refresher: Refresher

    def settle(self) -> None:
        wait_for_actions()
        QApplication.processEvents()
        self.refresher.flush()

    def lines(self) -> list[str]:
        q = self.panel.questions
        return [q.item(i).text() for i in range(q.count())]

    def select(self, row: int) -> None:
        self.panel.questions.setCurrentRow(row)


@pytest.fixture
def console(project: OpenProject, qtbot, refresher: Refresher) -> Iterator[Console]:
    room = make_survey(project)
    project_service.update_settings(project, min_cell_size=1)
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    panel = SurveyPanel(project, make_actions(stack, lambda t, m: errors.append((t, m))), refresher)
    qtbot.addWidget(panel)
    bridge = Bridge(project.bus, panel)
    bridge.changed.connect(panel.on_changed)
    panel.resize(1100, 800)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_session(room.session.id)
    yield Console(panel, room, stack, errors, refresher)
    bridge.detach()
    refresher.stop()


def test_the_panel_lists_the_surveys_questions(console: Console) -> None:
    assert console.panel.chooser.currentData() == console.room.activity.id
    assert console.lines() == [
        "1. How did today feel? — Smiley faces (5, unhappy to happy) · needs an answer · "
        "0 answered",
        "2. Best part? — Choose one answer · 0 answered",
        "3. What should change? — Short answer in their own words · 0 answered",
    ]
    assert console.panel.results.isHidden()


def test_the_wording_checks_follow_the_typing(console: Console) -> None:
    panel = console.panel
    panel.text.setPlainText(
        "Please tell us whether you consider that the arrangements for refreshments and "
        "breaks throughout the day were satisfactory for you."
    )
    assert panel.text_checks.text() == (
        "Reading age about 17. One sentence has 20 words — try under 15. Long words: "
        "“arrangements”, “satisfactory” — is there a shorter word?"
    )
    panel.child_text.setPlainText("Were the snacks OK?")
    assert panel.child_checks.text() == "Reading age about 5."
    assert panel.text_checks.textFormat() is Qt.TextFormat.PlainText


def test_a_question_is_written_saved_and_undone(console: Console) -> None:
    panel = console.panel
    panel.questions.setCurrentRow(-1)
    panel.kind.setCurrentIndex(panel.kind.findData(QuestionKind.CHOICE.value))
    assert panel.options.isEnabled()
    panel.text.setPlainText("<b>Which</b> game?")
    panel.options.setPlainText("Quiz\nTreasure hunt")
    panel.save_question()
    console.settle()
    assert console.lines()[-1] == "4. <b>Which</b> game? — Choose one answer · 0 answered"
    console.select(3)
    panel.text.setPlainText("Which game was best?")
    panel.save_question()
    console.settle()
    assert console.lines()[-1].startswith("4. Which game was best?")
    console.panel.presenter.actions.undo()
    console.settle()
    assert console.lines()[-1].startswith("4. <b>Which</b> game?")
    assert console.errors == []


def test_answers_update_the_counts_and_results_show_only_when_asked(console: Console) -> None:
    room = console.room
    room.answer(room.join(GroupKind.CHILD), {room.smiley: 4, room.text: "More"}, "key-00001")
    console.settle()
    assert console.panel.answered.text() == "1 person has answered. The survey is open."
    assert console.lines()[0].endswith("1 answered")
    assert console.panel.results.isHidden()
    console.panel.show_results.setChecked(True)
    text = console.panel.results.toPlainText()
    assert "   Happy: 1 (100%)" in text.splitlines()
    assert "More" not in text  # written answers are read on the Notes tab, moderated


def test_we_did_is_saved_with_the_question(console: Console) -> None:
    console.select(2)
    console.panel.we_did.setPlainText("We moved it to the evening.")
    console.panel.save_we_did()
    console.settle()
    qs = survey_service.list_questions(console.room.p, console.room.activity.id)
    assert qs[2].we_did == "We moved it to the evening."


def test_questions_come_from_a_file_and_a_typo_is_shown(console: Console, tmp_path: Path) -> None:
    good = tmp_path / "panel.csv"
    good.write_text("kind,text\nyes_no,Come again?\n", "utf-8")
    console.panel.import_file(good)
    console.settle()
    assert console.lines()[-1].startswith("4. Come again?")
    bad = tmp_path / "typo.csv"
    bad.write_text("kind,text\nyes_no,Fine\nsmily,Oops\n", "utf-8")
    console.panel.import_file(bad)
    console.settle()
    assert console.errors[-1][1] == (
        "typo.csv, line 3: kind: “smily” is not a question kind (smiley, agree, yes_no, "
        "choice, text)"
    )
    assert len(console.lines()) == 4
