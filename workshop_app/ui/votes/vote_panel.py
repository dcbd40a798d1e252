"""The votes and ratings control: set a dot vote's rules, open and close it, watch how
many have voted, then see the ranking and its chart.

Results never show while people are still voting: only how many have voted (overall and
by stakeholder group). Once the vote is closed the console shows the ranking; the
projector shows it only after Reveal (services/projection.py decides that).

A rating round's table adds the consensus verdict (services/consensus.py, the project's
rules): overall and, by group, each group's verdict ("Too few raters" below the rules'
minimum) and the verdict across every judged group.

The chart is drawn by matplotlib on a worker thread (services.results.vote_chart_png)
and shown as a picture; the GUI thread never waits for it. Item texts are plain text
everywhere (QStandardItem display text, plain labels).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QPixmap, QResizeEvent, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.cells import fewer_than, suppressed
from workshop_app.core.consensus import (
    TOO_FEW_RATERS,
    RoundResults,
    StatementResult,
    iqr_text,
    median_text,
    score_text,
)
from workshop_app.core.model import Activity, ActivityKind, ActivityState, SessionState, VoteTarget
from workshop_app.core.scales import BANDS, RatingQuestion, words_for
from workshop_app.core.shares import ROUNDING_NOTE, percent_text
from workshop_app.core.validate import MAX_DOTS
from workshop_app.core.workflow import next_activity_states
from workshop_app.services import consensus as consensus_service
from workshop_app.services import results as results_service
from workshop_app.services import sessions as session_service
from workshop_app.services.errors import USER_ERRORS
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.services.results import RatingSummary, Turnout, VoteResults, VoteRules
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.widgets import heading, plain_label

log = logging.getLogger(__name__)

REFRESH_MS = 200  # a burst of phone votes redraws once
COMMIT_DELAY_MS = 700  # a spin box change is committed shortly after the last click
CHART_DELAY_MS = 250  # a resize redraws the chart once it settles
MIN_CHART = (240, 160)
CHART_DRAWING = "Drawing the chart…"
CHART_FAILED = "The chart could not be drawn. The table has the same results."
TOPICS = frozenset({Topic.CONTENT, Topic.LIVE, Topic.ACTIVITIES, Topic.PARTICIPANTS})
ANY_SESSION = frozenset({Topic.SETTINGS, Topic.GROUPS})  # the budget cap, group names

STATE_WORDS = {
    ActivityState.PENDING: "Not started yet",
    ActivityState.OPEN: "Open: phones are taking part now",
    ActivityState.CLOSED: "Closed",
    ActivityState.REVEALED: "Closed, results revealed",
}
WAITING = {
    ActivityState.PENDING: "Results appear here once this has been held and closed.",
    ActivityState.OPEN: (
        "Results appear here once you close it. While people are still taking part you "
        "see only how many have, so the results cannot sway anyone."
    ),
}


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
        self._session_id: str | None = None
        self._activities: list[Activity] = []
        self._rules: VoteRules | None = None
        self._loading = False
        self._results: VoteResults | None = None
        self._summary: RatingSummary | None = None
        self._round: RoundResults | None = None  # the summary's consensus verdicts
        self._live = False
        self._current_id: str | None = None  # the activity on phones and the projector
        self._table_key: tuple[object, ...] | None = None

        self._refresher = refresher
        self._commit_timer = _single_shot(self, COMMIT_DELAY_MS, self.flush)

        self.title = heading("Votes and ratings")
        self.chooser = QComboBox()
        self.chooser.setObjectName("vote-chooser")
        self.chooser.setAccessibleName("Vote or rating round")
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
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
        return self._session_id

    def show_session(self, session_id: str | None) -> None:
        """Follow a session (None: none chosen)."""
        if session_id != self._session_id:
            self.flush()
            self._session_id = session_id
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
            and self._session_id is not None
            and event.session_id == self._session_id
        )
        if relevant:
            self._refresher.soon(self.refresh, REFRESH_MS)

    def selected_activity(self) -> Activity | None:
        activity_id = self.chooser.currentData()
        return next((a for a in self._activities if a.id == activity_id), None)

    # ------------------------------------------------------------------ redrawing

    def refresh(self) -> None:
        self._refresher.cancel(self.refresh)
        try:
            self._refresh()
        except USER_ERRORS as exc:  # the session was deleted meanwhile, say
            log.info("vote panel: %s", exc)
            self._session_id = None
            self._activities = []
            self._show_activity(None)

    def _refresh(self) -> None:
        sid = self._session_id
        self._activities = (
            results_service.voting_activities(self.project, sid) if sid is not None else []
        )
        entries = [
            (a.id, f"{a.position + 1}. {a.title} · {a.kind.label} · {STATE_WORDS[a.state]}")
            for a in self._activities
        ]
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
        session = session_service.get_session(self.project, sid) if sid is not None else None
        self._live = session is not None and session.state is SessionState.LIVE
        self._current_id = session.current_activity_id if session is not None else None
        self._show_activity(self.selected_activity())

    def _chosen(self, _index: int) -> None:
        self.flush()
        self._show_activity(self.selected_activity())

    def _show_activity(self, a: Activity | None) -> None:
        self.empty.setVisible(a is None and self._session_id is not None)
        self.body.setVisible(a is not None)
        if a is None:
            self._rules = None
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
            self._rules = None
        self._show_buttons(a)
        self._show_turnout(results_service.turnout(self.project, a.id))
        if results_service.results_ready(a):
            self.waiting.hide()
            self.results_box.show()
            if vote:
                self._results = results_service.vote_results(self.project, a.id)
                self._summary = None
                self._round = None
            else:
                self._summary = results_service.rating_summary(self.project, a.id)
                self._round = consensus_service.round_results(self.project, a.id)
                self._results = None
            self._show_results()
        else:
            self.waiting.setText(WAITING[a.state])
            self.waiting.show()
            self._clear_results()
            if vote:
                self.chart.preload()

    def _show_rules(self, rules: VoteRules) -> None:
        pending = self._commit_timer.isActive() and self._rules is not None
        if pending and self._rules is not None and self._rules.activity_id == rules.activity_id:
            return  # an edit is waiting to be committed: leave the fields alone
        self._rules = rules
        self._loading = True
        try:
            button = self.on_themes if rules.vote_on is VoteTarget.THEMES else self.on_notes
            button.setChecked(True)
            noun = "theme" if rules.vote_on is VoteTarget.THEMES else "note"
            n = len(rules.items)
            self.items_count.setText(f"{n} {noun}{'' if n == 1 else 's'} to vote on now")
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
        allowed = next_activity_states(a.kind, a.state)
        live = self._live
        what = "vote" if a.kind is ActivityKind.VOTE else "rating round"
        self.open_button.setText("Open again" if a.state is ActivityState.CLOSED else "Open")
        self.close_button.setText("Hide results" if a.state is ActivityState.REVEALED else "Close")
        self.open_button.setAccessibleName(f"Open the {what} on phones")
        self.close_button.setAccessibleName(
            "Hide the results from the projector"
            if a.state is ActivityState.REVEALED
            else f"Close the {what}"
        )
        self.reveal_button.setAccessibleName("Reveal the results on the projector")
        self.open_button.setEnabled(live and ActivityState.OPEN in allowed)
        self.close_button.setEnabled(live and ActivityState.CLOSED in allowed)
        self.reveal_button.setEnabled(live and ActivityState.REVEALED in allowed)
        self.not_live.setVisible(not live)

    def _show_turnout(self, t: Turnout) -> None:
        verb = "voted" if t.kind is ActivityKind.VOTE else "rated"
        if t.joined == 0:
            self.turnout.setText("Nobody has joined yet")
        else:
            people = "person has" if t.joined == 1 else "people have"
            self.turnout.setText(f"{t.took_part} of {t.joined} {people} {verb}")
        lines = [f"{g.name}: {g.took_part} of {g.joined}" for g in t.groups]
        self.turnout_groups.setText("\n".join(lines))
        self.turnout_groups.setVisible(bool(lines))

    def _clear_results(self) -> None:
        self._results = None
        self._summary = None
        self._round = None
        self._table_key = None
        self.results_box.hide()
        self.model.clear()
        self.chart.show_results(None, by_group=False)

    def _how_to_show(self) -> str:
        return "press Show results" if self._live else "take the session live to show them"

    def _show_results(self) -> None:
        by_group = self.by_group.isChecked()
        key = (self._results, self._summary, self._round, by_group, self._current_id)
        if key == self._table_key:
            return  # nothing new (another activity's notes, say): keep the table as it is
        self._table_key = key
        if self._results is not None:
            r = self._results
            if not r.revealed:
                note = f"On the projector: not yet — {self._how_to_show()}"
            elif r.activity_id == self._current_id:
                note = "Revealed on the projector"
            else:
                note = (
                    "Revealed, but the projector shows the current activity: choose “Show on "
                    "phones” for this vote in the Live panel to put its results up"
                )
            self.projector_note.setText(note)
            self.consensus_rules.setText(VOTE_COLUMNS)
            self.consensus_rules.show()
            _fill_vote_table(self.model, r)
            self.chart.show()
            # a bar split by group would show a small group's dots (core.cells)
            small = any(suppressed(n, r.min_cell) for n in r.voters_by_group.values())
            self.chart.show_results(r, by_group=by_group and not small)
        elif self._summary is not None:
            s = self._summary
            self.projector_note.setText(
                "Revealed on phones (the projector does not show rating results yet)"
                if s.revealed
                else f"Not shown yet — {self._how_to_show()}"
            )
            verdicts = {st.statement_id: st for st in self._round.statements} if self._round else {}
            rules = ""
            if self._round is not None:
                number = self._round.round_number
                rules = (
                    f"Round {number} of the project. "
                    if number is not None
                    else "Not a consensus round of the project. "
                ) + f"{self._round.rules.describe()} "
                if self._round.min_cell > 1:
                    n = self._round.min_cell
                    rules += f"A group's figures from fewer than {n} raters read “fewer than {n}”. "
            # The 1–3, 4–6 and 7–9 columns are rounded down, so a row may add up to less.
            self.consensus_rules.setText(rules + ROUNDING_NOTE)
            self.consensus_rules.show()
            _fill_rating_table(
                self.model,
                s,
                verdicts,
                by_group=by_group,
                min_cell=self._round.min_cell if self._round else 1,
            )
            self.chart.show_results(None, by_group=False)
            self.chart.hide()
        # The item's words get the room; numbers and groups' columns stay narrow (a long
        # group name is shortened in its header, with the full name as its tooltip).
        header = self.table.horizontalHeader()
        item_column = 1 if self._results else 0
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
        old = self._rules
        if old is None or self._loading or not old.editable:
            return
        vote_on, budget, cap = self.edited_rules()
        if (vote_on, budget, cap) == (old.vote_on, old.budget_set, old.per_item_cap):
            return
        p, aid = self.project, old.activity_id
        self._actions.perform(
            "Change the vote rules",
            lambda: results_service.set_vote_rules(p, aid, vote_on, budget, cap),
            lambda before: results_service.restore_vote_rules(p, before),
        )
        self.refresh()  # what is stored now, whether the change was taken or refused

    # ------------------------------------------------------------------ running it

    def _request(self, state: ActivityState) -> None:
        self.flush()  # the rules as typed apply before anyone votes
        a = self.selected_activity()
        if a is not None:
            self.state_requested.emit(a.id, state)


class ChartView(QLabel):
    """The results chart: drawn on a worker thread at the label's size, redrawn (once)
    after a resize settles. Only the newest drawing is ever shown."""

    drawn = Signal()  # a new chart is on show

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("results-chart")
        self.setAccessibleName("Chart of the results")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(*MIN_CHART)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one drawing at a time; matplotlib is not re-entrant
        self._done = _ChartDone()
        self._done.finished.connect(self._finished)
        self._timer = _single_shot(self, CHART_DELAY_MS, self._draw)
        self._results: VoteResults | None = None
        self._by_group = False
        self._token = 0
        self._busy = False
        self._shown: _Drawing | None = None  # what the picture shows
        self._asked: _Drawing | None = None  # what is being drawn
        self._failed: _Drawing | None = None  # a drawing that failed: not tried again
        self._preloaded = False

    def show_results(self, results: VoteResults | None, *, by_group: bool) -> None:
        self._results = results
        self._by_group = by_group
        if results is None:
            self._token += 1  # a drawing still under way is now stale
            self._shown = self._asked = None
            self.clear()
            return
        if self._shown is None or self._shown.results != results:
            # Never a blank space where the chart will be (the first chart loads
            # matplotlib, seconds on a slow laptop), nor an older vote's chart.
            self._shown = None
            self.setText(CHART_DRAWING)
        self._draw()

    def preload(self) -> None:
        """Load the chart library on the drawing thread now (once), while people vote, so
        the chart appears at once when the vote closes."""
        if self._preloaded:
            return
        self._preloaded = True

        def job() -> None:
            try:
                results_service.preload_charts()
            except Exception:
                log.exception("loading the chart library")

        self._pool.start(job)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._results is not None:
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._results is not None:
            self._timer.start()  # drawn when first seen, not while its tab is hidden

    def wait(self) -> None:
        """Let a drawing under way finish (tests; closing)."""
        self._pool.waitForDone()

    def _wanted(self) -> _Drawing | None:
        if self._results is None:
            return None
        ratio = self.devicePixelRatioF()
        w = max(MIN_CHART[0], self.width())
        h = max(MIN_CHART[1], self.height())
        return _Drawing(self._results, self._by_group, round(w * ratio), round(h * ratio), ratio)

    def _draw(self) -> None:
        self._timer.stop()
        wanted = self._wanted()
        if wanted is None or wanted in (self._shown, self._asked, self._failed):
            return
        if not self.isVisible():
            return  # showEvent draws it
        if self._busy:  # drawn when the one under way comes back
            return
        self._token += 1
        self._busy = True
        self._asked = wanted
        dpi = max(30, min(600, round(100 * wanted.ratio)))
        token, done = self._token, self._done

        def job() -> None:
            try:
                png = results_service.vote_chart_png(
                    wanted.results,
                    by_group=wanted.by_group,
                    width_px=wanted.width,
                    height_px=wanted.height,
                    dpi=dpi,
                )
            except Exception:
                log.exception("drawing the results chart")
                png = b""
            done.finished.emit(token, png)

        self._pool.start(job)

    def _finished(self, token: int, png: bytes) -> None:
        self._busy = False
        asked, self._asked = self._asked, None
        if token == self._token:
            pixmap = QPixmap()
            if png and pixmap.loadFromData(png, "PNG"):
                assert asked is not None
                pixmap.setDevicePixelRatio(asked.ratio)
                self.setPixmap(pixmap)
                self._shown = asked
                self._failed = None
                self.drawn.emit()
            else:  # said, not a blank space; the same drawing is not tried again
                self._failed = asked
                self._shown = None
                self.setText(CHART_FAILED)
        if self._wanted() not in (self._shown, self._failed):
            self._draw()


@dataclass(frozen=True, slots=True)
class _Drawing:
    results: VoteResults
    by_group: bool
    width: int  # device pixels
    height: int
    ratio: float  # device pixels per layout pixel


class _ChartDone(QObject):
    finished = Signal(int, bytes)  # token, PNG (empty when drawing failed)


# ---------------------------------------------------------------- tables


VOTE_COLUMNS = (
    "Each group's column gives its dots on the item and, in brackets, the share of the group's "
    "own dots. The equal-weight rank counts every group equally, however many people it had; "
    "Rank counts all the dots together. " + ROUNDING_NOTE
)


def scale_note(question: RatingQuestion | None) -> str:
    """What a rating asks, in the words phones and documents use (core.scales)."""
    words = words_for(question)
    return (
        f"Statements are rated for {words.noun} from {words.range_text}: 1–3 {words.low}, "
        f"4–6 {words.middle}, 7–9 {words.high}. Children's groups answer the same question "
        "with five faces, counted as 1, 3, 5, 7 and 9."
    )


def _fill_vote_table(model: QStandardItemModel, r: VoteResults) -> None:
    """Raw dots and, per group, its dots with its share of its own dots (a group with too
    few voters: "fewer than N"), and the rank when every group counts equally."""
    model.clear()
    equal = any(row.equal_rank is not None for row in r.rows)
    model.setHorizontalHeaderLabels(
        [
            "Rank",
            "Item",
            "Dots",
            "Voters",
            *(f"{g.name}\n{r.voters_text(g.id)} voted" for g in r.groups),
            *(["Equal-weight rank"] if equal else []),
        ]
    )
    for row in r.rows:
        text = row.text if row.on_board else f"{row.text} (no longer on the board)"
        cells = [
            _number(row.rank),
            _text(text),
            _number(row.dots),
            _number(row.voters),
        ]
        for g in r.groups:
            dots = r.group_dots(row, g.id)
            share = r.share(row, g.id)
            cells.append(_text(dots if dots == share else f"{dots} ({share})"))
        if equal:
            cells.append(_text("–" if row.equal_rank is None else str(row.equal_rank)))
        model.appendRow(cells)


def _fill_rating_table(
    model: QStandardItemModel,
    s: RatingSummary,
    verdicts: dict[str, StatementResult],
    *,
    by_group: bool,
    min_cell: int = 1,
) -> None:
    model.clear()
    headers = ["Statement", "Ratings", "Median", "IQR", *(b.label for b in BANDS), "Consensus"]
    headers.append("How many gave\n1 … 9")
    if by_group:
        headers.append("Across groups")
        headers += [f"{g.name}\nmedian (ratings)" for g in s.groups]
    model.setHorizontalHeaderLabels(headers)
    for st in s.statements:
        d = st.overall
        bands = d.bands  # core.scales.BANDS, counted by core.consensus
        title = st.title if st.listed else f"{st.title} (no longer listed)"
        judged = verdicts.get(st.standard_id)
        cells = [
            _text(title),
            _number(d.count),
            _text(median_text(d.median)),
            _text(iqr_text(d.quartiles)),
            *(_text(percent_text(n, d.count)) for n in (bands.low, bands.middle, bands.high)),
            _text(judged.verdict.label if judged and d.count else "–"),
            _text(" ".join(str(c) for c in d.counts)),
        ]
        if by_group:
            cells.append(_text(_across_groups(judged, min_cell)))
            for g in s.groups:
                gd = st.by_group.get(g.id)
                verdict = judged.by_group.get(g.id) if judged else None
                if gd is None or not gd.count:
                    cells.append(_text("–"))
                elif suppressed(gd.count, min_cell):
                    cells.append(_text(fewer_than(min_cell)))
                else:
                    words_ = f"\n{verdict.label}" if verdict else ""
                    cells.append(_text(f"{median_text(gd.median)} ({gd.count}){words_}"))
        model.appendRow(cells)


def _across_groups(judged: StatementResult | None, min_cell: int) -> str:
    """The verdict across every group with enough raters, in words that say which way each
    went (core), and the product score."""
    if judged is None or not judged.judged_groups:
        return TOO_FEW_RATERS
    score = (
        f" (score {score_text(judged.product_score)})" if judged.product_score is not None else ""
    )
    return f"{judged.across_groups(min_cell)}{score}"


def _text(value: str) -> QStandardItem:
    item = QStandardItem(value)  # display text only: never interpreted as markup
    item.setEditable(False)
    return item


def _number(value: int) -> QStandardItem:
    item = _text(str(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _spin(low: int, high: int, suffix: str, special: str) -> QSpinBox:
    """A spin box whose lowest value reads as a word ("Automatic", "No limit")."""
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setSpecialValueText(special)
    spin.setKeyboardTracking(False)
    return spin


def _single_shot(parent: QObject, ms: int, slot: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(slot)
    return timer
