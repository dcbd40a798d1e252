"""Notes held back on arrival, on the note wall (issue 17): real project files, real services,
notes sent through the participation service as a phone sends them, in a live session that
shows notes at once (a held note waits all the same), events through the real bridge."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget

from tests.ui.conftest import settle, wait_for_actions, with_dialog
from tests.ui.wall.test_note_wall import Room, _room
from workshop_app.core.model import ModerationMode, NoteStatus
from workshop_app.services import moderation
from workshop_app.services import participation as phones
from workshop_app.ui.common.widgets import SOFT_BREAK
from workshop_app.ui.wall.note_dialogs import ReleaseBox
from workshop_app.ui.wall.note_model import CARD_ROLE, Badge, Show

PICS = "a man online asked me to send pics of myself <b>now</b>"
NUMBER = "my number is 07700 900123"
HELD_COLOUR = "#8a3b00"  # ui/wall/note_cards.py: the held badge and edge


@pytest.fixture
def open_room(project, qtbot, refresher) -> Iterator[Room]:
    """A live parents' session that shows notes at once."""
    yield from _room(project, qtbot, refresher, ModerationMode.SHOW_AT_ONCE)


@pytest.fixture
def room(project, qtbot, refresher) -> Iterator[Room]:
    """A live children's session (approve first)."""
    yield from _room(project, qtbot, refresher, None)


def _card(room: Room, note_id: str):
    row = room.wall.model.row_of(note_id)
    assert row is not None
    return room.wall.model.index(row).data(CARD_ROLE)


def _colours(room: Room) -> set[str]:
    room.wall.view.viewport().repaint()
    image = room.wall.view.viewport().grab().toImage()
    return {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }


def _answer(button: str):
    def reply(box: QWidget) -> None:
        assert isinstance(box, ReleaseBox) and box.objectName() == "release-held"
        if button == "Enter":
            QTest.keyClick(box, Qt.Key.Key_Return)
        else:
            next(b for b in box.buttons() if b.text() == button).click()

    return reply


def test_a_held_note_is_marked_with_its_reasons_in_words_and_waits_off_the_projector(
    open_room, qtbot
):
    room = open_room
    told = room.post(PICS)
    calm = room.post("more youth clubs please")
    room.arrive(qtbot, 2)
    assert room.note(told).status is NoteStatus.PENDING, "held back although shown at once"
    assert room.note(calm).status is NoteStatus.SHOWN
    assert room.projected() == ("more youth clubs please",)
    card = _card(room, told)
    assert card.badges[0] == (
        Badge.HELD,
        "Held back: Possible disclosure: someone asking for images",
    )
    assert "Held back: Possible disclosure: someone asking for images" in card.summary
    row = room.wall.model.row_of(told)
    index = room.wall.model.index(row)
    assert "Possible disclosure" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "stays off the projector until you release it" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert card.text == PICS, "the writer's words as they are: drawn as plain text"
    assert not any(b is Badge.HELD for b, _w in _card(room, calm).badges)
    assert "1 held back" in room.wall.counts.text()
    assert HELD_COLOUR in _colours(room), "the held badge and edge are drawn in their colour"
    room.wall.set_show(Show.HELD)
    assert room.wall.filter_buttons[Show.HELD].text() == "Held back"
    assert room.wall.proxy.rowCount() == 1
    assert room.wall.proxy.index(0, 0).data(CARD_ROLE).text == PICS


