"""The wall reads a room's new notes on a thread of its own (ui/wall/wall_reading.py): the
real wall, project file, services and phones' service calls; only the reader is watched."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.wall.test_note_wall import Room, _room
from workshop_app.core.model import ModerationMode, Note
from workshop_app.services import moderation


@pytest.fixture
def room(project, qtbot, refresher) -> Iterator[Room]:
    """A live session with the wall on screen and one phone (notes shown as they come)."""
    yield from _room(project, qtbot, refresher, ModerationMode.SHOW_AT_ONCE)


def watch(
    reader: moderation.WallReader,
    before: Callable[[], None] | None = None,
    after: Callable[[], None] | None = None,
) -> list[str]:
    """The names of the threads `reader` reads on, from now on; `before` runs before each
    read, `after` between the read and its answer."""
    threads: list[str] = []
    read = reader.read

    def watched(activity_id: str) -> list[Note]:
        threads.append(threading.current_thread().name)
        if before is not None:
            before()
        notes = read(activity_id)
        if after is not None:
            after()
        return notes

    reader.read = watched  # type: ignore[method-assign]
    return threads


def test_a_rooms_notes_are_read_off_the_gui_thread_and_drawn_on_it(room: Room, qtbot) -> None:
    """The coalesced refresh that follows phones' notes reads on the wall's own thread; a
    refresh at once (`refresh_now`: the wall's own actions, tests) reads on the GUI thread."""
    in_background, on_gui = watch(room.wall._reads_reader), watch(room.wall._reader)
    first = room.post("from a phone")
    room.arrive(qtbot, 1)
    second = room.post("and another")
    room.arrive(qtbot, 2)
    assert [n.id for n in room.wall.model.notes] == [first, second]
    assert in_background and all(t.startswith("cg-wall-read") for t in in_background)
    assert on_gui == [], "nothing read on the GUI thread"
    room.wall._read_notes_now()
    assert on_gui == [threading.main_thread().name]


def test_an_answer_older_than_the_screen_is_not_drawn(room: Room, qtbot) -> None:
    """A read at once while the background read is on its way shows the newer notes; the
    older answer, arriving after, is dropped rather than drawn over them."""
    room.post("one")
    room.arrive(qtbot, 1)
    started, release = threading.Event(), threading.Event()

    def hold() -> None:
        started.set()
        release.wait(10)

    watch(room.wall._reads_reader, after=hold)  # read, then held on its way
    room.post("two")  # the coalesced refresh reads ~100 ms later: "one" and "two"
    qtbot.waitUntil(started.is_set, timeout=5000)  # the event loop turns meanwhile
    answered_before = room.wall._reads.busy
    room.post("three")
    QApplication.processEvents()  # its change event: a refresh is due in ~100 ms
    room.wall.refresh_now()  # the facilitator's own read, at once: every note there is
    assert [n.text for n in room.wall.model.notes] == ["one", "two", "three"]
    release.set()
    qtbot.wait(300)  # the held read's answer arrives and is dropped
    assert answered_before and not room.wall._reads.busy
    assert [n.text for n in room.wall.model.notes] == ["one", "two", "three"]


def test_a_read_that_fails_on_its_thread_is_read_again_on_the_gui_thread(room: Room, qtbot) -> None:
    def fail() -> None:
        raise RuntimeError("the reads thread's connection went wrong")

    watch(room.wall._reads_reader, fail)
    on_gui = watch(room.wall._reader)
    room.post("still shown")
    room.arrive(qtbot, 1)
    assert on_gui == [threading.main_thread().name]
    assert room.wall.model.notes[0].text == "still shown"


def test_an_answer_for_the_brainstorm_left_is_not_drawn_on_the_one_chosen(
    room: Room, qtbot
) -> None:
    started, release = threading.Event(), threading.Event()

    def hold() -> None:
        started.set()
        release.wait(10)

    watch(room.wall._reads_reader, after=hold)
    room.post("in the first brainstorm")
    qtbot.waitUntil(started.is_set, timeout=5000)  # the event loop turns meanwhile
    second = room.brainstorms[1]
    room.wall.choose_activity(second.id)  # read at once, on the GUI thread
    release.set()
    qtbot.wait(300)
    assert room.wall.activity_id() == second.id
    assert room.wall.model.rowCount() == 0, "the first brainstorm's notes are not drawn here"
