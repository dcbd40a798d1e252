"""The arrival check's second look: each note a phone sends is read by the theme model
*before* its writer job, and held when most of its nearest labelled notes are possible
disclosures (themes/disclosure.py, decision 032), exactly as one the phrase rules found.

Reading costs the model ~10–30 ms a note, so it runs on a thread of its own (never the
server's event loop, never the writer); the note's vector is kept with the note in the same
transaction, so the background keeper has nothing left to do for it. When the model or its
reference cannot be used, the check falls back to the rules alone, says so once in the log
and in :attr:`SecondLook.problem`, and nothing a phone sends is refused for it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from workshop_app.storage import vectors as vectors_repo
from workshop_app.themes import Matrix, ModelError, ThemeEngine
from workshop_app.themes.disclosure import DisclosureCheck

__all__ = ["ARRIVAL_NICENESS", "Reading", "SecondLook", "after_reading"]

T = TypeVar("T")

log = logging.getLogger(__name__)

#: How much lower the reading thread's priority is than the GUI's and the server's (Linux
#: nice value): above the background keeper's 19, since a note waits for it.
ARRIVAL_NICENESS = 10


@dataclass(frozen=True, slots=True)
class Reading:
    """What the second look found in one text: its vector, how many of its nearest labelled
    notes are possible disclosures, and so whether it reads like one."""

    text: str
    vector: Matrix
    neighbours: int
    reads_like_disclosure: bool

    def kept(self, note_id: str) -> vectors_repo.NewVector:
        """The vector, to keep with the note it was read for."""
        data = np.ascontiguousarray(self.vector, dtype="<f4").tobytes()
        return vectors_repo.NewVector(note_id, self.text, int(self.vector.shape[0]), data)


class SecondLook:
    """Reads arriving texts, one batch at a time, on a thread of its own. Thread-safe;
    `close` it after the server that uses it has stopped."""

    def __init__(self, engine: ThemeEngine, reference: DisclosureCheck | None = None):
        self.engine = engine
        self._reference = reference
        self._executor = ThreadPoolExecutor(1, "cg-arrival", initializer=_lower_priority)
        self._lock = threading.Lock()
        self.problem = ""  # why the second look is not reading ("" while it works)
        self.read_count = 0  # texts read (for tests and benchmarks)

    @property
    def identity(self) -> str:
        """Names the vectors it keeps (the engine's model)."""
        return self.engine.identity

    def warm(self) -> Future[DisclosureCheck]:
        """Load the model and the reference now, on the look's thread (a note arriving
        meanwhile waits behind it)."""
        return self._executor.submit(self._ready)

    def read(self, texts: Sequence[str]) -> Future[list[Reading]]:
        """Each text's reading, in order; the future fails with ModelError when the model or
        the reference cannot be used (and `problem` says why)."""
        return self._executor.submit(self._read, list(texts))

    def close(self) -> None:
        """Finish the readings queued, then stop the thread."""
        self._executor.shutdown(wait=True, cancel_futures=False)

    def _ready(self) -> DisclosureCheck:
        with self._lock:
            if self.problem:
                raise ModelError(self.problem)
            try:
                if self._reference is None:
                    self._reference = DisclosureCheck.load(self.engine.model.model_dir)
                self._reference.check_model(self.engine.identity)
                self.engine.model.load()
            except ModelError as exc:
                self.problem = str(exc)
                log.warning("the arrival check reads notes with its rules alone: %s", exc)
                raise
            return self._reference

    def _read(self, texts: list[str]) -> list[Reading]:
        reference = self._ready()
        if not texts:
            return []
        try:
            vectors = self.engine.encode(texts)
        except ModelError as exc:
            with self._lock:
                self.problem = str(exc)
            log.warning("the arrival check reads notes with its rules alone: %s", exc)
            raise
        found = reference.neighbours(vectors)
        self.read_count += len(texts)
        return [
            Reading(t, v, int(n), bool(n >= reference.votes))
            for t, v, n in zip(texts, vectors, found, strict=True)
        ]


def after_reading(
    look: SecondLook | None,
    texts: Sequence[str],
    then: Callable[[Sequence[Reading] | None], Future[T]],
) -> Future[T]:
    """`then(readings)` once the look has read `texts` (at once with None when there is no
    look, or when it could not read them: the rules alone decide then), as one future."""
    if look is None:
        return then(None)
    done: Future[T] = Future()

    def chain(inner: Future[T]) -> None:
        exc = inner.exception()
        if exc is not None:
            done.set_exception(exc)
        else:
            done.set_result(inner.result())

    def go(reading: Future[list[Reading]]) -> None:
        try:
            readings: Sequence[Reading] | None = reading.result()
        except ModelError:
            readings = None
        except Exception:
            log.exception("the arrival check's second look failed")
            readings = None
        try:
            inner = then(readings)
        except BaseException as exc:  # e.g. the project closed meanwhile
            done.set_exception(exc)
            return
        inner.add_done_callback(chain)

    try:
        reading = look.read(texts)
    except RuntimeError:  # the look has closed: the server is stopping
        return then(None)
    reading.add_done_callback(go)
    return done


def _lower_priority() -> None:
    """Let the GUI and the phones' server go first (Linux: a thread has a nice value of its
    own; the model computes on this thread when it runs single-threaded)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), ARRIVAL_NICENESS)
