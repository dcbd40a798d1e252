"""Service events (published on the writer thread) re-emitted as Qt signals.

A signal emitted from another thread reaches slots of objects living on the GUI thread
through a queued connection, so widgets only ever change on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from workshop_app.services.events import Changed, EventBus


class Bridge(QObject):
    changed = Signal(object)  # a services.events.Changed

    def __init__(self, bus: EventBus, parent: QObject | None = None):
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = bus.subscribe(self._on_event)

    def _on_event(self, event: object) -> None:
        if isinstance(event, Changed):
            self.changed.emit(event)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
