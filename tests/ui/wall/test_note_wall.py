"""The facilitator's note wall: real project files, real services, notes sent through the
participation service as a phone sends them, events through the real bridge."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QSignalSpy, QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from tests.ui.conftest import make_actions, settle, wait_for_actions, with_dialog
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivityState,
    GroupKind,
    ModerationMode,
    Note,
    NoteSource,
    NoteStatus,
    Participant,
    Session,
    StakeholderGroup,
)
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import groups, live, moderation, sessions
from workshop_app.services import participation as phones
from workshop_app.services.plans import load_plan
from workshop_app.services.project import OpenProject
from workshop_app.services.projection import projector_view
from workshop_app.services.sessions import SessionDetails
from workshop_app.themes import ThemeEngine
from workshop_app.ui.bridge import Bridge
from workshop_app.ui.wall.note_dialogs import (
    DuplicateDialog,
    FixTypoDialog,
    FlagDialog,
    HistoryDialog,
)
from workshop_app.ui.wall.note_model import CARD_ROLE, NOTE_ROLE, Show
from workshop_app.ui.wall.note_wall import NoteWall

_keys = itertools.count()


@dataclass
class Room:
    project: OpenProject
    session: Session
    brainstorms: list[Activity]
    group: StakeholderGroup
    who: Participant
    wall: NoteWall
    stack: QUndoStack
    errors: list[tuple[str, str]] = field(default_factory=list)

    def post(self, text: str, activity: Activity | None = None) -> str:
        """A note sent from a phone: the id once the phone has its answer."""
        a = activity or self.brainstorms[0]
        key = f"note-key-{next(_keys):06d}"
        answer = phones.post_note(self.project, self.who.id, a.id, text, key).result()
        return answer.body["note"]["id"]

    def note(self, note_id: str) -> Note:
        wait_for_actions()  # what is stored once the actions on their way are done
        return next(
            n
            for a in self.brainstorms
            for n in moderation.list_wall(self.project, a.id)
            if n.id == note_id
        )

    def projected(self) -> tuple[str, ...]:
        wait_for_actions()
        return projector_view(self.project, self.session.id).notes

    def arrive(self, qtbot, count: int) -> None:
        """Wait until the wall lists `count` notes (its coalesced refresh has run)."""
        qtbot.waitUntil(lambda: self.wall.model.rowCount() == count, timeout=5000)


def _room(project, qtbot, refresher, mode: ModerationMode | None) -> Iterator[Room]:
    if mode is None:  # a children's session: approve first, as the plan says
        group = next(g for g in groups.list_groups(project) if g.kind is GroupKind.CHILD)
        plan = load_plan(shipped_plans_dir() / "prep-children-8-12.toml")
        details = SessionDetails("Club", group_ids=(group.id,))
    else:
        group = next(g for g in groups.list_groups(project) if g.kind is GroupKind.PARENT)
        plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
        details = SessionDetails("Evening", group_ids=(group.id,), moderation=mode)
    s = sessions.create_session(project, details, plan)
    live.go_live(project, s.id)
    brainstorms = [
        a for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.BRAINSTORM
    ]
    live.set_activity_state(project, brainstorms[0].id, ActivityState.OPEN)
    who = phones.join(project, s.id, group.id).result()
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    wall = NoteWall(
        project, make_actions(stack, lambda t, m: errors.append((t, m))), refresher, ThemeEngine()
    )
    qtbot.addWidget(wall)
    bridge = Bridge(project.bus)
    bridge.changed.connect(wall.on_changed)
    wall.resize(900, 700)
    wall.show()
    qtbot.waitExposed(wall)
    wall.show_session(s.id)
    yield Room(project, s, brainstorms, group, who, wall, stack, errors)
    wall.shutdown()
    bridge.detach()
    refresher.stop()
    settle()


@pytest.fixture
def room(project, qtbot, refresher) -> Iterator[Room]:
    """A live children's session (approve first), its first brainstorm open, one phone."""
    yield from _room(project, qtbot, refresher, None)


@pytest.fixture
def open_room(project, qtbot, refresher) -> Iterator[Room]:
    """A live parents' session that shows notes at once."""
    yield from _room(project, qtbot, refresher, ModerationMode.SHOW_AT_ONCE)


