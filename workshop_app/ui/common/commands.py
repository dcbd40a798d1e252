"""Undo and redo for facilitator actions, on a QUndoStack.

An action is carried out first, through a service, so that a refused change (a clear
error) never reaches the stack. Only then is a `Done` command pushed: its first redo is
the action already done; later redos and undos call the services again. A redo or undo
that the project now refuses (say, restoring a group whose name was taken meanwhile) is
reported, never raised into Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtGui import QUndoCommand, QUndoStack

from workshop_app.services.errors import USER_ERRORS, message_for

log = logging.getLogger(__name__)
T = TypeVar("T")
ErrorSink = Callable[[str, str], None]  # (title, message)


class Done(QUndoCommand):
    def __init__(
        self, text: str, redo: Callable[[], object], undo: Callable[[], object], errors: ErrorSink
    ):
        super().__init__(text)
        self._redo = redo
        self._undo = undo
        self._errors = errors
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self._redo, f"Could not redo: {self.text()}")

    def undo(self) -> None:
        self._run(self._undo, f"Could not undo: {self.text()}")

    def _run(self, fn: Callable[[], object], title: str) -> None:
        try:
            fn()
        except USER_ERRORS as exc:
            log.info("%s: %s", title, exc)
            self._errors(title, message_for(exc))


class Actions:
    """Carries out an action and records how to reverse it."""

    def __init__(self, stack: QUndoStack, errors: ErrorSink):
        self.stack = stack
        self.errors = errors

    def perform(
        self,
        text: str,
        do: Callable[[], T],
        undo: Callable[[T], object],
        redo: Callable[[T], object] | None = None,
    ) -> T | None:
        """Run `do`; on success push a command undoing with `undo(result)`.

        `redo(result)` repeats it after an undo (default: `do` again). Returns the result,
        or None when the action was refused (the error has been shown).
        """
        try:
            result = do()
        except USER_ERRORS as exc:
            self.errors(f"Could not {text[0].lower()}{text[1:]}", message_for(exc))
            return None
        again: Callable[[], object] = (lambda: redo(result)) if redo else do
        self.stack.push(Done(text, again, lambda: undo(result), self.errors))
        return result

    def record(self, text: str, redo: Callable[[], object], undo: Callable[[], object]) -> None:
        """Push an action the caller has already carried out."""
        self.stack.push(Done(text, redo, undo, self.errors))
