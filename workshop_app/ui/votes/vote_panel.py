"""The votes and ratings control: set a dot vote's rules, open and close it, watch how
many have voted, then see the ranking and its chart.

Results never show while people are still voting: only how many have voted (overall and
by stakeholder group). Once the vote is closed the console shows the ranking; the
projector shows it only after Reveal (services/projection.py decides that).

A rating round's table adds the consensus verdict (services/consensus.py, the project's
rules): overall and, by group, each group's verdict ("Too few raters" below the rules'
minimum) and the verdict across every judged group.

The chart (`ui/votes/vote_chart.py`) is drawn by matplotlib on a worker thread
(services.results.vote_chart_png) and shown as a picture; the GUI thread never waits for it.
Item texts are plain text everywhere (QStandardItem display text, plain labels). What is
shown and decided lives in `ui/votes/vote_presenter.py`, the tables in `vote_tables.py`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.cells import suppressed
from workshop_app.core.model import Activity, ActivityKind, ActivityState, VoteTarget
from workshop_app.core.shares import ROUNDING_NOTE
from workshop_app.core.validate import MAX_DOTS
from workshop_app.services import results as results_service
from workshop_app.services.errors import USER_ERRORS
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.services.results import Turnout, VoteRules
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.widgets import heading, narrow_combo, plain_label
from workshop_app.ui.votes.vote_chart import ChartView, single_shot
from workshop_app.ui.votes.vote_presenter import (
    STATE_WORDS,
    WAITING,
    VotePresenter,
    buttons,
    items_words,
    turnout_words,
)
from workshop_app.ui.votes.vote_tables import (
    VOTE_COLUMNS,
    fill_rating_table,
    fill_vote_table,
    scale_note,
)

log = logging.getLogger(__name__)

REFRESH_MS = 200  # a burst of phone votes redraws once
COMMIT_DELAY_MS = 700  # a spin box change is committed shortly after the last click
TOPICS = frozenset({Topic.CONTENT, Topic.LIVE, Topic.ACTIVITIES, Topic.PARTICIPANTS})
ANY_SESSION = frozenset({Topic.SETTINGS, Topic.GROUPS})  # the budget cap, group names

NARROW_COLUMN_PX = 128  # a number or a group's column in the results table
ITEM_MIN_PX = 240  # the item or statement column


class VotePanel(QWidget):
    state_requested = Signal(str, object)  # activity id, ActivityState

    def __init__(
        self,
        project: OpenProject,
        actions: Actions,
        refresher: Refresher,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("vote-panel")
        self.project = project
        self._actions = actions
        self.presenter = VotePresenter(project)  # what is shown and decided, no widgets
        self._loading = False
        self._table_key: tuple[object, ...] | None = None

        self._refresher = refresher
        self._commit_timer = single_shot(self, COMMIT_DELAY_MS, self.flush)

        self.title = heading("Votes and ratings")
        self.chooser = narrow_combo(24)
        self.chooser.setObjectName("vote-chooser")
        self.chooser.setAccessibleName("Vote or rating round")
        self.empty = plain_label(
            "This session has no dot vote or rating round. Add one to its agenda first."
        )
        self.state = plain_label()
        self.state.setObjectName("vote-state")

        # -- rules
        self.on_themes = QRadioButton("Themes")
        self.on_notes = QRadioButton("Notes on show")
        self.on_themes.setAccessibleName("Vote on themes")
        self.on_notes.setAccessibleName("Vote on notes")
        self.vote_on = QButtonGroup(self)
        self.vote_on.addButton(self.on_themes)
        self.vote_on.addButton(self.on_notes)
        self.items_count = plain_label()
        self.items_count.setObjectName("vote-items")
        self.budget = _spin(0, MAX_DOTS, " dots", "Automatic")
        self.budget.setObjectName("vote-budget")
        self.budget.setAccessibleName("Dots per person")
        self.cap = _spin(0, MAX_DOTS, " dots", "No limit")
        self.cap.setObjectName("vote-cap")
        self.cap.setAccessibleName("Most dots on one item")
        self.locked = plain_label()
        self.locked.setObjectName("rules-locked")
        set_tone(self.locked, "warning")
        on_row = QHBoxLayout()
        on_row.addWidget(self.on_themes)
        on_row.addWidget(self.on_notes)
        on_row.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("Vote on", on_row)
        form.addRow("", self.items_count)
        form.addRow("Dots per person", self.budget)
        form.addRow("Most dots on one item", self.cap)
        self.rules_box = QGroupBox("Rules")
        rules_layout = QVBoxLayout(self.rules_box)
        rules_layout.addLayout(form)
        rules_layout.addWidget(self.locked)
        self.scale_note = plain_label(scale_note(None))

        # -- running it
        self.open_button = QPushButton("Open")
        self.close_button = QPushButton("Close")
        self.reveal_button = QPushButton("Show results")  # the Live panel's word for it too
        self.open_button.setObjectName("vote-open")
        self.close_button.setObjectName("vote-close")
        self.reveal_button.setObjectName("vote-reveal")
        self.not_live = plain_label("Take the session live to open it.")
        self.turnout = plain_label()
        self.turnout.setObjectName("vote-turnout")
        font = self.turnout.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.turnout.setFont(font)
        self.turnout_groups = plain_label()
        self.turnout_groups.setObjectName("vote-turnout-groups")

        # -- results
        self.waiting = plain_label()
        self.waiting.setObjectName("results-waiting")
        self.projector_note = plain_label()
        self.projector_note.setObjectName("projector-note")
        self.consensus_rules = plain_label()
        self.consensus_rules.setObjectName("consensus-rules")
        self.consensus_rules.hide()  # shown with a rating round's results
        self.by_group = QCheckBox("By stakeholder group")
        self.by_group.setObjectName("results-by-group")
        self.model = QStandardItemModel(0, 0, self)
        self.table = QTableView()
        self.table.setObjectName("results-table")
        self.table.setAccessibleName("Results")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        # Rows grow or shrink with the item column when the panel or divider moves.
        self.table.horizontalHeader().sectionResized.connect(
            lambda *_a: self.table.resizeRowsToContents()
        )
        self.chart = ChartView()
        self.results_box = QWidget()
        results_layout = QVBoxLayout(self.results_box)
        results_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.projector_note, 1)
        top.addWidget(self.by_group)
        results_layout.addLayout(top)
        results_layout.addWidget(self.consensus_rules)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        results_layout.addWidget(split, 1)

        choose = QHBoxLayout()
        choose.addWidget(plain_label("Activity", wrap=False))
        choose.addWidget(self.chooser, 1)
        run = QHBoxLayout()
        for b in (self.open_button, self.close_button, self.reveal_button):
            run.addWidget(b)
        run.addWidget(self.not_live, 1)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.state)
        body.addWidget(self.rules_box)
        body.addWidget(self.scale_note)
        body.addLayout(run)
        body.addWidget(self.turnout)
        body.addWidget(self.turnout_groups)
        body.addWidget(self.waiting)
        body.addWidget(self.results_box, 100)
        body.addStretch(1)  # takes the room while the results are hidden
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(choose)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)

        self.chooser.currentIndexChanged.connect(self._chosen)
        self.vote_on.buttonToggled.connect(self._vote_on_toggled)
        for spin in (self.budget, self.cap):
            spin.valueChanged.connect(self._spin_changed)
            spin.editingFinished.connect(self.flush)
        self.open_button.clicked.connect(lambda: self._request(ActivityState.OPEN))
        self.close_button.clicked.connect(lambda: self._request(ActivityState.CLOSED))
        self.reveal_button.clicked.connect(lambda: self._request(ActivityState.REVEALED))
        self.by_group.toggled.connect(lambda _on: self._show_results())
        self.show_session(None)

    # ------------------------------------------------------------------ the window calls

    @property
    def session_id(self) -> str | None:
        return self.presenter.session_id

    def show_session(self, session_id: str | None) -> None:
        """Follow a session (None: none chosen)."""
        if session_id != self.presenter.session_id:
            self.flush()
            self.presenter.session_id = session_id
            self.chooser.blockSignals(True)
            self.chooser.clear()
            self.chooser.blockSignals(False)
        self.refresh()

    def follow_activity(self, activity_id: str | None) -> None:
        """Choose the activity now on phones, if it is a vote or a rating round."""
        if activity_id is None:
            return
        index = self.chooser.findData(activity_id)
        if index >= 0 and index != self.chooser.currentIndex():
            self.chooser.setCurrentIndex(index)

    def on_changed(self, event: Changed) -> None:
        """A change event from the bridge: redraw once shortly after a burst of them."""
        relevant = event.topic in ANY_SESSION or (
            event.topic in TOPICS
            and self.presenter.session_id is not None
            and event.session_id == self.presenter.session_id
        )
        if relevant:
            self._refresher.soon(self.refresh, REFRESH_MS)

    def selected_activity(self) -> Activity | None:
        return self.presenter.activity(self.chooser.currentData())

    # ------------------------------------------------------------------ redrawing

    def refresh(self) -> None:
        self._refresher.cancel(self.refresh)
        try:
            self._refresh()
        except USER_ERRORS as exc:  # the session was deleted meanwhile, say
            log.info("vote panel: %s", exc)
            self.presenter.forget()
            self._show_activity(None)

    def _refresh(self) -> None:
        entries = self.presenter.read()
        shown = [
            (self.chooser.itemData(i), self.chooser.itemText(i))
            for i in range(self.chooser.count())
        ]
        if entries != shown:  # leave an open drop-down alone when nothing changed
            keep = self.chooser.currentData()
            self.chooser.blockSignals(True)
            self.chooser.clear()
            for activity_id, text in entries:
                self.chooser.addItem(text, activity_id)
            index = self.chooser.findData(keep)
            self.chooser.setCurrentIndex(index if index >= 0 else (0 if entries else -1))
            self.chooser.blockSignals(False)
        self._show_activity(self.selected_activity())

    def _chosen(self, _index: int) -> None:
        self.flush()
        self._show_activity(self.selected_activity())

    def _show_activity(self, a: Activity | None) -> None:
        self.empty.setVisible(a is None and self.presenter.session_id is not None)
        self.body.setVisible(a is not None)
        if a is None:
            self.presenter.rules = None
            self._clear_results()
            return
        vote = a.kind is ActivityKind.VOTE
        self.state.setText(STATE_WORDS[a.state])
        self.rules_box.setVisible(vote)
        self.scale_note.setVisible(not vote)
        if not vote:
            self.scale_note.setText(scale_note(a.settings.question))
        if vote:
            self._show_rules(results_service.vote_rules(self.project, a.id))
        else:
            self.presenter.rules = None
        self._show_buttons(a)
        self._show_turnout(results_service.turnout(self.project, a.id))
        if self.presenter.read_results(a):
            self.waiting.hide()
            self.results_box.show()
            self._show_results()
        else:
            self.waiting.setText(WAITING[a.state])
            self.waiting.show()
            self._clear_results()
            if vote:
                self.chart.preload()

    def _show_rules(self, rules: VoteRules) -> None:
        old = self.presenter.rules
        pending = self._commit_timer.isActive() and old is not None
        if pending and old is not None and old.activity_id == rules.activity_id:
            return  # an edit is waiting to be committed: leave the fields alone
        self.presenter.rules = rules
        self._loading = True
        try:
            button = self.on_themes if rules.vote_on is VoteTarget.THEMES else self.on_notes
            button.setChecked(True)
            self.items_count.setText(items_words(rules))
            self.budget.setSpecialValueText(f"Automatic ({rules.automatic_budget})")
            self.budget.setValue(rules.budget_set or 0)
            self.cap.setValue(rules.per_item_cap or 0)
        finally:
            self._loading = False
        for w in (self.on_themes, self.on_notes, self.budget, self.cap):
            w.setEnabled(rules.editable)
        self.locked.setText(rules.locked_reason)
        self.locked.setVisible(not rules.editable)

    def _show_buttons(self, a: Activity) -> None:
        b = buttons(a, self.presenter.live)
        self.open_button.setText(b.open_text)
        self.close_button.setText(b.close_text)
        self.open_button.setAccessibleName(b.open_name)
        self.close_button.setAccessibleName(b.close_name)
        self.reveal_button.setAccessibleName("Reveal the results on the projector")
        self.open_button.setEnabled(b.open)
        self.close_button.setEnabled(b.close)
        self.reveal_button.setEnabled(b.reveal)
        self.not_live.setVisible(not self.presenter.live)

    def _show_turnout(self, t: Turnout) -> None:
        overall, lines = turnout_words(t)
        self.turnout.setText(overall)
        self.turnout_groups.setText("\n".join(lines))
        self.turnout_groups.setVisible(bool(lines))

    def _clear_results(self) -> None:
        self.presenter.clear_results()
        self._table_key = None
        self.results_box.hide()
        self.model.clear()
        self.chart.show_results(None, by_group=False)

    def _show_results(self) -> None:
        by_group = self.by_group.isChecked()
        key = self.presenter.table_key(by_group)
        if key == self._table_key:
            return  # nothing new (another activity's notes, say): keep the table as it is
        self._table_key = key
        r, s, round_ = self.presenter.results, self.presenter.summary, self.presenter.round
        if r is not None:
            self.projector_note.setText(self.presenter.vote_projector_note(r))
            self.consensus_rules.setText(VOTE_COLUMNS)
            self.consensus_rules.show()
            fill_vote_table(self.model, r)
            self.chart.show()
            # a bar split by group would show a small group's dots (core.cells)
            small = any(suppressed(n, r.min_cell) for n in r.voters_by_group.values())
            self.chart.show_results(r, by_group=by_group and not small)
        elif s is not None:
            self.projector_note.setText(self.presenter.rating_projector_note(s))
            verdicts = {st.statement_id: st for st in round_.statements} if round_ else {}
            # The 1–3, 4–6 and 7–9 columns are rounded down, so a row may add up to less.
            self.consensus_rules.setText(self.presenter.rating_rules_words() + ROUNDING_NOTE)
            self.consensus_rules.show()
            fill_rating_table(
                self.model,
                s,
                verdicts,
                by_group=by_group,
                min_cell=round_.min_cell if round_ else 1,
            )
            self.chart.show_results(None, by_group=False)
            self.chart.hide()
        # The item's words get the room; numbers and groups' columns stay narrow (a long
        # group name is shortened in its header, with the full name as its tooltip).
        header = self.table.horizontalHeader()
        item_column = 1 if self.presenter.results else 0
        others = 0
        for column in range(self.model.columnCount()):
            if column == item_column:
                continue
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            wanted = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
            header.resizeSection(column, min(wanted, NARROW_COLUMN_PX))
            others += header.sectionSize(column)
            label = self.model.headerData(column, Qt.Orientation.Horizontal)
            self.model.setHeaderData(
                column, Qt.Orientation.Horizontal, label, Qt.ItemDataRole.ToolTipRole
            )
        if self.model.columnCount() > item_column:
            # The item's words take the room left, but never less than ITEM_MIN_PX: with
            # many groups the table scrolls sideways rather than crushing the statements.
            if self.table.viewport().width() - others >= ITEM_MIN_PX:
                header.setSectionResizeMode(item_column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(item_column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(item_column, ITEM_MIN_PX)
        self.table.resizeRowsToContents()

    # ------------------------------------------------------------------ editing the rules

    def _vote_on_toggled(self, _button: object, checked: bool) -> None:
        if checked and not self._loading:
            self.flush()

    def _spin_changed(self, _value: int) -> None:
        if not self._loading:
            self._commit_timer.start()

    def edited_rules(self) -> tuple[VoteTarget, int | None, int | None]:
        vote_on = VoteTarget.NOTES if self.on_notes.isChecked() else VoteTarget.THEMES
        return vote_on, self.budget.value() or None, self.cap.value() or None

    def flush(self) -> None:
        """Commit the rules as shown, if they differ from what is stored (one undo step)."""
        self._commit_timer.stop()
        if self._loading:
            return
        op = self.presenter.commit_rules(self._actions.perform, self.edited_rules())
        if op is not None:  # then show what is stored, whether the change was taken or not
            op.then(lambda _before: self.refresh()).refused(self.refresh)

    # ------------------------------------------------------------------ running it

    def _request(self, state: ActivityState) -> None:
        self.flush()  # the rules as typed apply before anyone votes
        a = self.selected_activity()
        if a is not None:
            self.state_requested.emit(a.id, state)


def _spin(low: int, high: int, suffix: str, special: str) -> QSpinBox:
    """A spin box whose lowest value reads as a word ("Automatic", "No limit")."""
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setSpecialValueText(special)
    spin.setKeyboardTracking(False)
    return spin
