"""Facilitator actions off the GUI thread, with undo and redo on a QUndoStack.

An action is a service call handed to the project's operations thread
(`infra/ops.Operations`), as Anki runs its operations: the window stays responsive
while the change waits for the writer behind the phones' notes. Its outcome comes back
on the GUI thread. Only a change the project accepted and committed becomes a `Done`
command on the stack (a refused one is a clear error and never reaches the Edit menu):
its first redo is the action already done; later redos and undos go through the
operations thread again, in order. A redo or undo the project now refuses (say, restoring
a group whose name was taken meanwhile) is reported, never raised into Qt.

Views redraw from the change events the commit publishes (`ui/bridge.py`), and what needs
the outcome itself (select the new theme, close a dialog) asks the returned `Op`:
`op.then(fn)` runs `fn(result)` on the GUI thread once the change is committed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from workshop_app.infra.ops import Operations
from workshop_app.services.errors import USER_ERRORS, message_for

log = logging.getLogger(__name__)
T = TypeVar("T")
U = TypeVar("U")
ErrorSink = Callable[[str, str], None]  # (title, message)


class Op(Generic[T]):
    """One action on its way: accepted (with its result), refused, or not yet done."""

    def __init__(self) -> None:
        self.done = False
        self.accepted = False
        self.result: T | None = None
        self._then: list[Callable[[T], object]] = []
        self._refused: list[Callable[[], object]] = []

    def then(self, fn: Callable[[T], object]) -> Op[T]:
        """Run `fn(result)` on the GUI thread once the change is committed (at once if it
        already is); never when it was refused."""
        if not self.done:
            self._then.append(fn)
        elif self.accepted:
            fn(self.result)  # type: ignore[arg-type]
        return self

    def refused(self, fn: Callable[[], object]) -> Op[T]:
        """Run `fn()` if the project refused the change (after its error was shown)."""
        if not self.done:
            self._refused.append(fn)
        elif not self.accepted:
            fn()
        return self

    def map(self, fn: Callable[[T], U]) -> Op[U]:
        """The same action, its result seen through `fn` (`fn` runs on the GUI thread)."""
        out: Op[U] = Op()
        self.then(lambda result: out._finish(True, fn(result)))
        self.refused(lambda: out._finish(False, None))
        return out

    def _finish(self, accepted: bool, result: T | None) -> None:
        self.done, self.accepted, self.result = True, accepted, result
        if accepted:
            for fn in self._then:
                _to_view(lambda f=fn: f(result))  # type: ignore[misc]
        else:
            for refused in self._refused:
                _to_view(refused)
        self._then.clear()
        self._refused.clear()


def _to_view(fn: Callable[[], object]) -> None:
    """Tell a view an outcome. A view closed while its action was on its way (a dialog
    shut at once, a board gone with its window) has nothing left to show: the change is
    committed all the same, so that is no error."""
    try:
        fn()
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise
        log.debug("an outcome arrived after its view had gone: %s", exc)


def undo_redo_actions(actions: Actions, parent: QObject) -> tuple[QAction, QAction]:
    """Undo and Redo for a menu, named after the step as QUndoStack's own actions are
    ("Undo Rename theme …"), which wait for the actions on their way first."""
    stack = actions.stack
    made = []
    for prefix, act, can, text_changed, can_changed, text in (
        (
            "&Undo",
            actions.undo,
            stack.canUndo,
            stack.undoTextChanged,
            stack.canUndoChanged,
            stack.undoText,
        ),
        (
            "&Redo",
            actions.redo,
            stack.canRedo,
            stack.redoTextChanged,
            stack.canRedoChanged,
            stack.redoText,
        ),
    ):
        action = QAction(prefix, parent)

        def named(t: str, a: QAction = action, p: str = prefix) -> None:
            a.setText(f"{p} {t}" if t else p)

        named(text())
        action.setEnabled(can())
        action.triggered.connect(lambda _c=False, f=act: f())
        text_changed.connect(named)
        can_changed.connect(action.setEnabled)
        made.append(action)
    return made[0], made[1]


def refused_op() -> Op[Any]:
    """An action turned down before it started (nothing to do): it never runs `then`."""
    op: Op[Any] = Op()
    op._finish(False, None)
    return op


class Done(QUndoCommand):
    def __init__(
        self, text: str, redo: Callable[[], object], undo: Callable[[], object], actions: Actions
    ):
        super().__init__(text)
        self._redo = redo
        self._undo = undo
        self._actions = actions
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._actions.run(self._redo, f"Could not redo: {self.text()}")

    def undo(self) -> None:
        self._actions.run(self._undo, f"Could not undo: {self.text()}")


class _Steps:
    """Actions handed in together that become one undo step once all are done."""

    def __init__(self, text: str):
        self.text = text
        self.waiting = 0
        self.sealed = False
        self.done: list[Done] = []


class _Delivery(QObject):
    """Brings an operation's outcome from the operations thread to the GUI thread."""

    arrived = Signal(object)


