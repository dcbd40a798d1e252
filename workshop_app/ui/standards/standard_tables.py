"""The standard editor's two tables: measures (type, what is counted, numerator,
denominator, data source) and definitions (term, meaning). Filling them, reading their rows
back as typed, and adding and removing rows.

`StandardTables` is a part of the editor (`ui/standards/standard_editor.StandardEditor`
mixes it in: its widgets and methods are the editor's own, under the same names). Whether
the rows may be committed is decided in `ui/standards/standard_form.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import Measure, MeasureType
from workshop_app.services import standards as svc
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.widgets import plain_label
from workshop_app.ui.standards.standard_form import MEASURE_HINT

MEASURE_COLUMNS = ("Type", "What is counted", "Numerator", "Denominator", "Data source")

if TYPE_CHECKING:
    _Widget = QWidget  # the editor, for the type checker
else:
    _Widget = object


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    """A tab's buttons side by side on the left (Enter in a table never presses them)."""
    row = QHBoxLayout()
    for b in buttons:
        b.setAutoDefault(False)
        row.addWidget(b)
    row.addStretch(1)
    return row


class StandardTables(_Widget):
    """The Measures and Definitions tabs."""

    if TYPE_CHECKING:  # the editor's own calls (ui/standards/standard_editor.StandardEditor)

        def flush(self) -> None: ...
        def _changed(self, *_args: object) -> None: ...

    def _measures_page(self) -> QWidget:
        """The Measures tab: the table, its hint and its buttons."""
        self.measures = QTableWidget(0, len(MEASURE_COLUMNS))
        self.measures.setObjectName("measures")
        self.measures.setAccessibleName("Measures")
        self.measures.setHorizontalHeaderLabels(list(MEASURE_COLUMNS))
        self.measures.verticalHeader().hide()
        self.measures.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.measures.setWordWrap(True)
        header = self.measures.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        # Rows grow to show a measure's whole wording, and follow the columns' widths.
        header.sectionResized.connect(lambda *_a: self.measures.resizeRowsToContents())
        self.add_measure_button = QPushButton("Add measure")
        self.remove_measure_button = QPushButton("Remove measure")
        measures_page = QWidget()
        box = QVBoxLayout(measures_page)
        hint = plain_label(MEASURE_HINT)
        set_tone(hint, "muted")
        box.addWidget(hint)
        box.addWidget(self.measures, 1)
        box.addLayout(button_row(self.add_measure_button, self.remove_measure_button))
        return measures_page

    def _definitions_page(self) -> QWidget:
        """The Definitions tab: the table and its buttons."""
        self.definitions = QTableWidget(0, 2)
        self.definitions.setObjectName("definitions")
        self.definitions.setAccessibleName("Definitions")
        self.definitions.setHorizontalHeaderLabels(["Term", "Meaning"])
        self.definitions.verticalHeader().hide()
        self.definitions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.definitions.setWordWrap(True)
        self.definitions.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.definitions.horizontalHeader().resizeSection(0, 180)
        self.add_definition_button = QPushButton("Add definition")
        self.remove_definition_button = QPushButton("Remove definition")
        definitions_page = QWidget()
        box = QVBoxLayout(definitions_page)
        box.addWidget(self.definitions, 1)
        box.addLayout(button_row(self.add_definition_button, self.remove_definition_button))
        return definitions_page

    # ------------------------------------------------------------------ showing

    def _fill_measures(self, measures: Sequence[Measure]) -> None:
        self.measures.blockSignals(True)
        try:
            self.measures.setRowCount(0)
            for m in measures:
                self._append_measure(m)
        finally:
            self.measures.blockSignals(False)
        self.measures.resizeRowsToContents()

    def _append_measure(self, m: Measure) -> int:
        row = self.measures.rowCount()
        self.measures.insertRow(row)
        kind = QComboBox()
        kind.setAccessibleName(f"Type of measure {row + 1}")
        for t in MeasureType:
            kind.addItem(svc.MEASURE_LABELS[t], t.value)
        kind.setCurrentIndex(kind.findData(m.type.value))
        kind.currentIndexChanged.connect(self._changed)
        self.measures.setCellWidget(row, 0, kind)
        for column, text in enumerate(
            (m.description, m.numerator, m.denominator, m.data_source), start=1
        ):
            self.measures.setItem(row, column, QTableWidgetItem(text))
        return row

    def _fill_definitions(self, definitions: Mapping[str, str]) -> None:
        self.definitions.blockSignals(True)
        try:
            self.definitions.setRowCount(0)
            for term, meaning in definitions.items():
                self._append_definition(term, meaning)
        finally:
            self.definitions.blockSignals(False)

    def _append_definition(self, term: str, meaning: str) -> int:
        row = self.definitions.rowCount()
        self.definitions.insertRow(row)
        self.definitions.setItem(row, 0, QTableWidgetItem(term))
        self.definitions.setItem(row, 1, QTableWidgetItem(meaning))
        return row

    # ------------------------------------------------------------------ reading

    def _measure_rows(self) -> list[Measure]:
        rows = []
        for row in range(self.measures.rowCount()):
            kind = self.measures.cellWidget(row, 0)
            texts = []
            for column in range(1, 5):
                item = self.measures.item(row, column)
                texts.append(item.text() if item is not None else "")
            value = kind.currentData() if isinstance(kind, QComboBox) else MeasureType.PROCESS.value
            rows.append(Measure(MeasureType(value), *texts))
        return rows

    def _definition_rows(self) -> list[tuple[str, str]]:
        rows = []
        for row in range(self.definitions.rowCount()):
            term, meaning = self.definitions.item(row, 0), self.definitions.item(row, 1)
            rows.append(
                (
                    term.text() if term is not None else "",
                    meaning.text() if meaning is not None else "",
                )
            )
        return rows

    # ------------------------------------------------------------------ editing

    def add_measure(self) -> None:
        row = self._append_measure(Measure(MeasureType.PROCESS, ""))
        self.measures.setCurrentCell(row, 1)
        cell = self.measures.item(row, 1)
        if cell is not None:
            self.measures.editItem(cell)

    def remove_measure(self) -> None:
        rows = sorted({i.row() for i in self.measures.selectedIndexes()}, reverse=True)
        if not rows and self.measures.currentRow() >= 0:
            rows = [self.measures.currentRow()]
        for row in rows:
            self.measures.removeRow(row)
        if rows:
            self.flush()

    def add_definition(self) -> None:
        row = self._append_definition("", "")
        self.definitions.setCurrentCell(row, 0)
        cell = self.definitions.item(row, 0)
        if cell is not None:
            self.definitions.editItem(cell)

    def remove_definition(self) -> None:
        rows = sorted({i.row() for i in self.definitions.selectedIndexes()}, reverse=True)
        if not rows and self.definitions.currentRow() >= 0:
            rows = [self.definitions.currentRow()]
        for row in rows:
            self.definitions.removeRow(row)
        if rows:
            self.flush()
