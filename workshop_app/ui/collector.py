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
        self.full_collections_skipped = 0
        # Objects in the oldest generation after the last full collection (Python's
        # "long-lived total"): a full collection waits until a quarter as many again
        # have survived into it, as Python's own collector does.
        self._long_lived = 0

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
        """Collect each generation whose count is over Python's threshold, as Python would,
        with Python's rule for the oldest: a full collection only once the objects that
        survived into the oldest generation since the last one are at least a quarter of
        those it kept. Without it every tenth collection was a full one, and with a room's
        connections open a full collection walks over a hundred thousand live objects
        (100 ms and more on a laptop, every thread paused; docs/performance.md)."""
        thresholds = gc.get_threshold()
        for generation in range(3):
            if gc.get_count()[generation] <= thresholds[generation]:
                break
            if generation == 2:
                in_oldest = len(gc.get_objects(2))
                if in_oldest - self._long_lived < self._long_lived // 4:
                    self.full_collections_skipped += 1
                    break
            gc.collect(generation)
            self.collections += 1
            if generation == 2:
                self._long_lived = len(gc.get_objects(2))


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