def _statuses(room: Room, ids: list[str]) -> list[NoteStatus]:
    return [room.note(i).status for i in ids]


# ---------------------------------------------------------------- arriving


def test_a_phone_note_waits_for_approval_and_stays_off_the_projector(room, qtbot):
    assert room.wall.model.rowCount() == 0
    assert "Approve first" in room.wall.mode.text()
    nid = room.post("strangers in games ask where I live")
    room.arrive(qtbot, 1)
    assert room.note(nid).status is NoteStatus.PENDING
    card = room.wall.model.index(0).data(Qt.ItemDataRole.DisplayRole)
    assert "Waiting for approval" in card and "phone" in card and room.group.name in card
    assert room.projected() == ()
    assert room.wall.counts.text().startswith("1 waiting · 0 shown")
    room.wall.select_notes([nid])
    room.wall.approve_selected()
    assert room.projected() == ("strangers in games ask where I live",)
    assert "Shown" in room.wall.model.index(0).data(Qt.ItemDataRole.DisplayRole)


def test_in_a_show_at_once_session_a_phone_note_is_shown_at_once(open_room, qtbot):
    room = open_room
    assert "Show at once" in room.wall.mode.text()
    assert not room.wall.approve_all_button.isVisible()
    nid = room.post("more evening sessions")
    room.arrive(qtbot, 1)
    assert room.note(nid).status is NoteStatus.SHOWN
    assert room.projected() == ("more evening sessions",)


def test_a_flood_of_notes_is_read_once_after_the_first_event(room, qtbot):
    inserted = QSignalSpy(room.wall.model.rowsInserted)
    for i in range(5):
        room.post(f"note {i}")
    settle()  # every event delivered: the wall has only started its timer
    assert room.wall.model.rowCount() == 0
    room.arrive(qtbot, 5)
    assert inserted.count() == 1, "five notes, one read, one inserted run"


def test_refresh_now_does_the_coalesced_refresh_at_once(room):
    room.post("one")
    room.post("two")
    settle()
    room.wall.refresh_now()
    assert room.wall.model.rowCount() == 2


def test_new_notes_scroll_into_view_only_when_the_wall_is_at_its_end(room, qtbot):
    for i in range(30):
        room.post(f"note {i}: " + "a few more words to wrap " * 6)
    room.arrive(qtbot, 30)
    bar = room.wall.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    settle()
    assert bar.value() == bar.maximum(), "the newest at the bottom, in view"
    room.post("while at the end")
    room.arrive(qtbot, 31)
    settle()
    assert bar.value() == bar.maximum()
    assert not room.wall.new_below.isVisible()
    room.wall.view.scrollToTop()
    room.post("while reading older notes")
    room.arrive(qtbot, 32)
    settle()
    assert bar.value() == 0, "reading older notes is not interrupted"
    assert room.wall.new_below.isVisible()
    assert room.wall.new_below.text() == "↓ 1 new note below"
    room.wall.new_below.click()
    settle()
    assert bar.value() == bar.maximum()
    assert not room.wall.new_below.isVisible()


def test_an_incremental_update_keeps_the_selection_and_never_resets(room, qtbot):
    first = room.post("first")
    second = room.post("second")
    room.arrive(qtbot, 2)
    room.wall.select_notes([first])
    resets = QSignalSpy(room.wall.model.modelReset)
    room.post("third")
    room.arrive(qtbot, 3)
    moderation.approve(room.project, second)  # a change to another note
    qtbot.waitUntil(lambda: room.wall.model.note(second).status is NoteStatus.SHOWN)
    assert room.wall.selected_ids() == [first]
    assert resets.count() == 0


def test_withdrawn_notes_disappear_from_the_wall(room, qtbot):
    keep = room.post("keep me")
    gone = room.post("take me back")
    room.arrive(qtbot, 2)
    room.wall.select_notes([keep])
    phones.withdraw_note(room.project, room.who.id, gone, "withdraw-key-1").result()
    room.arrive(qtbot, 1)
    assert room.wall.model.notes[0].id == keep
    assert room.wall.selected_ids() == [keep]


