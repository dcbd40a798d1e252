"""Pickers that link what people said to draft standards: the themes and notes of every
session (searchable), and the standard to link a board's themes and notes to.

Everything shown here is plain text: item texts of list and tree widgets are never
interpreted, and no tooltip carries a participant's words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import Standard
from workshop_app.services import standards
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.project import OpenProject
from workshop_app.services.standards import Links, SourceChoices
from workshop_app.ui.common.commands import Op
from workshop_app.ui.common.widgets import dialog_buttons, plain_label, resize_within_screen

ID_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "theme" or "note"
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2  # what the search looks in, case-folded


def session_words(title: str, when: date | None) -> str:
    """A session as the pickers and lists show it: its date (first: a long title is cut
    short on screen) and title."""
    return f"{when:%d %b %Y} · {title}" if when else title


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def notes_words(n: int) -> str:
    return plural(n, "note")


class SourcePickerDialog(QDialog):
    """Choose themes and notes of any session to add as sources of a standard."""

    def __init__(
        self,
        choices: SourceChoices,
        linked: Iterable[str] = (),
        title: str = "Add sources",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        linked_ids = set(linked)
        self.search = QLineEdit()
        self.search.setObjectName("source-search")
        self.search.setAccessibleName("Search themes and notes")
        self.search.setPlaceholderText("Search themes, notes, sessions and groups")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("source-choices")
        self.tree.setAccessibleName("Themes and notes")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Theme or note", "Session", "Stakeholder groups"])
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 380)
        header.resizeSection(1, 300)
        self.themes = QTreeWidgetItem(self.tree, [f"Themes ({len(choices.themes)})"])
        self.notes = QTreeWidgetItem(self.tree, [f"Single notes ({len(choices.notes)})"])
        for section in (self.themes, self.notes):
            section.setFlags(Qt.ItemFlag.ItemIsEnabled)
            section.setFirstColumnSpanned(True)
        for t in choices.themes:
            groups = ", ".join(t.group_names)
            self._add(
                self.themes,
                "theme",
                t.id,
                (
                    f"{t.name} · {notes_words(t.notes)}",
                    session_words(t.session_title, t.session_date),
                    groups,
                ),
                t.id in linked_ids,
            )
        for n in choices.notes:
            self._add(
                self.notes,
                "note",
                n.id,
                (n.text, session_words(n.session_title, n.session_date), n.group_name),
                n.id in linked_ids,
            )
        self.themes.setExpanded(True)
        self.notes.setExpanded(True)
        self.count = plain_label(wrap=False)
        self.count.setObjectName("source-count")
        self.buttons = dialog_buttons(self, "Add sources")
        self.add_button: QAbstractButton = next(
            b for b in self.buttons.buttons() if b.text() == "Add sources"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "Tick the themes and notes this standard came from. Themes bring their notes "
                "with them; a single note is for words that matter on their own."
            )
        )
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(self.filter)
        self.tree.itemChanged.connect(lambda *_a: self._show_count())
        self._show_count()
        resize_within_screen(self, 900, 560)

    def _add(
        self,
        parent: QTreeWidgetItem,
        kind: str,
        item_id: str,
        texts: Sequence[str],
        linked: bool,
    ) -> None:
        first = f"{texts[0]} (linked already)" if linked else texts[0]
        item = QTreeWidgetItem(parent, [first, *texts[1:]])
        item.setData(0, ID_ROLE, item_id)
        item.setData(0, KIND_ROLE, kind)
        item.setData(0, SEARCH_ROLE, " ".join(texts).casefold())
        if linked:
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable)  # shown, ticked, not enabled
            item.setCheckState(0, Qt.CheckState.Checked)
        else:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)

    def items(self) -> list[QTreeWidgetItem]:
        return [
            item
            for section in (self.themes, self.notes)
            for i in range(section.childCount())
            if (item := section.child(i)) is not None
        ]

    def filter(self, text: str) -> None:
        """Show only the themes and notes whose words, session or groups contain `text`."""
        words = text.casefold().split()
        for section in (self.themes, self.notes):
            shown = 0
            for i in range(section.childCount()):
                item = section.child(i)
                if item is None:
                    continue
                hay = str(item.data(0, SEARCH_ROLE))
                hidden = not all(w in hay for w in words)
                item.setHidden(hidden)
                shown += not hidden
            section.setHidden(shown == 0 and bool(words))

    def check(self, item_ids: Iterable[str]) -> None:
        wanted = set(item_ids)
        for item in self.items():
            if item.data(0, ID_ROLE) in wanted and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                item.setCheckState(0, Qt.CheckState.Checked)

    def chosen(self) -> tuple[list[str], list[str]]:
        """The ticked themes and notes (not those linked already): (theme ids, note ids)."""
        themes: list[str] = []
        notes: list[str] = []
        for item in self.items():
            if (
                item.flags() & Qt.ItemFlag.ItemIsEnabled
                and item.checkState(0) == Qt.CheckState.Checked
            ):
                (themes if item.data(0, KIND_ROLE) == "theme" else notes).append(
                    str(item.data(0, ID_ROLE))
                )
        return themes, notes

    def _show_count(self) -> None:
        themes, notes = self.chosen()
        n = len(themes) + len(notes)
        self.count.setText(
            "Nothing ticked yet."
            if n == 0
            else f"{plural(len(themes), 'theme')} and {plural(len(notes), 'note')} ticked."
        )
        self.add_button.setEnabled(n > 0)


class StandardChooser(QDialog):
    """Choose the standard that themes or notes from the board are linked to."""

    def __init__(self, standards: Sequence[Standard], what: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Link to standard")
        self.search = QLineEdit()
        self.search.setObjectName("standard-search")
        self.search.setAccessibleName("Search standards")
        self.search.setPlaceholderText("Search standards")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("standard-choices")
        self.list.setAccessibleName("Standards")
        for n, s in enumerate(standards, start=1):
            item = QListWidgetItem(f"{n}. {s.title}")
            item.setData(ID_ROLE, s.id)
            item.setData(SEARCH_ROLE, f"{s.title} {s.statement}".casefold())
            self.list.addItem(item)
        if standards:
            self.list.setCurrentRow(0)
        self.buttons = dialog_buttons(self, "Link")
        self.link_button: QAbstractButton = next(
            b for b in self.buttons.buttons() if b.text() == "Link"
        )
        self.link_button.setEnabled(bool(standards))
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                f"Link {what} to a draft standard as its sources: the standard can then be "
                "traced back to them in the framework."
                if standards
                else "This project has no standards yet. Add them in Project → Standards…"
            )
        )
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(self.filter)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self.resize(560, 420)

    def filter(self, text: str) -> None:
        words = text.casefold().split()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = not all(w in str(item.data(SEARCH_ROLE)) for w in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = i
        current = self.list.currentItem()
        if first is not None and (current is None or current.isHidden()):
            self.list.setCurrentRow(first)

    def choice(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return str(item.data(ID_ROLE))


def link_to_standard(
    parent: QWidget,
    project: OpenProject,
    perform: Callable[..., Any],
    errors: Callable[[str, str], None],
    theme_ids: Sequence[str],
    note_ids: Sequence[str],
) -> Op[Links] | None:
    """Ask which standard, then link the themes and notes to it as its sources (one undo
    step through `perform`: `Actions.perform` or a view's wrapper of it); the `Op`, or
    None when nothing was chosen."""
    themes, notes = list(theme_ids), list(note_ids)
    if not themes and not notes:
        return None
    parts = [plural(len(themes), "theme")] if themes else []
    if notes:
        parts.append(plural(len(notes), "note"))
    what = " and ".join(parts)
    try:
        listed = standards.list_standards(project)
    except USER_ERRORS as exc:
        errors("Could not list the standards", message_for(exc))
        return None
    dialog = StandardChooser(listed, what, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = dialog.choice()
    finally:
        dialog.deleteLater()
    if chosen is None:
        return None
    title = next((s.title for s in listed if s.id == chosen), "the standard")
    links: Op[Links] = perform(
        f"Link {what} to “{title[:60]}”",
        lambda: standards.link_sources(project, chosen, themes, notes),
        lambda added: standards.unlink_sources(project, chosen, added.theme_ids, added.note_ids),
        redo=lambda added: standards.restore_links(project, added),
    )
    return links
