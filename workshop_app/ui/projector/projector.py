"""The projector window: large type, high contrast, and only what the room may see.

What it shows is decided by `services.projection.projector_view` (never pending or hidden
notes, flags, help requests or unrevealed results), including the words that say what
the room is doing now. This window turns the view into the page's content and
`ui.projector.projector_page` lays it out so that nothing overlaps or is cut off at any size, drawn
as plain text. B (or the "Blank screen" action) blanks it at once; Escape leaves full
screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette, QPixmap
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from workshop_app.infra.joinlink import qr_png
from workshop_app.services.projection import ProjectorView
from workshop_app.ui.projector.card_wall import CardWall
from workshop_app.ui.projector.projector_page import Content, Line, ProjectorPage, Role, Row

MAX_RESULTS = 15  # the top of the ranking; the full table is in the console and reports
ENDED = "This session has ended — thank you"


def content_of(view: ProjectorView, join_url: str = "", clock: str = "") -> Content:
    """What the page shows for `view` (pure: no drawing)."""
    if view.ended:
        return Content(
            (
                Line(ENDED, Role.TITLE),
                Line(view.session_title, Role.PROMPT),
                Line(view.status, Role.STATUS),
            )
        )
    header = (
        Line(view.activity_title or view.session_title, Role.TITLE),
        Line(view.prompt, Role.PROMPT),
        Line(view.status, Role.STATUS),
    )
    live = view.live and bool(join_url)
    join: tuple[str, ...] = ()
    if live:
        join = (join_url.split("/j/")[0].removeprefix("http://"), f"code {view.join_code}")
    cards = bool(view.notes or view.themes)
    rows: tuple[Row, ...] = ()
    footnote = ""
    not_given = 0
    if view.results:
        rows = tuple(Row(item, place, dots) for place, item, dots in view.results[:MAX_RESULTS])
        not_given = max(0, len(view.results) - MAX_RESULTS)
        footnote = view.footnote
    elif view.choices or view.findings:  # a vote's choices, or a survey's findings
        texts = view.choices or view.findings
        rows = tuple(Row(text) for text in texts[:MAX_RESULTS])
        not_given = max(0, len(texts) - MAX_RESULTS)
    return Content(
        header,
        rows=rows,
        footnote=footnote,
        rows_not_given=not_given,
        cards=cards,
        qr=live,
        join=join,
        clock=clock,
    )


def card_texts(view: ProjectorView) -> list[str]:
    return list(view.notes) or [f"{name}  ({count})" for name, count in view.themes]


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
        self.setStyleSheet("QWidget#projector { background: #000000; }")

        self.page = ProjectorPage()
        font = self.page.cards.font()
        font.setPointSize(16)
        self.page.cards.setFont(font)  # the "earlier notes" line; cards choose their own size
        self.blank_page = QWidget()  # black: nothing at all
        self.stack = QStackedWidget()
        self.stack.addWidget(self.page)
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
        self._view: ProjectorView | None = None
        self._url = ""
        self._clock = ""
        self._qr_url: str | None = None  # the link the QR code shows (None: not drawn yet)
        self._qr = QPixmap()

    @property
    def cards(self) -> CardWall:
        return self.page.cards

    # ------------------------------------------------------------------ drawing

    def show_view(self, view: ProjectorView, join_url: str = "") -> None:
        self._view = view
        self._url = join_url if view.live and not view.ended else ""
        self._redraw()

    def set_clock(self, text: str) -> None:
        """The countdown, as the facilitator's console runs it ("" hides it)."""
        self._clock = text
        self._redraw()

    def clock_text(self) -> str:
        """The countdown on screen now ("" when none)."""
        return self.page.content.clock

    def shows_qr(self) -> bool:
        return self.page.layout_now.qr is not None and not self._qr.isNull()

    def _redraw(self) -> None:
        view = self._view
        if view is None:
            return
        new_qr = self._url != self._qr_url
        if new_qr:
            self._qr_url = self._url
            self._qr = QPixmap()
            if self._url:
                self._qr.loadFromData(qr_png(self._url, box_size=8))
        clock = "" if view.ended else self._clock
        content = content_of(view, self._url, clock)
        self.cards.set_texts(card_texts(view), view.earlier_notes if view.notes else 0)
        self.page.set_content(content, self._qr if new_qr else None)

    def shown_texts(self) -> list[str]:
        """Every text on screen now (the cards that fitted included); [] when blank."""
        if self.is_blank:
            return []
        return self.page.shown_texts()

    # ------------------------------------------------------------------ blank

    @property
    def is_blank(self) -> bool:
        return self.stack.currentWidget() is self.blank_page

    def set_blank(self, blank: bool) -> None:
        self.stack.setCurrentWidget(self.blank_page if blank else self.page)
        if self.blank_action.isChecked() != blank:
            self.blank_action.setChecked(blank)
        self.blank_toggled.emit(blank)