def test_participant_markup_is_shown_literally(room, qtbot):
    text = "<b>bold</b><img src=x>"
    nid = room.post(text)
    room.post("another")
    room.arrive(qtbot, 2)
    shown = room.wall.model.index(0).data(Qt.ItemDataRole.DisplayRole)
    assert shown.startswith(text + "\n")
    assert room.wall.model.index(0).data(Qt.ItemDataRole.AccessibleTextRole) == shown
    labels = room.wall.findChildren(QLabel)
    assert labels and all(lb.textFormat() == Qt.TextFormat.PlainText for lb in labels)
    room.wall.select_notes([nid])

    def read_history(dialog: QWidget) -> None:
        assert isinstance(dialog, HistoryDialog)
        assert text in dialog.text()
        dialog.reject()

    with_dialog(room.wall.show_history, read_history)
    other = next(n for n in room.wall.model.notes if n.id != nid)
    choices = DuplicateDialog(other, room.wall.model.notes, room.wall)
    assert choices.list.item(0).text().startswith(text)
    labels = choices.findChildren(QLabel)
    assert labels and all(lb.textFormat() == Qt.TextFormat.PlainText for lb in labels)
    choices.deleteLater()


def test_a_thousand_notes_build_the_wall(room, qtbot):
    people = [phones.join(room.project, room.session.id, room.group.id) for _ in range(25)]
    futures = [
        phones.post_note(
            room.project,
            who.result().id,
            room.brainstorms[0].id,
            f"idea {p}-{i}",
            f"bulk-{p:02d}-{i:03d}",
        )
        for p, who in enumerate(people)
        for i in range(40)
    ]
    for f in futures:
        f.result()
    settle()
    room.wall.refresh_now()
    assert room.wall.model.rowCount() == 1000
    assert room.wall.counts.text().startswith("1000 waiting")
    # The long wall is laid out in batches; once done, the newest note is in view.
    view = room.wall.view
    newest = view.model().index(view.model().rowCount() - 1, 0)

    def newest_in_view() -> bool:
        rect = view.visualRect(newest)
        return rect.isValid() and view.viewport().rect().contains(rect.center())

    qtbot.waitUntil(newest_in_view, timeout=5000)
    room.wall.set_show(Show.WAITING)
    room.wall.search.setText("idea 17-39")
    assert room.wall.proxy.rowCount() == 1


# ---------------------------------------------------------------- actions and undo


def test_approve_hide_unhide_and_back_to_waiting_each_undo_and_redo(room, qtbot):
    nid = room.post("a note")
    room.arrive(qtbot, 1)
    wall, stack = room.wall, room.stack
    steps = [
        (wall.approve_selected, NoteStatus.PENDING, NoteStatus.SHOWN),
        (wall.hide_selected, NoteStatus.SHOWN, NoteStatus.HIDDEN),
        (wall.unhide_selected, NoteStatus.HIDDEN, NoteStatus.SHOWN),
        (wall.back_to_waiting, NoteStatus.SHOWN, NoteStatus.PENDING),
    ]
    for act, before, after in steps:
        wall.select_notes([nid])
        act()
        assert room.note(nid).status is after
        stack.undo()
        wait_for_actions()
        assert room.note(nid).status is before
        stack.redo()
        wait_for_actions()
        assert room.note(nid).status is after
    assert stack.count() == 4
    assert room.errors == []


def test_hidden_notes_leave_the_projector_and_come_back_with_undo(open_room, qtbot):
    room = open_room
    nid = room.post("a hidden thought")
    room.arrive(qtbot, 1)
    room.wall.select_notes([nid])
    room.wall.hide_selected()
    assert room.projected() == ()
    card = room.wall.model.index(0).data(Qt.ItemDataRole.DisplayRole)
    assert "Hidden" in card
    room.stack.undo()
    wait_for_actions()
    assert room.projected() == ("a hidden thought",)


