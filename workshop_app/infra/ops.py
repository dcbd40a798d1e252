"""The facilitator's operations, one at a time, on a thread of their own.

A desktop action (approve a note, move notes into a theme, rename a session) is a service
call: a few reads, then a job queued to the project's single writer and a wait for its
commit. Run on the GUI thread, that wait is a stall whenever phones keep the writer busy.
So, as Anki runs its collection operations, the window hands each action to this runner:
the call runs on the `cg-ops` thread, in the order given (a theme is made before notes
are moved into it; an undo runs after the action it reverses), and the caller hears the
outcome afterwards (`ui/common/commands.Actions` delivers it on the GUI thread, where the
undo step is recorded once the change is committed).

The runner is plain Python (no Qt): the project's runtime (`runtime/project.py`) owns it
and stops it in the ordered shutdown, after the views and before the project, so an
action queued as the window closes is still committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class OperationsClosedError(RuntimeError):
    """An operation was handed in after the project began to close."""


class Operations:
    """A single background thread running the facilitator's operations in order."""

    def __init__(self, name: str = "cg-ops"):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.closed = False

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Queue `fn`; its future completes on the operations thread, after the ones
        queued before it."""
        if self.closed:
            raise OperationsClosedError("the project is closing; nothing more can be changed")
        return self._executor.submit(fn)

    def close(self) -> None:
        """Run every operation already queued, then stop the thread (once)."""
        if self.closed:
            return
        self.closed = True
        self._executor.shutdown(wait=True)
