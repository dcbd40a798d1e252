"""The survey room without a widget: which survey is shown, its questions, the wording
checks while a question is written, the live answer counts, the results (only when the
facilitator asks for them) and every change as one undoable step.

The view (ui/survey/survey_panel.py) collects what is typed and asks; this decides, calls
the services through `Actions` (off the GUI thread, undo after commit: decision 005) and
words what is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workshop_app.core.cells import fewer_than
from workshop_app.core.model import Activity
from workshop_app.core.readability import advice, check_wording
from workshop_app.core.shares import count_and_percent
from workshop_app.core.survey import (
    QuestionFields,
    QuestionKind,
    QuestionResult,
    SurveyQuestion,
    SurveyResults,
)
from workshop_app.services import survey as survey_service
from workshop_app.services.project import OpenProject
from workshop_app.ui.common.commands import Actions, Op, refused_op

KINDS: tuple[QuestionKind, ...] = tuple(QuestionKind)
NO_SURVEY = (
    "This session has no survey yet. Add an activity of the kind “Survey (evaluation)” on "
    "the Plan tab, then write its questions here."
)


@dataclass(frozen=True, slots=True)
class Typed:
    """What the editor holds for one question."""

    kind: QuestionKind
    text: str
    child_text: str
    options_text: str  # one answer per line
    required: bool

    def fields(self) -> QuestionFields:
        options = tuple(line.strip() for line in self.options_text.splitlines() if line.strip())
        return QuestionFields(
            self.kind,
            self.text,
            self.child_text,
            options if self.kind is QuestionKind.CHOICE else (),
            self.required,
        )

    @classmethod
    def of(cls, q: SurveyQuestion) -> Typed:
        return cls(q.kind, q.text, q.child_text, "\n".join(q.options), q.required)

    @classmethod
    def blank(cls) -> Typed:
        return cls(QuestionKind.SMILEY, "", "", "", False)


def wording_words(text: str) -> str:
    """The checks of one wording as the editor shows them, live: "Reading age about 9. One
    sentence has 24 words — try under 15." ("" while nothing is written)."""
    return " ".join(advice(check_wording(text)))


def question_line(number: int, q: SurveyQuestion, answered: int | None) -> str:
    """One line of the question list: "2. Did you feel safe? — Yes or no · needs an answer ·
    12 answered"."""
    parts = [q.kind.label]
    if q.required:
        parts.append("needs an answer")
    if answered is not None:
        parts.append(f"{answered} answered")
    return f"{number}. {q.text} — {' · '.join(parts)}"


def result_lines(r: QuestionResult, min_cell: int) -> list[str]:
    """A question's results as plain lines for the console: the finding, then each answer
    with its count and share (rounded down), then each group (small ones withheld)."""
    lines = [f"{r.number}. {r.question.text}", f"   {r.finding}"]
    if r.tally is not None:
        total = r.tally.answered
        for answer, n in zip(r.choices, r.tally.counts, strict=True):
            lines.append(f"   {answer}: {count_and_percent(n, total)}")
        for g in r.groups:
            if g.withheld:
                lines.append(f"   {g.name}: {fewer_than(min_cell)} answered (not shown)")
            else:
                counts = ", ".join(f"{a} {n}" for a, n in zip(r.choices, g.counts, strict=True))
                lines.append(f"   {g.name} ({g.answered}): {counts}")
    else:
        lines.append(f"   Written answers to read on the Notes tab: {r.answered}")
    return lines