@pytest.mark.parametrize("answer", ["Enter", "Keep it held back", "Release to the screen"])
def test_release_asks_quoting_the_note_and_its_reasons_then_shows_it(open_room, qtbot, answer):
    room = open_room
    told = room.post(PICS)
    room.arrive(qtbot, 1)
    room.wall.select_notes([told])
    assert room.wall.release_action.isEnabled()
    assert room.wall.hide_action.isEnabled() and room.wall.flag_action.isEnabled()
    seen: list[str] = []

    def reply(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert box.textFormat() is Qt.TextFormat.PlainText
        seen.append(box.text())
        _answer(answer)(box)

    with_dialog(room.wall.release_action.trigger, reply)
    assert f"“{PICS}”" in seen[0], "the whole note, quoted as plain text"
    assert "• Possible disclosure: someone asking for images" in seen[0]
    released = answer == "Release to the screen"
    note = room.note(told)
    assert (note.status is NoteStatus.SHOWN) is released
    assert note.held is not released and note.hold_reasons == ("asked_for_images",)
    assert (PICS in room.projected()) is released
    if not released:
        return
    settle()
    room.wall.refresh_now()
    assert (Badge.RELEASED, "Released") in _card(room, told).badges
    assert HELD_COLOUR not in _colours(room), "released: no longer marked as held"
    assert "held back" not in room.wall.counts.text()
    room.stack.undo()  # held back again: off the projector
    wait_for_actions()
    note = room.note(told)
    assert note.held and note.status is NoteStatus.PENDING
    assert PICS not in room.projected()
    room.stack.redo()  # never released again unasked
    wait_for_actions()
    assert room.note(told).held and PICS not in room.projected()


def test_approve_on_one_held_and_flagged_note_asks_once_and_covers_the_flag(open_room, qtbot):
    room = open_room
    told = room.post(PICS)
    room.arrive(qtbot, 1)
    moderation.set_flag(room.project, told, True, "speak to them at the break")
    settle()
    room.wall.refresh_now()
    room.wall.select_notes([told])
    seen: list[str] = []

    def reply(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        _answer("Release to the screen")(box)

    with_dialog(room.wall.approve_selected, reply)
    assert len(seen) == 1, "one question, not one for the hold and one for the flag"
    assert "flagged it for safeguarding follow-up" in seen[0]
    assert "Follow-up (private): speak to them at the break" in seen[0]
    note = room.note(told)
    assert note.status is NoteStatus.SHOWN and not note.held and note.flagged
    assert PICS in room.projected()


def test_approving_a_selection_leaves_the_held_note_waiting_and_says_so(open_room, qtbot):
    room = open_room
    held = room.post(NUMBER)
    calm = room.post("buses after 9pm")
    room.arrive(qtbot, 2)
    moderation.set_statuses(room.project, {calm: NoteStatus.PENDING})
    settle()
    room.wall.refresh_now()
    room.wall.select_notes([held, calm])
    room.wall.approve_selected()
    wait_for_actions()
    assert room.note(calm).status is NoteStatus.SHOWN
    assert room.note(held).status is NoteStatus.PENDING and room.note(held).held
    assert NUMBER not in room.projected()
    assert room.wall.capture_message.text().startswith(
        "1 note held back on arrival stays waiting, off the screen"
    )


def test_approve_all_waiting_leaves_held_and_flagged_notes_and_says_how_many(room, qtbot):
    calm = room.post("more youth clubs please")
    held = room.post(NUMBER)
    flagged = room.post("the park needs lights")
    room.arrive(qtbot, 3)
    moderation.set_flag(room.project, flagged, True, "ask why")
    settle()
    room.wall.approve_all_button.click()
    wait_for_actions()
    assert room.note(calm).status is NoteStatus.SHOWN
    assert room.note(held).status is NoteStatus.PENDING
    assert room.note(flagged).status is NoteStatus.PENDING
    assert room.projected() == ("more youth clubs please",)
    assert room.wall.capture_message.text().startswith(
        "1 flagged note and 1 note held back on arrival stay waiting, off the screen"
    )


def test_hide_and_flag_work_on_a_held_note_which_stays_held(open_room, qtbot):
    room = open_room
    told = room.post(NUMBER)
    room.arrive(qtbot, 1)
    room.wall.select_notes([told])
    room.wall.hide_selected()
    wait_for_actions()
    note = room.note(told)
    assert note.status is NoteStatus.HIDDEN and note.held
    settle()
    room.wall.refresh_now()
    room.wall.select_notes([told])
    assert room.wall.release_action.isEnabled(), "a hidden held note can still be released"
    # Unhide goes to the same question: the note is still held.
    with_dialog(room.wall.unhide_selected, _answer("Keep it held back"))
    assert room.note(told).status is NoteStatus.HIDDEN


def test_a_held_note_taken_back_stays_on_the_wall_under_held_back(open_room, qtbot):
    room = open_room
    told = room.post(PICS)
    room.arrive(qtbot, 1)
    phones.withdraw_note(room.project, room.who.id, told, "note-key-held-back-1").result()
    settle()
    room.wall.refresh_now()
    assert room.wall.model.rowCount() == 1
    card = _card(room, told)
    assert "Taken back by its writer" in card.summary and "Held back:" in card.summary
    room.wall.set_show(Show.HELD)
    assert room.wall.proxy.rowCount() == 1
    room.wall.select_notes([told])
    assert not room.wall.release_action.isEnabled() and not room.wall.approve_action.isEnabled()
    assert room.wall.flag_action.isEnabled()


def test_release_quotes_a_note_with_a_long_link_whole_within_the_screen(open_room, qtbot):
    """The question quotes the whole note: a long link in it must not be cut at the box's
    edge (the facilitator decides on what they read) nor make the box wider than a screen."""
    room = open_room
    text = PICS + " https://example.org/" + "a" * 380
    told = room.post(text)
    room.arrive(qtbot, 1)
    room.wall.select_notes([told])
    seen: list[tuple[str, int]] = []

    def reply(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), box.minimumSizeHint().width()))
        _answer("Keep it held back")(box)

    with_dialog(room.wall.release_action.trigger, reply)
    quoted, narrowest = seen[0]
    assert f"“{text}”" in quoted.replace(SOFT_BREAK, ""), "the whole note"
    assert narrowest <= 1024
    assert room.note(told).held
