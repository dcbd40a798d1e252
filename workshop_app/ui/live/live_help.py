"""The live panel's private help requests and safeguarding lines: the red line saying how
many requests wait, the list of requests (newest first, also those sent through another
session's link), Mark as seen with an optional private follow-up note, how many of the
session's notes are flagged for follow-up, and how many were held back on arrival and wait
for the facilitator (in the help requests' red when any may be a disclosure). On the console
only, never on the projector.

`HelpRequests` is a part of the live panel (`ui/live/live_panel.LivePanel` mixes it in: its
widgets and methods are the panel's own, under the same names). The words come from
`ui/live/live_presenter.py`; the window acknowledges a request (`ui/window_live.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workshop_app.services.live import HelpAlert
from workshop_app.services.moderation import HeldCount
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.widgets import heading, plain_label
from workshop_app.ui.live.live_presenter import (
    flagged_words,
    held_words,
    help_words,
    look_words,
    waiting_words,
)

if TYPE_CHECKING:
    _Widget = QWidget  # the live panel, for the type checker
else:
    _Widget = object

#: The alert's look: a help request waiting, or a note held back that may be a disclosure.
ALERT_STYLE = (
    "background: #b00020; color: white; font-weight: bold; padding: 8px;border-radius: 6px;"
)


class HelpRequests(_Widget):
    """The waiting line, the flagged and held notes' lines and the list of help requests."""

    if TYPE_CHECKING:  # the panel's signal (ui/live/live_panel.LivePanel)
        acknowledge_requested = Signal(str, str)  # help request id, follow-up note

    def _build_help(self) -> None:
        """The lines above the join part (help requests waiting, flagged notes, held notes)
        and the box of requests (each hidden until needed)."""
        self.help = plain_label()
        self.help.setObjectName("help-alert")
        self.help.setStyleSheet(ALERT_STYLE)
        self.help.hide()
        # Notes flagged for safeguarding follow-up in this session (taken back ones too):
        # always in view while the room runs, never on the projector.
        self.flagged = plain_label()
        self.flagged.setObjectName("live-flagged")
        set_tone(self.flagged, "warning")
        self.flagged.hide()
        # Notes held back on arrival still waiting for the facilitator: a warning, the
        # alert's red when any of them may be a disclosure.
        self.held = plain_label()
        self.held.setObjectName("live-held")
        self.held.setAccessibleName("Notes held back")
        set_tone(self.held, "warning")
        self.held.hide()
        self._disclosures_seen = 0
        # The arrival check's second look cannot read notes (its model missing or damaged):
        # the phrase rules alone hold notes back, which the facilitator should know.
        self.look_line = plain_label()
        self.look_line.setObjectName("live-second-look")
        set_tone(self.look_line, "warning")
        self.look_line.hide()
        self.help_list = QListWidget()
        self.help_list.setObjectName("help-requests")
        self.help_list.setAccessibleName("Private help requests")
        self.help_list.setWordWrap(True)
        self.help_list.setMaximumHeight(120)
        self.follow_up = QLineEdit()
        self.follow_up.setPlaceholderText("What was done (optional, stays private)")
        self.follow_up.setAccessibleName("Follow-up note")
        self.follow_up.setMaxLength(300)
        self.ack_button = QPushButton("Mark as seen")
        self.beep = QCheckBox("Sound an alert")
        self.beep.setChecked(True)
        self.help_box = QWidget()
        help_layout = QVBoxLayout(self.help_box)
        help_layout.setContentsMargins(0, 0, 0, 0)
        help_layout.addWidget(heading("Private help requests"))
        help_layout.addWidget(self.help_list)
        ack_row = QHBoxLayout()
        ack_row.addWidget(self.follow_up, 1)
        ack_row.addWidget(self.ack_button)
        help_layout.addLayout(ack_row)
        help_layout.addWidget(self.beep)
        self.help_box.hide()
        self._seen_help: set[str] = set()
        self.ack_button.clicked.connect(self._acknowledge)

    def show_flagged(self, count: int) -> None:
        """How many of the session's notes are flagged for follow-up (0 hides the line)."""
        self.flagged.setText(flagged_words(count))
        self.flagged.setVisible(count > 0)

    def show_held(self, count: HeldCount) -> bool:
        """How many of the session's notes held back on arrival wait (0 hides the line);
        returns True when more of them may be disclosures than last time (an alert)."""
        self.held.setText(held_words(count.waiting, count.disclosures))
        self.held.setVisible(count.waiting > 0)
        alarming = count.disclosures > 0
        self.held.setStyleSheet(ALERT_STYLE if alarming else "")
        set_tone(self.held, "" if alarming else "warning")
        new = count.disclosures > self._disclosures_seen
        self._disclosures_seen = count.disclosures
        return new

    def show_look_problem(self, problem: str) -> None:
        """Say that notes are checked by their words only ("" hides the line)."""
        self.look_line.setText(look_words(problem))
        self.look_line.setVisible(bool(problem))

    def show_help_requests(self, alerts: list[HelpAlert]) -> bool:
        """List every request (newest first); returns True when one is new since last time.

        A request sent through another session's link (an old link, a bookmark) is shown
        here too, labelled with that session, so no one asks for help unseen.
        """
        requests = [a.request for a in alerts]
        waiting = waiting_words(alerts)
        if waiting:
            self.help.setText(waiting)
        self.help.setVisible(bool(waiting))
        keep = self.help_list.currentItem()
        keep_id = keep.data(Qt.ItemDataRole.UserRole) if keep else None
        self.help_list.clear()
        for alert in sorted(alerts, key=lambda a: a.request.created_at, reverse=True):
            r = alert.request
            text = help_words(alert)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            if r.acknowledged_at is None:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.help_list.addItem(item)
            if r.id == keep_id or (keep_id is None and r.acknowledged_at is None):
                self.help_list.setCurrentItem(item)
        self.help_box.setVisible(bool(alerts))
        new = {r.id for r in requests} - self._seen_help
        self._seen_help |= new
        return bool(new)

    def _acknowledge(self) -> None:
        item = self.help_list.currentItem()
        if item is not None:
            self.acknowledge_requested.emit(
                item.data(Qt.ItemDataRole.UserRole), self.follow_up.text()
            )
            self.follow_up.clear()
