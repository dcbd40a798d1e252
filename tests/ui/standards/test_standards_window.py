"""The standards window (ui/standards/standards_window.py, ui/standards/standard_editor.py,
ui/common/source_picker.py): real widgets offscreen, a copy of the demo project, the real
services and undo stack."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget

from tests.ui.conftest import make_actions, wait_for_actions, with_dialog
from workshop_app.core.model import ActivityKind, Audience, Measure, MeasureType, StandardLevel
from workshop_app.services import moderation, sessions
from workshop_app.services import standards as svc
from workshop_app.services.demo import write_demo
from workshop_app.services.project import OpenProject, open_project
from workshop_app.services.standards import StandardFields
from workshop_app.ui.bridge import Bridge
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.source_picker import SourcePickerDialog
from workshop_app.ui.standards.standards_window import NewStandardDialog, StandardsWindow


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.cground"
    write_demo(path)
    return path


@dataclass
class Rig:
    window: StandardsWindow
    stack: QUndoStack
    errors: list[tuple[str, str]]

    @property
    def p(self) -> OpenProject:
        return self.window.project

    @property
    def editor(self):  # type: ignore[no-untyped-def]
        return self.window.editor

    def sync(self) -> None:
        wait_for_actions()
        for _ in range(3):
            QApplication.processEvents()
        self.window.refresh_now()

    def current(self):  # type: ignore[no-untyped-def]
        wait_for_actions()  # what is stored once the actions on their way are done
        sid = self.window.current_id()
        assert sid is not None
        return svc.get_standard(self.p, sid)

    def type_into(self, widget: QWidget, text: str) -> None:
        widget.setFocus()
        QTest.keyClicks(widget, text)
        wait_for_actions()


@pytest.fixture
def rig(qtbot, demo_file: Path, tmp_path: Path, refresher: Refresher) -> Iterator[Rig]:
    path = tmp_path / "demo.cground"
    shutil.copy(demo_file, path)
    p = open_project(path)
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    window = StandardsWindow(p, make_actions(stack, lambda t, m: errors.append((t, m))), refresher)
    bridge = Bridge(p.bus)
    bridge.changed.connect(window.on_changed)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    r = Rig(window, stack, errors)
    r.sync()
    yield r
    bridge.detach()
    window.close()
    refresher.stop()
    p.close()


# ---------------------------------------------------------------- showing


def test_the_list_and_the_editor_show_the_demo_standards(rig: Rig) -> None:
    w, e = rig.window, rig.editor
    titles = [s.title for s in svc.list_standards(rig.p)]
    assert [w.list.item(i).text().split("\n")[0] for i in range(w.list.count())] == [
        f"{n}. {t}" for n, t in enumerate(titles, start=1)
    ]
    assert "expected · version 1" in w.list.item(0).text()
    first = svc.list_standards(rig.p)[0]
    assert e.title.text() == first.title
    assert e.statement.toPlainText() == first.statement
    assert e.measures.rowCount() == len(first.measures)
    assert e.measures.item(0, 1).text() == first.measures[0].description
    assert e.audiences[Audience.POLICE].toPlainText() == first.audiences.get(Audience.POLICE, "")
    assert e.definitions.rowCount() == len(first.definitions)
    assert w.summary.text() == "6 standards"
    assert not w.up_button.isEnabled() and w.down_button.isEnabled()


def test_sources_show_each_theme_with_session_groups_and_notes(rig: Rig) -> None:
    e = rig.editor
    src = svc.sources(rig.p, rig.window.current_id() or "")
    top = [e.sources.topLevelItem(i) for i in range(e.sources.topLevelItemCount())]
    assert len(top) == len(src.themes) + len(src.notes)
    first = src.themes[0]
    assert top[0].text(0).startswith(f"Theme: {first.name} · {len(first.notes)} notes")
    assert top[0].text(1) == f"12 Sep 2026 · {first.session_title}"
    assert top[0].text(2) == ", ".join(first.group_names)
    assert [top[0].child(i).text(0) for i in range(top[0].childCount())] == list(first.note_texts)
    assert e.sources_note.text() == (
        f"{len(src.themes)} themes from {len(src.session_titles)} sessions: "
        f"{', '.join(src.group_names)}."
    )


def test_the_version_history_shows_every_version_newest_first(rig: Rig) -> None:
    e = rig.editor
    assert e.versions.toPlainText().startswith("Version 1 (current)")
    e.statement.setPlainText("Every child can name two trusted adults.")
    e.flush()
    rig.sync()
    text = e.versions.toPlainText()
    assert text.startswith("Version 2 (current)")
    assert text.index("Every child can name two trusted adults.") < text.index("Version 1 ·")


# ---------------------------------------------------------------- editing


def test_an_edit_is_committed_after_typing_stops_as_one_undo_step(rig: Rig, qtbot) -> None:
    e = rig.editor
    before = rig.current()
    rig.type_into(e.title, " now")
    assert rig.current().title == before.title  # not yet: typing goes on
    qtbot.waitUntil(lambda: rig.current().title == before.title + " now", timeout=3000)
    assert rig.stack.count() == 1
    assert rig.stack.undoText().startswith("Edit standard")
    rig.window.undo()
    assert rig.current() == before
    rig.sync()
    assert e.title.text() == before.title
    rig.window.redo()
    assert rig.current().title == before.title + " now"


def test_undo_commits_what_is_being_typed_first_and_undoes_it(rig: Rig) -> None:
    e = rig.editor
    before = rig.current()
    e.rationale.setFocus()
    e.rationale.setPlainText("Typed and undone at once.")
    assert e.has_pending_edit
    rig.window.undo()
    assert rig.current() == before and rig.stack.canRedo()
    rig.sync()
    assert e.rationale.toPlainText() == before.rationale


def test_a_refused_edit_says_why_and_is_kept_until_put_right(rig: Rig) -> None:
    e, w = rig.editor, rig.window
    before = rig.current()
    e.statement.setPlainText("   ")
    e.flush()
    assert e.error.isVisibleTo(w) and "statement cannot be empty" in e.error.text()
    assert rig.current() == before and rig.stack.count() == 0
    svc.move_standard(rig.p, svc.list_standards(rig.p)[5].id, 4)  # a change elsewhere
    rig.sync()
    assert e.statement.toPlainText() == "   "  # what is typed is not overwritten
    e.statement.setPlainText("A statement again.")
    e.flush()
    assert not e.error.isVisibleTo(w) and rig.current().statement == "A statement again."


def test_the_child_wording_is_shown_edited_and_undone_without_a_new_version(
    rig: Rig, qtbot
) -> None:
    e = rig.editor
    before = rig.current()
    assert before.child_wording and e.child_wording.toPlainText() == before.child_wording
    assert e.child_wording.accessibleName() == "Child wording"
    assert "Child wording (shown to children's groups)" in {
        label.text() for label in e.findChildren(QLabel)
    }
    e.child_wording.clear()
    rig.type_into(e.child_wording, "You know a grown-up you can tell.")
    qtbot.waitUntil(
        lambda: rig.current().child_wording == "You know a grown-up you can tell.", timeout=3000
    )
    assert rig.current().version == before.version  # the wording for children: no version
    assert rig.stack.count() == 1
    rig.window.undo()
    assert rig.current() == before
    rig.sync()
    assert e.child_wording.toPlainText() == before.child_wording


def test_external_references_are_typed_one_per_line_and_undone(rig: Rig, qtbot) -> None:
    e = rig.editor
    before = rig.current()
    assert e.references.accessibleName() == "External references"
    assert "External guidance and evidence" in {label.text() for label in e.findChildren(QLabel)}
    e.references.clear()
    rig.type_into(e.references, "NICE NG76 (2017)")
    QTest.keyClick(e.references, Qt.Key.Key_Return)
    wait_for_actions()
    QTest.keyClick(e.references, Qt.Key.Key_Return)  # an empty line is no reference
    rig.type_into(e.references, "Working Together (2023)")
    qtbot.waitUntil(
        lambda: rig.current().references == ("NICE NG76 (2017)", "Working Together (2023)"),
        timeout=3000,
    )
    assert rig.current().version == before.version
    rig.window.undo()
    assert rig.current() == before
    rig.sync()
    assert e.references.toPlainText() == "\n".join(before.references)


def test_level_measures_audiences_and_definitions_are_edited_in_place(rig: Rig) -> None:
    e = rig.editor
    before = rig.current()
    e.level.setCurrentIndex(e.level.findData(StandardLevel.DEVELOPMENTAL.value))
    assert rig.current().level is StandardLevel.DEVELOPMENTAL
    assert "Developmental" in e.level_hint.text()

    e.add_measure()
    row = e.measures.rowCount() - 1
    e.measures.item(row, 1).setText("Schools with a named online safety lead")
    kind = e.measures.cellWidget(row, 0)
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findData(MeasureType.STRUCTURE.value))
    e.measures.item(row, 4).setText("School audit")
    e.flush()
    assert rig.current().measures[-1] == Measure(
        MeasureType.STRUCTURE, "Schools with a named online safety lead", data_source="School audit"
    )

    e.audiences[Audience.HEALTH].setPlainText("GPs ask who the child would tell.")
    e.flush()
    assert rig.current().audiences[Audience.HEALTH] == "GPs ask who the child would tell."

    e.add_definition()
    row = e.definitions.rowCount() - 1
    e.definitions.item(row, 0).setText("Online harm")
    e.flush()
    assert "Give the meaning of “Online harm”" in e.error.text()
    e.definitions.item(row, 1).setText("Harm that starts or happens online.")
    e.flush()
    assert rig.current().definitions["Online harm"] == "Harm that starts or happens online."
    e.definitions.item(0, 0).setText("online HARM")
    e.flush()
    assert "defined twice" in e.error.text()
    e.definitions.item(0, 0).setText(next(iter(before.definitions)))
    e.flush()

    e.measures.setCurrentCell(0, 1)
    e.remove_measure()
    assert len(rig.current().measures) == len(before.measures)
    steps = rig.stack.count()
    assert steps == 5  # the term put back as it was is no change
    for _ in range(steps):
        rig.window.undo()
    assert rig.current() == before
    rig.sync()
    assert e.measures.rowCount() == len(before.measures)


def test_an_empty_row_just_added_is_not_stored_and_stays_while_editing(rig: Rig) -> None:
    e = rig.editor
    rows = e.measures.rowCount()
    e.add_measure()
    e.flush()
    assert rig.stack.count() == 0
    svc.move_standard(rig.p, svc.list_standards(rig.p)[5].id, 4)
    rig.sync()
    assert e.measures.rowCount() == rows + 1


# ---------------------------------------------------------------- the list


def test_new_standard_asks_for_title_and_statement_and_undo_removes_it(rig: Rig) -> None:
    w = rig.window

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, NewStandardDialog)
        dialog.title.setText("Quick help")
        dialog.accept()  # no statement yet: refused, the dialog stays
        assert "statement cannot be empty" in dialog.error.text() and dialog.isVisible()
        dialog.statement.setPlainText("Children get help within a day.")
        dialog.level.setCurrentIndex(1)
        dialog.accept()

    with_dialog(w.new_standard, fill)
    rig.sync()
    added = rig.current()
    assert (added.title, added.level, added.version) == (
        "Quick help",
        StandardLevel.DEVELOPMENTAL,
        1,
    )
    assert w.list.currentRow() == 6 and w.summary.text() == "7 standards"
    w.undo()
    wait_for_actions()
    assert len(svc.list_standards(rig.p)) == 6
    w.redo()
    wait_for_actions()
    assert svc.list_standards(rig.p)[-1].id == added.id


def test_delete_moves_and_their_undo(rig: Rig) -> None:
    w = rig.window
    ids = [s.id for s in svc.list_standards(rig.p)]
    w.select_standard(ids[2])
    w.move_standard(-1)
    wait_for_actions()
    assert [s.id for s in svc.list_standards(rig.p)][:3] == [ids[0], ids[2], ids[1]]
    assert w.current_id() == ids[2] and w.list.currentRow() == 1
    w.move_standard(1)
    wait_for_actions()
    assert [s.id for s in svc.list_standards(rig.p)] == ids
    w.delete_standard()
    wait_for_actions()
    assert ids[2] not in [s.id for s in svc.list_standards(rig.p)]
    assert w.list.count() == 5
    for _ in range(3):
        w.undo()
        wait_for_actions()
    assert [s.id for s in svc.list_standards(rig.p)] == ids
    w.select_standard(ids[5])
    assert w.up_button.isEnabled() and not w.down_button.isEnabled()


def test_delete_key_on_the_list_deletes_the_chosen_standard(rig: Rig) -> None:
    w = rig.window
    first = w.current_id()
    w.list.setFocus()
    QTest.keyClick(w.list, Qt.Key.Key_Delete)
    wait_for_actions()
    assert first not in [s.id for s in svc.list_standards(rig.p)]
    assert rig.stack.undoText().startswith("Delete standard")


def test_a_project_without_standards_says_what_to_do(
    qtbot, project: OpenProject, refresher: Refresher
) -> None:
    window = StandardsWindow(project, make_actions(QUndoStack(), lambda t, m: None), refresher)
    qtbot.addWidget(window)
    window.show()
    assert window.empty.isVisibleTo(window) and not window.editor.isVisibleTo(window)
    assert "no standards yet" in window.empty.text()
    assert not window.delete_button.isEnabled()


# ---------------------------------------------------------------- sources


def test_add_sources_through_the_searchable_picker_and_undo(rig: Rig) -> None:
    w = rig.window
    sid = w.current_id() or ""
    before = svc.sources(rig.p, sid)
    choices = svc.source_choices(rig.p)
    theme = next(t for t in choices.themes if t.id not in {x.id for x in before.themes})
    note = choices.notes[0]

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, SourcePickerDialog)
        assert not dialog.add_button.isEnabled()
        linked = [i for i in dialog.items() if "(linked already)" in i.text(0)]
        assert len(linked) == len(before.themes)
        dialog.search.setText(theme.name.split()[0])
        shown = [i for i in dialog.items() if not i.isHidden()]
        assert shown and all(theme.name.split()[0].casefold() in i.data(0, 258) for i in shown)
        dialog.search.setText("")
        dialog.check([theme.id, note.id])
        assert dialog.count.text() == "1 theme and 1 note ticked."
        dialog.accept()

    with_dialog(w.add_sources, fill)
    rig.sync()
    src = svc.sources(rig.p, sid)
    assert theme.id in {t.id for t in src.themes} and [n.id for n in src.notes] == [note.id]
    tree = rig.editor.sources
    texts = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert f"Note: {note.text}" in texts
    w.undo()
    wait_for_actions()
    assert svc.sources(rig.p, sid) == before
    w.redo()
    wait_for_actions()
    assert svc.sources(rig.p, sid) == src


def test_remove_a_source_and_undo(rig: Rig) -> None:
    w, tree = rig.window, rig.editor.sources
    sid = w.current_id() or ""
    before = svc.sources(rig.p, sid)
    assert not rig.editor.remove_sources_button.isEnabled()
    tree.topLevelItem(0).setSelected(True)
    assert rig.editor.remove_sources_button.isEnabled()
    rig.editor.remove_sources_button.click()
    rig.sync()
    assert [t.id for t in svc.sources(rig.p, sid).themes] == [t.id for t in before.themes[1:]]
    w.undo()
    wait_for_actions()
    assert svc.sources(rig.p, sid) == before


# ---------------------------------------------------------------- plain text


def test_participant_and_facilitator_text_is_shown_as_typed(rig: Rig) -> None:
    w = rig.window
    made = w.add_standard(
        StandardFields("<b>Bold</b> title", "Use <i>all</i> &amp; more", "<a href='x'>link</a>")
    )
    assert made is not None
    rig.sync()
    assert w.list.currentItem().text().startswith("7. <b>Bold</b> title")
    assert rig.editor.title.text() == "<b>Bold</b> title"
    assert rig.editor.statement.toPlainText() == "Use <i>all</i> &amp; more"
    assert "<a href='x'>link</a>" in rig.editor.versions.toPlainText()
    assert rig.editor.error.textFormat() == Qt.TextFormat.PlainText
    assert w.summary.textFormat() == Qt.TextFormat.PlainText


def test_changes_elsewhere_keep_the_chosen_source_and_the_list_in_place(rig: Rig) -> None:
    tree, w = rig.editor.sources, rig.window
    tree.topLevelItem(1).setSelected(True)
    tree.topLevelItem(1).setExpanded(True)
    first_item = w.list.item(0)
    brainstorm = next(
        a.id
        for s in sessions.list_sessions(rig.p)
        for a in sessions.list_activities(rig.p, s.id)
        if a.kind is ActivityKind.BRAINSTORM
    )
    moderation.capture_paper_note(rig.p, brainstorm, "a note arrives meanwhile")
    rig.sync()
    assert w.list.item(0) is first_item  # not rebuilt
    assert tree.topLevelItem(1).isSelected() and tree.topLevelItem(1).isExpanded()
    assert rig.editor.remove_sources_button.isEnabled()


def test_measure_rows_grow_to_show_their_whole_wording(rig: Rig) -> None:
    from PySide6.QtGui import QFontMetrics

    e = rig.editor
    e.measures.resize(700, 400)
    e.measures.horizontalHeader().resizeSection(1, 120)  # a narrow "what is counted" column
    line = QFontMetrics(e.measures.font()).height()
    longest = max(range(e.measures.rowCount()), key=lambda r: len(e.measures.item(r, 1).text()))
    assert len(e.measures.item(longest, 1).text()) > 40, "the demo's measures are sentences"
    assert e.measures.rowHeight(longest) > 4 * line, "wrapped over several lines, not cut off"
