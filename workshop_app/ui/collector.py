"""Python's garbage collector runs on the GUI thread only (decision 016).

Python collects reference cycles on whichever thread happens to allocate when a threshold
is crossed: the phone server's, the writer's, a theme-suggestion worker's. A cycle that holds
a Qt object is then destroyed on that thread. Qt's destructors take Qt's own locks and then
wait for the interpreter lock, while the GUI thread holds the interpreter lock and waits for
one of those Qt locks: the app froze (seen: a suggestion worker loading the model) or
crashed inside a collection. So a process that runs Qt switches automatic collection off and
collects from a timer on the GUI thread, with Python's own thresholds, as qutebrowser and
pyqtgraph do.

While phones are being served it collects differently (decision 033): every 50 ms it walks
only what was made since the last look, then freezes what survived (`gc.freeze`), so no pass
ever walks a room's connections again; what was frozen is collected in full, once, when the
serving stops (or if the frozen heap grows past a limit).
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from workshop_app.infra.process import tune_gc

#: How often the GUI thread looks at the collector's counts (a young-generation pass over
#: what accumulated in this time takes well under a millisecond).
INTERVAL_MS = 500
#: How often it looks while phones are served: a young pass over 50 ms of a saturated room's
#: allocations took under 30 ms on a slow 2-core VM (docs/performance.md).
SERVING_INTERVAL_MS = 50
#: How often (in looks) the frozen heap is measured while serving, and how far it may grow
#: before it is collected in full anyway: garbage in cycles that outlived its first 50 ms
#: waits in it (almost none measured: a room's requests are freed by their reference counts).
MEASURE_FROZEN_EVERY = 1200  # a minute
MOST_FROZEN_GROWTH = 1_000_000  # objects: some hundreds of MB, far beyond a room's own state


class GuiThreadCollector(QObject):
    """Collects garbage on a timer of the thread it lives on (the GUI thread)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self.collections = 0
        self.full_collections_skipped = 0
        # Whether phones are being served now (the composition root says: `watch_serving`).
        self._serving: Callable[[], bool] = lambda: False
        self.freezing = False  # collecting as while serving: young passes, then freeze
        self.thaws = 0  # full collections of what was frozen while serving
        self._frozen_at_start = 0
        self._looks = 0
        # Objects in the oldest generation after the last full collection (Python's
        # "long-lived total"): a full collection waits until a quarter as many again
        # have survived into it, as Python's own collector does.
        self._long_lived = 0

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self.freezing:
            self._thaw()
        gc.enable()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def watch_serving(self, serving: Callable[[], bool]) -> None:
        """Collect as while serving whenever `serving()` says phones are being served (read
        on each look, on the GUI thread)."""
        self._serving = serving

    def collect_due(self) -> None:
        """One look: as while serving, or as Python would (`collect_as_python_would`)."""
        serving = self._serving()
        if serving and not self.freezing:
            self._start_freezing()
        elif self.freezing and not serving:
            self._thaw()
        if self.freezing:
            self._collect_young_then_freeze()
        else:
            self.collect_as_python_would()

    def _start_freezing(self) -> None:
        self.freezing = True
        self._looks = 0
        self._frozen_at_start = gc.get_freeze_count()
        self._timer.setInterval(SERVING_INTERVAL_MS)

    def _collect_young_then_freeze(self) -> None:
        """Walk only what is new since the last look (cycles that died young are freed),
        then freeze the survivors: moving them out of every later pass costs nothing."""
        if gc.get_count()[0] > gc.get_threshold()[0]:
            gc.collect(0)
            self.collections += 1
            gc.freeze()
        self._looks += 1
        if (
            self._looks % MEASURE_FROZEN_EVERY == 0
            and gc.get_freeze_count() - self._frozen_at_start > MOST_FROZEN_GROWTH
        ):
            self._thaw()  # a leak would grow without bound: collect it now
            self._start_freezing()

    def _thaw(self) -> None:
        """Collect everything frozen while serving, once, at a moment of our choosing (the
        serving ended); then freeze what lives, as after start-up (`tune_gc`)."""
        self.freezing = False
        self._timer.setInterval(self._interval_ms)
        gc.unfreeze()
        tune_gc()
        self.thaws += 1
        self._long_lived = len(gc.get_objects(2))

    def collect_as_python_would(self) -> None:
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
