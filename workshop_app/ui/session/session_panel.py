"""One session: its details, its agenda and the editor of the chosen activity."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ModerationMode,
    Session,
    StakeholderGroup,
)
from workshop_app.services.sessions import SessionDetails
from workshop_app.ui.common.labels import MODERATION, SESSION_STATE
from workshop_app.ui.common.widgets import heading, plain_label
from workshop_app.ui.session.activity_editor import ActivityEditor


class SessionPanel(QWidget):
    details_edited = Signal(object)  # SessionDetails
    add_requested = Signal(object)  # ActivityKind
    move_requested = Signal(str, int)  # activity id, new position
    delete_requested = Signal(str)  # activity id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._session: Session | None = None
        self._groups: list[StakeholderGroup] = []
        self._activities: list[Activity] = []
        self._loading = False

        # -- details
        self.heading = heading("")
        self.heading.setWordWrap(True)  # a long session title must not widen the window
        self.state = plain_label(wrap=False)
        self.title = QLineEdit()
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMMM yyyy")
        self.no_date = QCheckBox("Not set")
        self.venue = QLineEdit()
        self.moderation = QComboBox()
        for mode in ModerationMode:
            self.moderation.addItem(MODERATION[mode], mode.value)
        self.groups = QListWidget()
        self.groups.setFlow(QListWidget.Flow.LeftToRight)
        self.groups.setWrapping(True)
        self.groups.setFixedHeight(self.groups.fontMetrics().height() * 2 + 14)
        for widget, name in (
            (self.title, "Session title"),
            (self.date, "Session date"),
            (self.venue, "Venue"),
            (self.moderation, "Moderation"),
            (self.groups, "Invited groups"),
        ):
            widget.setAccessibleName(name)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date)
        date_row.addWidget(self.no_date)
        date_row.addStretch(1)
        details = QFormLayout()
        details.addRow("Title", self.title)
        details.addRow("Date", date_row)
        details.addRow("Venue", self.venue)
        details.addRow("Invited groups", self.groups)
        details.addRow("Moderation", self.moderation)

        # -- agenda
        self.agenda = QTableWidget(0, 3)
        self.agenda.setObjectName("agenda")
        self.agenda.setAccessibleName("Agenda")
        self.agenda.setHorizontalHeaderLabels(["Activity", "Kind", "Time"])
        header = self.agenda.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.agenda.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.agenda.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.agenda.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.agenda.verticalHeader().setDefaultSectionSize(26)
        self.agenda.verticalHeader().hide()  # the titles carry their number
        self.total = plain_label(wrap=False)
        self.add_button = QToolButton()
        self.add_button.setText("Add activity")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        for kind in ActivityKind:
            action = menu.addAction(kind.label)
            action.triggered.connect(lambda _c=False, k=kind: self.add_requested.emit(k))
        self.add_button.setMenu(menu)
        self.up_button = QPushButton("Move up")
        self.up_button.setShortcut(QKeySequence("Ctrl+Up"))
        self.down_button = QPushButton("Move down")
        self.down_button.setShortcut(QKeySequence("Ctrl+Down"))
        self.delete_button = QPushButton("Delete")
        for push in (self.up_button, self.down_button, self.delete_button):
            push.setAutoDefault(False)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.up_button, self.down_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        agenda_top = QHBoxLayout()  # the total beside the heading: the buttons fit a laptop
        agenda_top.addWidget(heading("Agenda"))
        agenda_top.addStretch(1)
        agenda_top.addWidget(self.total)
        agenda_box = QWidget()
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.setContentsMargins(0, 0, 0, 0)
        agenda_layout.addLayout(agenda_top)
        agenda_layout.addWidget(self.agenda, 1)
        agenda_layout.addLayout(buttons)

        # -- editor
        self.editor = ActivityEditor()
        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(heading("Activity"))
        editor_layout.addWidget(self.editor, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(agenda_box)
        split.addWidget(editor_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.state)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(details)
        layout.addWidget(split, 1)

        self.title.editingFinished.connect(self._details_changed)
        self.venue.editingFinished.connect(self._details_changed)
        self.date.dateChanged.connect(self._details_changed)
        self.no_date.toggled.connect(self._no_date_toggled)
        self.moderation.currentIndexChanged.connect(self._details_changed)
        self.groups.itemChanged.connect(self._details_changed)
        self.agenda.itemSelectionChanged.connect(self._selection_changed)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(+1))
        self.delete_button.clicked.connect(self._delete)
        self._update_buttons()

    # ------------------------------------------------------------------ showing

    @property
    def session_id(self) -> str | None:
        return self._session.id if self._session else None

    def show_session(
        self, session: Session, groups: list[StakeholderGroup], activities: list[Activity]
    ) -> None:
        if self._session is not None and self._session.id != session.id:
            self.editor.flush()
        self._session = session
        self._groups = groups
        self._loading = True
        try:
            self.heading.setText(session.title)
            self.state.setText(SESSION_STATE[session.state])
            if self.title.text() != session.title:
                self.title.setText(session.title)
            if self.venue.text() != session.venue:
                self.venue.setText(session.venue)
            self.no_date.setChecked(session.date is None)
            self.date.setEnabled(session.date is not None)
            if session.date is not None:
                d = session.date
                self.date.setDate(QDate(d.year, d.month, d.day))
            self.moderation.setCurrentIndex(self.moderation.findData(session.moderation.value))
            self.groups.clear()
            invited = set(session.group_ids)
            for g in groups:
                item = QListWidgetItem(g.name)
                item.setData(Qt.ItemDataRole.UserRole, g.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                checked = g.id in invited
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                self.groups.addItem(item)
        finally:
            self._loading = False
        self.show_activities(activities)

    def show_activities(self, activities: list[Activity], select: str | None = None) -> None:
        keep = select or self.selected_activity_id()
        self._activities = activities
        self.agenda.blockSignals(True)
        self.agenda.setRowCount(len(activities))
        row_to_select = -1
        for row, a in enumerate(activities):
            title = QTableWidgetItem(f"{row + 1}. {a.title}")
            title.setData(Qt.ItemDataRole.UserRole, a.id)
            minutes = (a.settings.timer_seconds or 0) // 60
            time = QTableWidgetItem(f"{minutes} min" if minutes else "–")
            time.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.agenda.setItem(row, 0, title)
            self.agenda.setItem(row, 1, QTableWidgetItem(a.kind.label))
            self.agenda.setItem(row, 2, time)
            if a.id == keep:
                row_to_select = row
        self.agenda.blockSignals(False)
        total = sum((a.settings.timer_seconds or 0) for a in activities) // 60
        self.total.setText(f"{len(activities)} activities · {total} min")
        if row_to_select < 0 and activities:
            row_to_select = 0
        if row_to_select >= 0:
            self.agenda.selectRow(row_to_select)
        self._selection_changed()

    def selected_activity_id(self) -> str | None:
        rows = self.agenda.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.agenda.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_activity(self, activity_id: str) -> None:
        for row, a in enumerate(self._activities):
            if a.id == activity_id:
                self.agenda.selectRow(row)
                return

    # ------------------------------------------------------------------ editing

    def details(self) -> SessionDetails:
        d = self.date.date()
        return SessionDetails(
            title=self.title.text(),
            date=None if self.no_date.isChecked() else date(d.year(), d.month(), d.day()),
            venue=self.venue.text(),
            group_ids=tuple(
                self.groups.item(r).data(Qt.ItemDataRole.UserRole)
                for r in range(self.groups.count())
                if self.groups.item(r).checkState() == Qt.CheckState.Checked
            ),
            moderation=ModerationMode(self.moderation.currentData()),
        )

    def _no_date_toggled(self, checked: bool) -> None:
        self.date.setEnabled(not checked)
        self._details_changed()

    def _details_changed(self, *_args: object) -> None:
        if self._loading or self._session is None:
            return
        s = self._session
        new = self.details()
        old = SessionDetails(s.title, s.date, s.venue, s.group_ids, s.moderation)
        if new != old:
            self.details_edited.emit(new)

    def _selection_changed(self) -> None:
        activity_id = self.selected_activity_id()
        activity = next((a for a in self._activities if a.id == activity_id), None)
        if activity is None:
            self.editor.clear()
        elif self.editor.activity_id != activity.id or not self.editor.has_pending_edit:
            self.editor.load(activity)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ids = [a.id for a in self._activities]
        current = self.selected_activity_id()
        row = ids.index(current) if current in ids else -1
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(ids) - 1)
        self.delete_button.setEnabled(row >= 0)
        self.add_button.setEnabled(self._session is not None)

    def _move(self, step: int) -> None:
        current = self.selected_activity_id()
        ids = [a.id for a in self._activities]
        if current in ids:
            target = ids.index(current) + step
            if 0 <= target < len(ids):
                self.editor.flush()
                self.move_requested.emit(current, target)

    def _delete(self) -> None:
        current = self.selected_activity_id()
        if current:
            self.editor.flush()
            self.delete_requested.emit(current)
