"""Facilitator actions off the GUI thread (ui/common/commands.py, infra/ops.py): the real
project file, the real writer and services, a real QUndoStack.

An action runs on the operations thread while the GUI thread keeps turning, even when the
writer is busy; it becomes an undo step only once committed; a refused one is an error and
never a step; actions, undos and redos run in the order given; closing the project still
commits what was queued."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack

from workshop_app.core.errors import DomainError
from workshop_app.core.model import GroupKind
from workshop_app.infra.ops import Operations, OperationsClosedError
from workshop_app.services import groups
from workshop_app.services.project import OpenProject, create_project, open_project
from workshop_app.storage.writer import Tx
from workshop_app.ui.common.commands import Actions, Done, undo_redo_actions


@pytest.fixture
def project(tmp_path: Path) -> Iterator[OpenProject]:
    p = create_project(tmp_path / "Riverside.cground", "Riverside", "Riverside Borough")
    yield p
    p.close()


@pytest.fixture
def room(qtbot, project: OpenProject) -> Iterator[tuple[Actions, list[tuple[str, str]]]]:
    errors: list[tuple[str, str]] = []
    ops = Operations()
    actions = Actions(QUndoStack(), lambda t, m: errors.append((t, m)), ops)
    yield actions, errors
    actions.wait()
    actions.close()
    ops.close()


def add(p: OpenProject, actions: Actions, name: str):  # type: ignore[no-untyped-def]
    return actions.perform(
        f"Add group {name}",
        lambda: groups.add_group(p, name, GroupKind.PARENT),
        lambda g: groups.remove_group(p, g.id),
        redo=lambda g: groups.restore_group(p, g.id),
    )


OURS = {"A", "B", "C", "D", "Parents", "Carers"}


def names(p: OpenProject) -> list[str]:
    """The groups these tests add (a new project has a few of its own)."""
    return [g.name for g in groups.list_groups(p) if g.name in OURS]


def test_an_action_runs_off_the_gui_thread_and_is_a_step_once_committed(room, project) -> None:
    actions, errors = room
    ran_on: list[str] = []
    seen: list[str] = []

    def do() -> str:
        ran_on.append(threading.current_thread().name)
        return groups.add_group(project, "Parents", GroupKind.PARENT).id

    op = actions.perform("Add group", do, lambda gid: groups.remove_group(project, gid))
    op.then(lambda gid: seen.append(threading.current_thread().name))
    assert actions.stack.count() == 0, "no step before the change is committed"
    assert actions.wait()
    assert op.accepted and isinstance(op.result, str)
    assert ran_on and ran_on[0].startswith("cg-ops")
    assert seen == [threading.main_thread().name], "the outcome comes back on the GUI thread"
    assert actions.stack.count() == 1 and actions.stack.undoText() == "Add group"
    assert names(project) == ["Parents"] and not errors


def test_the_gui_thread_keeps_turning_while_the_writer_is_busy(room, project) -> None:
    """Phones keep the writer busy: the action waits for it on the operations thread, and
    the GUI thread's timers (its redraws, the projector) still fire meanwhile."""
    actions, _ = room
    gate, holding = threading.Event(), threading.Event()

    def busy(tx: Tx) -> None:  # a long batch of phone writes
        holding.set()
        gate.wait(10)

    project.store.write(busy)
    assert holding.wait(10)
    op = add(project, actions, "Parents")
    fired: list[bool] = []

    def tick() -> None:
        fired.append(op.done)
        gate.set()  # the GUI thread ran: now let the writer go

    QTimer.singleShot(0, tick)
    assert actions.wait()
    assert fired == [False], "the timer fired while the action was still waiting"
    assert op.accepted and names(project) == ["Parents"]


def test_a_refused_action_is_an_error_and_never_a_step(room, project) -> None:
    actions, errors = room
    add(project, actions, "Parents")
    refused: list[bool] = []
    then: list[object] = []
    op = add(project, actions, "Parents")  # the name is taken by then
    op.refused(lambda: refused.append(True)).then(then.append)
    assert actions.wait()
    assert op.done and not op.accepted and refused == [True] and not then
    assert actions.stack.count() == 1, "only the first was a step"
    assert errors and errors[0][0] == "Could not add group Parents"
    assert "already a group called 'Parents'" in errors[0][1]


def test_actions_undos_and_redos_run_in_the_order_given(room, project) -> None:
    """Undo pressed while actions are on their way undoes the latest of them, once it is
    a step, as the facilitator expects."""
    actions, errors = room
    for name in ("A", "B", "C"):
        add(project, actions, name)
    actions.undo()  # before any of them is committed
    assert actions.wait()
    assert names(project) == ["A", "B"], "the last action, C, was undone"
    actions.undo()
    actions.redo()
    actions.redo()
    assert actions.wait()
    assert names(project) == ["A", "B", "C"] and not errors
    assert actions.stack.index() == 3


