"""One coalescing refresher for a project window and every view in it.

Views mark themselves dirty on change events and ask the refresher to redraw them *soon*:
a burst of phone events costs one redraw (decision 012). The project window owns the one
refresher and stops it before the project closes, so no redraw can read a closed store:
after :meth:`Refresher.stop` every pending redraw is dropped and new requests are ignored.

No Python reference cycle runs through the refresher (no closures; views' methods are held
weakly), so nothing here waits for the garbage collector: PySide objects torn down from
inside a collection can crash the process.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeAlias

from PySide6.QtCore import QObject, QTimer

Redraw: TypeAlias = Callable[[], None]
# How a waiting redraw is filed: a view's bound method weakly, any other callable as it is.
_Key: TypeAlias = "weakref.WeakMethod[Redraw] | Redraw"


def _key(redraw: Redraw) -> _Key:
    """A bound method is held weakly (the view may go first); other callables as they are."""
    if hasattr(redraw, "__self__") and hasattr(redraw, "__func__"):
        return weakref.WeakMethod(redraw)
    return redraw


class _Pending(QTimer):
    """The single-shot timer of one redraw."""

    def __init__(self, owner: Refresher, key: _Key) -> None:
        super().__init__(owner)
        self.setSingleShot(True)
        self.key = key
        self.timeout.connect(owner.on_timer_timeout)  # the owner's slot: no closure

    def redraw(self) -> Redraw | None:
        if isinstance(self.key, weakref.WeakMethod):
            return self.key()
        return self.key


class Refresher(QObject):
    """Runs each redraw once, ``ms`` after the first request of a burst.

    A redraw is identified by the callable itself (a bound method compares equal to itself),
    so a view asks with ``refresher.soon(self._refresh_if_shown, 100)`` and need not keep a
    timer of its own.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timers: dict[_Key, _Pending] = {}
        self._stopped = False

    @property
    def stopped(self) -> bool:
        return self._stopped

    def soon(self, redraw: Redraw, ms: int = 100) -> None:
        """Run ``redraw`` in ``ms`` milliseconds unless it is already waiting."""
        if self._stopped:
            return
        key = _key(redraw)
        timer = self._timers.get(key)
        if timer is None:
            timer = self._timers[key] = _Pending(self, key)
        if not timer.isActive():
            timer.setInterval(ms)
            timer.start()

    def pending(self, redraw: Redraw) -> bool:
        timer = self._timers.get(_key(redraw))
        return timer is not None and timer.isActive()

    def cancel(self, redraw: Redraw) -> None:
        """Forget a waiting redraw (the view has just redrawn by itself)."""
        timer = self._timers.get(_key(redraw))
        if timer is not None:
            timer.stop()

    def flush(self) -> None:
        """Run every waiting redraw now (before a screenshot, in tests)."""
        for timer in list(self._timers.values()):
            if timer.isActive():
                timer.stop()
                self.run(timer)

    def stop(self) -> None:
        """Drop every waiting redraw and refuse new ones: the project is about to close."""
        self._stopped = True
        for timer in self._timers.values():
            timer.stop()

    def on_timer_timeout(self) -> None:
        timer = self.sender()
        if isinstance(timer, _Pending):
            self.run(timer)

    def run(self, timer: _Pending) -> None:
        if self._stopped:  # a timeout already queued when stop() was called
            return
        redraw = timer.redraw()
        if redraw is not None:  # None: the view it belonged to is gone
            redraw()
