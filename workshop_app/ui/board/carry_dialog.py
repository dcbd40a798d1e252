"""“Bring in priorities…”: the themes of a project's earlier sessions with their dots, one
column per stakeholder group side by side, to tick and bring onto this session's board.

A table of every earlier theme: its session, its place there, its dots and voters, then
the dots from each group (or each group's share of its own dots, so that a small group's
priorities stand out as much as a large one's), the groups it came from, and whether it
has been brought in already. Ticked themes come in as new themes named like the
originals, or combined into one; one undo step either way (`ui/common/commands.Actions`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.cells import fewer_than
from workshop_app.core.shares import share_text
from workshop_app.services import carry, sessions
from workshop_app.services.board import THEME_NAME_MAX
from workshop_app.services.carry import Carried, Priorities, Priority
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.project import OpenProject
from workshop_app.ui.common.commands import Op
from workshop_app.ui.common.source_picker import plural, session_words
from workshop_app.ui.common.widgets import (
    dialog_buttons,
    narrow_combo,
    plain_label,
    resize_within_screen,
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 10
ID_ROLE = Qt.ItemDataRole.UserRole
FIXED_COLUMNS = ("Theme", "Session", "Place", "Dots", "Voters")
TAIL_COLUMNS = ("Came from", "Brought in")


class _Item(QTableWidgetItem):
    """A cell that sorts by its number (or words), not by the text shown."""

    def __init__(self, text: str, key: object = None):
        super().__init__(text)
        self.setData(SORT_ROLE, text.casefold() if key is None else key)
        self.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if type(mine) is type(theirs):
            return bool(mine < theirs)
        return str(mine) < str(theirs)


class CarryDialog(QDialog):
    """Choose priorities of earlier sessions to bring onto a session's board."""

    def __init__(self, pr: Priorities, session_title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Bring in priorities")
        self.priorities = pr
        self._filling = False
        intro = plain_label(
            f"The themes of the sessions before “{session_title}” and the dots each got, "
            "overall and from each stakeholder group. Tick the ones to bring onto this "
            "session's board: each comes in as a theme of its own, named like the original "
            "and remembering the sessions and groups it came from."
        )
        self.session_filter = narrow_combo(30)
        self.session_filter.setObjectName("carry-session")
        self.session_filter.setAccessibleName("Earlier session")
        self.session_filter.addItem("Every earlier session", None)
        seen: dict[str, str] = {}
        for item in pr.items:
            seen.setdefault(item.session.id, session_words(item.session.title, item.session.date))
        for sid, words in seen.items():
            self.session_filter.addItem(words, sid)
        self.as_dots = QRadioButton("Dots")
        self.as_share = QRadioButton("Share of each group's dots")
        self.as_dots.setChecked(True)
        self.as_dots.setAccessibleName("Show each group's dots")
        self.as_share.setAccessibleName("Show each theme's share of each group's dots")
        self._show_as = QButtonGroup(self)
        self._show_as.addButton(self.as_dots)
        self._show_as.addButton(self.as_share)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Sessions:"))
        controls.addWidget(self.session_filter, 1)
        controls.addSpacing(16)
        controls.addWidget(QLabel("Groups show:"))
        controls.addWidget(self.as_dots)
        controls.addWidget(self.as_share)

        columns = [*FIXED_COLUMNS, *(g.name for g in pr.groups), *TAIL_COLUMNS]
        self.table = QTableWidget(0, len(columns))
        self.table.setObjectName("priorities")
        self.table.setAccessibleName("Priorities of earlier sessions")
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.empty = plain_label(pr.explanation)
        self.empty.setObjectName("carry-empty")
        self.empty.setVisible(bool(pr.explanation))

        self.combine = QCheckBox("Combine the ticked themes into one theme, called")
        self.combine.setObjectName("carry-combine")
        self.name = QLineEdit()
        self.name.setObjectName("carry-name")
        self.name.setAccessibleName("Name of the combined theme")
        self.name.setMaxLength(THEME_NAME_MAX)
        self.name.setEnabled(False)
        combine_row = QHBoxLayout()
        combine_row.addWidget(self.combine)
        combine_row.addWidget(self.name, 1)
        self.count = plain_label(wrap=False)
        self.count.setObjectName("carry-count")
        self.buttons = dialog_buttons(self, "Bring in")
        self.bring_button: QAbstractButton = next(
            b for b in self.buttons.buttons() if b.text() == "Bring in"
        )

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(controls)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(combine_row)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)

        self._fill()
        self.session_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self._show_as.buttonToggled.connect(lambda *_a: self._show_groups())
        self.table.itemChanged.connect(lambda _i: self._show_count())
        self.combine.toggled.connect(self._combine_toggled)
        # In the priorities' own order until a column header is clicked.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self._show_count()
        # Wide enough for every column (one per stakeholder group), within the screen.
        wanted = self.table.horizontalHeader().length() + 80
        resize_within_screen(self, max(1180, wanted), 600)

    # ------------------------------------------------------------------ the table

    def _fill(self) -> None:
        pr = self.priorities
        self._filling = True
        self.table.setRowCount(len(pr.items))
        for row, item in enumerate(pr.items):
            theme = _Item(item.name)
            theme.setData(ID_ROLE, item.theme_id)
            theme.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            theme.setCheckState(Qt.CheckState.Unchecked)
            session = _Item(
                session_words(item.session.title, item.session.date),
                (str(item.session.date or ""), item.session.title.casefold()),
            )
            came = item.came_from
            came_words = ", ".join(came.groups) if came is not None else ""
            if came is not None and len(came.sessions) > 1:
                came_words += f" ({plural(len(came.sessions), 'session')})"
            cells = [
                theme,
                session,
                _Item(f"{item.rank}", item.rank),
                _Item(f"{item.dots}", item.dots),
                _Item(f"{item.voters}", item.voters),
                *(_Item("") for _g in pr.groups),
                _Item(came_words),
                _Item("Yes" if item.carried_as else "", len(item.carried_as)),
            ]
            for column, cell in enumerate(cells):
                if column >= 2 and column < len(cells) - 2:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, cell)
        self._filling = False
        self._show_groups()
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(280, max(180, self.table.columnWidth(0))))
        self.table.setColumnWidth(1, min(240, self.table.columnWidth(1)))

    def _priority(self, row: int) -> Priority | None:
        cell = self.table.item(row, 0)
        return None if cell is None else self.priorities.item(str(cell.data(ID_ROLE)))

    def _show_groups(self) -> None:
        """Each group's dots, or each theme's share of the dots the group gave."""
        share = self.as_share.isChecked()
        first = len(FIXED_COLUMNS)
        sorting = self.table.isSortingEnabled()
        self.table.setSortingEnabled(False)  # rows stay put while their cells change
        for row in range(self.table.rowCount()):
            item = self._priority(row)
            if item is None:
                continue
            for n, group in enumerate(self.priorities.groups):
                cell = self.table.item(row, first + n)
                if cell is None:
                    continue
                key: float
                if self.priorities.withheld(item, group.id):
                    # fewer than N of the group voted: their dots would say who chose what
                    text, key = fewer_than(self.priorities.min_cell), -2.0
                elif share:
                    value = item.share_by_group.get(group.id)
                    text = share_text(value)  # rounded down, as everywhere
                    key = -1.0 if value is None else float(value)
                else:
                    dots = item.dots_by_group.get(group.id, 0)
                    text, key = (f"{dots}" if dots else ""), dots
                cell.setText(text)
                cell.setData(SORT_ROLE, key)
        self.table.setSortingEnabled(sorting)

    def _apply_filter(self) -> None:
        wanted = self.session_filter.currentData()
        for row in range(self.table.rowCount()):
            item = self._priority(row)
            self.table.setRowHidden(
                row, item is not None and wanted is not None and item.session.id != wanted
            )

    def check(self, theme_ids: list[str]) -> None:
        """Tick these themes (as a click would)."""
        wanted = set(theme_ids)
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            if cell is not None and cell.data(ID_ROLE) in wanted:
                cell.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[str]:
        """The ticked themes, in the table's order."""
        out = []
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            if cell is not None and cell.checkState() == Qt.CheckState.Checked:
                out.append(str(cell.data(ID_ROLE)))
        return out

    def _combine_toggled(self, on: bool) -> None:
        self.name.setEnabled(on)
        if on and not self.name.text().strip():
            chosen = self.chosen()
            first = self.priorities.item(chosen[0]) if chosen else None
            if first is not None:
                self.name.setText(first.name)
        self._show_count()

    def _show_count(self) -> None:
        if self._filling:
            return
        n = len(self.chosen())
        again = sum(1 for i in self.chosen() if (p := self.priorities.item(i)) and p.carried_as)
        if n == 0:
            text = "Nothing ticked yet."
        elif self.combine.isChecked() and n > 1:
            text = f"{plural(n, 'theme')} will come in as one theme."
        else:
            text = f"{plural(n, 'theme')} will come in."
        if again:
            text += f" {plural(again, 'theme has', 'themes have')} been brought in already."
        self.count.setText(text)
        self.bring_button.setEnabled(n > 0 and self.priorities.board_activity_id is not None)