def test_the_menu_actions_wait_for_the_steps_on_their_way(room, project) -> None:
    actions, _ = room
    undo, redo = undo_redo_actions(actions, actions.stack)
    assert not undo.isEnabled() and undo.text() == "&Undo"
    add(project, actions, "Parents")
    assert actions.wait()
    assert undo.isEnabled() and undo.text() == "&Undo Add group Parents"
    add(project, actions, "Carers")
    undo.trigger()  # Carers is still on its way: it is the one undone
    assert actions.wait()
    assert names(project) == ["Parents"]
    assert redo.isEnabled() and redo.text() == "&Redo Add group Carers"


def test_a_bug_in_an_action_is_raised_on_the_gui_thread(qtbot, room) -> None:
    actions, errors = room

    def broken() -> None:
        raise ZeroDivisionError("a bug")

    with qtbot.captureExceptions() as raised:
        op = actions.run(broken, "Could not do it")
        assert actions.wait()
    assert op.done and not op.accepted and not errors
    assert [type(e[1]) for e in raised] == [ZeroDivisionError]


def test_a_user_error_from_run_is_reported_under_its_title(room) -> None:
    actions, errors = room

    def refused() -> None:
        raise DomainError("That activity is closed.")

    actions.run(refused, "Could not change the activity")
    assert actions.wait()
    assert errors == [("Could not change the activity", "That activity is closed.")]


def test_closing_commits_what_was_queued_and_takes_nothing_more(
    qtbot, tmp_path: Path, project: OpenProject
) -> None:
    """The window closes with actions still queued: the runtime's shutdown finishes them
    before the project closes; nothing is handed in after."""
    ops = Operations()
    actions = Actions(QUndoStack(), lambda t, m: None, ops)
    gate = threading.Event()
    project.store.write(lambda tx: gate.wait(10))
    for name in ("A", "B", "C"):
        add(project, actions, name)
    actions.close()  # the window has gone: outcomes are no longer delivered
    gate.set()
    ops.close()  # the runtime: finish the queue, then stop
    path = project.path
    project.close()
    with open_project(path) as again:
        assert names(again) == ["A", "B", "C"]
    with pytest.raises(OperationsClosedError):
        ops.submit(lambda: None)
    op = add(project, actions, "D")  # a late click: refused quietly, nothing raised
    assert op.done and not op.accepted


def test_actions_handed_in_together_are_one_step_without_the_refused_one(room, project) -> None:
    actions, errors = room
    add(project, actions, "A")
    with actions.one_step("Add two groups"):
        add(project, actions, "B")
        add(project, actions, "A")  # refused: the name is taken
        add(project, actions, "C")
    assert actions.wait()
    assert actions.stack.count() == 2 and actions.stack.undoText() == "Add two groups"
    assert len(errors) == 1
    actions.undo()
    assert actions.wait()
    assert names(project) == ["A"]
    actions.redo()
    assert actions.wait()
    assert names(project) == ["A", "B", "C"]


def test_an_outcome_for_a_view_that_has_gone_is_no_error(qtbot, room, project) -> None:
    """A dialog shut while its action was on its way: the change is committed, and telling
    the deleted widget is skipped quietly (a bug in a live view still raises)."""
    from PySide6.QtWidgets import QLabel

    actions, errors = room
    label = QLabel()
    gate = threading.Event()
    project.store.write(lambda tx: gate.wait(10))
    op = add(project, actions, "Parents").then(lambda g: label.setText(g.name))
    label.deleteLater()
    QTimer.singleShot(0, gate.set)
    with qtbot.captureExceptions() as raised:
        assert actions.wait()
    assert op.accepted and names(project) == ["Parents"] and not raised and not errors
    assert not shiboken6.isValid(label), "the label was gone before the outcome arrived"


def test_closing_deletes_the_undo_history_at_once_not_with_the_collector(room, project) -> None:
    """Each step holds the actions, which hold the stack: a reference cycle. Left to the
    garbage collector, a collection could free a step before the stack that lists it, and
    the stack's deletion then deleted it again (a segmentation fault, seen in CI). Closing
    deletes every step there and then, while each is whole."""
    actions, _errors = room
    add(project, actions, "A")
    with actions.one_step("Add two groups"):
        add(project, actions, "B")
        add(project, actions, "C")
    assert actions.wait()
    first, macro = (actions.stack.command(i) for i in range(actions.stack.count()))
    assert [first.text(), macro.text()] == ["Add group A", "Add two groups"]
    steps = [first, macro.child(0), macro.child(1)]  # ours, with their Python halves
    assert [s.text() for s in steps] == ["Add group A", "Add group B", "Add group C"]
    assert all(isinstance(s, Done) and shiboken6.isValid(s) for s in steps)
    actions.close()
    assert actions.stack.count() == 0 and not actions.stack.canUndo()
    assert not any(shiboken6.isValid(s) for s in steps), "each step deleted by the stack now"
    assert names(project) == ["A", "B", "C"], "what was done stays done"
