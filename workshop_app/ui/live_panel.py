"""The live panel: take a session live, show the join QR code and link, run the agenda,
see who has joined, and receive private help requests (console only, never projected).

The participant server itself is built by the composition root (app.py) and handed in
as a factory: the UI never imports the web package.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtNetwork import QAbstractSocket, QHostAddress, QNetworkInterface
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import Activity, ActivityState, Session
from workshop_app.core.timer import Countdown, clock_text
from workshop_app.core.workflow import next_activity_states
from workshop_app.services.joinlink import qr_png
from workshop_app.services.live import HelpAlert
from workshop_app.ui.appearance import set_tone
from workshop_app.ui.widgets import heading, plain_label

log = logging.getLogger(__name__)
LOCAL_ONLY = "127.0.0.1"
STATE_WORDS = {
    ActivityState.PENDING: "not started",
    ActivityState.OPEN: "OPEN",
    ActivityState.CLOSED: "closed",
    ActivityState.REVEALED: "results shown",
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


ServerFactory = Callable[[object], LiveServer]  # project -> server


def lan_addresses() -> list[str]:
    """IPv4 addresses of this laptop's working network interfaces, Wi-Fi/Ethernet first."""
    found: list[str] = []
    for iface in QNetworkInterface.allInterfaces():
        flags = iface.flags()
        if not (flags & QNetworkInterface.InterfaceFlag.IsUp) or (
            flags & QNetworkInterface.InterfaceFlag.IsLoopBack
        ):
            continue
        for entry in iface.addressEntries():
            ip = entry.ip()
            if ip.protocol() != QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
                continue
            if ip.isLoopback() or ip.isInSubnet(QHostAddress("169.254.0.0"), 16):
                continue
            found.append(ip.toString())
    private = [a for a in found if a.startswith(("192.168.", "10.", "172."))]
    return list(dict.fromkeys(private + found))


