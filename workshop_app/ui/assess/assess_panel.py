"""The Self-assessment tab (issue 16): a service's team answers each statement of the
framework version it was given; the facilitator settles the team's answer.

Two ways of filling it, which mix: typed here together with the room (Show on projector
puts the statement and the settled answer on the screen), or given by team members on their
phones, whose views are listed side by side, numbered, never on the projector. Settling is
undoable. What is shown and decided lives in `assess_presenter.py`; every text from the
project is plain text (plain labels, QPlainTextEdit, table items).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.assessment import EVIDENCE_MAX, AssessmentAnswer, AssessStatus
from workshop_app.core.model import Activity
from workshop_app.services import assessment as svc
from workshop_app.services import sessions as session_service
from workshop_app.services.assessment import Settled
from workshop_app.services.errors import USER_ERRORS
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.ui.assess.assess_presenter import (
    ACTION_ROWS,
    AssessPresenter,
    Fields,
    draft_of,
    empty_words,
    fields_of,
    rows_of,
    view_text,
)
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.widgets import heading, narrow_combo, plain_label

log = logging.getLogger(__name__)
REFRESH_MS = 200
TOPICS = frozenset({Topic.CONTENT, Topic.ACTIVITIES, Topic.LIVE})


class AssessPanel(QWidget):
    services_requested = Signal()  # the facilitator wants to name areas and services

    def __init__(
        self,
        project: OpenProject,
        actions: Actions,
        refresher: Refresher,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("assess-panel")
        self.project = project
        self._actions = actions
        self._refresher = refresher
        self.presenter = AssessPresenter(project)
        self._standard_id: str | None = None
        self._filled_from: AssessmentAnswer | None = None  # what the editor was filled with

        self.chooser = narrow_combo(24)
        self.chooser.setAccessibleName("Self-assessment")
        self.new_service = narrow_combo(20)
        self.new_service.setAccessibleName("Service for a new self-assessment")
        self.add_button = QPushButton("Add a self-assessment for this service")
        self.services_button = QPushButton("Areas and services…")
        self.empty = plain_label()
        self.empty.setObjectName("assess-empty")
        self.setup = QWidget()
        self.setup_service = narrow_combo(20)
        self.setup_service.setAccessibleName("Service this self-assessment is for")
        self.setup_button = QPushButton("Use this service")
        setup = QHBoxLayout(self.setup)
        setup.setContentsMargins(0, 0, 0, 0)
        setup.addWidget(plain_label("Choose the service this team comes from:"), 1)
        setup.addWidget(self.setup_service, 1)
        setup.addWidget(self.setup_button)
        self.summary = plain_label()
        self.summary.setObjectName("assess-summary")

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("assess-statements")
        self.table.setAccessibleName("Statements")
        self.table.setHorizontalHeaderLabels(["Statement", "Team answer", "Team members' views"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

        self.statement = plain_label()
        self.statement.setObjectName("assess-statement")
        self.views = QPlainTextEdit()
        self.views.setObjectName("assess-views")
        self.views.setReadOnly(True)
        self.views.setAccessibleName("Team members' views")
        self.view_choice = QComboBox()
        self.view_choice.setAccessibleName("A team member's view to start from")
        self.copy_button = QPushButton("Start from this view")
        self.status = QComboBox()
        self.status.setAccessibleName("Team answer")
        self.status.addItem("Choose…", "")
        for s in AssessStatus:
            self.status.addItem(f"{s.symbol} {s.label}", s.value)
        self.evidence = QPlainTextEdit()
        self.evidence.setAccessibleName("Evidence")
        self.evidence.setTabChangesFocus(True)
        self.measures_box = QGroupBox("Measures")
        self.measures_form = QFormLayout(self.measures_box)
        self.measure_edits: list[tuple[QLineEdit, QLineEdit, QLineEdit]] = []
        self.action_edits: list[tuple[QLineEdit, QLineEdit, QLineEdit]] = []
        actions_box = QGroupBox("Actions (who: a role, never a person's name)")
        grid = QGridLayout(actions_box)
        for col, text in enumerate(("What", "Who (role)", "By when (YYYY-MM-DD)")):
            grid.addWidget(plain_label(text, wrap=False), 0, col)
        for col, stretch in enumerate((3, 2, 1)):
            grid.setColumnStretch(col, stretch)
        for row in range(ACTION_ROWS):
            edits = (QLineEdit(), QLineEdit(), QLineEdit())
            for col, (edit, name) in enumerate(zip(edits, ("what", "who", "by when"), strict=True)):
                edit.setAccessibleName(f"Action {row + 1}: {name}")
                grid.addWidget(edit, row + 1, col)
            self.action_edits.append(edits)
        self.settle_button = QPushButton("Settle the team's answer")
        self.settle_button.setObjectName("assess-settle")
        self.project_button = QPushButton("Show on projector")
        self.project_button.setToolTip(
            "The projector shows this statement and the team's settled answer, never the "
            "team members' views."
        )
        self.message = plain_label()
        self.message.setObjectName("assess-message")

        editor = QWidget()
        form = QFormLayout()
        form.addRow("Team answer", self.status)
        form.addRow("Evidence", self.evidence)
        pick = QHBoxLayout()
        pick.addWidget(self.view_choice, 1)
        pick.addWidget(self.copy_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.settle_button)
        buttons.addWidget(self.project_button)
        buttons.addStretch(1)
        ed = QVBoxLayout(editor)
        ed.addWidget(self.statement)
        ed.addWidget(plain_label("Team members' views (from their phones; only you see them)"))
        ed.addWidget(self.views)
        ed.addLayout(pick)
        ed.addLayout(form)
        ed.addWidget(self.measures_box)
        ed.addWidget(actions_box)
        ed.addWidget(self.message)
        ed.addLayout(buttons)
        ed.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(editor)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(scroll)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([520, 780])
        split.setChildrenCollapsible(False)

        # Which self-assessment of the session, on a line of its own (hidden while there is
        # none); adding one below it: long service names must not widen the window (the
        # console fits a 1366-pixel screen with the Live panel open: tests/ui/test_small_screen).
        add = QHBoxLayout()
        add.addWidget(self.new_service, 1)
        add.addWidget(self.add_button)
        add.addWidget(self.services_button)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.setup)
        body.addWidget(self.summary)
        body.addWidget(split, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Self-assessment"))
        layout.addWidget(self.chooser)
        layout.addLayout(add)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)
        layout.addStretch()  # with no self-assessment shown, what is there stays at the top

        self.chooser.currentIndexChanged.connect(lambda _i: self._show())
        self.add_button.clicked.connect(self.add_assessment)
        self.services_button.clicked.connect(self.services_requested)
        self.setup_button.clicked.connect(self.use_service)
        self.table.currentCellChanged.connect(lambda row, *_a: self._row_chosen(row))
        self.copy_button.clicked.connect(self.copy_view)
        self.settle_button.clicked.connect(self.settle)
        self.project_button.clicked.connect(self.show_on_projector)
        self.show_session(None)

    # ------------------------------------------------------------------ the window calls

    def show_session(self, session_id: str | None) -> None:
        self.presenter.session_id = session_id
        self.refresh()

    def follow_activity(self, activity_id: str | None) -> None:
        index = self.chooser.findData(activity_id) if activity_id else -1
        if index >= 0 and index != self.chooser.currentIndex():
            self.chooser.setCurrentIndex(index)

    def on_changed(self, event: Changed) -> None:
        if event.topic is Topic.GROUPS or (
            event.topic in TOPICS and event.session_id == self.presenter.session_id
        ):
            self._refresher.soon(self.refresh, REFRESH_MS)

    def selected_activity_id(self) -> str | None:
        data = self.chooser.currentData()
        return data if isinstance(data, str) else None

    # ------------------------------------------------------------------ redrawing

    def refresh(self) -> None:
        self._refresher.cancel(self.refresh)
        try:
            entries = self.presenter.entries()
        except USER_ERRORS as exc:  # the session was deleted meanwhile
            log.info("assess panel: %s", exc)
            entries = []
        _fill_combo(self.chooser, entries)  # an open drop-down is left alone when unchanged
        services = [(s.id, s.name) for s in self.presenter.services()]
        for combo in (self.new_service, self.setup_service):
            _fill_combo(combo, services)
        chosen = self.presenter.session_id is not None
        self.add_button.setEnabled(bool(services) and chosen)
        self.empty.setText(empty_words(chosen, len(services)))
        self._show()

    def _show(self) -> None:
        activity_id = self.selected_activity_id()
        state = self.presenter.read(activity_id)
        self.empty.setVisible(activity_id is None)
        self.chooser.setVisible(self.chooser.count() > 0)
        self.body.setVisible(activity_id is not None)
        self.setup.setVisible(activity_id is not None and state is None)
        self.summary.setText(self.presenter.heading())
        rows = rows_of(state) if state else []
        self.table.setRowCount(len(rows))
        select = 0
        for i, r in enumerate(rows):
            views = f"{r.views} (they differ)" if r.differ else r.views
            for col, text in enumerate((r.title, r.settled, views)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.standard_id)
                self.table.setItem(i, col, item)
            if r.standard_id == self._standard_id:
                select = i
        self.table.resizeRowsToContents()
        if rows:
            self.table.blockSignals(True)
            self.table.selectRow(select)
            self.table.blockSignals(False)
            self._row_chosen(select, reload=rows[select].standard_id != self._standard_id)
        else:
            self._standard_id = None

    def _row_chosen(self, row: int, *, reload: bool = True) -> None:
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            return
        standard_id = str(item.data(Qt.ItemDataRole.UserRole))
        changed = standard_id != self._standard_id
        self._standard_id = standard_id
        answers = self.presenter.statement(standard_id)
        if answers is None:
            return
        st = answers.statement
        self.statement.setText(f"{st.title}: {st.statement}")
        self.views.setPlainText(
            "\n\n".join(view_text(name, v, st) for name, v in answers.views)
            or "No team member has given a view on a phone."
        )
        self.view_choice.clear()
        for name, _v in answers.views:
            self.view_choice.addItem(name, name)
        self.copy_button.setEnabled(bool(answers.views))
        # The editor is refilled for another statement, or when the settled answer changed
        # (settled, undone, redone); a phone's view arriving leaves what is being typed alone.
        if changed or reload or answers.settled != self._filled_from:
            self._build_measures(len(st.measures), [m.description for m in st.measures])
            self._fill(fields_of(answers.settled, st))
            self._filled_from = answers.settled
            if changed:
                self.message.setText("")

    def _build_measures(self, count: int, descriptions: list[str]) -> None:
        while self.measures_form.rowCount():
            self.measures_form.removeRow(0)
        self.measure_edits = []
        if count:
            header = QHBoxLayout()
            for text in ("Numerator", "Denominator", "Period"):
                header.addWidget(plain_label(text, wrap=False))
            self.measures_form.addRow(plain_label("Measure"), header)
        for i in range(count):
            edits = (QLineEdit(), QLineEdit(), QLineEdit())
            row = QHBoxLayout()
            for edit, what in zip(edits, ("numerator", "denominator", "period"), strict=True):
                edit.setPlaceholderText(what.capitalize())
                edit.setAccessibleName(f"Measure {i + 1}: {what}")
                row.addWidget(edit)
            label = plain_label(f"{i + 1}. {descriptions[i]}")
            self.measures_form.addRow(label, row)
            self.measure_edits.append(edits)
        self.measures_box.setVisible(count > 0)

    def _fill(self, f: Fields) -> None:
        self.status.setCurrentIndex(
            max(0, self.status.findData(f.status.value if f.status else ""))
        )
        self.evidence.setPlainText(f.evidence)
        for edits, values in zip(self.measure_edits, f.measures, strict=True):
            for edit, value in zip(edits, values, strict=True):
                edit.setText(value)
        for edits, values in zip(self.action_edits, f.actions, strict=True):
            for edit, value in zip(edits, values, strict=True):
                edit.setText(value)

    def fields(self) -> Fields:
        value = self.status.currentData()
        return Fields(
            AssessStatus(value) if value else None,
            self.evidence.toPlainText()[: EVIDENCE_MAX * 2],
            tuple((a.text(), b.text(), c.text()) for a, b, c in self.measure_edits),
            tuple((a.text(), b.text(), c.text()) for a, b, c in self.action_edits),
        )

    # ------------------------------------------------------------------ actions

    def add_assessment(self) -> None:
        sid, service_id = self.presenter.session_id, self.new_service.currentData()
        if sid is None or not isinstance(service_id, str):
            return

        def added(a: Activity) -> None:
            self.refresh()
            self.chooser.setCurrentIndex(self.chooser.findData(a.id))

        self._actions.perform(
            "Add self-assessment",
            lambda: svc.add_assessment(self.project, sid, service_id),
            lambda a: session_service.delete_activity(self.project, a.id),
            lambda a: session_service.restore_activity(self.project, a.id),
        ).then(added)

    def use_service(self) -> None:
        activity_id, service_id = self.selected_activity_id(), self.setup_service.currentData()
        if activity_id is None or not isinstance(service_id, str):
            return
        self._actions.perform(
            "Choose the service",
            lambda: svc.set_up_assessment(self.project, activity_id, service_id),
            lambda _a: None,  # the framework version taken stays; nothing to put back
        ).then(lambda _a: self.refresh())

    def copy_view(self) -> None:
        answers = self.presenter.statement(self._standard_id or "")
        name = self.view_choice.currentData()
        found = next((v for n, v in answers.views if n == name), None) if answers else None
        if answers is not None and found is not None:
            self._fill(fields_of(found, answers.statement))
            self.message.setText(
                f"Started from {name}'s view: change it with the team, then settle."
            )
            set_tone(self.message, "")

    def settle(self) -> None:
        activity_id, standard_id = self.selected_activity_id(), self._standard_id
        if activity_id is None or standard_id is None:
            return
        draft = draft_of(self.fields())

        def settled(done: Settled) -> None:
            self.message.setText(" ".join(done.warnings) or "Settled.")
            set_tone(self.message, "warning" if done.warnings else "")
            self.refresh()

        self._actions.perform(
            "Settle the team's answer",
            lambda: svc.settle(self.project, activity_id, standard_id, draft),
            lambda s: svc.restore_settled(self.project, s.previous, standard_id, activity_id),
            lambda s: svc.restore_settled(self.project, s.answer, standard_id, activity_id),
        ).then(settled)

    def show_on_projector(self) -> None:
        activity_id, standard_id = self.selected_activity_id(), self._standard_id
        if activity_id is None or standard_id is None:
            return
        self._actions.perform(
            "Show the statement on the projector",
            lambda: svc.show_statement(self.project, activity_id, standard_id),
            lambda before: svc.show_statement(self.project, activity_id, before),
            lambda _before: svc.show_statement(self.project, activity_id, standard_id),
        )


def _fill_combo(combo: QComboBox, entries: list[tuple[str, str]]) -> None:
    """(data, text) entries, keeping the choice; untouched when nothing changed."""
    shown = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
    if shown == entries:
        return
    keep = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for data, text in entries:
        combo.addItem(text, data)
    index = combo.findData(keep)
    combo.setCurrentIndex(index if index >= 0 else (0 if entries else -1))
    combo.blockSignals(False)