class SurveyPresenter:
    def __init__(self, project: OpenProject, actions: Actions):
        self.project = project
        self.actions = actions
        self.session_id: str | None = None
        self.activity_id: str | None = None
        self._surveys: list[Activity] = []
        self.questions: list[SurveyQuestion] = []

    # ------------------------------------------------------------ reading

    def read(self) -> list[Activity]:
        """The session's surveys; keeps the chosen one (else the first) and its questions."""
        self._surveys = (
            survey_service.list_surveys(self.project, self.session_id) if self.session_id else []
        )
        ids = [a.id for a in self._surveys]
        if self.activity_id not in ids:
            self.activity_id = ids[0] if ids else None
        self.questions = (
            survey_service.list_questions(self.project, self.activity_id)
            if self.activity_id
            else []
        )
        return list(self._surveys)

    def choose(self, activity_id: str | None) -> None:
        self.activity_id = activity_id
        self.read()

    @property
    def activity(self) -> Activity | None:
        return next((a for a in self._surveys if a.id == self.activity_id), None)

    def question(self, question_id: str | None) -> SurveyQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def counts(self) -> tuple[int, dict[str, int]]:
        """How many people answered, overall and per question (never what they answered)."""
        if self.activity_id is None:
            return 0, {}
        return survey_service.answer_counts(self.project, self.activity_id)

    def answered_words(self) -> str:
        if self.activity_id is None:
            return NO_SURVEY
        people, _ = self.counts()
        state = self.activity.state.value if self.activity else ""
        who = "1 person has" if people == 1 else f"{people} people have"
        return f"{who} answered. The survey is {state}."

    def results(self) -> SurveyResults | None:
        if self.activity_id is None:
            return None
        return survey_service.survey_results(self.project, self.activity_id)

    def results_text(self) -> str:
        r = self.results()
        if r is None:
            return ""
        who = "1 person" if r.respondents == 1 else f"{r.respondents} people"
        lines = [f"{who} answered."]
        for q in r.questions:
            lines += result_lines(q, r.min_cell)
        return "\n".join(lines)

    # ------------------------------------------------------------ changes (undoable)

    # Each change runs off the GUI thread (ui/common/commands.Actions) and comes back as
    # an `Op`: one undo step once committed, a clear error if refused. The view redraws
    # from the change events; `op.then` says what to select afterwards.

    def add(self, typed: Typed) -> Op[SurveyQuestion]:
        activity_id = self.activity_id
        if activity_id is None:
            return refused_op()
        fields = typed.fields()
        p = self.project
        return self.actions.perform(
            "Add a question",
            lambda: survey_service.add_question(p, activity_id, fields),
            lambda q: survey_service.delete_question(p, q.id),
            lambda q: survey_service.restore_questions(p, [q.id]),
        )

    def save(self, question_id: str, typed: Typed) -> Op[SurveyQuestion]:
        """Change a question (one undo step); refused at once when nothing changed."""
        current = self.question(question_id)
        if current is None or Typed.of(current).fields() == typed.fields():
            return refused_op()
        fields, p = typed.fields(), self.project
        return self.actions.perform(
            "Change a question",
            lambda: survey_service.update_question(p, question_id, fields),
            lambda old: survey_service.update_question(p, question_id, old.fields),
        )

    def delete(self, question_id: str) -> Op[SurveyQuestion]:
        p = self.project
        return self.actions.perform(
            "Delete a question",
            lambda: survey_service.delete_question(p, question_id),
            lambda q: survey_service.restore_questions(p, [q.id]),
            lambda q: survey_service.delete_question(p, q.id),
        )

    def move(self, question_id: str, step: int) -> Op[int]:
        ids = [q.id for q in self.questions]
        target = ids.index(question_id) + 1 + step if question_id in ids else 0
        if not 1 <= target <= len(ids):
            return refused_op()
        p = self.project
        return self.actions.perform(
            "Move a question",
            lambda: survey_service.move_question(p, question_id, target),
            lambda old: survey_service.move_question(p, question_id, old),
        )

    def import_file(self, path: Path) -> Op[list[SurveyQuestion]]:
        activity_id = self.activity_id
        if activity_id is None:
            return refused_op()
        p = self.project
        return self.actions.perform(
            f"Import questions from {path.name}",
            lambda: survey_service.import_questions(p, activity_id, path),
            lambda qs: survey_service.delete_questions(p, _ids(qs)),
            lambda qs: survey_service.restore_questions(p, _ids(qs)),
        )

    def save_we_did(self, question_id: str, text: str) -> Op[str]:
        current = self.question(question_id)
        if current is None or current.we_did == text.strip():
            return refused_op()
        p = self.project
        return self.actions.perform(
            "Write what we did",
            lambda: survey_service.set_we_did(p, question_id, text),
            lambda old: survey_service.set_we_did(p, question_id, old),
        )


def _ids(questions: Sequence[SurveyQuestion]) -> list[str]:
    return [q.id for q in questions]