class LivePanel(QWidget):
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
        self.setMinimumWidth(320)
        self.title = heading("Live session")
        self.title.setWordWrap(True)  # a long session title must not widen the window
        self.status = plain_label("Not live. Phones cannot join yet.")
        self.status.setObjectName("live-status")

        self.address = QComboBox()
        self.address.setAccessibleName("Network address for phones")
        self.fill_addresses()
        self.go_button = QPushButton("Go live")
        self.go_button.setObjectName("go-live")
        self.end_button = QPushButton("End session")

        self.qr = QLabel()
        self.qr.setObjectName("join-qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(220, 220)
        self.qr.setAccessibleName("QR code to join")
        self.url = plain_label(wrap=True)
        self.url.setObjectName("join-url")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code = plain_label(wrap=False)
        self.code.setObjectName("join-code")
        font = self.code.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        font.setLetterSpacing(font.SpacingType.AbsoluteSpacing, 2)
        self.code.setFont(font)
        self.copy_button = QPushButton("Copy link")
        self.rotate_button = QPushButton("New link")
        self.rotate_button.setToolTip(
            "Make a new link and QR code. The old one (and any photo of it) stops working; "
            "people already taking part scan the new code and keep their place."
        )

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
        self.clock = plain_label(wrap=False)
        self.clock.setObjectName("countdown")
        self.clock.setAccessibleName("Time left")
        clock_font = self.clock.font()
        clock_font.setPointSizeF(clock_font.pointSizeF() * 2.2)
        clock_font.setBold(True)
        self.clock.setFont(clock_font)
        self.timer_button = QPushButton("Start timer")
        self.plus_button = QPushButton("+1 min")
        self.chime = QCheckBox("Chime at the end")
        self.chime.setChecked(True)
        self.countdown: Countdown | None = None
        self._countdown_for: str | None = None
        self.ended = False
        self._auto_started = False
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
        self.help = plain_label()
        self.help.setObjectName("help-alert")
        self.help.setStyleSheet(
            "background: #b00020; color: white; font-weight: bold; padding: 8px;border-radius: 6px;"
        )
        self.help.hide()
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

        form = QFormLayout()
        form.addRow("Phones reach this laptop at", self.address)
        top = QHBoxLayout()
        top.addWidget(self.go_button)
        top.addWidget(self.end_button)
        link = QHBoxLayout()
        link.addWidget(self.copy_button)
        link.addWidget(self.rotate_button)
        run = QHBoxLayout()
        for b in (self.open_button, self.close_button, self.reveal_button, self.next_button):
            run.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.help)
        layout.addLayout(form)
        layout.addLayout(top)
        layout.addWidget(self.qr)
        layout.addWidget(self.code, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.url)
        layout.addLayout(link)
        layout.addWidget(heading("Now"))
        layout.addWidget(self.agenda, 1)
        layout.addLayout(run)
        layout.addWidget(self.show_button)
        clock_row = QHBoxLayout()
        clock_row.addWidget(self.clock)
        clock_row.addStretch(1)
        clock_row.addWidget(self.timer_button)
        clock_row.addWidget(self.plus_button)
        layout.addLayout(clock_row)
        layout.addWidget(self.chime)
        layout.addWidget(self.people)
        layout.addWidget(self.shedding)
        layout.addWidget(self.help_box)

        self.go_button.clicked.connect(lambda: self.go_live_requested.emit(self.chosen_host()))
        self.end_button.clicked.connect(self.end_requested)
        self.rotate_button.clicked.connect(self.rotate_requested)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.url.text())
        )
        self.address.activated.connect(lambda _i: self.address_changed.emit(self.chosen_host()))
        self.open_button.clicked.connect(lambda: self._request(ActivityState.OPEN))
        self.close_button.clicked.connect(lambda: self._request(ActivityState.CLOSED))
        self.reveal_button.clicked.connect(lambda: self._request(ActivityState.REVEALED))
        self.show_button.clicked.connect(self._show_selected)
        self.next_button.clicked.connect(self._next)
        self.ack_button.clicked.connect(self._acknowledge)
        self.timer_button.clicked.connect(lambda: self.toggle_timer())
        self.plus_button.clicked.connect(lambda: self.add_minute())
        self.agenda.currentRowChanged.connect(lambda _r: self._update_buttons())
        self._activities: list[Activity] = []
        self._session: Session | None = None
        self._live = False
        self.set_live(False)

    # ------------------------------------------------------------------ addresses

    def fill_addresses(self) -> None:
        current = self.chosen_host() if self.address.count() else None
        self.address.clear()
        for a in lan_addresses():
            self.address.addItem(a, a)
        self.address.addItem("This laptop only (for trying it out)", LOCAL_ONLY)
        if current:
            index = self.address.findData(current)
            if index >= 0:
                self.address.setCurrentIndex(index)

    def chosen_host(self) -> str:
        return str(self.address.currentData() or LOCAL_ONLY)

    def choose_host(self, host: str) -> None:
        index = self.address.findData(host)
        if index < 0:
            self.address.addItem(host, host)
            index = self.address.count() - 1
        self.address.setCurrentIndex(index)

    # ------------------------------------------------------------------ showing

    def set_live(self, live: bool, url: str = "", code: str = "", port: int = 0) -> None:
        self._live = live
        self.go_button.setVisible(not live)
        self.end_button.setVisible(live)
        for w in (self.qr, self.url, self.code, self.copy_button, self.rotate_button):
            w.setVisible(live)
        if live:
            pixmap = QPixmap()
            pixmap.loadFromData(qr_png(url, box_size=8))
            self.qr.setPixmap(pixmap)
            self.url.setText(url)
            self.code.setText(code)
            self.status.setText(f"Live. Phones join at the link below (port {port}).")
        else:
            self.qr.clear()
            self.url.setText("")
            self.code.setText("")
            self.status.setText("Not live. Phones cannot join yet.")
        self._update_buttons()

    def show_agenda(self, session: Session, activities: list[Activity]) -> None:
        self._session = session
        self._activities = activities
        current = next((a for a in activities if a.id == session.current_activity_id), None)
        self.follow_activity(current if session.state.value == "live" else None)
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
        """A new current activity gets its own countdown, running if the activity is open."""
        activity_id = activity.id if activity else None
        if activity_id != self._countdown_for:
            self._countdown_for = activity_id
            self.ended = False
            self._auto_started = False
            seconds = (activity.settings.timer_seconds or 0) if activity else 0
            self.countdown = Countdown(seconds) if seconds else None
        # The first time the activity is open, its countdown starts by itself.
        if (
            self.countdown is not None
            and activity is not None
            and activity.state is ActivityState.OPEN
            and not self._auto_started
        ):
            self._auto_started = True
            self.countdown = self.countdown.start(_now(now))
        self.tick(now)

    def toggle_timer(self, now: float | None = None) -> None:
        if self.countdown is None:
            return
        t = _now(now)
        self.countdown = (
            self.countdown.pause(t) if self.countdown.running else self.countdown.start(t)
        )
        self.tick(now)

    def add_minute(self, now: float | None = None) -> None:
        if self.countdown is None:
            self.countdown = Countdown(0)
        self.countdown = self.countdown.add(60)
        self.ended = False
        self.tick(now)

    def tick(self, now: float | None = None) -> None:
        c = self.countdown
        t = _now(now)
        text = clock_text(c.remaining(t)) if c else ""
        self.clock.setText(text)
        self.timer_button.setText("Pause timer" if c and c.running else "Start timer")
        self.timer_button.setEnabled(c is not None)
        if c is not None and c.finished(t) and not self.ended:
            self.ended = True
            if self.chime.isChecked():
                QApplication.beep()
        self.clock_changed.emit(text)

    def show_people(self, by_group: dict[str, int], phones: int) -> None:
        total = sum(by_group.values())
        parts = ", ".join(f"{name} {n}" for name, n in by_group.items() if n)
        self.people.setText(
            f"{total} joined"
            + (f": {parts}" if parts else "")
            + f" · {phones} phones connected now"
        )

    def show_server_warnings(self, lines: list[str]) -> None:
        """Load the server is shedding (a flood, held connections, a full session)."""
        self.shedding.setText("\n".join(lines))
        self.shedding.setVisible(bool(lines))

    def show_help_requests(self, alerts: list[HelpAlert]) -> bool:
        """List every request (newest first); returns True when one is new since last time.

        A request sent through another session's link (an old link, a bookmark) is shown
        here too, labelled with that session, so no one asks for help unseen.
        """
        requests = [a.request for a in alerts]
        waiting = sum(1 for r in requests if r.acknowledged_at is None)
        if waiting:
            noun = "request" if waiting == 1 else "requests"
            self.help.setText(f"{waiting} private help {noun}: someone would like to talk")
            self.help.show()
        else:
            self.help.hide()
        keep = self.help_list.currentItem()
        keep_id = keep.data(Qt.ItemDataRole.UserRole) if keep else None
        self.help_list.clear()
        for alert in sorted(alerts, key=lambda a: a.request.created_at, reverse=True):
            r = alert.request
            when = r.created_at.astimezone().strftime("%H:%M")
            state = "waiting" if r.acknowledged_at is None else "seen"
            text = f"{when} · {state} · {alert.asker}"
            if alert.other_session:
                text += f"\nSent from the link of another session: {alert.session_title}"
            if r.message:
                text += f"\n{r.message}"
            if r.follow_up:
                text += f"\nFollow-up: {r.follow_up}"
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

    def selected_activity(self) -> Activity | None:
        row = self.agenda.currentRow()
        return self._activities[row] if 0 <= row < len(self._activities) else None

    def _update_buttons(self) -> None:
        a = self.selected_activity()
        allowed = next_activity_states(a.kind, a.state) if a else frozenset()
        live = self._live
        self.open_button.setEnabled(live and ActivityState.OPEN in allowed)
        self.close_button.setEnabled(live and ActivityState.CLOSED in allowed)
        self.reveal_button.setEnabled(live and ActivityState.REVEALED in allowed)
        self.show_button.setEnabled(live and a is not None)
        self.next_button.setEnabled(live and bool(self._activities))

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
        if self._session is None or not self._activities:
            return
        ids = [a.id for a in self._activities]
        current = self._session.current_activity_id
        row = ids.index(current) + 1 if current in ids else 0
        if row < len(ids):
            self.agenda.setCurrentRow(row)
            target = self._activities[row]
            if ActivityState.OPEN in next_activity_states(target.kind, target.state):
                self.state_requested.emit(target.id, ActivityState.OPEN)
            else:
                self.show_requested.emit(target.id)


def _now(now: float | None) -> float:
    return time.monotonic() if now is None else now


def every_few_seconds(parent: QWidget, fn: Callable[[], None], ms: int = 2000) -> QTimer:
    timer = QTimer(parent)
    timer.setInterval(ms)
    timer.timeout.connect(fn)
    timer.start()
    return timer