def test_approving_or_hiding_several_notes_is_one_undo_step(room, qtbot):
    ids = [room.post(f"n{i}") for i in range(3)]
    room.arrive(qtbot, 3)
    room.wall.select_notes(ids)
    assert room.wall.approve_action.text() == "Approve 3 notes"
    room.wall.approve_selected()
    wait_for_actions()
    assert room.stack.count() == 1 and room.stack.undoText() == "Approve 3 notes"
    assert _statuses(room, ids) == [NoteStatus.SHOWN] * 3
    room.stack.undo()
    wait_for_actions()
    assert _statuses(room, ids) == [NoteStatus.PENDING] * 3
    room.stack.redo()
    wait_for_actions()
    assert _statuses(room, ids) == [NoteStatus.SHOWN] * 3
    room.wall.select_notes(ids)
    room.wall.hide_selected()
    wait_for_actions()
    assert room.stack.count() == 2
    assert _statuses(room, ids) == [NoteStatus.HIDDEN] * 3
    room.stack.undo()
    wait_for_actions()
    assert _statuses(room, ids) == [NoteStatus.SHOWN] * 3


def test_approve_all_waiting_is_one_step_that_undoes_exactly(room, qtbot):
    waiting = [room.post(f"w{i}") for i in range(3)]
    hidden = room.post("hidden")
    moderation.hide(room.project, hidden)
    room.arrive(qtbot, 4)
    qtbot.waitUntil(lambda: room.wall.model.counts.hidden == 1)
    assert room.wall.approve_all_button.isEnabled()
    room.wall.approve_all_button.click()
    assert _statuses(room, waiting) == [NoteStatus.SHOWN] * 3
    assert room.note(hidden).status is NoteStatus.HIDDEN
    assert not room.wall.approve_all_button.isEnabled()
    room.stack.undo()
    wait_for_actions()
    assert _statuses(room, [*waiting, hidden]) == [NoteStatus.PENDING] * 3 + [NoteStatus.HIDDEN]
    room.stack.redo()
    wait_for_actions()
    assert _statuses(room, waiting) == [NoteStatus.SHOWN] * 3


def test_in_the_waiting_filter_approving_moves_on_to_the_next_note(room, qtbot):
    ids = [room.post(f"n{i}") for i in range(3)]
    room.arrive(qtbot, 3)
    room.wall.set_show(Show.WAITING)
    room.wall.select_notes([ids[0]])
    room.wall.approve_selected()
    wait_for_actions()
    assert room.wall.proxy.rowCount() == 2
    assert room.wall.selected_ids() == [ids[1]], "the next waiting note, ready for A again"


def test_fixing_a_typo_keeps_the_original_in_the_history(room, qtbot):
    nid = room.post("grown ups shoud listen")
    room.arrive(qtbot, 1)
    room.wall.select_notes([nid])

    def correct(dialog: QWidget) -> None:
        assert isinstance(dialog, FixTypoDialog)
        assert dialog.text() == "grown ups shoud listen"
        dialog.editor.setPlainText("grown ups should listen")
        dialog.accept()

    with_dialog(room.wall.fix_typo, correct)
    assert room.note(nid).text == "grown ups should listen"
    assert "Edited" in room.wall.model.index(0).data(Qt.ItemDataRole.DisplayRole)
    room.stack.undo()
    wait_for_actions()
    note = room.note(nid)
    assert note.text == "grown ups shoud listen"
    assert [e.new_text for e in moderation.history(room.project, nid)] == [
        "grown ups should listen",
        "grown ups shoud listen",
    ], "the undo is a step of its own in the history"
    room.stack.redo()
    wait_for_actions()
    assert room.note(nid).text == "grown ups should listen"
    assert note.original_text == "grown ups shoud listen"


def test_the_history_shows_the_original_and_every_edit_with_who(room, qtbot):
    nid = room.post("tel a trusted adult")
    phones.edit_note(room.project, room.who.id, nid, "tell a trusted adult", "edit-key-01").result()
    moderation.correct_text(room.project, nid, "Tell a trusted adult")
    room.arrive(qtbot, 1)
    qtbot.waitUntil(lambda: room.wall.model.notes[0].text == "Tell a trusted adult")
    room.wall.select_notes([nid])
    seen: list[str] = []

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, HistoryDialog)
        seen.append(dialog.text())
        dialog.reject()

    with_dialog(room.wall.show_history, read)
    (text,) = seen
    assert text.index("tel a trusted adult") < text.index("tell a trusted adult")
    assert text.index("tell a trusted adult") < text.index("Tell a trusted adult")
    assert "sent from a phone" in text
    assert "by its writer, on their phone" in text and "by the facilitator" in text


