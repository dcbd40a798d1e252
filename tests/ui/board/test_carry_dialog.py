"""“Bring in priorities…” (ui/board/carry_dialog.py) and the theme board's carry and “Link to
standard…” actions: real widgets offscreen, real project files and services."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from tests.services.test_carry import _session, _vote
from tests.ui.conftest import make_actions, settle, wait_for_actions, with_dialog
from workshop_app.core.model import GroupKind
from workshop_app.services import board, carry, groups, moderation, sessions, suggestions
from workshop_app.services import standards as standard_service
from workshop_app.services.project import OpenProject, update_settings
from workshop_app.services.standards import StandardFields
from workshop_app.ui.board.carry_dialog import CarryDialog
from workshop_app.ui.board.theme_board import ThemeBoard
from workshop_app.ui.bridge import Bridge
from workshop_app.ui.common.source_picker import StandardChooser

FIRST_GROUP_COLUMN = 5


@dataclass
class Rig:
    board: ThemeBoard
    stack: QUndoStack
    errors: list[tuple[str, str]]
    a: str
    b: str
    apps: str
    police: str
    notes: list[str]

    @property
    def p(self) -> OpenProject:
        return self.board.project

    def names(self) -> list[str]:
        return [t.name for t in board.board(self.p, self.b).themes]

    def sync(self) -> None:
        settle()
        self.board.refresh_now()

    def undo(self) -> None:
        self.stack.undo()
        wait_for_actions()
        self.sync()

    def redo(self) -> None:
        self.stack.redo()
        wait_for_actions()
        self.sync()


@pytest.fixture
def rig(qtbot, project: OpenProject, tmp_path: Path, refresher) -> Iterator[Rig]:
    """Session A (children and parents, themes “Apps” and “Police”, a dot vote), and the
    board of session B, a month later."""
    p = project
    child = next(g.id for g in groups.list_groups(p) if g.kind is GroupKind.CHILD)
    parent = next(g.id for g in groups.list_groups(p) if g.kind is GroupKind.PARENT)
    a = _session(p, "Session A", date(2026, 3, 1), (child, parent))
    brainstorm = sessions.list_activities(p, a)[0].id
    notes = [
        moderation.capture_paper_note(p, brainstorm, text, group).id
        for text, group in (
            ("my parents don't get the apps", child),
            ("apps should be safer", child),
            ("the police never call back", parent),
        )
    ]
    apps = board.create_theme(p, a, "Apps", "Sky", notes[:2]).theme_ids[0]
    police = board.create_theme(p, a, "Police", "Coral", notes[2:]).theme_ids[0]
    _vote(p, a, [(child, {apps: 2, police: 1}), (child, {apps: 1}), (parent, {police: 3})])
    b = _session(p, "Session B", date(2026, 4, 1), (child, parent))
    b_brainstorm = sessions.list_activities(p, b)[0].id
    b_notes = [
        moderation.capture_paper_note(p, b_brainstorm, text, parent).id
        for text in ("more on apps", "<b>not bold</b>")
    ]
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    engine = suggestions.ThemeEngine(suggestions.ThemeModel(tmp_path / "no-model-here"))
    view = ThemeBoard(p, make_actions(stack, lambda t, m: errors.append((t, m))), refresher, engine)
    qtbot.addWidget(view)
    bridge = Bridge(p.bus)
    bridge.changed.connect(view.on_changed)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.show_session(b)
    r = Rig(view, stack, errors, a, b, apps, police, b_notes)
    yield r
    view.shutdown()
    bridge.detach()
    refresher.stop()
    settle()


def _bring_in(rig: Rig, ids: list[str], *, combine: bool = False, name: str = "") -> None:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, CarryDialog)
        dialog.check(ids)
        if combine:
            dialog.combine.setChecked(True)
            if name:
                dialog.name.setText(name)
        dialog.accept()

    with_dialog(rig.board.bring_in_action.trigger, fill)
    rig.sync()


# ---------------------------------------------------------------- the dialog


def test_the_dialog_compares_the_groups_side_by_side(rig: Rig) -> None:
    update_settings(rig.p, min_cell_size=1)  # these groups are tiny: show them all
    pr = carry.priorities(rig.p, rig.b)
    dialog = CarryDialog(pr, "Session B")
    t = dialog.table
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert headers == [
        "Theme",
        "Session",
        "Place",
        "Dots",
        "Voters",
        "Children 8–12",
        "Parents and carers",
        "Came from",
        "Brought in",
    ]
    rows = {t.item(r, 0).text(): [t.item(r, c).text() for c in range(1, 9)] for r in range(2)}
    assert rows == {
        "Police": ["01 Mar 2026 · Session A", "1", "4", "2", "1", "3", "Parents and carers", ""],
        "Apps": ["01 Mar 2026 · Session A", "2", "3", "2", "3", "", "Children 8–12", ""],
    }
    dialog.as_share.setChecked(True)  # children gave 4 dots, parents 3
    shares = {t.item(r, 0).text(): (t.item(r, 5).text(), t.item(r, 6).text()) for r in range(2)}
    assert shares == {"Police": ("25%", "100%"), "Apps": ("75%", "")}
    assert not dialog.bring_button.isEnabled() and dialog.count.text() == "Nothing ticked yet."
    dialog.check([rig.apps])
    assert dialog.bring_button.isEnabled() and dialog.count.text() == "1 theme will come in."
    dialog.deleteLater()


def test_a_group_with_fewer_voters_than_the_smallest_shown_reads_fewer_than_n(rig: Rig) -> None:
    # two children and one parent voted: below the default of 5, neither group's dots
    # or shares are shown, or the room would know what each of them chose
    pr = carry.priorities(rig.p, rig.b)
    assert pr.min_cell == 5
    dialog = CarryDialog(pr, "Session B")
    t = dialog.table
    for as_share in (False, True):
        dialog.as_share.setChecked(as_share)
        cells = {t.item(r, 0).text(): (t.item(r, 5).text(), t.item(r, 6).text()) for r in range(2)}
        assert cells == {
            "Police": ("fewer than 5", "fewer than 5"),
            "Apps": ("fewer than 5", "fewer than 5"),
        }
    assert t.item(0, 3).text() in ("4", "3"), "the overall dots are still shown"
    update_settings(rig.p, min_cell_size=2)  # the two children may be shown, the parent not
    pr = carry.priorities(rig.p, rig.b)
    kinds = {g.kind: g.id for g in groups.list_groups(rig.p)}
    police = pr.items[0]
    assert not pr.withheld(police, kinds[GroupKind.CHILD])
    assert pr.withheld(police, kinds[GroupKind.PARENT])
    dialog.deleteLater()


def test_the_table_sorts_by_number_and_filters_by_session(rig: Rig) -> None:
    later = _session(rig.p, "Session C", date(2026, 5, 1), ())
    board.create_theme(rig.p, rig.b, "Only in B")
    dialog = CarryDialog(carry.priorities(rig.p, later), "Session C")
    t = dialog.table
    assert t.rowCount() == 3
    t.sortItems(3, Qt.SortOrder.AscendingOrder)  # dots: 0, 3, 4
    assert [t.item(r, 3).text() for r in range(3)] == ["0", "3", "4"]
    dialog.session_filter.setCurrentIndex(2)  # Session B only
    shown = [t.item(r, 0).text() for r in range(3) if not t.isRowHidden(r)]
    assert shown == ["Only in B"]
    dialog.deleteLater()


def test_a_first_session_has_nothing_to_bring_in_and_says_so(rig: Rig) -> None:
    dialog = CarryDialog(carry.priorities(rig.p, rig.a), "Session A")
    assert dialog.table.rowCount() == 0
    assert "no earlier sessions" in dialog.empty.text() and dialog.empty.isVisibleTo(dialog)
    assert not dialog.bring_button.isEnabled()
    dialog.deleteLater()


# ---------------------------------------------------------------- on the board


def test_bring_in_from_the_board_is_one_undo_step(rig: Rig) -> None:
    assert rig.board.bring_in_action.isEnabled()
    _bring_in(rig, [rig.apps, rig.police])
    assert rig.names() == ["Police", "Apps"]  # in the table's order: most dots first
    assert rig.stack.count() == 1 and rig.stack.undoText() == "Bring in 2 priorities"
    shown = {
        a.theme_id
        for a in [rig.board.theme_item(t.id) for t in board.board(rig.p, rig.b).themes]
        if a
    }
    assert len(shown) == 2
    rig.undo()
    assert rig.names() == []
    rig.redo()
    assert rig.names() == ["Police", "Apps"]


def test_bring_in_combined_under_one_name(rig: Rig) -> None:
    _bring_in(rig, [rig.apps, rig.police], combine=True, name="Apps and police")
    assert rig.names() == ["Apps and police"]
    assert rig.stack.undoText() == "Bring in 2 priorities as one theme"
    theme = board.board(rig.p, rig.b).themes[0]
    assert carry.origins(rig.p, theme.id).groups == ("Children 8–12", "Parents and carers")


def test_a_theme_brought_in_says_where_it_came_from(rig: Rig) -> None:
    _bring_in(rig, [rig.police])
    theme = board.board(rig.p, rig.b).themes[0]
    area = rig.board.theme_item(theme.id)
    assert area is not None
    rig.board.set_current(area)
    assert rig.board.status.text() == (
        "Theme “Police”, 0 notes; brought in from Session A (Parents and carers)"
    )
    assert rig.board.status.textFormat() == Qt.TextFormat.PlainText
    again = CarryDialog(carry.priorities(rig.p, rig.b), "Session B")
    row = next(r for r in range(2) if again.table.item(r, 0).text() == "Police")
    assert again.table.item(row, 8).text() == "Yes"
    again.check([rig.police])
    assert "been brought in already" in again.count.text()
    again.deleteLater()


def test_a_theme_that_was_not_brought_in_shows_no_origin(rig: Rig) -> None:
    made = board.create_theme(rig.p, rig.b, "Local", "", rig.notes[:1]).theme_ids[0]
    rig.sync()
    area = rig.board.theme_item(made)
    assert area is not None
    rig.board.set_current(area)
    assert rig.board.status.text() == "Theme “Local”, 1 note"


# ---------------------------------------------------------------- link to standard


def test_link_chosen_notes_and_themes_to_a_standard_with_undo(rig: Rig) -> None:
    s = standard_service.create_standard(rig.p, StandardFields("Quick help", "Help comes fast."))
    other = standard_service.create_standard(rig.p, StandardFields("Other", "Something else."))
    theme = board.create_theme(rig.p, rig.b, "Apps here", "", rig.notes[:1]).theme_ids[0]
    rig.sync()
    assert not rig.board.link_action.isEnabled()
    rig.board.select_notes([rig.notes[1]])
    area = rig.board.theme_item(theme)
    assert area is not None
    area.setSelected(True)
    assert rig.board.link_action.isEnabled()

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, StandardChooser)
        assert dialog.list.count() == 2
        dialog.search.setText("quick")
        assert dialog.list.item(1).isHidden() and dialog.choice() == s.id
        dialog.accept()

    with_dialog(rig.board.link_action.trigger, fill)
    src = standard_service.sources(rig.p, s.id)
    assert [t.id for t in src.themes] == [theme]
    assert [n.text for n in src.notes] == ["<b>not bold</b>"]
    assert standard_service.sources(rig.p, other.id).empty
    assert rig.stack.undoText() == "Link 1 theme and 1 note to “Quick help”"
    rig.undo()
    assert standard_service.sources(rig.p, s.id).empty
    rig.redo()
    assert standard_service.sources(rig.p, s.id) == src


def test_the_link_key_opens_the_chooser_and_without_standards_it_says_where_to_add_them(
    rig: Rig,
) -> None:
    rig.board.select_notes(rig.notes[:1])
    rig.board.view.setFocus()

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, StandardChooser)
        assert not dialog.link_button.isEnabled()
        labels = [w.text() for w in dialog.findChildren(type(rig.board.status))]
        assert any("no standards yet" in text for text in labels)
        dialog.reject()

    with_dialog(lambda: QTest.keyClick(rig.board.view, Qt.Key.Key_K), fill)
    assert rig.stack.count() == 0


def test_names_are_shown_as_typed(rig: Rig) -> None:
    board.rename_theme(rig.p, rig.a, rig.apps, "<b>Apps</b>")
    dialog = CarryDialog(carry.priorities(rig.p, rig.b), "Session B")
    names = {dialog.table.item(r, 0).text() for r in range(2)}
    assert "<b>Apps</b>" in names
    dialog.deleteLater()
