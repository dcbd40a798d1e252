"""The note wall's presenter (ui/wall/wall_presenter.py) without a widget: the moderation
rules as tables of notes, and the changes on a real project file with a real undo stack."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QUndoStack

from tests.ui.conftest import make_actions, wait_for_actions
from workshop_app.core.model import (
    ActivityKind,
    ActivityState,
    GroupKind,
    ModerationMode,
    Note,
    NoteSource,
    NoteStatus,
)
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import groups, live, moderation, sessions
from workshop_app.services import participation as phones
from workshop_app.services.plans import load_plan
from workshop_app.services.projection import projector_view
from workshop_app.services.sessions import SessionDetails
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.wall.wall_presenter import (
    DuplicatePlan,
    StatusPlan,
    WallPresenter,
    duplicate_plan,
    held_back,
    kept_back,
    status_plan,
    wall_actions,
)

NOW = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)
S, H, P = NoteStatus.SHOWN, NoteStatus.HIDDEN, NoteStatus.PENDING
SHOW_AT_ONCE = ModerationMode.SHOW_AT_ONCE


def note(i: int, status: NoteStatus = P, **kw: object) -> Note:
    n = Note(
        f"n{i}",
        "a1",
        None,
        None,
        f"note {i}",
        f"note {i}",
        NoteSource.FACILITATOR,
        status,
        None,
        NOW,
        NOW,
    )
    return replace(n, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("notes", "status", "expected"),
    [
        ([note(1), note(2, S)], S, StatusPlan(("n1",))),  # already shown: nothing to do
        ([note(1, flagged=True)], S, StatusPlan(confirm=note(1, flagged=True))),  # asked alone
        ([note(1, flagged=True), note(2)], S, StatusPlan(("n2",), held=1)),  # never in a batch
        ([note(1, flagged=True), note(2)], H, StatusPlan(("n1", "n2"))),  # hiding is always fine
        ([note(1, withdrawn=True), note(2, S)], H, StatusPlan(("n2",))),  # taken back: left be
        ([note(1, S, flagged=True)], S, StatusPlan()),  # flagged but already on the screen
    ],
)
def test_a_flagged_note_reaches_the_screen_only_on_its_own_and_confirmed(
    notes: list[Note], status: NoteStatus, expected: StatusPlan
) -> None:
    assert status_plan(notes, status) == expected


HELD = {"held_at": NOW, "hold_reasons": ("asked_for_images",)}


@pytest.mark.parametrize(
    ("notes", "status", "expected"),
    [
        ([note(1, **HELD)], S, StatusPlan(release=note(1, **HELD))),  # released alone, asked
        ([note(1, H, **HELD)], S, StatusPlan(release=note(1, H, **HELD))),  # unhide: the same
        (  # held and flagged: one question covers both
            [note(1, flagged=True, **HELD)],
            S,
            StatusPlan(release=note(1, flagged=True, **HELD)),
        ),
        ([note(1, **HELD), note(2)], S, StatusPlan(("n2",), on_hold=1)),  # never in a batch
        (  # a batch with both kinds: a note flagged and held counts as flagged
            [note(1, **HELD), note(2, flagged=True, **HELD), note(3, flagged=True), note(4)],
            S,
            StatusPlan(("n4",), held=2, on_hold=1),
        ),
        ([note(1, **HELD), note(2)], H, StatusPlan(("n1", "n2"))),  # hiding is always fine
        ([note(1, S, **HELD), note(2)], P, StatusPlan(("n1",))),  # back to waiting too
        ([note(1, withdrawn=True, **HELD), note(2)], S, StatusPlan(("n2",))),  # taken back
        ([note(1, S, hold_reasons=("phone",))], S, StatusPlan()),  # released: nothing to do
    ],
)
def test_a_held_note_reaches_the_screen_only_released_on_its_own(
    notes: list[Note], status: NoteStatus, expected: StatusPlan
) -> None:
    assert status_plan(notes, status) == expected


def test_a_held_note_can_be_released_hidden_and_flagged() -> None:
    held = wall_actions([note(1, **HELD)], notes_on_wall=3)
    assert held.release and held.approve and held.hide and held.flag and held.fix
    assert not wall_actions([note(1, **HELD), note(2)], notes_on_wall=3).release  # one at a time
    assert not wall_actions([note(1)], notes_on_wall=3).release  # nothing held
    assert not wall_actions([note(1, S, hold_reasons=("phone",))], 3).release  # released
    taken_back = wall_actions([note(1, withdrawn=True, **HELD)], notes_on_wall=3)
    assert not taken_back.release and not taken_back.approve and taken_back.flag


def test_the_kept_back_words_count_flagged_and_held_notes() -> None:
    assert kept_back(0, 0) == ""
    assert kept_back(2, 0) == held_back(2)
    assert kept_back(0, 1).startswith("1 note held back on arrival stays waiting, off the screen")
    assert "Release to the screen" in kept_back(0, 1)
    assert kept_back(0, 3).startswith("3 notes held back on arrival stay waiting")
    assert kept_back(1, 2).startswith(
        "1 flagged note and 2 notes held back on arrival stay waiting, off the screen"
    )


def test_the_actions_follow_the_chosen_notes() -> None:
    two = wall_actions([note(1), note(2, H)], notes_on_wall=5)
    assert (two.approve_text, two.hide_text) == ("Approve 2 notes", "Hide 2 notes")
    assert two.approve and two.hide and two.unhide and two.waiting
    assert not two.fix and not two.history and not two.flag
    assert two.duplicate_text == "Mark as duplicates (of the oldest)"

    taken_back = wall_actions([note(1, S, withdrawn=True, flagged=True)], notes_on_wall=5)
    assert not (taken_back.approve or taken_back.hide or taken_back.fix or taken_back.duplicate)
    assert taken_back.history and taken_back.flag and taken_back.unflag
    assert taken_back.flag_text == "Change safeguarding follow-up…"

    alone = wall_actions([note(1)], notes_on_wall=1)
    assert alone.fix and not alone.duplicate  # nothing else to be a duplicate of
    assert not alone.not_duplicate
    assert wall_actions([note(1, duplicate_of="n0")], 2).not_duplicate


def test_several_notes_are_duplicates_of_the_oldest_and_one_needs_a_choice() -> None:
    assert duplicate_plan([note(1), note(2), note(3)]) == DuplicatePlan(
        ("n2", "n3"), "n1", "Mark 2 notes as duplicates"
    )
    assert duplicate_plan([note(1)]) is None  # the facilitator did not choose
    assert duplicate_plan([note(1)], "n9") == DuplicatePlan(("n1",), "n9", "Mark as duplicate")
    assert duplicate_plan([]) is None


def test_the_held_back_words_count_the_flagged_notes() -> None:
    assert held_back(1).startswith("1 flagged note stays waiting")
    assert held_back(3).startswith("3 flagged notes stay waiting")


@dataclass
class Room:
    wall: WallPresenter
    actions: Actions
    stack: QUndoStack
    session_id: str
    brainstorms: list[str]


@pytest.fixture
def room(project) -> Iterator[Room]:
    parent = next(g for g in groups.list_groups(project) if g.kind is GroupKind.PARENT)
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(project, SessionDetails("Evening", group_ids=(parent.id,)), plan)
    brainstorms = [
        a.id for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.BRAINSTORM
    ]
    stack = QUndoStack()
    wall = WallPresenter(project)
    wall.show_session(s.id)
    yield Room(wall, make_actions(stack, lambda t, m: None), stack, s.id, brainstorms)
    stack.clear()


def test_the_wall_shows_the_picked_brainstorm_else_the_live_one_else_the_first(
    room: Room,
) -> None:
    wall, b = room.wall, room.brainstorms
    assert len(b) >= 2, "the shipped plan has two brainstorms"
    assert wall.read_session() == b[0]
    live.go_live(wall.project, room.session_id)
    live.show_activity(wall.project, b[1])
    assert wall.read_session() == b[1]  # the live one
    assert wall.chooser_items()[1][0].startswith("▶ ")
    wall.pick(b[0])
    assert wall.read_session() == b[0]  # the facilitator's own choice wins
    assert wall.follow(b[1]) is False  # the live activity moves on: the wall stays put
    wall.pick(b[1])  # choosing the live one again: follow the live one again
    assert wall.picked is None


def statuses(wall: WallPresenter) -> dict[str, NoteStatus]:
    assert wall.activity_id is not None
    return {n.id: n.status for n in moderation.list_wall(wall.project, wall.activity_id)}


def test_approve_all_leaves_flagged_notes_waiting_and_is_one_undo_step(room: Room) -> None:
    wall, p = room.wall, room.wall.project
    wall.activity_id = room.brainstorms[0]
    ids = [moderation.capture_paper_note(p, wall.activity_id, t, None).id for t in "abc"]
    moderation.set_statuses(p, dict.fromkeys(ids, P))
    moderation.set_flag(p, ids[0], True, "ask the youth worker")
    op = wall.approve_all_waiting(room.actions.perform)
    wait_for_actions()
    assert op.result == moderation.KeptWaiting(flagged=1, held=0), "one flagged note waits"
    assert statuses(wall) == {ids[0]: P, ids[1]: S, ids[2]: S}
    room.stack.undo()
    wait_for_actions()
    assert statuses(wall) == dict.fromkeys(ids, P)


def test_paper_notes_are_counted_and_undone(room: Room) -> None:
    wall = room.wall
    wall.activity_id = room.brainstorms[0]
    assert wall.capture_words() == "No paper notes typed in yet"
    wall.capture(room.actions.perform, "we need a youth club", room.actions.errors)
    wall.capture(room.actions.perform, "buses after 9pm", room.actions.errors)
    wait_for_actions()
    assert wall.capture_words() == "2 paper notes typed in"
    assert room.stack.count() == 2
    room.stack.undo()
    wait_for_actions()
    texts = [n.text for n in moderation.list_wall(wall.project, wall.activity_id)]
    assert texts == ["we need a youth club"]


@pytest.fixture
def open_room(project) -> Iterator[Room]:
    """A live session that shows notes at once, its first brainstorm open for phones."""
    parent = next(g for g in groups.list_groups(project) if g.kind is GroupKind.PARENT)
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    details = SessionDetails("Evening", group_ids=(parent.id,), moderation=SHOW_AT_ONCE)
    s = sessions.create_session(project, details, plan)
    live.go_live(project, s.id)
    brainstorms = [
        a.id for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.BRAINSTORM
    ]
    live.set_activity_state(project, brainstorms[0], ActivityState.OPEN)
    stack = QUndoStack()
    wall = WallPresenter(project)
    wall.show_session(s.id)
    wall.activity_id = brainstorms[0]
    yield Room(wall, make_actions(stack, lambda t, m: None), stack, s.id, brainstorms)
    stack.clear()


def _post(room: Room, text: str, key: str) -> str:
    p = room.wall.project
    who = phones.join(p, room.session_id, None).result()
    answer = phones.post_note(p, who.id, room.brainstorms[0], text, key).result()
    return str(answer.body["note"]["id"])


def _projected(room: Room) -> tuple[str, ...]:
    wait_for_actions()
    return projector_view(room.wall.project, room.session_id).notes


def test_release_puts_one_held_note_on_the_projector_undo_holds_it_again_redo_does_not(
    open_room: Room,
) -> None:
    room, p = open_room, open_room.wall.project
    told = _post(room, "a man online asked me to send pics of myself", "key-held-p-1")
    calm = _post(room, "more youth clubs please", "key-held-p-2")
    assert statuses(room.wall) == {told: P, calm: S}, "held back even though shown at once"
    assert not any("pics" in n for n in _projected(room))
    held = next(n for n in moderation.list_wall(p, room.brainstorms[0]) if n.id == told)
    op = room.wall.release(room.actions.perform, held)
    wait_for_actions()
    assert op.accepted and room.stack.count() == 1
    assert room.stack.undoText() == "Release held note to the screen"
    assert any("pics" in n for n in _projected(room))
    room.stack.undo()
    wait_for_actions()
    again = next(n for n in moderation.list_wall(p, room.brainstorms[0]) if n.id == told)
    assert again.held and again.held_at == held.held_at and again.status is P
    assert not any("pics" in n for n in _projected(room))
    room.stack.redo()  # a batch: never releases it again unasked
    wait_for_actions()
    assert statuses(room.wall)[told] is P
    assert not any("pics" in n for n in _projected(room))


def test_approve_all_leaves_held_notes_waiting_and_counts_them(open_room: Room) -> None:
    room, p = open_room, open_room.wall.project
    held = _post(room, "my number is 07700 900123", "key-held-p-3")
    calm = _post(room, "buses after 9pm", "key-held-p-4")
    moderation.set_statuses(p, {calm: P})
    op = room.wall.approve_all_waiting(room.actions.perform)
    wait_for_actions()
    assert op.result == moderation.KeptWaiting(flagged=0, held=1)
    assert statuses(room.wall) == {held: P, calm: S}
