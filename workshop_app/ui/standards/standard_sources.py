"""The standard editor's Sources tab: the themes (with their notes beneath) and single notes
the standard came from, Add sources… and Remove source, and the external guidance and
evidence it rests on (one reference per line).

`StandardSourcesTab` is a part of the editor (`ui/standards/standard_editor.StandardEditor`
mixes it in: its widgets and methods are the editor's own, under the same names). The
window picks and removes the sources (`ui/standards/standards_window.py`, with
`ui/common/source_picker.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop_app.services.standards import StandardSources
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.source_picker import (
    ID_ROLE,
    KIND_ROLE,
    notes_words,
    plural,
    session_words,
)
from workshop_app.ui.common.widgets import plain_label
from workshop_app.ui.standards.standard_form import REFERENCES_HINT
from workshop_app.ui.standards.standard_tables import button_row

if TYPE_CHECKING:
    _Widget = QWidget  # the editor, for the type checker
else:
    _Widget = object


class StandardSourcesTab(_Widget):
    """The Sources tab: the tree of sources, its buttons and the external references."""

    # The editor's state these methods share (set in StandardEditor.__init__).
    _sources: StandardSources | None  # as shown
    references: QPlainTextEdit

    if TYPE_CHECKING:  # the editor's signal and its own call (StandardEditor)
        remove_sources_requested = Signal(list, list)  # theme ids, note ids

        def _update_buttons(self) -> None: ...

    def _sources_page(self) -> QWidget:
        """The tab, around the editor's references field (`self.references`)."""
        self.sources = QTreeWidget()
        self.sources.setObjectName("sources")
        self.sources.setAccessibleName("Sources")
        self.sources.setColumnCount(3)
        self.sources.setHeaderLabels(["Theme or note", "Session", "Stakeholder groups"])
        self.sources.setRootIsDecorated(True)
        self.sources.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.sources.header().resizeSection(0, 320)
        self.sources.header().resizeSection(1, 260)
        self.sources_note = plain_label()
        self.sources_note.setObjectName("sources-note")
        self.add_sources_button = QPushButton("Add sources…")
        self.add_sources_button.setAccessibleName("Add sources")
        self.remove_sources_button = QPushButton("Remove source")
        references_hint = plain_label(REFERENCES_HINT)
        set_tone(references_hint, "muted")
        sources_page = QWidget()
        box = QVBoxLayout(sources_page)
        box.addWidget(self.sources_note)
        box.addWidget(self.sources, 1)
        box.addLayout(button_row(self.add_sources_button, self.remove_sources_button))
        references_label = plain_label("External guidance and evidence")
        references_label.setBuddy(self.references)
        font = references_label.font()
        font.setBold(True)
        references_label.setFont(font)
        box.addWidget(references_label)
        box.addWidget(references_hint)
        box.addWidget(self.references)
        return sources_page

    def show_sources(self, sources: StandardSources | None) -> None:
        """The standard's themes (with their notes beneath) and single notes; unchanged
        sources are left as they are (selection and open themes kept)."""
        if sources == self._sources:
            return
        self._sources = sources
        self.sources.clear()
        if sources is None:
            self.sources_note.setText("")
            self._update_buttons()
            return
        for t in sources.themes:
            gone = "" if t.on_board else " (deleted from its board)"
            item = QTreeWidgetItem(
                self.sources,
                [
                    f"Theme: {t.name} · {notes_words(len(t.notes))}{gone}",
                    session_words(t.session_title, t.session_date),
                    ", ".join(t.group_names),
                ],
            )
            item.setData(0, ID_ROLE, t.id)
            item.setData(0, KIND_ROLE, "theme")
            for n in t.notes:
                hidden = " (hidden on the wall)" if n.hidden else ""
                child = QTreeWidgetItem(item, [f"{n.text}{hidden}", "", n.group_name])
                child.setFlags(Qt.ItemFlag.ItemIsEnabled)  # part of the theme: not removable
        for n in sources.notes:
            hidden = " (hidden on the wall)" if n.hidden else ""
            item = QTreeWidgetItem(
                self.sources,
                [
                    f"Note: {n.text}{hidden}",
                    session_words(n.session_title, n.session_date),
                    n.group_name,
                ],
            )
            item.setData(0, ID_ROLE, n.id)
            item.setData(0, KIND_ROLE, "note")
        if sources.empty:
            self.sources_note.setText(
                "No sources yet. Add the themes and notes this standard came from, so it can "
                "be traced back to what people said."
            )
        else:
            parts = [plural(len(sources.themes), "theme")] if sources.themes else []
            if sources.notes:
                parts.append(plural(len(sources.notes), "single note"))
            groups = ", ".join(sources.group_names) or "no stakeholder group given"
            self.sources_note.setText(
                f"{' and '.join(parts)} from {plural(len(sources.session_titles), 'session')}: "
                f"{groups}."
            )
        self._update_buttons()

    def selected_sources(self) -> tuple[list[str], list[str]]:
        """The chosen sources that can be removed: (theme ids, note ids)."""
        themes: list[str] = []
        notes: list[str] = []
        for item in self.sources.selectedItems():
            kind = item.data(0, KIND_ROLE)
            if kind == "theme":
                themes.append(str(item.data(0, ID_ROLE)))
            elif kind == "note":
                notes.append(str(item.data(0, ID_ROLE)))
        return themes, notes

    def _remove_sources(self) -> None:
        themes, notes = self.selected_sources()
        if themes or notes:
            self.remove_sources_requested.emit(themes, notes)
