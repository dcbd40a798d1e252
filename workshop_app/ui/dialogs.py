"""Dialogs: new project, new session from a plan, stakeholder groups, project settings,
saving a session as a plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import GroupKind, ModerationMode, StakeholderGroup
from workshop_app.core.plan import SessionPlan, slugify
from workshop_app.core.settings import SPECS, ProjectSettings
from workshop_app.services.project import PROJECT_SUFFIX, with_suffix
from workshop_app.services.protection import Key
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.labels import MODERATION
from workshop_app.ui.common.widgets import (
    dialog_buttons,
    heading,
    plain_label,
    resize_within_screen,
)
from workshop_app.ui.protection import NewPassphrase

FILE_FILTER = f"Common Ground projects (*{PROJECT_SUFFIX})"


class NewProjectDialog(QDialog):
    """Title, locality, where the file goes and its passphrase (encrypted by default)."""

    def __init__(self, folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New project")
        self._folder = folder
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Riverside: keeping children safe online")
        self.locality = QLineEdit()
        self.locality.setPlaceholderText("e.g. Riverside Borough")
        self.path = QLineEdit()
        self.path.setAccessibleName("Project file")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Locality", self.locality)
        form.addRow("Project file", row)
        self.title.textEdited.connect(self._suggest_path)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "A project is one research project with all its sessions. It is kept in one "
                "file, saved as you work."
            )
        )
        layout.addLayout(form)
        self.passphrase = NewPassphrase(self)
        layout.addWidget(self.passphrase)
        self.problem = plain_label("")
        self.problem.setObjectName("new-project-problem")
        set_tone(self.problem, "error")
        layout.addWidget(self.problem)
        self.ok = dialog_buttons(self, "Create project")
        layout.addWidget(self.ok)
        self._path_edited = False
        self.path.textEdited.connect(lambda _t: setattr(self, "_path_edited", True))
        self.resize(560, self.sizeHint().height())

    def _suggest_path(self, title: str) -> None:
        if not self._path_edited:
            self.path.setText(str(self._folder / f"{slugify(title or 'project')}{PROJECT_SUFFIX}"))

    def _choose(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the new project as", self.path.text() or str(self._folder), FILE_FILTER
        )
        if chosen:
            self.path.setText(str(with_suffix(Path(chosen))))
            self._path_edited = True

    def values(self) -> tuple[Path, str, str]:
        return with_suffix(Path(self.path.text().strip())), self.title.text(), self.locality.text()

    def key(self) -> Key | None:
        """The new project's key (None: the facilitator chose a plain file)."""
        return self.passphrase.key()

    def accept(self) -> None:
        problem = self.passphrase.problem()
        self.problem.setText(problem or "")
        if problem is None:
            super().accept()


