"""The Survey tab: the youth panel writes its evaluation questions (or brings them as a
file), sees the wording checks as it types, watches how many have answered, and — only
when the facilitator asks — the results; then writes what was done about each question
for the "you said, we did" page.

A thin view over `ui/survey/survey_presenter.py`: it collects what is typed and asks.
Every text from a person is plain text (plain labels, plain-text editors, list items).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.survey import QuestionKind
from workshop_app.services.errors import USER_ERRORS
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.widgets import heading, narrow_combo, plain_label
from workshop_app.ui.survey.survey_presenter import (
    KINDS,
    SurveyPresenter,
    Typed,
    question_line,
    wording_words,
)

log = logging.getLogger(__name__)
REFRESH_MS = 200  # a burst of answers redraws once
TOPICS = frozenset({Topic.CONTENT, Topic.LIVE, Topic.ACTIVITIES})
ANY_SESSION = frozenset({Topic.SETTINGS, Topic.GROUPS})


def _editor(name: str, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class SurveyPanel(QWidget):
    def __init__(
        self,
        project: OpenProject,
        actions: Actions,
        refresher: Refresher,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("survey-panel")
        self.presenter = SurveyPresenter(project, actions)
        self._refresher = refresher
        self._loading = False

        self.chooser = QComboBox()
        self.chooser.setObjectName("survey-chooser")
        self.chooser.setAccessibleName("Survey")
        self.answered = plain_label()
        self.answered.setObjectName("survey-answered")

        # -- the questions
        self.questions = QListWidget()
        self.questions.setObjectName("survey-questions")
        self.questions.setAccessibleName("Questions")
        self.questions.setWordWrap(True)
        self.add_button = QPushButton("&Add question")
        self.delete_button = QPushButton("Delete")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        self.import_button = QPushButton("&Import from file…")
        self.import_button.setToolTip("Questions written in a .toml or .csv file")
        list_buttons = QGridLayout()  # two by two: the list stays narrow beside the editor
        for i, b in enumerate(
            (self.add_button, self.delete_button, self.up_button, self.down_button)
        ):
            list_buttons.addWidget(b, i // 2, i % 2)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.questions, 1)
        left_layout.addLayout(list_buttons)
        left_layout.addWidget(self.import_button)

        # -- one question
        self.kind = narrow_combo(16)
        self.kind.setObjectName("question-kind")
        self.kind.setAccessibleName("How it is answered")
        for k in KINDS:
            self.kind.addItem(k.label, k.value)
        self.text = _editor("Question", 3)
        self.text.setObjectName("question-text")
        self.text_checks = plain_label()
        self.text_checks.setObjectName("question-checks")
        self.child_text = _editor("In children's words (optional)", 2)
        self.child_text.setObjectName("question-child-text")
        self.child_checks = plain_label()
        self.child_checks.setObjectName("question-child-checks")
        self.options = _editor("Answers to choose from, one per line", 4)
        self.options.setObjectName("question-options")
        self.required = QCheckBox("Needs an answer")
        self.required.setObjectName("question-required")
        self.save_button = QPushButton("&Save question")
        self.save_button.setObjectName("question-save")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above, if narrow
        form.addRow("Answered with", self.kind)
        form.addRow("Question", self.text)
        form.addRow("", self.text_checks)
        form.addRow("Children's words", self.child_text)
        form.addRow("", self.child_checks)
        form.addRow("Answers (one per line)", self.options)
        form.addRow("", self.required)
        self.editor_box = QGroupBox("Question")
        editor_layout = QVBoxLayout(self.editor_box)
        editor_layout.addLayout(form)
        editor_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)

        self.we_did = _editor("What we did about it", 3)
        self.we_did.setObjectName("question-we-did")
        self.we_did_button = QPushButton("Save “we did”")
        self.we_did_button.setObjectName("we-did-save")
        we_did_box = QGroupBox("You said, we did")
        we_did_box.setToolTip(
            "What was done about this question, for the “you said, we did” report"
        )
        we_did_layout = QVBoxLayout(we_did_box)
        we_did_layout.addWidget(self.we_did)
        we_did_layout.addWidget(self.we_did_button, 0, Qt.AlignmentFlag.AlignRight)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.editor_box)
        right_layout.addWidget(we_did_box)
        right_layout.addStretch(1)

        # -- results, only when asked
        self.show_results = QCheckBox("Show the results here (never on the projector by itself)")
        self.show_results.setObjectName("survey-show-results")
        self.results = QPlainTextEdit()  # plain text, read only, scrolls when long
        self.results.setObjectName("survey-results")
        self.results.setAccessibleName("Results")
        self.results.setReadOnly(True)
        self.results.setMinimumHeight(self.results.fontMetrics().lineSpacing() * 8)
        self.results.hide()

        # The question's editor scrolls rather than making the window taller than a small
        # screen (tests/ui/test_small_screen.py).
        right_scroll = QScrollArea()
        right_scroll.setWidgetResizable(True)
        right_scroll.setFrameShape(QFrame.Shape.NoFrame)
        right_scroll.setWidget(right)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right_scroll)
        split.setChildrenCollapsible(False)
        choose = QHBoxLayout()
        choose.addWidget(plain_label("Survey", wrap=False))
        choose.addWidget(self.chooser, 1)
        self.empty = plain_label()
        self.empty.setObjectName("survey-empty")
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.answered)
        body.addWidget(split, 3)
        body.addWidget(self.show_results)
        body.addWidget(self.results, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Evaluation survey"))
        layout.addLayout(choose)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)

        self.chooser.currentIndexChanged.connect(self._chosen)
        self.questions.currentItemChanged.connect(lambda *_a: self._show_question())
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.text.textChanged.connect(self._checks)
        self.child_text.textChanged.connect(self._checks)
        self.add_button.clicked.connect(self.add_question)
        self.save_button.clicked.connect(self.save_question)
        self.delete_button.clicked.connect(self.delete_question)
        self.up_button.clicked.connect(lambda: self.move_question(-1))
        self.down_button.clicked.connect(lambda: self.move_question(1))
        self.import_button.clicked.connect(self._ask_for_file)
        self.we_did_button.clicked.connect(self.save_we_did)
        self.show_results.toggled.connect(lambda _on: self.refresh())
        self.show_session(None)

    # ------------------------------------------------------------ the window calls

    def show_session(self, session_id: str | None) -> None:
        if session_id != self.presenter.session_id:
            self.presenter.session_id = session_id
            self.presenter.activity_id = None
            self.show_results.setChecked(False)
        self.refresh()

    def follow_activity(self, activity_id: str | None) -> None:
        index = self.chooser.findData(activity_id) if activity_id else -1
        if index >= 0 and index != self.chooser.currentIndex():
            self.chooser.setCurrentIndex(index)

    def on_changed(self, event: Changed) -> None:
        relevant = event.topic in ANY_SESSION or (
            event.topic in TOPICS
            and self.presenter.session_id is not None
            and event.session_id == self.presenter.session_id
        )
        if relevant:
            self._refresher.soon(self.refresh, REFRESH_MS)

    # ------------------------------------------------------------ actions

    def selected_id(self) -> str | None:
        item = self.questions.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def typed(self) -> Typed:
        return Typed(
            self._kind(),
            self.text.toPlainText(),
            self.child_text.toPlainText(),
            self.options.toPlainText(),
            self.required.isChecked(),
        )

    def add_question(self) -> None:
        """A new question from what the editor holds (a blank one says what is missing)."""
        self.presenter.add(self.typed()).then(lambda q: self.refresh(select=q.id))

    def save_question(self) -> None:
        qid = self.selected_id()
        if qid is None:
            self.add_question()
            return
        self.presenter.save(qid, self.typed()).then(lambda _q: self.refresh(select=qid))

    def delete_question(self) -> None:
        qid = self.selected_id()
        if qid is not None:
            self.presenter.delete(qid).then(lambda _q: self.refresh())

    def move_question(self, step: int) -> None:
        qid = self.selected_id()
        if qid is not None:
            self.presenter.move(qid, step).then(lambda _n: self.refresh(select=qid))

    def import_file(self, path: Path) -> None:
        self.presenter.import_file(path).then(
            lambda made: self.refresh(select=made[0].id if made else None)
        )

    def save_we_did(self) -> None:
        qid = self.selected_id()
        if qid is not None:
            text = self.we_did.toPlainText()
            self.presenter.save_we_did(qid, text).then(lambda _t: self.refresh(select=qid))

    def _ask_for_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Import questions", "", "Questions (*.toml *.csv)"
        )
        if name:
            self.import_file(Path(name))

    # ------------------------------------------------------------ drawing

    def refresh(self, select: str | None = None) -> None:
        self._refresher.cancel(self.refresh)
        keep = select or self.selected_id()
        try:
            surveys = self.presenter.read()
            _people, per_question = self.presenter.counts()
        except USER_ERRORS as exc:  # the session was deleted meanwhile, say
            log.info("survey panel: %s", exc)
            surveys, per_question = [], {}
            self.presenter.activity_id = None
        self._loading = True
        try:
            self.chooser.clear()
            for a in surveys:
                self.chooser.addItem(a.title, a.id)
            self.chooser.setCurrentIndex(max(0, self.chooser.findData(self.presenter.activity_id)))
            self.empty.setText(self.presenter.answered_words() if not surveys else "")
            self.empty.setVisible(not surveys)
            self.body.setVisible(bool(surveys))
            self.answered.setText(self.presenter.answered_words())
            self.questions.clear()
            for number, q in enumerate(self.presenter.questions, 1):
                item = QListWidgetItem(question_line(number, q, per_question.get(q.id)))
                item.setData(Qt.ItemDataRole.UserRole, q.id)
                self.questions.addItem(item)
                if q.id == keep:
                    self.questions.setCurrentItem(item)
        finally:
            self._loading = False
        self._show_question()
        shown = self.show_results.isChecked() and bool(surveys)
        self.results.setVisible(shown)
        self.results.setPlainText(self.presenter.results_text() if shown else "")

    def _chosen(self, _index: int) -> None:
        if self._loading:
            return
        self.presenter.choose(self.chooser.currentData())
        self.refresh()

    def _show_question(self) -> None:
        if self._loading:
            return
        q = self.presenter.question(self.selected_id())
        typed = Typed.of(q) if q else Typed.blank()
        self.kind.setCurrentIndex(max(0, self.kind.findData(typed.kind.value)))
        self.text.setPlainText(typed.text)
        self.child_text.setPlainText(typed.child_text)
        self.options.setPlainText(typed.options_text)
        self.required.setChecked(typed.required)
        self.we_did.setPlainText(q.we_did if q else "")
        self.we_did.setEnabled(q is not None)
        self.we_did_button.setEnabled(q is not None)
        self.delete_button.setEnabled(q is not None)
        self.up_button.setEnabled(q is not None)
        self.down_button.setEnabled(q is not None)
        self.save_button.setText("&Save question" if q else "&Add this question")
        self._kind_changed()
        self._checks()

    def _kind(self) -> QuestionKind:
        data = self.kind.currentData()
        return QuestionKind(data) if isinstance(data, str) else QuestionKind.SMILEY

    def _kind_changed(self) -> None:
        self.options.setEnabled(self._kind() is QuestionKind.CHOICE)

    def _checks(self) -> None:
        """The wording checks, live, as the panel types."""
        self.text_checks.setText(wording_words(self.text.toPlainText()))
        self.child_checks.setText(wording_words(self.child_text.toPlainText()))
