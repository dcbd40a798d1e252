"""Process-wide tuning done once start-up is over."""

from __future__ import annotations

import gc
import logging
import signal
import sys
import time
from collections.abc import Iterable
from types import FrameType

log = logging.getLogger(__name__)

# Python's defaults. Raising the first threshold (10,000 was tried) made collections rarer
# but each one longer: pauses of 70-100 ms under a phone burst, against under 30 ms here
# (benchmarks/lan_load.py; every collection pauses every thread, the GUI's included).
GC_THRESHOLDS = (700, 10, 10)


def tune_gc() -> None:
    """Freeze what start-up built (never garbage) so full collections stay short.

    Also called after a project window has loaded a session's wall and board: a thousand
    notes with their cards and board items are some 100,000 objects, and a full
    collection over them pauses every thread (the GUI's too) for 70-80 ms; frozen, they
    are skipped and collections stay under a few milliseconds. The collection here
    happens at a moment of our choosing, just after the facilitator switched views.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


#: macOS refuses a soft limit above OPEN_MAX even when the hard limit is "unlimited".
MACOS_OPEN_MAX = 10240


def raise_open_file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; return the limit.

    Linux laptops start programs with 1,024 open files and macOS with 256, although the
    hard limits are far higher: each phone holds one or two connections, so the
    participant server sizes its connection cap from what this returns.
    """
    try:
        import resource
    except ImportError:  # Windows: no such limit on sockets
        return 8192
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard
    if sys.platform == "darwin":
        want = MACOS_OPEN_MAX if hard == resource.RLIM_INFINITY else min(hard, MACOS_OPEN_MAX)
    elif hard == resource.RLIM_INFINITY:
        want = 65536
    if want > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
            soft = want
        except (ValueError, OSError) as exc:
            log.info("could not raise the open-file limit from %d: %s", soft, exc)
    return int(soft)


class StopRequest:
    """Ctrl+C or SIGTERM asking a command-line server (`workshop-app serve`) to stop.

    The handler only sets a flag, and `wait` looks at it between short sleeps. A signal
    handler runs on the main thread between any two bytecodes, possibly while that thread
    holds a lock: `threading.Event.set` there, with the main thread inside `Event.wait` on
    the same event, waited for itself for ever (a `serve` hung that way in CI, about one
    SIGTERM in forty at a fast poll). A flag takes no lock.
    """

    def __init__(self, poll: float = 0.1) -> None:
        self.poll = poll
        self.requested = False
        self.signal_number: int | None = None

    def install(self, signals: Iterable[int] = (signal.SIGINT, signal.SIGTERM)) -> None:
        """Handle these signals from now on (main thread only, as Python requires)."""
        for sig in signals:
            signal.signal(sig, self.handle)

    def handle(self, signum: int, _frame: FrameType | None = None) -> None:
        """The signal handler: no locks, no I/O, no allocation beyond two assignments."""
        self.signal_number = signum
        self.requested = True

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep until a stop is requested (True) or `timeout` seconds pass (False)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.requested:
            if deadline is None:
                time.sleep(self.poll)
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self.poll, left))
        return True
