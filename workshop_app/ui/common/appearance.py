"""Light and dark appearance, chosen by the facilitator or following the system.

Community rooms range from bright halls to dimmed rooms with a projector; a laptop
screen that glares in the dark is a distraction. The choice is kept in QSettings
("view/appearance": "system", "light" or "dark"). Light and dark use the Fusion style
with palettes of our own, so they look the same on every platform; "system" leaves the
platform's style and palette alone.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

KEY = "view/appearance"
MODES = ("system", "light", "dark")
LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

_LIGHT = {
    Role.Window: "#f3f3f3",
    Role.WindowText: "#1a1a1a",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f0f0f0",
    Role.ToolTipBase: "#ffffdc",
    Role.ToolTipText: "#1a1a1a",
    Role.Text: "#1a1a1a",
    Role.Button: "#e8e8e8",
    Role.ButtonText: "#1a1a1a",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#1d5fb4",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#1d5fb4",
    Role.PlaceholderText: "#6b6b6b",
    Role.Mid: "#a0a0a0",
}
_DARK = {
    Role.Window: "#232629",
    Role.WindowText: "#eeeeee",
    Role.Base: "#1b1e20",
    Role.AlternateBase: "#2a2e32",
    Role.ToolTipBase: "#31363b",
    Role.ToolTipText: "#eeeeee",
    Role.Text: "#eeeeee",
    Role.Button: "#31363b",
    Role.ButtonText: "#eeeeee",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#3d8ee0",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#8ab4f8",
    Role.PlaceholderText: "#a0a0a0",
    Role.Mid: "#6b6b6b",
}


def stored_mode(settings: QSettings) -> str:
    value = settings.value(KEY, "system")
    return value if isinstance(value, str) and value in MODES else "system"


def palette_for(mode: str) -> QPalette:
    colours = _DARK if mode == "dark" else _LIGHT
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QColor("#8a8a8a") if mode == "dark" else QColor("#9a9a9a")
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, disabled)
    return palette


_system: tuple[str, QPalette] | None = None  # the platform's own style and palette


def apply(mode: str, app: QApplication | None = None) -> None:
    """Switch the whole application to `mode` at once (every open window follows)."""
    global _system
    app = app or _app()
    if _system is None:
        _system = (app.style().name(), QPalette(app.palette()))
    if mode in ("light", "dark"):
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(palette_for(mode))
    else:
        app.setStyle(QStyleFactory.create(_system[0]) or QStyleFactory.create("Fusion"))
        app.setPalette(_system[1])
    app.setStyleSheet(_tones(is_dark()))
    hints = QGuiApplication.styleHints()
    scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+: tell the platform too (title bars)
        hints.setColorScheme(scheme.get(mode, Qt.ColorScheme.Unknown))


def choose(settings: QSettings, mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown appearance {mode!r}")
    settings.setValue(KEY, mode)
    apply(mode)


def _tones(dark: bool) -> str:
    """Labels marked with the dynamic property tone=error|warning|muted get a readable
    colour (muted: hints and explanations, still above 4.5:1 contrast)."""
    error, warning = ("#ff8a80", "#ffb74d") if dark else ("#b00020", "#8a4b00")
    return (
        f'QLabel[tone="error"] {{ color: {error}; }} QLabel[tone="warning"] {{ color: {warning}; }}'
    )


def set_tone(label: QWidget, tone: str) -> None:
    """Mark a label as an error or warning ("" for neither); its colour follows the
    appearance. Takes effect at once, also on a label already on screen."""
    if label.property("tone") == tone:
        return
    label.setProperty("tone", tone)
    label.style().unpolish(label)
    label.style().polish(label)


def is_dark(widget: QWidget | None = None) -> bool:
    palette = widget.palette() if widget is not None else _app().palette()
    return palette.color(Role.Window).lightness() < 128


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app
