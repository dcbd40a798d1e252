"""Small shared widgets. Text that came from a file or a person is always plain text."""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QWidget,
)

from workshop_app.ui.common import keys

#: A run of characters no line can break (a link, a key held down): longer than this, it gets
#: places to break where a person's words must be seen whole.
LONG_RUN = 30
_LONG_RUN = re.compile(r"\S{%d,}" % (LONG_RUN + 1))  # noqa: UP031 (a pattern, not a message)
_PIECE = 12
SOFT_BREAK = "\u200b"  # ZERO WIDTH SPACE: where a line may break; drawn as nothing


def soft_breaks(text: str) -> str:
    """`text` with a place to break every few characters of a run longer than `LONG_RUN`.
    Word wrapping (QPainter.drawText, QLabel, QMessageBox) breaks between words only and cuts
    such a run at the edge, and the rest of a note must not be hidden from the facilitator: for
    note cards, the projector's cards and a person's words quoted whole — not for text someone
    may copy, such as a path (the breaks would be copied too)."""
    if len(text) <= LONG_RUN:
        return text
    return _LONG_RUN.sub(
        lambda m: SOFT_BREAK.join(m[0][i : i + _PIECE] for i in range(0, len(m[0]), _PIECE)),
        text,
    )


#: The most a wrapping label asks for as its narrowest: more only for a run of characters no
#: line can break (a link or a path in a note), which is cut at the label's edge instead.
WRAPPED_MIN_WIDTH = 200


class PlainLabel(QLabel):
    """A QLabel that never interprets its text as rich text (a QLabel guesses otherwise).

    A wrapping QLabel breaks lines between words only, so it asks to be as wide as its longest
    word: a 500-character link in a note made its label, and the whole window, thousands of
    pixels wide. When it wraps, it asks for `WRAPPED_MIN_WIDTH` at most; such a run is cut at
    the edge. Its text is untouched (a path copied from it is the path) — unless it shows a
    person's words `whole`: then such a run gets places to break (`soft_breaks`), so none of it
    is hidden, and `text()` has them too."""

    def __init__(self, parent: QWidget | None = None, *, whole: bool = False) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._whole = whole

    def setText(self, text: str) -> None:
        super().setText(soft_breaks(text) if self._whole else text)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        if self.wordWrap() and hint.width() > WRAPPED_MIN_WIDTH:
            hint.setWidth(WRAPPED_MIN_WIDTH)
        return hint


def plain_label(
    text: str = "", parent: QWidget | None = None, *, wrap: bool = True, whole: bool = False
) -> PlainLabel:
    """A PlainLabel: plain text always, wrapping between words unless `wrap` is False; with
    `whole`, a person's words shown whole (see PlainLabel)."""
    label = PlainLabel(parent, whole=whole)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


def narrow_combo(characters: int, parent: QWidget | None = None) -> QComboBox:
    """A drop-down at least `characters` wide and never as wide as its longest entry: a long
    name (a session, a service, an activity) must not widen the window."""
    combo = QComboBox(parent)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo


#: How much of the screen's free area a window opens in, at most (the rest shows it is a window).
SCREEN_SHARE = 0.95


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """Open `widget` at `width` × `height`, or smaller where its screen has less room (a
    1366 × 768 laptop has about 728 pixels under a taskbar): a window opening taller than
    the screen hides its bottom row of buttons. Never below the widget's minimum size."""
    screen = _screen_for(widget)
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, int(room.width() * SCREEN_SHARE))
        height = min(height, int(room.height() * SCREEN_SHARE))
    widget.resize(width, height)  # its layout keeps it at least its minimum size


def _screen_for(widget: QWidget) -> QScreen | None:
    """The screen a window about to open will be on: its parent window's, else the primary.
    (Not `QWidget.screen()`: asked of a main window not yet shown, under Qt 6.11's offscreen
    platform, it left a later paint crashing in `QGuiApplication::screenAt`.)"""
    parent = widget.parentWidget()
    handle = parent.window().windowHandle() if parent is not None else None
    screen = handle.screen() if handle is not None else None
    return screen if screen is not None else QGuiApplication.primaryScreen()


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    label = plain_label(text, parent, wrap=False)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


#: Saves a dialog from anywhere in it, also from a text box where Enter starts a new line.
SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def dialog_buttons(dialog: QDialog, ok_text: str | None) -> QDialogButtonBox:
    """Cancel and a default button saying what it does (`ok_text`), or just Close.

    Ctrl+Enter (Ctrl+Return) presses the default button wherever the focus is.
    """
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Cancel
        if ok_text
        else QDialogButtonBox.StandardButton.Close,
        dialog,  # in the dialog already: the dialog then keeps `ok` as its default (Enter)
    )
    if ok_text:
        ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        save = QShortcut(dialog)
        keys.set_keys(save, *SAVE_KEYS, context=Qt.ShortcutContext.WindowShortcut)
        save.activated.connect(ok.click)  # a disabled button does nothing
        ok.setToolTip(f"{ok_text.replace('&', '')} (Ctrl+Enter)")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """An error message shown as plain text, whatever it contains.

    Window-modal but not blocking (`open`, not `exec`), so the event loop keeps running:
    live updates continue behind it, and tests can read and close it.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("error-message")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(message)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:  # nothing else holds it: keep it alive until it is answered
        _unparented.add(box)
        box.finished.connect(lambda _r: _unparented.discard(box))
    box.open()


_unparented: set[QMessageBox] = set()