class Actions:
    """Carries out actions on the operations thread and records how to reverse them."""

    def __init__(self, stack: QUndoStack, errors: ErrorSink, ops: Operations):
        self.stack = stack
        self.errors = errors
        self.ops = ops  # the project runtime's operations thread
        self._pending = 0
        self._closed = False
        self._waiting: list[QEventLoop] = []
        self._when_idle: list[Callable[[], object]] = []
        self._steps: _Steps | None = None
        self._delivery = _Delivery()
        # Emitted on the operations thread (or here, if it was that quick), always run on
        # the GUI thread from its event loop: an outcome never arrives inside `perform`.
        self._delivery.arrived.connect(self._arrived, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """Whether an action is still on its way (queued, running, or its outcome not
        yet delivered)."""
        return self._pending > 0

    def perform(
        self,
        text: str,
        do: Callable[[], T],
        undo: Callable[[T], object],
        redo: Callable[[T], object] | None = None,
        errors: ErrorSink | None = None,
    ) -> Op[T]:
        """Run `do` on the operations thread; once it is committed push a command undoing
        with `undo(result)` (`redo(result)` repeats it after an undo; default: `do` again).

        The returned `Op` says how it went; a refused action's error is shown for it (by
        `errors` when given: an editor showing it beside the field, say).
        """

        steps = self._steps

        def accepted(result: T) -> None:
            again: Callable[[], object] = (lambda: redo(result)) if redo else do
            done = Done(text, again, lambda: undo(result), self)
            if steps is None:
                self.stack.push(done)
            else:
                steps.done.append(done)

        op = self._submit(do, f"Could not {text[0].lower()}{text[1:]}", accepted, errors)
        if steps is not None and not op.done:
            steps.waiting += 1
            op.then(lambda _r: self._step_done(steps)).refused(lambda: self._step_done(steps))
        return op

    @contextmanager
    def one_step(self, text: str) -> Iterator[None]:
        """The actions performed inside become one undo step, `text`, once every one of
        them is done (those the project accepted: a refused one is left out)."""
        steps = self._steps = _Steps(text)
        try:
            yield
        finally:
            self._steps = None
            steps.sealed = True
            self._step_done(steps, handed_in=False)

    def _step_done(self, steps: _Steps, handed_in: bool = True) -> None:
        if handed_in:
            steps.waiting -= 1
        if not steps.sealed or steps.waiting:
            return
        if len(steps.done) > 1:
            self.stack.beginMacro(steps.text)
        for done in steps.done:
            self.stack.push(done)
        if len(steps.done) > 1:
            self.stack.endMacro()

    def run(self, fn: Callable[[], T], title: str) -> Op[T]:
        """Run `fn` on the operations thread with no undo step (a redo or undo, a change
        that is not the facilitator's to take back); `title` heads its error if refused."""
        return self._submit(fn, title, None)

    def when_idle(self, fn: Callable[[], object]) -> None:
        """Run `fn` on the GUI thread once every action handed in so far is done (at once
        when none is on its way)."""
        if self._pending:
            self._when_idle.append(fn)
        else:
            fn()

    def undo(self) -> None:
        """Undo the last step, once the actions on their way have become steps (so the
        step undone is the facilitator's latest, as they expect)."""
        self.when_idle(self.stack.undo)

    def redo(self) -> None:
        self.when_idle(self.stack.redo)

    def wait(self, timeout: float = 30.0) -> bool:
        """Let the event loop run until every action handed in so far is done and its
        outcome delivered (closing a window, tests); False if `timeout` seconds passed."""
        deadline = time.monotonic() + timeout
        # What runs once they are done (an undo waiting for them) may hand in more.
        while self._pending and (left := deadline - time.monotonic()) > 0:
            loop = QEventLoop()
            self._waiting.append(loop)
            QTimer.singleShot(max(1, int(left * 1000)), loop.quit)
            try:
                loop.exec()
            finally:
                self._waiting.remove(loop)
        return not self._pending

    def close(self) -> None:
        """The window is closing: outcomes still on their way are no longer delivered
        (the changes themselves are committed: the runtime finishes the queue), and the
        undo history goes now, while every step in it is whole.

        Left to Python's collector (each step holds these actions, which hold the stack:
        a cycle), a collection could free a step's Python half first, and with it the
        step, which the stack still listed: the stack's own deletion then deleted it a
        second time (a segmentation fault inside a collection, seen in CI)."""
        self._closed = True
        self.stack.clear()

    # ------------------------------------------------------------------ inside

    def _submit(
        self,
        fn: Callable[[], T],
        title: str,
        accepted: Callable[[T], None] | None,
        errors: ErrorSink | None = None,
    ) -> Op[T]:
        op: Op[T] = Op()
        try:
            future = self.ops.submit(fn)
        except RuntimeError as exc:  # the project is closing
            log.info("%s: %s", title, exc)
            op._finish(False, None)
            return op
        self._pending += 1

        def deliver(f: Future[T]) -> None:
            try:
                self._delivery.arrived.emit((op, f, title, accepted, errors))
            except RuntimeError:  # the window has gone: the change is committed all the same
                log.debug("an outcome arrived after its window closed")

        future.add_done_callback(deliver)
        return op

    def _arrived(self, item: tuple[Any, ...]) -> None:
        op, future, title, accepted, errors = item
        self._pending -= 1
        try:
            if self._closed:
                return
            exc = future.exception()
            if exc is None:
                result = future.result()
                if accepted is not None:
                    accepted(result)
                op._finish(True, result)
            elif isinstance(exc, USER_ERRORS):
                log.info("%s: %s", title, exc)
                (errors or self.errors)(title, message_for(exc))
                op._finish(False, None)
            else:
                op._finish(False, None)
                raise exc  # a bug: the application's error hook reports it
        finally:
            if not self._pending:
                for loop in list(self._waiting):
                    loop.quit()
                later, self._when_idle = self._when_idle, []
                for fn in later:
                    if not self._closed:
                        fn()