def test_marking_a_duplicate_keeps_it_off_the_projector_and_undoes(open_room, qtbot):
    room = open_room
    first = room.post("more buses at night")
    second = room.post("night buses please")
    room.arrive(qtbot, 2)
    room.wall.select_notes([second])

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, DuplicateDialog)
        dialog.choose(first)
        dialog.accept()

    with_dialog(room.wall.mark_duplicate, choose)
    assert room.note(second).duplicate_of == first
    assert room.projected() == ("more buses at night",), "not projected twice"
    card = room.wall.model.index(1).data(Qt.ItemDataRole.DisplayRole)
    assert "Same as “more buses at night”" in card
    room.stack.undo()
    wait_for_actions()
    assert room.note(second).duplicate_of is None
    assert room.projected() == ("more buses at night", "night buses please")
    room.stack.redo()
    wait_for_actions()
    assert room.note(second).duplicate_of == first
    room.wall.select_notes([second])
    room.wall.not_duplicate()
    assert room.note(second).duplicate_of is None
    room.stack.undo()
    wait_for_actions()
    assert room.note(second).duplicate_of == first
    room.stack.redo()
    wait_for_actions()
    assert room.note(second).duplicate_of is None


def test_marking_several_as_duplicates_points_them_at_the_oldest(room, qtbot):
    ids = [room.post(f"same idea {i}") for i in range(3)]
    room.arrive(qtbot, 3)
    room.wall.select_notes(list(reversed(ids)))
    assert room.wall.duplicate_action.text() == "Mark as duplicates (of the oldest)"
    room.wall.mark_duplicate()
    assert [room.note(i).duplicate_of for i in ids] == [None, ids[0], ids[0]]
    assert room.stack.count() == 1
    room.stack.undo()
    wait_for_actions()
    assert [room.note(i).duplicate_of for i in ids] == [None, None, None]
    room.stack.redo()
    wait_for_actions()
    assert [room.note(i).duplicate_of for i in ids] == [None, ids[0], ids[0]]


def test_a_flag_stays_on_the_console_and_its_removal_undoes(room, qtbot):
    nid = room.post("the chat in games is scary for kids")  # not held back on arrival
    room.arrive(qtbot, 1)
    room.wall.select_notes([nid])
    room.wall.approve_selected()

    def flag(dialog: QWidget) -> None:
        assert isinstance(dialog, FlagDialog)
        assert dialog.hide_too.isChecked(), "a shown note is offered off the projector"
        dialog.hide_too.setChecked(False)  # here the facilitator keeps it up
        dialog.follow_up.setText("Sam to check in at the break")
        dialog.accept()

    with_dialog(room.wall.flag_selected, flag)
    note = room.note(nid)
    assert note.flagged and note.flag_note == "Sam to check in at the break"
    assert note.status is NoteStatus.SHOWN
    card = room.wall.model.index(0).data(Qt.ItemDataRole.DisplayRole)
    assert "Flagged for safeguarding" in card and "Sam to check in" in card
    assert "Sam" not in repr(projector_view(room.project, room.session.id))
    assert room.wall.unflag_action.isEnabled()
    room.wall.remove_flag()
    assert not room.note(nid).flagged
    room.stack.undo()
    wait_for_actions()
    note = room.note(nid)
    assert note.flagged and note.flag_note == "Sam to check in at the break"
    room.stack.undo()  # the flag itself
    wait_for_actions()
    assert not room.note(nid).flagged
    room.stack.redo()
    wait_for_actions()
    assert room.note(nid).flag_note == "Sam to check in at the break"
    room.stack.redo()  # the removal again
    wait_for_actions()
    assert not room.note(nid).flagged
    room.stack.undo()
    wait_for_actions()
    assert room.note(nid).flagged
    qtbot.waitUntil(lambda: room.wall.model.counts.flagged == 1)
    room.wall.set_show(Show.FLAGGED)
    assert room.wall.proxy.rowCount() == 1


