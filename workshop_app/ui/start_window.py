"""The start screen: new project, open, recent projects, the demo."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workshop_app import APP_NAME, __version__
from workshop_app.core.retention import keep_until_note
from workshop_app.ui.common.widgets import heading, plain_label, resize_within_screen


class StartWindow(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_chosen = Signal(object)  # Path
    closed = Signal()

    def __init__(self, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle(APP_NAME)
        self.setObjectName("start")
        title = heading(APP_NAME)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        title.setFont(font)
        intro = plain_label(
            "Plan and run co-design workshops where services, parents and carers, children "
            "and young people shape quality standards together. Everything stays on this "
            "laptop; participants join from their phones over the room's Wi-Fi."
        )
        self.new_button = QPushButton("New project…")
        self.open_button = QPushButton("Open project…")
        self.demo_button = QPushButton("Open the demo project")
        self.demo_button.setToolTip("A fictional project to explore and to train co-facilitators")
        for b in (self.new_button, self.open_button, self.demo_button):
            b.setMinimumHeight(40)
        self.new_button.setDefault(True)
        buttons = QVBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(plain_label(f"Version {__version__}", wrap=False))

        self.recent = QListWidget()
        self.recent.setObjectName("recent")
        self.recent.setAccessibleName("Recent projects")
        self.recent.setWordWrap(True)
        self.recent_empty = plain_label("Projects you open will be listed here.")
        recent_box = QVBoxLayout()
        recent_box.addWidget(heading("Recent projects"))
        recent_box.addWidget(self.recent, 1)
        recent_box.addWidget(self.recent_empty)

        columns = QHBoxLayout()
        columns.addLayout(buttons, 1)
        columns.addSpacing(24)
        columns.addLayout(recent_box, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(16)
        layout.addLayout(columns, 1)

        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        self.recent.itemActivated.connect(self._activated)
        geometry = settings.value("window/start-geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            resize_within_screen(self, 820, 520)

    def show_recent(self, paths: list[Path], keep_until: Mapping[Path, date] | None = None) -> None:
        """The recent projects, each with its keep-until date when it is known (a
        reminder in plain words once it is near or past)."""
        self.recent.clear()
        dates = keep_until or {}
        today = date.today()
        for path in paths:
            missing = not path.exists()
            text = f"{path.stem}\n{path.parent}" + ("\n(moved or deleted)" if missing else "")
            kept = dates.get(path)
            if kept is not None and not missing:
                text += "\n" + keep_until_note(kept, today)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            if missing:
                item.setForeground(self.palette().placeholderText())
            self.recent.addItem(item)
        self.recent_empty.setVisible(not paths)
        if paths:
            self.recent.setCurrentRow(0)

    def _activated(self, item: QListWidgetItem) -> None:
        self.recent_chosen.emit(Path(item.data(Qt.ItemDataRole.UserRole)))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("window/start-geometry", self.saveGeometry())
        self.closed.emit()
        super().closeEvent(event)
