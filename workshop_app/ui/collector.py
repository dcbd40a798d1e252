"""Python's garbage collector runs on the GUI thread only (decision 016).

Python collects reference cycles on whichever thread happens to allocate when a threshold
is crossed: the phone server's, the writer's, a theme-suggestion worker's. A cycle that holds
a Qt object is then destroyed on that thread. Qt's destructors take Qt's own locks and then
wait for the interpreter lock, while the GUI thread holds the interpreter lock and waits for
one of those Qt locks: the app froze (seen: a suggestion worker loading the model) or
crashed inside a collection. So a process that runs Qt switches automatic collection off and
collects from a timer on the GUI thread, with Python's own thresholds, as qutebrowser and
pyqtgraph do.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks at the collector's counts (a young-generation pass over
#: what accumulated in this time takes well under a millisecond).
INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Collects garbage on a timer of the thread it lives on (the GUI thread)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self.collections = 0

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def collect_due(self) -> None:
        """Collect each generation whose count is over Python's threshold, as Python would."""
        thresholds = gc.get_threshold()
        for generation in range(3):
            if gc.get_count()[generation] > thresholds[generation]:
                gc.collect(generation)
                self.collections += 1
            else:
                break


def install(parent: QObject) -> GuiThreadCollector:
    """The collector for this process, started: call once, from the GUI thread."""
    existing = parent.findChild(GuiThreadCollector)
    if existing is not None:
        if not existing.running:
            existing.start()
        return existing
    collector = GuiThreadCollector(parent)
    collector.start()
    return collector