class NewSessionDialog(QDialog):
    """Pick a plan (or a blank session), then the title, date, venue and groups."""

    def __init__(
        self,
        plans: list[SessionPlan],
        problems: list[str],
        groups: list[StakeholderGroup],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("New session")
        self._plans = plans
        self._groups = groups
        self.plan_list = QListWidget()
        self.plan_list.setAccessibleName("Session plans")
        blank = QListWidgetItem("Blank session (build the agenda yourself)")
        blank.setData(Qt.ItemDataRole.UserRole, None)
        self.plan_list.addItem(blank)
        for plan in plans:
            item = QListWidgetItem(f"{plan.title}  ·  {plan.total_minutes} min")
            item.setData(Qt.ItemDataRole.UserRole, plan.id)
            self.plan_list.addItem(item)
        self.plan_summary = plain_label()
        self.plan_summary.setMinimumHeight(60)
        self.plan_agenda = QListWidget()
        self.plan_agenda.setAccessibleName("Plan agenda")
        self.plan_agenda.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.title = QLineEdit()
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMMM yyyy")
        self.venue = QLineEdit()
        self.venue.setPlaceholderText("e.g. Riverside Central Library – community room")
        self.group_list = QListWidget()
        self.group_list.setAccessibleName("Invited groups")
        for g in groups:
            item = QListWidgetItem(g.name)
            item.setData(Qt.ItemDataRole.UserRole, g.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.group_list.addItem(item)
        self.group_list.setMaximumHeight(24 * max(3, len(groups)) + 8)

        left = QVBoxLayout()
        left.addWidget(heading("1. Choose a plan"))
        left.addWidget(self.plan_list, 2)
        left.addWidget(self.plan_summary)
        left.addWidget(self.plan_agenda, 1)
        if problems:
            warn = plain_label("Some plan files could not be read:\n" + "\n".join(problems))
            warn.setObjectName("plan-problems")
            set_tone(warn, "warning")
            left.addWidget(warn)
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Date", self.date)
        form.addRow("Venue", self.venue)
        form.addRow("Invited groups", self.group_list)
        right = QVBoxLayout()
        right.addWidget(heading("2. About this session"))
        right.addLayout(form)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(dialog_buttons(self, "Create session"))
        self.plan_list.currentRowChanged.connect(self._plan_chosen)
        self.plan_list.setCurrentRow(1 if plans else 0)
        resize_within_screen(self, 940, 620)

    def selected_plan(self) -> SessionPlan | None:
        item = self.plan_list.currentItem()
        plan_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((p for p in self._plans if p.id == plan_id), None)

    def select_plan(self, plan_id: str) -> None:
        for row in range(self.plan_list.count()):
            if self.plan_list.item(row).data(Qt.ItemDataRole.UserRole) == plan_id:
                self.plan_list.setCurrentRow(row)
                return
        raise KeyError(plan_id)

    def _plan_chosen(self, _row: int) -> None:
        plan = self.selected_plan()
        self.plan_agenda.clear()
        if plan is None:
            self.plan_summary.setText("An empty agenda: add activities after creating it.")
            self.title.setText("")
            return
        self.plan_summary.setText(plan.summary)
        for a in plan.activities:
            self.plan_agenda.addItem(f"{a.minutes:>3} min   {a.kind.label}: {a.title}")
        self.title.setText(plan.title)
        for row in range(self.group_list.count()):
            item = self.group_list.item(row)
            group = self._groups[row]
            wanted = group.kind in plan.audience
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def group_ids(self) -> tuple[str, ...]:
        return tuple(
            self.group_list.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.group_list.count())
            if self.group_list.item(r).checkState() == Qt.CheckState.Checked
        )

    def session_date(self) -> date:
        d = self.date.date()
        return date(d.year(), d.month(), d.day())


class SettingsDialog(QDialog):
    """Project details and every setting in core.settings.SPECS, with its description."""

    def __init__(
        self, title: str, locality: str, settings: ProjectSettings, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle("Project settings")
        self.title = QLineEdit(title)
        self.locality = QLineEdit(locality)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Project title", self.title)
        form.addRow("Locality", self.locality)
        self.editors: dict[str, QWidget] = {}
        current = settings.as_mapping()
        for spec in SPECS:
            value = current[spec.key]
            editor: QWidget
            if spec.key.startswith("moderation"):
                combo = QComboBox()
                for mode in ModerationMode:
                    combo.addItem(MODERATION[mode], mode.value)
                combo.setCurrentIndex(combo.findData(value))
                editor = combo
            elif spec.type is int:
                spin = QSpinBox()
                spin.setRange(0, 100 if "percent" in spec.key else 999)
                if "percent" in spec.key:
                    spin.setSuffix(" %")
                spin.setValue(int(value))
                editor = spin
            else:
                text = QPlainTextEdit(str(value))
                text.setTabChangesFocus(True)
                text.setMinimumHeight(140)
                editor = text
            editor.setAccessibleName(spec.label)
            editor.setObjectName(spec.key)
            help_text = plain_label(spec.description)
            help_text.setStyleSheet("color: palette(mid);")
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(help_text)
            form.addRow(spec.label, box)
            self.editors[spec.key] = editor
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.error = plain_label()
        self.error.setObjectName("settings-error")
        set_tone(self.error, "error")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, "Save settings"))
        self.resize(680, self.sizeHint().height())

    def changes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                out[key] = editor.currentData()
            elif isinstance(editor, QSpinBox):
                out[key] = editor.value()
            elif isinstance(editor, QPlainTextEdit):
                out[key] = editor.toPlainText()
        return out

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class GroupsDialog(QDialog):
    """Stakeholder groups: every change is made at once (and can be undone)."""

    row_edited = Signal(int)  # a row's name, kind or child-friendly box changed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Stakeholder groups")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Name", "Kind", "Child-friendly"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAccessibleName("Stakeholder groups")
        self.table.itemChanged.connect(lambda item: self.row_edited.emit(item.row()))
        self.add_button = QPushButton("Add group")
        self.remove_button = QPushButton("Remove group")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button):
            b.setAutoDefault(False)  # Enter (after typing a name) must not add or remove one
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "Participants say which group they belong to (or prefer not to say); results "
                "are reported by group, never by person. Child-friendly groups see the "
                "child-friendly wording, bigger buttons and a smiley rating scale. Removing a "
                "group keeps the group of anything already given."
            )
        )
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(620, 360)

    def show_groups(self, groups: list[StakeholderGroup]) -> None:
        selected = self.selected_id()
        self.table.blockSignals(True)
        self.table.setRowCount(len(groups))
        for row, g in enumerate(groups):
            name = QTableWidgetItem(g.name)
            name.setData(Qt.ItemDataRole.UserRole, g.id)
            self.table.setItem(row, 0, name)
            kind = QComboBox()
            kind.setAccessibleName(f"Kind of {g.name}")
            for k in GroupKind:
                kind.addItem(k.label, k.value)
            kind.setCurrentIndex(kind.findData(g.kind.value))
            kind.currentIndexChanged.connect(lambda _i, r=row: self.row_edited.emit(r))
            self.table.setCellWidget(row, 1, kind)
            child = QTableWidgetItem()
            child.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            child.setCheckState(
                Qt.CheckState.Checked if g.child_friendly else Qt.CheckState.Unchecked
            )
            self.table.setItem(row, 2, child)
            if g.id == selected:
                self.table.selectRow(row)
        self.table.blockSignals(False)

    def selected_id(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def row_values(self, row: int) -> tuple[str, str, GroupKind, bool]:
        name = self.table.item(row, 0)
        kind = self.table.cellWidget(row, 1)
        child = self.table.item(row, 2)
        assert isinstance(kind, QComboBox) and name is not None and child is not None
        return (
            name.data(Qt.ItemDataRole.UserRole),
            name.text(),
            GroupKind(kind.currentData()),
            child.checkState() == Qt.CheckState.Checked,
        )


class SaveAsPlanDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Save session as plan")
        self.title = QLineEdit(title)
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText("What the session is for, and who it suits")
        form = QFormLayout()
        form.addRow("Plan title", self.title)
        form.addRow("Summary", self.summary)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "The agenda of this session becomes a plan you can pick for new sessions in "
                "any project on this laptop."
            )
        )
        layout.addLayout(form)
        layout.addWidget(dialog_buttons(self, "Save plan"))
        self.resize(520, 300)