Perform = Callable[..., Any]  # Actions.perform, or a view's wrapper of it
ErrorSink = Callable[[str, str], None]


def bring_in_priorities(
    parent: QWidget,
    project: OpenProject,
    perform: Perform,
    errors: ErrorSink,
    session_id: str,
) -> Op[Carried] | None:
    """Ask which priorities to bring onto the session's board, then do it (one undo step
    through `perform`, which is `Actions.perform` or a view's wrapper of it); the `Op`,
    or None when nothing was chosen."""
    try:
        pr = carry.priorities(project, session_id)
        title = sessions.get_session(project, session_id).title
    except USER_ERRORS as exc:
        errors("Could not read the priorities", message_for(exc))
        return None
    dialog = CarryDialog(pr, title, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        ids, combine, name = dialog.chosen(), dialog.combine.isChecked(), dialog.name.text()
    finally:
        dialog.deleteLater()
    if not ids:
        return None
    words = plural(len(ids), "priority", "priorities")
    done: Op[Carried] = perform(
        f"Bring in {words}" + (" as one theme" if combine and len(ids) > 1 else ""),
        lambda: carry.carry_forward(project, session_id, ids, combine=combine, name=name),
        lambda c: carry.undo_carry(project, c),
        redo=lambda c: carry.redo_carry(project, c),
    )
    return done


def origin_words(origins: carry.ThemeOrigins) -> str:
    """“brought in from Session A, Session B (Children 8–12, Parents and carers)”."""
    sessions = ", ".join(s.title for s in origins.sessions)
    groups = f" ({', '.join(origins.groups)})" if origins.groups else ""
    return f"brought in from {sessions}{groups}"
