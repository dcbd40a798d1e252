"""The single writer: one thread owns the only writing connection.

Every write in the application is a *job*: a function of a `Tx`. The writer takes
whatever jobs are queued, runs them in one transaction with a savepoint each, commits,
and only then publishes each successful job's events and answers its future. So a
caller (a phone's HTTP handler, a desktop action) hears "done" only for committed data,
a failing job rolls back alone, and checks such as "is this vote within the budget?"
run without races. See docs/decisions/002-single-writer.md.
"""

from __future__ import annotations

import logging
import queue
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlite_utils import Database

from workshop_app.storage.cipher import Key
from workshop_app.storage.db import connect
from workshop_app.storage.errors import StorageProblem, StoreClosedError, classify

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_BATCH = 256


@dataclass
class Tx:
    """What a job sees: the writing database and a place to put events for after COMMIT."""

    db: Database
    events: list[object] = field(default_factory=list)
    wants_checkpoint: bool = False

    def emit(self, event: object) -> None:
        self.events.append(event)

    def checkpoint_after_commit(self) -> None:
        """Ask for the write-ahead log to be folded into the file and emptied once this
        job has committed: for words removed on purpose, so no old copy of the page
        stays behind in the -wal file (the file itself has secure_delete on)."""
        self.wants_checkpoint = True


@dataclass
class _Job(Generic[T]):
    fn: Callable[[Tx], T]
    future: Future[T]


_STOP = object()


class Writer:
    def __init__(
        self,
        path: Path,
        on_commit: Callable[[list[object]], None] | None = None,
        key: Key | None = None,
    ):
        self._path = path
        self._key = key
        self._on_commit = on_commit
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self.batches = 0  # how many transactions were committed (for benchmarks)
        self._thread = threading.Thread(target=self._run, name="cg-writer", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            raise self._startup_error

    def submit(self, fn: Callable[[Tx], T]) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise StoreClosedError("the project is closed; nothing more can be written")
            self._queue.put(_Job(fn, future))
        return future

    def call(self, fn: Callable[[Tx], T], timeout: float | None = 30.0) -> T:
        """Submit and wait for the committed result (for the CLI and tests)."""
        return self.submit(fn).result(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Finish every job already queued, then close the connection."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            db = connect(self._path, key=self._key)
        except BaseException as e:  # reported to the constructor's caller
            self._startup_error = classify(e, self._path)
            self._ready.set()
            return
        self._ready.set()
        try:
            stopping = False
            while not stopping:
                batch: list[_Job[Any]] = []
                item = self._queue.get()
                while True:
                    if item is _STOP:
                        stopping = True
                        break
                    batch.append(item)
                    if len(batch) >= MAX_BATCH:
                        break
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                if batch:
                    self._run_batch(db, batch)
                    _forget_frames(batch)
        finally:
            db.close()

    def _run_batch(self, db: Database, batch: list[_Job[Any]]) -> None:
        conn = db.conn
        outcomes: list[tuple[bool, Any, list[object]]] = []
        checkpoint = False
        try:
            conn.execute("BEGIN IMMEDIATE")
            for job in batch:
                if not job.future.set_running_or_notify_cancel():
                    outcomes.append((False, None, []))
                    continue
                # One name for every job's savepoint (each is released or rolled back
                # before the next opens): a name per job made each batch's statements new
                # to the driver's statement cache (100-128 entries), so larger batches
                # compiled every statement afresh.
                conn.execute("SAVEPOINT job")
                tx = Tx(db)
                try:
                    result = job.fn(tx)
                except Exception as e:
                    # The disk (full, read-only, failing) is not a bug: say so.
                    problem = classify(e, self._path)
                    try:
                        conn.execute("ROLLBACK TO job")
                        conn.execute("RELEASE job")
                    except Exception:
                        # SQLite gave up the whole transaction (a full disk can do that):
                        # every job of the batch hears of it below.
                        raise problem from e
                    outcomes.append((False, problem, []))
                else:
                    conn.execute("RELEASE job")
                    outcomes.append((True, result, tx.events))
                    checkpoint = checkpoint or tx.wants_checkpoint
            conn.execute("COMMIT")
        except Exception as e:
            # The transaction itself failed (disk full, I/O error): nothing was stored,
            # so every job in the batch hears about it.
            problem = classify(e, self._path)
            if isinstance(problem, StorageProblem):
                log.warning("write transaction failed: %s (%s)", problem.kind, e)
            else:
                log.exception("write transaction failed")
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except Exception:  # SQLite has already rolled back, or cannot now
                    log.warning("rollback after a failed write also failed", exc_info=True)
            for job in batch:
                if job.future.running():
                    job.future.set_exception(problem)
            return
        self.batches += 1
        if checkpoint:
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except Exception:  # committed all the same; the log empties at the next one
                log.exception("checkpoint after commit failed")
        events = [ev for ok, _, evs in outcomes if ok for ev in evs]
        if events and self._on_commit is not None:
            try:
                self._on_commit(events)
            except Exception:  # a subscriber's bug must not lose the answers
                log.exception("event subscriber failed")
        for job, (ok, value, _) in zip(batch, outcomes, strict=True):
            if not job.future.running():
                continue  # was cancelled before it ran
            if ok:
                job.future.set_result(value)
            else:
                job.future.set_exception(value)


def _forget_frames(batch: list[_Job[Any]]) -> None:
    """A refused job's exception keeps its traceback, and the traceback keeps `_run_batch`'s
    frame with its local variables: the whole batch, every job's future and answer. That was a
    reference cycle (frame, outcomes, exception, traceback) that only the garbage collector could
    free, so one refusal made thirty objects of garbage of every write in its batch. The frames'
    variables are cleared once the batch is done; the traceback still says where it was raised."""
    for job in batch:
        future = job.future
        if not future.done() or future.cancelled():
            continue
        exc: BaseException | None = future.exception(timeout=0)
        seen = 0
        while exc is not None and seen < 8:  # the exception and what it was raised from
            traceback.clear_frames(exc.__traceback__)
            exc = exc.__cause__ or exc.__context__
            seen += 1
