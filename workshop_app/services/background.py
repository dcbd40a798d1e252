"""A thread that works through what the project's content changes leave to do, in batches:
the note-vector keeper (services/vectors.py) and the arrival check's second look
(services/arrival.py) are each one.

Woken by the project's content events (and by `notify`), it runs `_round` until a round
finds nothing to do, then sleeps; `stop` lets the batch under way finish and waits for it.
It runs at a lower scheduling priority than the GUI, the phones' server and the writer (on
Linux a thread has a nice value of its own; the theme model computes on the calling thread
when it runs single-threaded; elsewhere nothing changes). No Qt here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable

from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage.errors import StoreClosedError

__all__ = ["BACKGROUND_NICENESS", "ContentWorker"]

log = logging.getLogger(__name__)

#: How much lower a content worker's priority is than the GUI's, the phones' server's and the
#: writer's (Linux nice value; decision 037). Not the lowest: these threads share Python's
#: interpreter lock with them, and a thread the scheduler does not run while it holds the lock
#: keeps everyone else waiting — with other programs busy on both cores, a normal thread once
#: waited 190–280 ms for the model's thread at nice 19 (8 runs), 36–41 ms at 10, 10–15 ms at 5
#: and 8 ms at 0 (2-core AVX2 host).
BACKGROUND_NICENESS = 5


class ContentWorker:
    """Subclasses give `_round` (one batch; False when nothing was left to do), the thread's
    `name`, its `niceness` and `what` it is called in the log."""

    name = "cg-worker"
    niceness = BACKGROUND_NICENESS
    what = "a background worker"

    def __init__(self, project: OpenProject) -> None:
        self.project = project
        self._wake = threading.Event()
        self._lock = threading.Lock()  # `idle` and `_wake` change together
        self._stopping = threading.Event()
        self._unsubscribe: Callable[[], None] | None = None
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self.idle = threading.Event()  # set while nothing is left to do

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        """Start working (a read-only project has nothing to write: no thread)."""
        if self.project.read_only or self._thread.is_alive() or self._stopping.is_set():
            return
        self._unsubscribe = self.project.bus.subscribe(self._on_event)
        self._thread.start()

    def notify(self) -> None:
        """Something changed: look for work (cheap; any thread)."""
        with self._lock:
            self.idle.clear()
            self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the batch under way; waits for it."""
        self._stopping.set()
        self._wake.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until nothing is left to do (for tests and benchmarks)."""
        return self.idle.wait(timeout)

    def _on_event(self, event: object) -> None:
        if isinstance(event, Changed) and event.topic is Topic.CONTENT:
            self.notify()

    def _round(self) -> bool:
        raise NotImplementedError

    def _run(self) -> None:
        self._lower_priority()
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                if not self._round() and not self._stopping.is_set():
                    with self._lock:
                        if not self._wake.is_set():  # nobody said "look again" meanwhile
                            self.idle.set()
                    self._wake.wait()
        except StoreClosedError:
            pass  # the project closed under us: nothing to say
        except Exception:
            log.exception("%s stopped", self.what)
        finally:
            self.idle.set()

    def _lower_priority(self) -> None:
        if sys.platform.startswith("linux"):
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), self.niceness)
