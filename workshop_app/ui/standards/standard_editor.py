"""The editor of one draft standard: its wording, level, measures, what it means for each
audience, definitions, sources and versions.

There is no Apply button. A change is committed 0.8 s after typing stops, when a field
loses focus, or when another standard is chosen; each commit is one undoable step (the
window carries it out, `ui/standards/standards_window.py`). A change the project would refuse (an
empty statement, a measure without what is counted) is not sent: the reason shows under
the fields until it is put right.

The Measures and Definitions tabs are in `ui/standards/standard_tables.py`, the Sources tab
in `ui/standards/standard_sources.py`; both are mixed into `StandardEditor`. The form's
rules without a widget are in `ui/standards/standard_form.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import (
    Audience,
    Standard,
    StandardLevel,
    StandardVersion,
)
from workshop_app.core.validate import TITLE_MAX
from workshop_app.services import standards as svc
from workshop_app.services.standards import StandardFields, StandardSources
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.widgets import plain_label
from workshop_app.ui.standards.standard_form import (
    CHILD_WORDING_HINT,
    LEVEL_HINTS,
    STATEMENT_HINT,
    VERSION_HINT,
    cleaned_definitions,
    cleaned_measures,
    reference_lines,
    verdict,
)
from workshop_app.ui.standards.standard_sources import StandardSourcesTab
from workshop_app.ui.standards.standard_tables import MEASURE_COLUMNS, StandardTables

__all__ = ["COMMIT_DELAY_MS", "MEASURE_COLUMNS", "StandardEditor"]

COMMIT_DELAY_MS = 800


def _text_edit(name: str, height: int, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setObjectName(name.lower().replace(" ", "-"))
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    edit.setPlaceholderText(placeholder)
    return edit


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


class StandardEditor(StandardTables, StandardSourcesTab, QWidget):
    # (standard id, StandardFields) when the facilitator has changed something valid
    edited = Signal(str, object)
    add_sources_requested = Signal()
    remove_sources_requested = Signal(list, list)  # theme ids, note ids

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._standard: Standard | None = None
        self._loading = False
        self._invalid = False  # what is typed was refused: kept on screen until put right
        self._sources: StandardSources | None = None  # as shown
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMIT_DELAY_MS)
        self._timer.timeout.connect(self.flush)

        # -- the statement
        self.title = QLineEdit()
        self.title.setMaxLength(TITLE_MAX)
        self.title.setAccessibleName("Title")
        self.title.setObjectName("standard-title")
        self.statement = _text_edit("Statement", 70, "One clear, measurable requirement")
        self.statement.setMaximumHeight(120)
        self.statement_hint = plain_label(STATEMENT_HINT)
        set_tone(self.statement_hint, "muted")
        self.child_wording = _text_edit(
            "Child wording", 54, "The statement in words a seven-year-old understands"
        )
        self.child_wording.setMaximumHeight(100)
        self.child_wording_hint = plain_label(CHILD_WORDING_HINT)
        set_tone(self.child_wording_hint, "muted")
        self.rationale = _text_edit("Rationale", 110, "Why it matters, in the words of the groups")
        self.level = QComboBox()
        self.level.setAccessibleName("Level")
        self.level.setObjectName("standard-level")
        for level in StandardLevel:
            self.level.addItem(svc.LEVEL_LABELS[level], level.value)
        self.level_hint = plain_label()
        set_tone(self.level_hint, "muted")
        wording = QWidget()
        form = QFormLayout(wording)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Title", self.title)
        form.addRow("Statement", self.statement)
        form.addRow("", self.statement_hint)
        form.addRow("Child wording (shown to children's groups)", self.child_wording)
        form.addRow("", self.child_wording_hint)
        form.addRow("Rationale", self.rationale)
        form.addRow("Level", self.level)
        form.addRow("", self.level_hint)

        # -- measures (standard_tables.py)
        measures_page = self._measures_page()

        # -- audiences
        self.audiences: dict[Audience, QPlainTextEdit] = {}
        audience_page = QWidget()
        audience_form = QFormLayout(audience_page)
        audience_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        intro = plain_label("What the standard means for each audience, in words they use.")
        set_tone(intro, "muted")
        audience_form.addRow(intro)
        for audience, label in svc.AUDIENCE_LABELS.items():
            edit = _text_edit(f"For {label.lower()}", 54)
            edit.setObjectName(f"audience-{audience.value}")
            edit.setMaximumHeight(72)  # all eight in sight on a laptop screen
            self.audiences[audience] = edit
            audience_form.addRow(label, edit)

        # -- definitions (standard_tables.py)
        definitions_page = self._definitions_page()

        # -- sources (standard_sources.py), with the external references
        self.references = _text_edit(
            "External references", 60, "One reference per line, e.g. a national guideline"
        )
        self.references.setObjectName("references")
        self.references.setMaximumHeight(110)
        sources_page = self._sources_page()

        # -- versions
        self.versions = QPlainTextEdit()
        self.versions.setObjectName("versions")
        self.versions.setAccessibleName("Version history")
        self.versions.setReadOnly(True)
        versions_page = QWidget()
        box = QVBoxLayout(versions_page)
        hint = plain_label(VERSION_HINT)
        set_tone(hint, "muted")
        box.addWidget(hint)
        box.addWidget(self.versions, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("standard-tabs")
        self.tabs.setAccessibleName("Parts of the standard")
        self.tabs.addTab(_scrolled(wording), "&Statement")
        self.tabs.addTab(measures_page, "&Measures")
        self.tabs.addTab(_scrolled(audience_page), "&Audiences")
        self.tabs.addTab(definitions_page, "&Definitions")
        self.tabs.addTab(sources_page, "S&ources")
        self.tabs.addTab(versions_page, "&Versions")
        self.error = plain_label()
        self.error.setObjectName("standard-error")
        set_tone(self.error, "error")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)

        self.title.textEdited.connect(self._changed)
        self.title.editingFinished.connect(self._finished)
        for edit in (
            self.statement,
            self.child_wording,
            self.rationale,
            self.references,
            *self.audiences.values(),
        ):
            edit.textChanged.connect(self._changed)
            edit.installEventFilter(self)
        self.level.currentIndexChanged.connect(self._level_changed)
        for table in (self.measures, self.definitions):
            table.itemChanged.connect(self._changed)
            table.installEventFilter(self)
        self.add_measure_button.clicked.connect(self.add_measure)
        self.remove_measure_button.clicked.connect(self.remove_measure)
        self.add_definition_button.clicked.connect(self.add_definition)
        self.remove_definition_button.clicked.connect(self.remove_definition)
        self.add_sources_button.clicked.connect(self.add_sources_requested.emit)
        self.remove_sources_button.clicked.connect(self._remove_sources)
        self.sources.itemSelectionChanged.connect(self._update_buttons)
        self.measures.itemSelectionChanged.connect(self._update_buttons)
        self.definitions.itemSelectionChanged.connect(self._update_buttons)
        self.setEnabled(False)
        self._update_buttons()

    # ------------------------------------------------------------------ loading

    @property
    def standard_id(self) -> str | None:
        return self._standard.id if self._standard else None

    @property
    def has_pending_edit(self) -> bool:
        """Typed and not yet committed (waiting, or refused and not yet put right)."""
        return self._timer.isActive() or self._invalid

    def clear(self) -> None:
        self.flush()
        self._standard = None
        self._invalid = False
        self._set_fields(StandardFields("", ""))
        self.show_sources(None)
        self.versions.setPlainText("")
        self.error.hide()
        self.setEnabled(False)

    def load(self, standard: Standard) -> None:
        """Show a standard. Fields equal to what is shown are left alone (cursor kept)."""
        if self._standard is not None and self._standard.id != standard.id:
            self.flush()
            self._invalid = False
            self.error.hide()
        same = self._standard is not None and self._standard.id == standard.id
        self._standard = standard
        self._set_fields(StandardFields.of(standard), keep_rows=same)
        self.setEnabled(True)
        self._update_buttons()

    def _set_fields(self, f: StandardFields, *, keep_rows: bool = False) -> None:
        """Show `f`; with `keep_rows`, tables whose rows say the same (an empty row just
        added, say) are left as they are."""
        self._loading = True
        try:
            if self.title.text() != f.title:
                self.title.setText(f.title)
            for edit, value in (
                (self.statement, f.statement),
                (self.child_wording, f.child_wording),
                (self.rationale, f.rationale),
                *((self.audiences[a], f.audiences.get(a, "")) for a in Audience),
            ):
                if edit.toPlainText() != value:
                    edit.setPlainText(value)
            if reference_lines(self.references.toPlainText()) != tuple(f.references):
                self.references.setPlainText("\n".join(f.references))
            index = self.level.findData(f.level.value)
            if index != self.level.currentIndex():
                self.level.setCurrentIndex(index)
            self.level_hint.setText(LEVEL_HINTS[f.level])
            if not keep_rows or cleaned_measures(self._measure_rows()) != f.measures:
                self._fill_measures(f.measures)
            if not keep_rows or cleaned_definitions(self._definition_rows()) != dict(f.definitions):
                self._fill_definitions(f.definitions)
        finally:
            self._loading = False

    def show_versions(self, versions: Sequence[StandardVersion]) -> None:
        """Each version's wording, newest first (plain text)."""
        parts = []
        for v in reversed(versions):
            current = " (current)" if v is versions[-1] else ""
            lines = [
                f"Version {v.version}{current} · {v.created_at:%d %b %Y, %H:%M}",
                v.title,
                v.statement,
            ]
            if v.rationale:
                lines.append(f"Rationale: {v.rationale}")
            parts.append("\n".join(lines))
        text = "\n\n".join(parts)
        if self.versions.toPlainText() != text:
            self.versions.setPlainText(text)

    # ------------------------------------------------------------------ editing

    def fields(self) -> StandardFields:
        """What is typed now, as it stands (not yet checked)."""
        return StandardFields(
            title=self.title.text(),
            statement=self.statement.toPlainText(),
            rationale=self.rationale.toPlainText(),
            level=StandardLevel(self.level.currentData()),
            measures=tuple(self._measure_rows()),
            audiences={a: e.toPlainText() for a, e in self.audiences.items()},
            definitions=dict(self._definition_rows()),
            child_wording=self.child_wording.toPlainText(),
            references=reference_lines(self.references.toPlainText()),
        )

    def flush(self) -> None:
        """Commit what is typed now, if it is valid and differs from what is stored."""
        self._timer.stop()
        if self._standard is None:
            return
        fields = self.fields()
        v = verdict(self._standard, fields, self._definition_rows())
        self._invalid = v.error is not None
        if v.error is not None:
            self.show_error(v.error)
            return
        self.error.hide()
        if v.changed:
            self.edited.emit(self._standard.id, fields)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _changed(self, *_args: object) -> None:
        if not self._loading and self._standard is not None:
            self._timer.start()

    def _finished(self) -> None:
        if self.has_pending_edit:
            self.flush()

    def _level_changed(self, *_args: object) -> None:
        self.level_hint.setText(LEVEL_HINTS[StandardLevel(self.level.currentData())])
        if not self._loading and self._standard is not None:
            self.flush()

    def _update_buttons(self) -> None:
        themes, notes = self.selected_sources()
        self.remove_sources_button.setEnabled(bool(themes or notes))
        self.remove_measure_button.setEnabled(self.measures.currentRow() >= 0)
        self.remove_definition_button.setEnabled(self.definitions.currentRow() >= 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self._timer.isActive():
            self.flush()
        return super().eventFilter(watched, event)
