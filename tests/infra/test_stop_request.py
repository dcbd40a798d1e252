"""`StopRequest`: how `workshop-app serve` hears Ctrl+C and SIGTERM.

A signal handler runs on the main thread between any two bytecodes, so these tests call the
handler at every line the waiting code runs (a line tracer), the way a signal would arrive
there. The first test shows the harness catches a handler that takes a lock the waiter holds
(`threading.Event.set` while the same thread is inside `Event.wait`: the CI hang).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from workshop_app.infra.process import StopRequest

#: Lines into the wait at which the handler is called, one run each.
LINES = 60


def _handler_at_line(k: int, wait: Callable[[], object], handler: Callable[[], None]) -> bool:
    """Run `wait` on a thread that calls `handler` at its k-th traced line (any frame, the
    standard library's too); True when `wait` returned, False when it hung."""
    seen = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal seen
        if event == "line":
            seen += 1
            if seen == k:
                handler()
        return tracer

    def run() -> None:
        sys.settrace(tracer)
        try:
            wait()
        finally:
            sys.settrace(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(2.0)
    return not thread.is_alive()


def test_the_harness_catches_a_handler_that_sets_a_threading_event() -> None:
    hung_at = []
    for k in range(1, LINES):
        stop = threading.Event()

        def wait(stop: threading.Event = stop) -> None:
            while not stop.wait(0.001):
                pass

        if not _handler_at_line(k, wait, stop.set):
            hung_at.append(k)
            break  # one stuck (daemon) thread is proof enough
    assert hung_at, "an Event set from inside its own wait should have deadlocked"


def test_a_stop_request_at_any_line_of_the_wait_ends_the_wait() -> None:
    for k in range(1, LINES):
        stop = StopRequest(poll=0.001)
        assert _handler_at_line(k, stop.wait, lambda s=stop: s.handle(signal.SIGTERM)), k
        assert stop.requested and stop.signal_number == signal.SIGTERM


def test_wait_with_a_timeout_returns_false_when_nobody_asked() -> None:
    stop = StopRequest(poll=0.01)
    started = time.monotonic()
    assert stop.wait(0.05) is False
    assert time.monotonic() - started >= 0.05
    assert not stop.requested


def test_a_real_sigterm_and_sigint_stop_a_waiting_process() -> None:
    """The installed handlers, in a process of its own, signalled while it waits."""
    script = (
        "import sys\n"
        "from workshop_app.infra.process import StopRequest\n"
        "stop = StopRequest(poll=0.001)\n"
        "stop.install()\n"
        "print('waiting', flush=True)\n"
        "stop.wait()\n"
        "print('stopped by', stop.signal_number, flush=True)\n"
    )
    for sig in (signal.SIGTERM, signal.SIGINT):
        for _ in range(5):
            proc = subprocess.Popen(
                [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
            )
            try:
                assert proc.stdout is not None
                assert proc.stdout.readline() == "waiting\n"
                proc.send_signal(sig)
                out, _err = proc.communicate(timeout=20)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            assert proc.returncode == 0
            assert out == f"stopped by {int(sig)}\n"