def test_keyboard_shortcuts_act_on_the_selected_notes(room, qtbot):
    ids = [room.post(f"n{i}") for i in range(2)]
    room.arrive(qtbot, 2)
    room.wall.activateWindow()
    qtbot.waitActive(room.wall)
    room.wall.view.setFocus()
    room.wall.select_notes(ids)
    qtbot.keyClick(room.wall.view, Qt.Key.Key_A)
    assert _statuses(room, ids) == [NoteStatus.SHOWN] * 2
    room.wall.select_notes([ids[1]])
    qtbot.keyClick(room.wall.view, Qt.Key.Key_H)
    assert _statuses(room, ids) == [NoteStatus.SHOWN, NoteStatus.HIDDEN]

    qtbot.keyClick(room.wall.view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert room.wall.capture_edit.hasFocus()
    qtbot.keyClick(room.wall.capture_edit, Qt.Key.Key_Escape)
    assert room.wall.view.hasFocus()

    def fix(dialog: QWidget) -> None:
        assert isinstance(dialog, FixTypoDialog)
        dialog.editor.setPlainText("n1, fixed")
        dialog.accept()

    with_dialog(lambda: qtbot.keyClick(room.wall.view, Qt.Key.Key_F2), fix)
    assert room.note(ids[1]).text == "n1, fixed"


def test_the_context_menu_offers_every_action(room, qtbot):
    room.post("one")
    room.arrive(qtbot, 1)
    menu = room.wall.context_menu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [
        "Approve",
        "Release to the screen…",
        "Hide",
        "Unhide",
        "Back to waiting",
        "Fix typo…",
        "History…",
        "Mark as duplicate of…",
        "Not a duplicate",
        "Flag for safeguarding follow-up…",
        "Remove flag",
    ]
    menu.deleteLater()


# ---------------------------------------------------------------- paper notes


def _choose_group(wall: NoteWall, group_id: str | None) -> None:
    index = wall.capture_group.findData(group_id)
    wall.capture_group.setCurrentIndex(index)
    wall.capture_group.activated.emit(index)


def test_paper_notes_are_typed_in_one_after_another_in_the_chosen_group(room, qtbot):
    wall = room.wall
    parents = next(g for g in groups.list_groups(room.project) if g.kind is GroupKind.PARENT)
    _choose_group(wall, parents.id)
    wall.activateWindow()
    qtbot.waitActive(wall)
    wall.start_capture()
    for text in ("more time to talk", "ask us first", "who do I call?"):
        qtbot.keyClicks(wall.capture_edit, text)
        qtbot.keyClick(wall.capture_edit, Qt.Key.Key_Return)
        assert wall.capture_edit.text() == "", "the field clears at once for the next note"
        assert wall.capture_edit.hasFocus()
    wait_for_actions()
    assert wall.capture_group.currentData() == parents.id, "the group is kept for the batch"
    assert wall.capture_count.text() == "3 paper notes typed in"
    notes = moderation.list_wall(room.project, room.brainstorms[0].id)
    assert [(n.text, n.source, n.group_id, n.status) for n in notes] == [
        (t, NoteSource.FACILITATOR, parents.id, NoteStatus.SHOWN)
        for t in ("more time to talk", "ask us first", "who do I call?")
    ]
    assert wall.model.rowCount() == 3
    assert "paper" in wall.model.index(0).data(Qt.ItemDataRole.DisplayRole)
    assert room.stack.count() == 3
    room.stack.undo()
    wait_for_actions()
    texts = [n.text for n in moderation.list_wall(room.project, room.brainstorms[0].id)]
    assert texts == ["more time to talk", "ask us first"]
    room.stack.redo()
    wait_for_actions()
    texts = [n.text for n in moderation.list_wall(room.project, room.brainstorms[0].id)]
    assert texts == ["more time to talk", "ask us first", "who do I call?"]


def test_an_empty_paper_note_is_refused_gently(room, qtbot):
    wall = room.wall
    wall.capture_edit.setText("   ")
    wall.capture()
    assert wall.capture_message.isVisibleTo(wall)
    assert "Type the note first" in wall.capture_message.text()
    assert moderation.list_wall(room.project, room.brainstorms[0].id) == []
    assert room.stack.count() == 0
    assert [w for w in QApplication.topLevelWidgets() if w.objectName() == "error-message"] == []


def test_a_refused_paper_note_keeps_what_was_typed(room, qtbot):
    wall = room.wall
    other = groups.add_group(room.project, "Foster carers", GroupKind.PARENT)
    settle()
    wall.refresh_now()
    _choose_group(wall, other.id)
    groups.remove_group(room.project, other.id)  # before the wall has heard of it
    wall.capture_edit.setText("we need respite")
    wall.capture()
    wait_for_actions()
    assert wall.capture_edit.text() == "we need respite", "the text comes back"
    assert "no longer exists" in wall.capture_message.text()
    assert room.stack.count() == 0
    settle()
    wall.refresh_now()
    assert wall.capture_group.currentData() is None, "a removed group falls back to none"


# ---------------------------------------------------------------- following the session


def test_the_wall_follows_the_live_activity_unless_another_is_picked(room, qtbot):
    first, second = room.brainstorms[:2]
    other = next(
        a
        for a in sessions.list_activities(room.project, room.session.id)
        if a.kind is not ActivityKind.BRAINSTORM
    )
    wall = room.wall
    assert wall.activity_id() == first.id, "the live activity to begin with"
    assert wall.chooser.count() == len(room.brainstorms)
    paper = moderation.capture_paper_note(room.project, second.id, "on the second")
    live.set_activity_state(room.project, second.id, ActivityState.OPEN)
    wall.follow_activity(second.id)
    assert wall.activity_id() == second.id
    assert [n.id for n in wall.model.notes] == [paper.id]
    qtbot.waitUntil(lambda: "on phones now" in wall.chooser.currentText())

    wall.choose_activity(first.id)  # the facilitator looks back at the first brainstorm
    live.show_activity(room.project, other.id)
    wall.follow_activity(other.id)
    live.show_activity(room.project, second.id)
    wall.follow_activity(second.id)
    settle()
    wall.refresh_now()
    assert wall.activity_id() == first.id, "a picked activity stays"

    wall.choose_activity(second.id)  # choosing the live one follows it again
    live.show_activity(room.project, first.id)
    wall.follow_activity(first.id)
    assert wall.activity_id() == first.id
    wall.follow_activity(other.id)  # not a brainstorm: the wall stays where it is
    assert wall.activity_id() == first.id


def test_a_session_without_brainstorms_says_so(project, qtbot, refresher):
    s = sessions.create_session(project, SessionDetails("Empty"))
    wall = NoteWall(
        project, make_actions(QUndoStack(), lambda t, m: None), refresher, ThemeEngine()
    )
    qtbot.addWidget(wall)
    wall.show_session(s.id)
    assert "no brainstorm" in wall.empty.text()
    assert not wall.capture_edit.isEnabled()
    wall.show_session(None)
    assert wall.model.rowCount() == 0


def test_notes_are_ordered_oldest_first_with_their_note_data(room, qtbot):
    ids = [room.post(f"n{i}") for i in range(3)]
    room.arrive(qtbot, 3)
    assert [room.wall.model.index(r).data(NOTE_ROLE).id for r in range(3)] == ids


def test_flagging_can_take_a_note_off_the_projector_in_the_same_step(room, qtbot):
    nid = room.post("the park near where I live is nice")
    room.arrive(qtbot, 1)
    room.wall.select_notes([nid])
    room.wall.approve_selected()
    wait_for_actions()
    assert "where I live" in repr(projector_view(room.project, room.session.id))

    def flag(dialog: QWidget) -> None:
        assert isinstance(dialog, FlagDialog) and dialog.hide_too.isChecked()
        dialog.follow_up.setText("speak to them at the break")
        dialog.accept()

    steps = room.stack.count()
    with_dialog(room.wall.flag_selected, flag)
    note = room.note(nid)
    assert note.flagged and note.status is NoteStatus.HIDDEN
    assert "where I live" not in repr(projector_view(room.project, room.session.id))
    assert room.stack.count() == steps + 1, "one undo step"
    room.stack.undo()
    wait_for_actions()
    note = room.note(nid)
    assert not note.flagged and note.status is NoteStatus.SHOWN
    room.stack.redo()
    wait_for_actions()
    note = room.note(nid)
    assert note.flagged and note.status is NoteStatus.HIDDEN


# ---------------------------------------------------------------- safeguarding by construction


def test_approve_all_waiting_leaves_a_flagged_note_off_the_projector_and_says_so(room, qtbot):
    calm = room.post("more youth clubs please")
    told = room.post("adults online pretend to be kids")  # flagged, not held back
    room.arrive(qtbot, 2)
    moderation.set_flag(room.project, told, True, "at the break")
    settle()
    room.wall.approve_all_button.click()
    assert room.note(calm).status is NoteStatus.SHOWN
    assert room.note(told).status is NoteStatus.PENDING
    assert not any("pretend" in n for n in room.projected())
    assert "1 flagged note stays waiting, off the screen" in room.wall.capture_message.text()
    room.stack.undo()
    wait_for_actions()
    room.stack.redo()  # redo is the same batch: still not on the screen
    wait_for_actions()
    assert room.note(told).status is NoteStatus.PENDING


@pytest.mark.parametrize("answer", ["Enter", "Keep it off the screen", "Put it on the screen"])
def test_approving_one_flagged_note_asks_first_and_enter_keeps_it_off(room, qtbot, answer):
    told = room.post("the park near school feels unsafe at night")  # not held back
    room.arrive(qtbot, 1)
    moderation.set_flag(room.project, told, True)
    settle()
    room.wall.refresh_now()
    room.wall.select_notes([told])

    def reply(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and box.objectName() == "approve-flagged"
        assert "flagged for safeguarding follow-up" in box.text()
        if answer == "Enter":
            QTest.keyClick(box, Qt.Key.Key_Return)
        else:
            next(b for b in box.buttons() if b.text() == answer).click()

    with_dialog(room.wall.approve_selected, reply)
    shown = answer == "Put it on the screen"
    assert (room.note(told).status is NoteStatus.SHOWN) is shown
    assert any("park" in n for n in room.projected()) is shown
    if shown:
        room.stack.undo()
        wait_for_actions()
        assert room.note(told).status is NoteStatus.PENDING
        room.stack.redo()  # never back on the screen without asking again
        wait_for_actions()
        assert room.note(told).status is NoteStatus.PENDING


def test_a_flagged_note_taken_back_stays_on_the_wall_marked_with_its_follow_up(room, qtbot):
    told = room.post("someone keeps messaging me")
    room.arrive(qtbot, 1)
    moderation.set_flag(room.project, told, True, "speak to them privately")
    phones.withdraw_note(room.project, room.who.id, told, "note-key-takeback-1").result()
    settle()
    room.wall.refresh_now()
    assert room.wall.model.rowCount() == 1
    card = room.wall.model.index(0).data(CARD_ROLE)
    assert "Taken back by its writer" in card.summary
    assert "Flagged for safeguarding" in card.summary
    assert "Follow-up: speak to them privately" in card.summary
    assert "0 waiting" in room.wall.counts.text() and "1 flagged" in room.wall.counts.text()
    room.wall.set_show(Show.FLAGGED)
    assert room.wall.proxy.rowCount() == 1
    room.wall.set_show(Show.WAITING)
    assert room.wall.proxy.rowCount() == 0
    room.wall.set_show(Show.ALL)
    room.wall.select_notes([told])
    assert not room.wall.approve_action.isEnabled() and not room.wall.hide_action.isEnabled()
    assert room.wall.flag_action.isEnabled(), "its follow-up can still be written"


def test_a_note_with_a_long_link_is_shown_whole_on_its_card(room: Room, qtbot) -> None:
    """QPainter wraps between words only: a 500-character link drawn as written is one
    line cut at the card's edge, hiding the rest of the note from the facilitator."""
    link = "https://example.org/" + "a" * 420
    room.post("short note")
    room.post(link)
    room.post("word " * 84 + "end")  # as long, in words
    room.arrive(qtbot, 3)
    view = room.wall.view
    heights = [view.visualRect(view.model().index(row, 0)).height() for row in range(3)]
    short, linked, worded = heights
    assert linked > short + 4 * view.fontMetrics().height()  # many lines, not one
    assert linked >= worded * 0.7  # about as tall as the same length in words
    assert room.wall.grab().width() > 0  # and it paints
