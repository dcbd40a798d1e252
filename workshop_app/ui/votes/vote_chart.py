"""The results chart of a dot vote: drawn by matplotlib on a worker thread at the label's
size (services.results.vote_chart_png) and shown as a picture; the GUI thread never waits
for it. Only the newest drawing is ever shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from workshop_app.services import results as results_service
from workshop_app.services.results import VoteResults

log = logging.getLogger(__name__)

CHART_DELAY_MS = 250  # a resize redraws the chart once it settles
MIN_CHART = (240, 160)
CHART_DRAWING = "Drawing the chart…"
CHART_FAILED = "The chart could not be drawn. The table has the same results."


class ChartView(QLabel):
    """The results chart: drawn on a worker thread at the label's size, redrawn (once)
    after a resize settles. Only the newest drawing is ever shown."""

    drawn = Signal()  # a new chart is on show

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("results-chart")
        self.setAccessibleName("Chart of the results")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(*MIN_CHART)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one drawing at a time; matplotlib is not re-entrant
        self._done = _ChartDone()
        self._done.finished.connect(self._finished)
        self._timer = single_shot(self, CHART_DELAY_MS, self._draw)
        self._results: VoteResults | None = None
        self._by_group = False
        self._token = 0
        self._busy = False
        self._shown: _Drawing | None = None  # what the picture shows
        self._asked: _Drawing | None = None  # what is being drawn
        self._failed: _Drawing | None = None  # a drawing that failed: not tried again
        self._preloaded = False

    def show_results(self, results: VoteResults | None, *, by_group: bool) -> None:
        self._results = results
        self._by_group = by_group
        if results is None:
            self._token += 1  # a drawing still under way is now stale
            self._shown = self._asked = None
            self.clear()
            return
        if self._shown is None or self._shown.results != results:
            # Never a blank space where the chart will be (the first chart loads
            # matplotlib, seconds on a slow laptop), nor an older vote's chart.
            self._shown = None
            self.setText(CHART_DRAWING)
        self._draw()

    def preload(self) -> None:
        """Load the chart library on the drawing thread now (once), while people vote, so
        the chart appears at once when the vote closes."""
        if self._preloaded:
            return
        self._preloaded = True

        def job() -> None:
            try:
                results_service.preload_charts()
            except Exception:
                log.exception("loading the chart library")

        self._pool.start(job)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._results is not None:
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._results is not None:
            self._timer.start()  # drawn when first seen, not while its tab is hidden

    def wait(self) -> None:
        """Let a drawing under way finish (tests; closing)."""
        self._pool.waitForDone()

    def _wanted(self) -> _Drawing | None:
        if self._results is None:
            return None
        ratio = self.devicePixelRatioF()
        w = max(MIN_CHART[0], self.width())
        h = max(MIN_CHART[1], self.height())
        return _Drawing(self._results, self._by_group, round(w * ratio), round(h * ratio), ratio)

    def _draw(self) -> None:
        self._timer.stop()
        wanted = self._wanted()
        if wanted is None or wanted in (self._shown, self._asked, self._failed):
            return
        if not self.isVisible():
            return  # showEvent draws it
        if self._busy:  # drawn when the one under way comes back
            return
        self._token += 1
        self._busy = True
        self._asked = wanted
        dpi = max(30, min(600, round(100 * wanted.ratio)))
        token, done = self._token, self._done

        def job() -> None:
            try:
                png = results_service.vote_chart_png(
                    wanted.results,
                    by_group=wanted.by_group,
                    width_px=wanted.width,
                    height_px=wanted.height,
                    dpi=dpi,
                )
            except Exception:
                log.exception("drawing the results chart")
                png = b""
            done.finished.emit(token, png)

        self._pool.start(job)

    def _finished(self, token: int, png: bytes) -> None:
        self._busy = False
        asked, self._asked = self._asked, None
        if token == self._token:
            pixmap = QPixmap()
            if png and pixmap.loadFromData(png, "PNG"):
                assert asked is not None
                pixmap.setDevicePixelRatio(asked.ratio)
                self.setPixmap(pixmap)
                self._shown = asked
                self._failed = None
                self.drawn.emit()
            else:  # said, not a blank space; the same drawing is not tried again
                self._failed = asked
                self._shown = None
                self.setText(CHART_FAILED)
        if self._wanted() not in (self._shown, self._failed):
            self._draw()


@dataclass(frozen=True, slots=True)
class _Drawing:
    results: VoteResults
    by_group: bool
    width: int  # device pixels
    height: int
    ratio: float  # device pixels per layout pixel


class _ChartDone(QObject):
    finished = Signal(int, bytes)  # token, PNG (empty when drawing failed)


def single_shot(parent: QObject, ms: int, slot: Callable[[], None]) -> QTimer:
    """A single-shot timer of `ms` that calls `slot`, started by the caller."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(slot)
    return timer
