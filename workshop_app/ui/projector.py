"""The projector window: large type, high contrast, and only what the room may see.

What it shows is decided by `services.projection.projector_view` (never pending or hidden
notes, flags, help requests or unrevealed results); this window only draws it, as plain
text. B (or the "Blank screen" action) blanks it at once; Escape leaves full screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from workshop_app.services.joinlink import qr_png
from workshop_app.services.projection import ProjectorView
from workshop_app.ui.card_wall import CardWall
from workshop_app.ui.widgets import plain_label

INK = "#ffffff"
PAPER = "#000000"
MAX_RESULTS = 15  # the top of the ranking; the full table is in the console and reports
ENDED = "This session has ended — thank you"


class ProjectorWindow(QWidget):
    blank_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Common Ground — projector")
        self.setObjectName("projector")
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.white)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            f"QLabel {{ color: {INK}; }} QWidget#projector {{ background: {PAPER}; }}"
        )

        self.title = _big(plain_label(), 34, bold=True)
        self.title.setObjectName("projector-title")
        self.prompt = _big(plain_label(), 26)
        self.prompt.setObjectName("projector-prompt")
        self.cards = CardWall()
        font = self.cards.font()
        font.setPointSize(16)
        self.cards.setFont(font)  # the "earlier notes" line; cards choose their own size
        self.body = QWidget()
        self.body_layout = QGridLayout(self.body)
        self.body_layout.setSpacing(18)
        self.body_stack = QStackedWidget()
        self.body_stack.addWidget(self.cards)
        self.body_stack.addWidget(self.body)
        self.qr = QLabel()
        self.qr.setTextFormat(Qt.TextFormat.PlainText)  # it only ever holds a picture
        self.qr.setObjectName("projector-qr")
        self.join = _big(plain_label(wrap=False), 22, bold=True)
        self.join.setObjectName("projector-join")
        self.clock = _big(plain_label(wrap=False), 48, bold=True)
        self.clock.setObjectName("projector-clock")
        self.clock.hide()
        side = QVBoxLayout()
        side.addWidget(self.clock, alignment=Qt.AlignmentFlag.AlignHCenter)
        side.addWidget(self.qr, alignment=Qt.AlignmentFlag.AlignHCenter)
        side.addWidget(self.join, alignment=Qt.AlignmentFlag.AlignHCenter)
        side.addStretch(1)

        self.page = page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(48, 36, 48, 36)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.prompt, 1, 0)
        grid.addWidget(self.body_stack, 2, 0)
        grid.addLayout(side, 0, 1, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(2, 1)

        self.blank_page = QWidget()  # black: nothing at all
        self.stack = QStackedWidget()
        self.stack.addWidget(page)
        self.stack.addWidget(self.blank_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.blank_action = QAction("Blank screen", self)
        self.blank_action.setCheckable(True)
        self.blank_action.setShortcut(QKeySequence("B"))
        self.blank_action.toggled.connect(self.set_blank)
        self.addAction(self.blank_action)
        leave = QAction("Leave full screen", self)
        leave.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        leave.triggered.connect(self.showNormal)
        self.addAction(leave)
        self._url: str | None = None  # the link the QR code shows (None: not drawn yet)
        self._texts: list[str] = []  # everything on screen now, for tests and checks
        self._ended = False  # the session has ended: the thank-you, no clock

    # ------------------------------------------------------------------ drawing

    def show_view(self, view: ProjectorView, join_url: str = "") -> None:
        if view.ended:
            self._show_ended(view)
            return
        self._ended = False
        self.title.setText(view.activity_title or view.session_title)
        self.prompt.setText(view.prompt)
        self._show_join(join_url if view.live else "", view.join_code)
        _clear(self.body_layout)
        texts: list[str] = [self.title.text(), self.prompt.text(), self.join.text()]
        cards = list(view.notes) or [f"{name}  ({count})" for name, count in view.themes]
        self.cards.set_texts(cards, view.earlier_notes if view.notes else 0)
        self.body_stack.setCurrentWidget(self.cards if cards else self.body)
        if view.results and not cards:
            top = max((n for _, n in view.results), default=0) or 1
            rows = view.results[:MAX_RESULTS]
            points = 22 if len(rows) <= 8 else 18 if len(rows) <= 11 else 15
            for i, (item, dots) in enumerate(rows):
                bar = "█" * max(1, round(20 * dots / top)) if dots else ""
                line = f"{i + 1}. {item}"
                self.body_layout.addWidget(_big(plain_label(line), points), i, 0)
                tally = _big(plain_label(f"{bar} {dots}", wrap=False), points)
                self.body_layout.addWidget(tally, i, 1)
                texts += [line, f"{dots}"]
        elif view.results_hidden and not cards:
            waiting = _big(plain_label("Results will be shown when everyone has voted."), 24)
            self.body_layout.addWidget(waiting, 0, 0)
            texts.append(waiting.text())
        self._texts = texts

    def _show_ended(self, view: ProjectorView) -> None:
        """After the session: a calm thank-you instead of its last activity."""
        self._ended = True
        self.title.setText(ENDED)
        self.prompt.setText(view.session_title)
        self._show_join("", "")
        _clear(self.body_layout)
        self.cards.set_texts([], 0)
        self.body_stack.setCurrentWidget(self.body)
        self.set_clock("")
        self._texts = [self.title.text(), self.prompt.text()]

    def set_clock(self, text: str) -> None:
        """The countdown, as the facilitator's console runs it ("" hides it)."""
        self.clock.setText(text)
        self.clock.setVisible(bool(text) and not self._ended)

    def shown_texts(self) -> list[str]:
        """Every text on screen now (the cards that fitted included); [] when blank."""
        if self.is_blank:
            return []
        cards = self.cards.shown_texts() if self.body_stack.currentWidget() is self.cards else []
        return list(self._texts) + cards

    def _show_join(self, url: str, code: str) -> None:
        if url == self._url and (not url or code in self.join.text()):
            return  # the same link: the QR code is already drawn
        self._url = url
        if url:
            pixmap = QPixmap()
            pixmap.loadFromData(qr_png(url, box_size=8))
            self.qr.setPixmap(pixmap)
            host = url.split("/j/")[0].removeprefix("http://")
            self.join.setText(f"{host}\ncode {code}")
        else:
            self.qr.clear()
            self.join.setText("")
        self.qr.setVisible(bool(url))
        self.join.setVisible(bool(url))

    # ------------------------------------------------------------------ blank

    @property
    def is_blank(self) -> bool:
        return self.stack.currentWidget() is self.blank_page

    def set_blank(self, blank: bool) -> None:
        self.stack.setCurrentWidget(self.blank_page if blank else self.page)
        if self.blank_action.isChecked() != blank:
            self.blank_action.setChecked(blank)
        self.blank_toggled.emit(blank)


def _big(label: QLabel, points: int, *, bold: bool = False) -> QLabel:
    font = label.font()
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)
    return label


def _clear(layout: QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()  # gone from the screen now, not at the next event loop turn
            widget.setParent(None)
            widget.deleteLater()
