"""The theme board's presenter (ui/board/board_presenter.py) without a widget: a real project
file, the real services and a real undo stack (a QUndoStack, no window)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtGui import QUndoStack

from tests.ui.conftest import make_actions, wait_for_actions
from workshop_app.core.model import ActivityKind, GroupKind
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import board as svc
from workshop_app.services import groups, moderation, sessions
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails
from workshop_app.ui.board.board_presenter import ActionStates, BoardPresenter, Drop, nearest
from workshop_app.ui.common.commands import Actions

TEXTS = [
    "no one explains the apps",
    "the police are slow",
    "teachers need training",
    "a safe adult",
]


@dataclass
class Room:
    presenter: BoardPresenter
    actions: Actions
    stack: QUndoStack
    errors: list[tuple[str, str]]
    notes: list[str]

    def theme(self, name: str, *indexes: int) -> str:
        sid = self.presenter.session_id
        assert sid is not None
        made = svc.create_theme(
            self.presenter.project, sid, name, "", [self.notes[i] for i in indexes]
        )
        self.presenter.read()
        return made.theme_ids[0]


@pytest.fixture
def room(project) -> Iterator[Room]:
    parent = next(g for g in groups.list_groups(project) if g.kind is GroupKind.PARENT)
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(project, SessionDetails("Evening", group_ids=(parent.id,)), plan)
    brainstorm = next(
        a for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.BRAINSTORM
    )
    notes = [moderation.capture_paper_note(project, brainstorm.id, t, parent.id).id for t in TEXTS]
    presenter = BoardPresenter(project)
    presenter.show_session(s.id)
    assert presenter.read() is None
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    yield Room(
        presenter, make_actions(stack, lambda t, m: errors.append((t, m))), stack, errors, notes
    )
    stack.clear()


@pytest.mark.parametrize(
    ("dx", "dy", "expected"),
    [
        (1, 0, 1),  # right: the one straight ahead, not the nearer one off to the side
        (-1, 0, 3),  # left
        (0, 1, 2),  # down
        (0, -1, None),  # nothing above
    ],
)
def test_the_arrows_go_to_the_nearest_place_in_their_direction_sideways_costing_double(
    dx: int, dy: int, expected: int | None
) -> None:
    places = [(0.0, 0.0), (100.0, 0.0), (0.0, 80.0), (-50.0, 0.0), (60.0, 60.0)]
    # From (0, 0): (60, 60) is 60 along and 60 across to the right (180) against (100, 0)'s 100.
    assert nearest((0.0, 0.0), places, dx, dy) == expected


def test_without_a_session_the_board_says_what_to_do(project) -> None:
    presenter = BoardPresenter(project)
    assert presenter.read() == "Choose a session to see its theme board."
    assert presenter.board is None
    assert presenter.action_states([], [], suggestions_ready=True) == ActionStates()


def test_actions_follow_what_is_chosen(room: Room) -> None:
    p = room.presenter
    a = room.theme("Apps", 0, 1)
    b = room.theme("Police", 2)
    nothing = p.action_states([], [], suggestions_ready=False)
    assert nothing.new and nothing.bring_in and nothing.zoom
    assert not (nothing.move or nothing.rename or nothing.merge or nothing.similar or nothing.link)

    same_theme = p.action_states(room.notes[:2], [], suggestions_ready=True)
    assert same_theme.move and same_theme.split and same_theme.similar and same_theme.link
    assert not p.action_states(room.notes[1:3], [], True).split  # two themes
    assert not p.action_states([room.notes[3]], [], True).split  # in no theme

    one, two = p.action_states([], [a], False), p.action_states([], [a, b], False)
    assert one.rename and one.colour and not one.merge and one.delete
    assert two.merge and not two.rename and two.delete
    assert not p.action_states([], [a], suggestions_ready=False).similar


def test_a_drop_moves_only_the_notes_that_would_change_place(room: Room) -> None:
    p = room.presenter
    a = room.theme("Apps", 0, 1)
    n = room.notes
    assert p.drop(n[:3], a, on_area=True) == Drop(move=(n[2],), theme_id=a)
    assert p.drop(n[:3], None, on_area=True) == Drop(move=(n[0], n[1]))  # out of themes
    assert p.drop(n[2:], None, on_area=False) == Drop(new_theme=(n[2], n[3]))  # empty space
    assert p.drop([], a, on_area=True) == Drop()


def test_reading_order_is_the_waiting_notes_then_each_theme_and_its_notes(room: Room) -> None:
    a = room.theme("Apps", 1, 3)
    n = room.notes
    assert room.presenter.reading_order() == [
        ("note", n[0]),
        ("note", n[2]),
        ("theme", a),
        ("note", n[1]),
        ("note", n[3]),
    ]


def test_the_status_line_says_where_a_note_is_and_what_a_theme_holds(room: Room) -> None:
    p = room.presenter
    a = room.theme("Apps", 0)
    assert (
        p.describe_note(room.notes[0], "Parents", "no one explains the apps", selected=True)
        == "Note (Parents) in “Apps”, selected: no one explains the apps"
    )
    assert p.describe_note(room.notes[1], "", "x", selected=False) == (
        "Note in “Not yet in a theme”: x"
    )
    assert p.describe_theme(a, "Apps", 1, selected=False) == "Theme “Apps”, 1 note"


def test_changes_are_one_undo_step_each_and_undo_restores_the_board(room: Room) -> None:
    p, n = room.presenter, room.notes
    op = p.create(room.actions.perform, "  Apps ", "", n[:2])
    wait_for_actions()
    made = op.result
    assert op.accepted and made is not None
    p.read()
    assert p.board is not None and p.board.theme_of(n[0]) == made
    moved = p.move(room.actions.perform, [n[2]], made)
    p.rename(room.actions.perform, made, "Apps")  # the same name: no step
    p.rename(room.actions.perform, made, "Apps and games")
    wait_for_actions()
    assert moved.accepted
    p.read()
    assert p.theme_name(made) == "Apps and games"
    assert [room.stack.text(i) for i in range(room.stack.count())] == [
        "Create theme “Apps”",
        "Move 1 note to “Apps”",
        "Rename theme “Apps” to “Apps and games”",
    ]
    room.stack.undo()
    wait_for_actions()
    room.stack.undo()
    wait_for_actions()
    p.read()
    assert p.theme_name(made) == "Apps" and p.board is not None
    assert p.board.theme_of(n[2]) is None
    assert room.errors == []


def test_merge_goes_into_the_current_theme_when_it_is_one_of_those_chosen(room: Room) -> None:
    p = room.presenter
    a, b = room.theme("Apps", 0), room.theme("Police", 2)
    p.merge(room.actions.perform, [a, b], into=b)
    wait_for_actions()
    p.read()
    assert p.board is not None
    assert [t.name for t in p.board.themes] == ["Police"]
    assert p.board.theme_of(room.notes[0]) == b
    room.stack.undo()
    wait_for_actions()
    p.read()
    assert {t.name for t in p.board.themes} == {"Apps", "Police"}


def test_a_refused_change_is_shown_and_leaves_no_undo_step(room: Room) -> None:
    p = room.presenter
    a = room.theme("Apps", 0)
    svc.delete_theme(p.project, p.session_id or "", a)  # gone meanwhile (another window)
    op = p.move(room.actions.perform, [room.notes[1]], a)
    wait_for_actions()
    assert op.done and not op.accepted
    assert room.stack.count() == 0
    assert room.errors and room.errors[0][0].startswith("Could not move 1 note")
