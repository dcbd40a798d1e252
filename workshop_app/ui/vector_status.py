"""The notes' vectors kept in the background for a project window, and its status-bar line.

The keeper (services/vectors.py) is a plain thread that hears of new and edited notes
from the project's events itself; the project's runtime (runtime/project.py) builds it,
this object asks it started with the window, and shows its progress on a backlog
("Preparing theme suggestions: 120 of 300 notes") in the status bar, gone when done. The
runtime stops it first when the window closes. Its callbacks arrive on the keeper's
thread and reach the label through queued signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QStatusBar

from workshop_app.services.vectors import Progress, progress_words

log = logging.getLogger(__name__)

#: Starts the keeper of one open project with these callbacks (its runtime's start_keeper).
KeeperStarter = Callable[[Progress, Callable[[str], None]], object]


class VectorStatus(QObject):
    progressed = Signal(int, int)  # notes with a vector, notes in all
    unavailable = Signal(str)  # why notes cannot be embedded (said once)

    def __init__(self, start: KeeperStarter, bar: QStatusBar):
        super().__init__(bar)
        self.label = QLabel()
        self.label.setObjectName("vector-progress")
        self.label.setAccessibleName("Theme suggestions progress")
        self.label.hide()
        bar.addPermanentWidget(self.label)
        self.progressed.connect(self.on_keeper_progressed)
        self.unavailable.connect(self.on_keeper_unavailable)
        start(self.progressed.emit, self.unavailable.emit)

    def on_keeper_progressed(self, done: int, total: int) -> None:
        words = progress_words(done, total, shown=self.label.isVisible())
        self.label.setText(words)
        self.label.setVisible(bool(words))

    def on_keeper_unavailable(self, message: str) -> None:
        log.info("notes are not embedded in the background: %s", message)
        self.label.hide()  # the board says why suggestions are unavailable

    def stop(self) -> None:
        """No more progress to show (the runtime stops the keeper as the window closes)."""
        self.label.hide()
