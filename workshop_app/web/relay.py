"""The writer's answers, handed to the server's event loop in one wake-up per batch.

A phone's submission is a job on the writer's queue; its handler waits for the job's
`concurrent.futures.Future`. `asyncio.wrap_future` would wake the loop once per answer
(`call_soon_threadsafe`: a byte through the loop's self-pipe, written by the writer and read
by the loop), yet the writer answers a whole batch at once, right after its COMMIT. Here the
first answer of a burst schedules one call on the loop, and that call hands over every answer
that has arrived by then: one wake-up for the batch, the same results, exceptions and
cancellations as `wrap_future` (decision 038).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class Relay:
    """One per event loop. `wait(future)` from the loop; the future completes on any thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._arrived: list[tuple[Future[Any], asyncio.Future[Any]]] = []
        self.wakeups = 0  # how many times the loop was woken to take answers (for tests)

    def wait(self, future: Future[T]) -> asyncio.Future[T]:
        """An asyncio future on this loop with `future`'s outcome. Cancelling it cancels
        `future` too (a job not yet started is then never run, as with `wrap_future`)."""
        waiter: asyncio.Future[T] = self._loop.create_future()
        waiter.add_done_callback(lambda w: future.cancel() if w.cancelled() else None)
        future.add_done_callback(lambda f: self._arrive(f, waiter))
        return waiter

    def _arrive(self, future: Future[Any], waiter: asyncio.Future[Any]) -> None:
        # On the thread that completed `future` (the writer), or on the loop itself when it
        # was already done.
        with self._lock:
            first = not self._arrived
            self._arrived.append((future, waiter))
        if first:
            with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits now
                self._loop.call_soon_threadsafe(self._hand_over)

    def _hand_over(self) -> None:
        with self._lock:
            arrived, self._arrived = self._arrived, []
        self.wakeups += 1
        for future, waiter in arrived:
            if waiter.done():  # the handler stopped waiting (cancelled)
                continue
            if future.cancelled():
                waiter.cancel()
                continue
            exc = future.exception(timeout=0)
            if exc is not None:
                waiter.set_exception(exc)
            else:
                waiter.set_result(future.result(timeout=0))
