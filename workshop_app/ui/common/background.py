"""A view's reads, off the GUI thread: only the newest answer is shown.

A view that reads a large part of the project again on every burst of phone events (the
theme board: a thousand notes and their themes, ~8 ms of SQLite and Python on a quiet
laptop, twice that while phones post) spends that time on the GUI thread, where every
millisecond is one the console does not answer (docs/performance.md, "The facilitator's
console"). Here the read runs on a thread of the view's own, with that thread's read-only
connection, and its answer comes back to the GUI thread by a queued signal, where the view
draws it.

One read at a time, and only the newest is delivered: `drop()` forgets an answer on its way
(the view read synchronously meanwhile, or changed what it shows itself, so the answer is
older than the screen). Nothing here knows Qt widgets or the project: `fn` is any read.
A view's method waiting for its answer is held weakly, so no reference cycle runs through
the view (as in `ui/common/refresher.py`).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)


class ReadFailed:
    """What a view is handed when its read raised (logged here): read again, in the open."""

    def __init__(self, error: BaseException):
        self.error = error


class _Relay(QObject):
    """Carries an answer from the read's thread to the GUI thread (a queued signal)."""

    arrived = Signal(int, object)  # token, answer


def _warm(fn: Callable[[], object]) -> None:
    try:
        fn()
    except Exception:  # the first read meets it again, in the open
        log.debug("warming the reads' thread failed", exc_info=True)


class BackgroundReads:
    """A single thread of reads for one view; answers are delivered on the GUI thread."""

    def __init__(self, name: str, parent: QObject):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._relay = _Relay(parent)  # goes with the view
        # Emitted on the reads' thread, always run on the GUI thread from its event loop.
        self._relay.arrived.connect(self._arrived, Qt.ConnectionType.QueuedConnection)
        self._token = 0
        self._deliver: weakref.WeakMethod[Callable[[Any], None]] | None = None
        self.closed = False

    @property
    def busy(self) -> bool:
        """Whether an answer is on its way (neither delivered nor dropped yet)."""
        return self._deliver is not None

    def read(self, fn: Callable[[], Any], deliver: Callable[[Any], None]) -> bool:
        """Run `fn` on the reads' thread; `deliver(answer)` (a view's method) on the GUI
        thread afterwards (a `ReadFailed` if it raised), unless dropped or the view is gone.
        False when closed (nothing runs)."""
        if self.closed:
            return False
        self._token += 1
        token, relay = self._token, self._relay

        def work() -> None:
            try:
                answer: object = fn()
            except Exception as exc:  # the view reads again in the open, where it shows
                log.exception("a background read failed")
                answer = ReadFailed(exc)
            try:
                relay.arrived.emit(token, answer)
            except RuntimeError:  # the view has gone: nobody is waiting for the answer
                log.debug("a background read finished after its view had gone")

        self._deliver = weakref.WeakMethod(deliver)
        self._pool.submit(work)
        return True

    def warm(self, fn: Callable[[], object]) -> None:
        """Run `fn` on the reads' thread now and answer nobody: what the first read would
        otherwise wait for (opening the thread's connection to an encrypted project derives
        its key: 0.15-0.25 s on a 2-core laptop)."""
        if not self.closed:
            self._pool.submit(_warm, fn)

    def drop(self) -> None:
        """Forget the answer on its way, if any: it is older than what the view shows."""
        self._token += 1
        self._deliver = None

    def close(self) -> None:
        """Drop any answer and wait for a read still running (the project closes next)."""
        self.drop()
        self.closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _arrived(self, token: int, answer: object) -> None:
        if token != self._token or self._deliver is None:
            return  # dropped: a newer read, or the view's own change, came first
        deliver, self._deliver = self._deliver(), None
        if deliver is not None:
            deliver(answer)
