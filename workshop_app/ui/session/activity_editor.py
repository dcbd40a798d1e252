"""The activity editor: kind, wording for adults and children, timer, vote and rating settings.

There is no Apply button. A change is committed shortly after typing stops, when a field
loses focus, or when another activity is chosen; each commit is one undoable step.

A rating round can show participants the results of an earlier round (Delphi): the
"Show people the results of" chooser lists the project's earlier rate activities, asked
for through `set_rounds_source` (the editor itself has no project).

Whether a vote's rules are still open to change is decided once, by
core.voting.rules_locked_reason; the editor asks through `set_lock_source`
(services.sessions.get_rules_lock, which knows whether anyone has voted), so it never
offers an edit the service would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivitySettings,
    RatingScale,
    VoteTarget,
)
from workshop_app.core.scales import DEFAULT_QUESTION, RatingQuestion
from workshop_app.core.voting import rules_locked_reason
from workshop_app.services.consensus import FEEDBACK_STATES, Round
from workshop_app.services.sessions import ActivityFields
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.labels import SCALE, VOTE_TARGET
from workshop_app.ui.common.widgets import narrow_combo, plain_label

COMMIT_DELAY_MS = 800
NO_FEEDBACK = "Nothing (people rate without seeing earlier results)"
ROUND_HELP = (
    "Ticked: this rating is a numbered round of the project's consensus process, judged by the "
    "consensus rules and reported in the standards framework. Unticked: a rating in this "
    "session only (its results still show here and in the session summary)."
)
QUESTION_HELP = (
    "What people are asked about each statement: how important it is (1 not important to 9 "
    "critical) or how far they agree (1 strongly disagree to 9 strongly agree). Phones, the "
    "console and the reports all use the words of the question chosen; children are asked "
    "the same question on five faces."
)
FEEDBACK_HELP = (
    "Beside each statement, people see how the chosen earlier round rated it (the shares "
    "rating 1-3, 4-6 and 7-9) and, if the statement was changed since, what it said then. "
    "Shown once that round is closed."
)

# The rounds before an activity: what it can show its participants.
RoundsSource = Callable[[Activity], Sequence[Round]]
# Why an activity's vote rules are fixed ("" while they can change).
LockSource = Callable[[Activity], str]


class ActivityEditor(QWidget):
    # (activity id, ActivityFields) when the facilitator has changed something
    edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._activity: Activity | None = None
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMIT_DELAY_MS)
        self._timer.timeout.connect(self.flush)

        self.kind = QComboBox()
        for k in ActivityKind:
            self.kind.addItem(k.label, k.value)
        self.title = QLineEdit()
        self.title.setMaxLength(200)
        self.prompt = QPlainTextEdit()
        self.child_prompt = QPlainTextEdit()
        self.facilitator_notes = QPlainTextEdit()
        for edit, height in (
            (self.prompt, 70),
            (self.child_prompt, 70),
            (self.facilitator_notes, 60),
        ):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(height)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 240)
        self.minutes.setSuffix(" min")
        self.minutes.setSpecialValueText("No timer")
        self.vote_on = QComboBox()
        for t in VoteTarget:
            self.vote_on.addItem(VOTE_TARGET[t], t.value)
        self.budget = QSpinBox()
        self.budget.setRange(0, 50)
        self.budget.setSpecialValueText("Automatic (a third of the items)")
        self.budget.setSuffix(" dots")
        self.cap = QSpinBox()
        self.cap.setRange(0, 50)
        self.cap.setSpecialValueText("No limit")
        self.cap.setSuffix(" dots")
        self.scale = QComboBox()
        for s in RatingScale:
            self.scale.addItem(SCALE[s], s.value)
        self.question = QComboBox()
        for q in RatingQuestion:
            self.question.addItem(q.label, q.value)
        self.question.setToolTip(QUESTION_HELP)
        self.feedback = narrow_combo(20)
        self.feedback.setToolTip(FEEDBACK_HELP)
        self.round = QCheckBox("A consensus round of the project")
        self.round.setToolTip(ROUND_HELP)
        self._rounds_source: RoundsSource | None = None
        self._lock_source: LockSource | None = None
        self.error = plain_label()
        self.error.setObjectName("activity-error")
        set_tone(self.error, "error")
        self.error.hide()

        names = {
            self.kind: "Kind",
            self.title: "Title",
            self.prompt: "Prompt",
            self.child_prompt: "Child-friendly prompt",
            self.facilitator_notes: "Facilitator notes",
            self.minutes: "Timer",
            self.vote_on: "Vote on",
            self.budget: "Dots per person",
            self.cap: "Most dots on one item",
            self.scale: "Rating scale",
            self.question: "Ask about",
            self.feedback: "Show people the results of",
            self.round: "Consensus round",
        }
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for widget, name in names.items():
            widget.setAccessibleName(name)
            widget.setObjectName(name.lower().replace(" ", "-"))
            self.form.addRow(name, widget)
        self.prompt.setPlaceholderText("The question or instruction, in adult words")
        self.child_prompt.setPlaceholderText("The same for children: short sentences, no jargon")
        self.facilitator_notes.setPlaceholderText("Your reminders; never shown to participants")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)

        for line in (self.title,):
            line.textEdited.connect(self._changed)
            line.editingFinished.connect(self.flush)
        for text in (self.prompt, self.child_prompt, self.facilitator_notes):
            text.textChanged.connect(self._changed)
            text.installEventFilter(self)
        for spin in (self.minutes, self.budget, self.cap):
            spin.valueChanged.connect(self._changed)
            spin.editingFinished.connect(self.flush)
        for combo in (self.vote_on, self.scale, self.question, self.feedback):
            combo.currentIndexChanged.connect(self._changed)
        self.round.toggled.connect(self._changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._show_kind_fields(ActivityKind.INFO)
        self.setEnabled(False)

    # ------------------------------------------------------------------ loading

    @property
    def activity_id(self) -> str | None:
        return self._activity.id if self._activity else None

    @property
    def has_pending_edit(self) -> bool:
        return self._timer.isActive()

    def set_rounds_source(self, source: RoundsSource | None) -> None:
        """Where the "Show people the results of" chooser gets the earlier rounds of an
        activity from (e.g. `lambda a: consensus.earlier_rounds(p, a.session_id, a.id)`).
        Without one, the chooser offers only "Nothing" and what is already set."""
        self._rounds_source = source
        if self._activity is not None:
            self._fill_feedback(self._activity)

    def set_lock_source(self, source: LockSource | None) -> None:
        """Where the editor learns whether an activity's vote rules are fixed (e.g.
        `lambda a: sessions.get_rules_lock(p, a)`). Without one it knows only the state,
        not whether anyone has voted."""
        self._lock_source = source
        if self._activity is not None:
            self._show_lock(self._activity)

    def clear(self) -> None:
        self.flush()
        self._activity = None
        self._set_fields(ActivityFields(ActivityKind.INFO, ""))
        self.setEnabled(False)

    def load(self, activity: Activity) -> None:
        """Show an activity. Fields equal to what is shown are left alone (cursor kept)."""
        if self._activity is not None and self._activity.id != activity.id:
            self.flush()
        self._activity = activity
        self._fill_feedback(activity)
        self._set_fields(ActivityFields.of(activity))
        self.error.hide()
        self.setEnabled(True)
        self._show_lock(activity)

    def _show_lock(self, activity: Activity) -> None:
        """Once anyone could have voted, the rules are fixed (the service refuses a change
        by the same rule): the fields say why rather than failing after an edit."""
        if self._lock_source is not None:
            reason = self._lock_source(activity)
        else:
            reason = rules_locked_reason(activity.state, has_votes=False)
        for field in (self.vote_on, self.budget, self.cap, self.scale, self.question):
            field.setEnabled(not reason)
            field.setToolTip(reason)

    def _set_fields(self, f: ActivityFields) -> None:
        self._loading = True
        try:
            _set_combo(self.kind, f.kind)
            if self.title.text() != f.title:
                self.title.setText(f.title)
            for edit, value in (
                (self.prompt, f.prompt),
                (self.child_prompt, f.child_prompt),
                (self.facilitator_notes, f.facilitator_notes),
            ):
                if edit.toPlainText() != value:
                    edit.setPlainText(value)
            s = f.settings
            self.minutes.setValue((s.timer_seconds or 0) // 60)
            _set_combo(self.vote_on, s.vote_on or VoteTarget.THEMES)
            self.budget.setValue(s.vote_budget or 0)
            self.cap.setValue(s.per_item_cap or 0)
            _set_combo(self.scale, s.scale or RatingScale.NINE_POINT)
            _set_combo(self.question, s.question or DEFAULT_QUESTION)
            index = self.feedback.findData(s.feedback_from or "")
            self.feedback.setCurrentIndex(max(index, 0))
            self.round.setChecked(s.consensus_round)
            self._show_kind_fields(f.kind)
        finally:
            self._loading = False

    # ------------------------------------------------------------------ editing

    def fields(self) -> ActivityFields:
        kind = ActivityKind(self.kind.currentData())
        minutes = self.minutes.value()
        settings = ActivitySettings(timer_seconds=minutes * 60 if minutes else None)
        if kind is ActivityKind.VOTE:
            settings = ActivitySettings(
                timer_seconds=settings.timer_seconds,
                vote_on=VoteTarget(self.vote_on.currentData()),
                vote_budget=self.budget.value() or None,
                per_item_cap=self.cap.value() or None,
            )
        elif kind is ActivityKind.RATE:
            settings = ActivitySettings(
                timer_seconds=settings.timer_seconds,
                scale=RatingScale(self.scale.currentData()),
                feedback_from=self.feedback.currentData() or None,
                consensus_round=self.round.isChecked(),
                question=self._question(),
            )
        return ActivityFields(
            kind=kind,
            title=self.title.text(),
            prompt=self.prompt.toPlainText(),
            child_prompt=self.child_prompt.toPlainText(),
            facilitator_notes=self.facilitator_notes.toPlainText(),
            settings=settings,
        )

    def _question(self) -> RatingQuestion | None:
        """The chosen question; an activity saved before it was a choice keeps None while
        the default is chosen, so showing it never counts as an edit."""
        chosen = RatingQuestion(self.question.currentData())
        stored = self._activity.settings.question if self._activity is not None else chosen
        return None if stored is None and chosen is DEFAULT_QUESTION else chosen

    def flush(self) -> None:
        """Commit what is typed now, if it differs from what is stored."""
        self._timer.stop()
        if self._activity is None:
            return
        fields = self.fields()
        if fields != ActivityFields.of(self._activity):
            self.edited.emit(self._activity.id, fields)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _changed(self, *_args: object) -> None:
        if not self._loading and self._activity is not None:
            self.error.hide()
            self._timer.start()

    def _kind_changed(self, *_args: object) -> None:
        self._show_kind_fields(ActivityKind(self.kind.currentData()))
        if not self._loading and self._activity is not None:
            self.flush()

    def _show_kind_fields(self, kind: ActivityKind) -> None:
        for widget, shown in (
            (self.vote_on, kind is ActivityKind.VOTE),
            (self.budget, kind is ActivityKind.VOTE),
            (self.cap, kind is ActivityKind.VOTE),
            (self.scale, kind is ActivityKind.RATE),
            (self.question, kind is ActivityKind.RATE),
            (self.feedback, kind is ActivityKind.RATE),
            (self.round, kind is ActivityKind.RATE),
        ):
            self.form.setRowVisible(widget, shown)

    def _fill_feedback(self, activity: Activity) -> None:
        """The choices for this activity: nothing, or one of the rounds before it. A
        choice already made that is no longer listed stays, so loading never changes it."""
        rounds = list(self._rounds_source(activity)) if self._rounds_source else []
        chosen = activity.settings.feedback_from
        was_loading, self._loading = self._loading, True
        try:
            self.feedback.clear()
            self.feedback.addItem(NO_FEEDBACK, "")
            for r in rounds:
                later = "" if r.state in FEEDBACK_STATES else " – shown once it is closed"
                self.feedback.addItem(f"{r.label}{later}", r.activity_id)
            if chosen and self.feedback.findData(chosen) < 0:
                self.feedback.addItem("A round that is no longer before this one", chosen)
            self.feedback.setCurrentIndex(max(self.feedback.findData(chosen or ""), 0))
        finally:
            self._loading = was_loading

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self.has_pending_edit:
            self.flush()
        return super().eventFilter(watched, event)


def _set_combo(combo: QComboBox, value: StrEnum) -> None:
    index = combo.findData(value.value)
    if index >= 0 and index != combo.currentIndex():
        combo.setCurrentIndex(index)
