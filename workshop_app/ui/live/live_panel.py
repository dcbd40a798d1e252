"""The live panel: take a session live, show the join QR code and link, run the agenda,
see who has joined, and receive private help requests (console only, never projected).

The participant server itself is started and stopped by the project's runtime
(runtime/project.py, decision 021), which the window asks: the UI never imports the web
package. The join part (address, Go live, End session, the link) is in
`ui/live/live_join.py`, the help requests, flagged and held notes in `ui/live/live_help.py`; both
are mixed into `LivePanel`. Its rules without a widget are in `ui/live/live_presenter.py`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import Activity, ActivityState, Session, SessionState
from workshop_app.core.timer import Countdown
from workshop_app.core.workflow import next_activity_states
from workshop_app.ui.common import keys
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.widgets import heading, plain_label
from workshop_app.ui.live.live_help import HelpRequests
from workshop_app.ui.live.live_join import LOCAL_ONLY, JoinLink, lan_addresses
from workshop_app.ui.live.live_presenter import (
    CountdownKeeper,
    next_step,
    people_words,
)

__all__ = [
    "LOCAL_ONLY",
    "RUN_KEYS",
    "STATE_WORDS",
    "BoundAddress",
    "LivePanel",
    "LiveServer",
    "every_few_seconds",
    "lan_addresses",
]

log = logging.getLogger(__name__)
STATE_WORDS = {
    ActivityState.PENDING: "not started",
    ActivityState.OPEN: "OPEN",
    ActivityState.CLOSED: "closed",
    ActivityState.REVEALED: "results shown",
}
#: The live controls' keys: Ctrl+Shift and a letter (Return for "next"), so none of them
#: is taken by a text field, the note wall's or the board's single letters, or the menus.
RUN_KEYS: dict[str, tuple[keys.Key, ...]] = {
    "open": ("Ctrl+Shift+O",),
    "close": ("Ctrl+Shift+C",),
    "reveal": ("Ctrl+Shift+R",),
    "next": ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"),
}


class BoundAddress(Protocol):
    @property
    def host(self) -> str: ...
    @property
    def port(self) -> int: ...


class LiveServer(Protocol):
    """What the console needs of the participant server (web/server.py provides it)."""

    @property
    def running(self) -> bool: ...
    @property
    def phones_connected(self) -> int: ...
    def start(self, host: str, port: int) -> BoundAddress: ...
    def stop(self) -> None: ...
    def join_url(self, session_id: str, host: str | None = None) -> str: ...
    def join_code(self, session_id: str) -> str: ...
    def warnings(self) -> list[str]: ...


class LivePanel(JoinLink, HelpRequests, QWidget):
    go_live_requested = Signal(str)  # host
    end_requested = Signal()
    rotate_requested = Signal()
    state_requested = Signal(str, object)  # activity id, ActivityState
    show_requested = Signal(str)  # activity id
    address_changed = Signal(str)  # host
    acknowledge_requested = Signal(str, str)  # help request id, follow-up note
    clock_changed = Signal(str)  # the countdown as the room reads it ("" when none)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("live-panel")
        self.title = heading("Live session")
        self.title.setWordWrap(True)  # a long session title must not widen the window
        self.status = plain_label("Not live. Phones cannot join yet.")
        self.status.setObjectName("live-status")

        self._build_join()  # the address, Go live, End session, the link (live_join.py)

        self.agenda = QListWidget()
        self.agenda.setObjectName("live-agenda")
        self.agenda.setAccessibleName("Agenda, live")
        self.agenda.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.open_button = QPushButton("Open")
        self.close_button = QPushButton("Close")
        self.reveal_button = QPushButton("Show results")
        self._agenda_current: str | None = None  # the current activity the agenda last showed
        self.show_button = QPushButton("Show on phones")
        self.next_button = QPushButton("Next ▶")
        # The same controls as actions with keys, for the window's Session menu too.
        self.open_action = self._run_action(
            "Open activity", "open", "Open the chosen activity on every phone", self.open_button
        )
        self.close_action = self._run_action(
            "Close activity", "close", "Stop new notes, votes or ratings", self.close_button
        )
        self.reveal_action = self._run_action(
            "Show results", "reveal", "Reveal the vote's results", self.reveal_button
        )
        self.next_action = self._run_action(
            "Next activity", "next", "Close what is open and open the next activity",
            self.next_button,
        )  # fmt: skip
        self.clock = plain_label(wrap=False)
        self.clock.setObjectName("countdown")
        self.clock.setAccessibleName("Time left")
        clock_font = self.clock.font()
        clock_font.setPointSizeF(clock_font.pointSizeF() * 2.2)
        clock_font.setBold(True)
        self.clock.setFont(clock_font)
        # The same height with or without a countdown: nothing below it may move.
        self.clock.setMinimumHeight(self.clock.fontMetrics().height())
        self.timer_button = QPushButton("Start timer")
        self.plus_button = QPushButton("+1 min")
        self.chime = QCheckBox("Chime at the end")
        self.chime.setChecked(True)
        self.clock_keeper = CountdownKeeper()  # the countdown's rules, no widgets
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()
        self.people = plain_label()
        self.people.setObjectName("live-people")
        # What the server is turning away (floods, held connections, a full session).
        self.shedding = plain_label()
        self.shedding.setObjectName("live-shedding")
        set_tone(self.shedding, "warning")
        self.shedding.hide()
        self._build_help()  # help requests, flagged and held notes (live_help.py)

        # -- layout. Everything whose height changes (the status lines, help requests,
        # the join code) sits above the agenda, most of it in a part that scrolls on a
        # small screen; the agenda takes up the difference. Below the agenda every row
        # keeps its height, so the run buttons never move under the mouse.
        join = QWidget()
        join.setObjectName("live-join")
        join_layout = QVBoxLayout(join)
        join_layout.setContentsMargins(0, 0, 0, 0)
        join_layout.addWidget(self.status)
        join_layout.addWidget(self.people)
        join_layout.addWidget(self.shedding)
        join_layout.addWidget(self.help_box)
        join_layout.addWidget(plain_label("Phones reach this laptop at"))
        go_row = QHBoxLayout()
        go_row.addWidget(self.address, 1)
        go_row.addWidget(self.go_button)
        join_layout.addLayout(go_row)
        join_layout.addWidget(self.qr)
        join_layout.addWidget(self.code, alignment=Qt.AlignmentFlag.AlignHCenter)
        join_layout.addWidget(self.url)
        link = QHBoxLayout()
        link.addWidget(self.copy_button)
        link.addWidget(self.rotate_button)
        join_layout.addLayout(link)
        join_layout.addStretch(1)
        self.join_area = QScrollArea()
        self.join_area.setObjectName("live-join-area")
        self.join_area.setWidget(join)
        self.join_area.setWidgetResizable(True)
        self.join_area.setFrameShape(QScrollArea.Shape.NoFrame)

        run = QHBoxLayout()
        for b in (self.open_button, self.close_button, self.reveal_button, self.next_button):
            run.addWidget(b)
        clock_row = QHBoxLayout()
        clock_row.addWidget(self.clock)
        clock_row.addStretch(1)
        clock_row.addWidget(self.timer_button)
        clock_row.addWidget(self.plus_button)
        end_row = QHBoxLayout()
        end_row.addWidget(self.chime)
        end_row.addStretch(1)
        end_row.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.help)
        layout.addWidget(self.flagged)
        layout.addWidget(self.held)
        layout.addWidget(self.look_line)
        layout.addWidget(self.join_area, 3)
        layout.addWidget(heading("Now"))
        layout.addWidget(self.agenda, 2)
        layout.addLayout(run)
        layout.addWidget(self.show_button)
        layout.addLayout(clock_row)
        layout.addLayout(end_row)

        self.open_action.triggered.connect(lambda: self._request(ActivityState.OPEN))
        self.close_action.triggered.connect(lambda: self._request(ActivityState.CLOSED))
        self.reveal_action.triggered.connect(lambda: self._request(ActivityState.REVEALED))
        self.next_action.triggered.connect(self._next)
        self.show_button.clicked.connect(self._show_selected)
        self.timer_button.clicked.connect(lambda: self.toggle_timer())
        self.plus_button.clicked.connect(lambda: self.add_minute())
        self.agenda.currentRowChanged.connect(lambda _r: self._update_buttons())
        self._activities: list[Activity] = []
        self._session: Session | None = None
        self._live = False
        self._port = 0
        self.set_live(False)

    def _run_action(self, text: str, name: str, what: str, button: QPushButton) -> QAction:
        """A live control as an action with its key; its button triggers it."""
        action = QAction(text, self)
        keys.set_keys(action, *RUN_KEYS[name], context=Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(keys.tip(what, action))
        action.setStatusTip(what)
        self.addAction(action)  # works while the panel's window is active, docked or not
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        return action

    @property
    def run_actions(self) -> tuple[QAction, ...]:
        """Open, Close, Show results, Next: for the window's Session menu."""
        return (self.open_action, self.close_action, self.reveal_action, self.next_action)

    # ------------------------------------------------------------------ showing

    def set_live(self, live: bool, url: str = "", code: str = "", port: int = 0) -> None:
        self._live = live
        self._port = port
        self._show_link(live, url, code)
        self._show_status()
        self._update_buttons()

    def _show_status(self) -> None:
        ended = self._session is not None and self._session.state is SessionState.CLOSED
        if self._live:
            text = f"Live. Phones join at the link below (port {self._port})."
        elif ended:
            text = (
                "This session has ended: phones can no longer take part. Everything is kept "
                "in the project; Go live takes it live again."
            )
        else:
            text = "Not live. Phones cannot join yet."
        self.status.setText(text)

    def follow_session(self, session: Session, activities: list[Activity]) -> None:
        """The countdown follows the session's current activity (also while hidden)."""
        self.follow_activity(self.clock_keeper.follow_session(session, activities))

    def show_agenda(self, session: Session, activities: list[Activity]) -> None:
        self._session = session
        self._activities = activities
        self._show_status()
        self.follow_session(session, activities)
        keep = self.agenda.currentRow()
        self.agenda.blockSignals(True)
        self.agenda.clear()
        current_row = -1
        for row, a in enumerate(activities):
            marker = "▶ " if a.id == session.current_activity_id else "   "
            item = QListWidgetItem(f"{marker}{row + 1}. {a.title}  ·  {STATE_WORDS[a.state]}")
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            if a.id == session.current_activity_id:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                current_row = row
            self.agenda.addItem(item)
        self.agenda.blockSignals(False)
        # The facilitator's own choice of row stays, until the activity on the phones
        # changes (from here, the Votes tab or the command line): then the selection
        # follows it, so Open and Close act on what everyone is looking at.
        moved = session.current_activity_id != self._agenda_current
        self._agenda_current = session.current_activity_id
        target = current_row if moved or not 0 <= keep < len(activities) else keep
        self.agenda.setCurrentRow(max(target, 0) if activities else -1)
        self._update_buttons()

    # ------------------------------------------------------------------ countdown

    def follow_activity(self, activity: Activity | None, now: float | None = None) -> None:
        """A new current activity gets its own countdown, running if the activity is open.

        Closing the activity (here, in the Votes tab, anywhere) stops its countdown and
        takes the clock off the projector; opening it again carries on.
        """
        self.clock_keeper.follow(activity, _now(now))
        self.tick(now)

    @property
    def countdown(self) -> Countdown | None:
        return self.clock_keeper.countdown

    @property
    def ended(self) -> bool:
        """The countdown reached its end (announced once)."""
        return self.clock_keeper.ended

    def toggle_timer(self, now: float | None = None) -> None:
        if self.countdown is not None:
            self.clock_keeper.toggle(_now(now))
            self.tick(now)

    def add_minute(self, now: float | None = None) -> None:
        self.clock_keeper.add_minute()
        self.tick(now)

    def tick(self, now: float | None = None) -> None:
        t = self.clock_keeper.tick(_now(now))
        self.clock.setText(t.text)
        self.timer_button.setText("Pause timer" if t.running else "Start timer")
        self.timer_button.setEnabled(t.has_countdown)
        if t.ended_now and self.chime.isChecked():
            QApplication.beep()
        self.clock_changed.emit(t.projector)  # the projector's clock

    def show_people(self, by_group: dict[str, int], phones: int) -> None:
        self.people.setText(people_words(by_group, phones))

    def show_server_warnings(self, lines: list[str]) -> None:
        """Load the server is shedding (a flood, held connections, a full session)."""
        self.shedding.setText("\n".join(lines))
        self.shedding.setVisible(bool(lines))

    def selected_activity(self) -> Activity | None:
        row = self.agenda.currentRow()
        return self._activities[row] if 0 <= row < len(self._activities) else None

    def _update_buttons(self) -> None:
        a = self.selected_activity()
        allowed = next_activity_states(a.kind, a.state) if a else frozenset()
        live = self._live
        for action, button, on in (
            (self.open_action, self.open_button, ActivityState.OPEN in allowed),
            (self.close_action, self.close_button, ActivityState.CLOSED in allowed),
            (self.reveal_action, self.reveal_button, ActivityState.REVEALED in allowed),
            (self.next_action, self.next_button, bool(self._activities)),
        ):
            action.setEnabled(live and on)
            button.setEnabled(live and on)
        self.show_button.setEnabled(live and a is not None)

    def _request(self, state: ActivityState) -> None:
        a = self.selected_activity()
        if a is not None:
            self.state_requested.emit(a.id, state)

    def _show_selected(self) -> None:
        a = self.selected_activity()
        if a is not None:
            self.show_requested.emit(a.id)

    def _next(self) -> None:
        """Close what is open, then open the next activity on the agenda."""
        step = next_step(self._session, self._activities)
        if step is None:
            return
        self.agenda.setCurrentRow(step.row)
        if step.open:
            self.state_requested.emit(step.activity_id, ActivityState.OPEN)
        else:
            self.show_requested.emit(step.activity_id)


def _now(now: float | None) -> float:
    return time.monotonic() if now is None else now


def every_few_seconds(parent: QWidget, fn: Callable[[], None], ms: int = 2000) -> QTimer:
    timer = QTimer(parent)
    timer.setInterval(ms)
    timer.timeout.connect(fn)
    timer.start()
    return timer
