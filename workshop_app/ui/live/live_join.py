"""The live panel's join part: the network address phones reach this laptop at, Go live and
End session (which asks first), and the join QR code, code and link with Copy link and New
link.

`JoinLink` is a part of the live panel (`ui/live/live_panel.LivePanel` mixes it in: its
widgets and methods are the panel's own, under the same names). The panel lays the widgets
out; its signals ask the window to go live, end or make a new link (`ui/window_live.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtNetwork import QAbstractSocket, QHostAddress, QNetworkInterface
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from workshop_app.core.model import Session
from workshop_app.infra.joinlink import qr_png
from workshop_app.ui.common.widgets import narrow_combo, plain_label

LOCAL_ONLY = "127.0.0.1"

if TYPE_CHECKING:
    _Widget = QWidget  # the live panel, for the type checker
else:
    _Widget = object


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


class JoinLink(_Widget):
    """The address, Go live and End session, the QR code, code and link."""

    # The panel's state these methods share (set in LivePanel.__init__).
    _live: bool
    _session: Session | None

    if TYPE_CHECKING:  # the panel's signals (ui/live/live_panel.LivePanel)
        go_live_requested = Signal(str)
        end_requested = Signal()
        rotate_requested = Signal()
        address_changed = Signal(str)

    def _build_join(self) -> None:
        """The address, the two buttons and the link's widgets, connected."""
        self.address = narrow_combo(16)
        self.address.setAccessibleName("Network address for phones")
        self.fill_addresses()
        self.go_button = QPushButton("Go live")
        self.go_button.setObjectName("go-live")
        # Far from Go live (a double click must not end the room), and it asks first.
        self.end_button = QPushButton("End session…")
        self.end_button.setObjectName("end-session")
        self.end_button.setToolTip(
            "Close what is open and stop phones taking part (asks first; everything is kept)"
        )

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

        self.go_button.clicked.connect(lambda: self.go_live_requested.emit(self.chosen_host()))
        self.end_button.clicked.connect(self._end_clicked)
        self.rotate_button.clicked.connect(self.rotate_requested)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.url.text())
        )
        self.address.activated.connect(lambda _i: self.address_changed.emit(self.chosen_host()))

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

    # ------------------------------------------------------------------ the link

    def _show_link(self, live: bool, url: str, code: str) -> None:
        """The link's QR code, code and address, shown only while live."""
        # Both buttons keep their places: Go live is greyed out while live, End session
        # (at the foot of the panel) while not.
        self.go_button.setEnabled(not live)
        self.end_button.setEnabled(live)
        for w in (self.qr, self.url, self.code, self.copy_button, self.rotate_button):
            w.setVisible(live)
        if live:
            pixmap = QPixmap()
            pixmap.loadFromData(qr_png(url, box_size=8))
            self.qr.setPixmap(pixmap)
            self.url.setText(url)
            self.code.setText(code)
        else:
            self.qr.clear()
            self.url.setText("")
            self.code.setText("")

    # ------------------------------------------------------------------ ending

    def _end_clicked(self) -> None:
        if self._live and self.confirm_end():
            self.end_requested.emit()

    def confirm_end(self) -> bool:
        """Ask before ending: Enter and Escape keep the session running."""
        box = QMessageBox(self)
        box.setObjectName("end-session-confirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("End the session?")
        box.setTextFormat(Qt.TextFormat.PlainText)
        title = self._session.title if self._session is not None else "this session"
        box.setText(f"End “{title}” now?")
        box.setInformativeText(
            "Any open activity closes and phones are told the session has ended: they can "
            "no longer send notes, votes or ratings. Everything stays in the project, and "
            "the session can be taken live again later."
        )
        end = box.addButton("End the session", QMessageBox.ButtonRole.DestructiveRole)
        end.setObjectName("end-session-yes")
        keep = box.addButton("Keep the session running", QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("end-session-no")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is end
