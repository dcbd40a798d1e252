"""What a project window says about how its file is protected and how long it is kept: a
quiet status-bar note ("Encrypted" / "Not encrypted") and, from 30 days before the
keep-until date, a banner above the sessions (core/retention.py writes the words)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QLabel, QStatusBar

from workshop_app.core.retention import Retention
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.services.retention import retention
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.widgets import plain_label

#: The changes that can move the keep-until date.
TOPICS = frozenset({Topic.SESSIONS, Topic.SETTINGS})


class ProtectionStatus:
    """The status-bar note and the retention banner of one project window."""

    def __init__(
        self,
        project: OpenProject,
        status_bar: QStatusBar,
        on_retention: Callable[[Retention], None],
        today: Callable[[], date] = date.today,
    ):
        self._project = project
        self._on_retention = on_retention
        self._today = today
        self.note = plain_label("", wrap=False)
        self.note.setObjectName("file-protection")
        if project.encrypted:
            self.note.setText("Encrypted")
            self.note.setToolTip("The project file is encrypted with its passphrase.")
        else:
            self.note.setText("Not encrypted")
            self.note.setToolTip(
                "Anyone with a copy of this file can read every note. File > Encrypt "
                "project… protects it with a passphrase."
            )
        status_bar.addPermanentWidget(self.note)
        self.banner: QLabel = plain_label("")
        self.banner.setObjectName("retention-banner")
        self.banner.setAccessibleName("Retention reminder")
        self.banner.setContentsMargins(8, 6, 8, 6)
        set_tone(self.banner, "warning")
        self.banner.hide()
        self.refresh()

    def on_changed(self, event: Changed) -> None:
        if event.topic in TOPICS:
            self.refresh()

    def refresh(self) -> None:
        kept = retention(self._project)
        reminder = kept.reminder(self._today())
        self.banner.setText(reminder or "")
        self.banner.setVisible(reminder is not None)
        self._on_retention(kept)
