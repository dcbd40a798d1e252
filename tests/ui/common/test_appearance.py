"""Light and dark appearance: chosen from the View menu, kept, applied to every window."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from workshop_app.runtime import AppRuntime
from workshop_app.ui.common import appearance
from workshop_app.ui.common.widgets import plain_label
from workshop_app.ui.shell import Shell


@pytest.fixture(autouse=True)
def back_to_system():
    yield
    appearance.apply("system")


def _choose(window, mode: str) -> None:
    action = next(a for a in window.appearance_actions.actions() if a.data() == mode)
    action.trigger()


def test_dark_and_light_switch_every_window_and_are_remembered(window, settings, qtbot):
    _choose(window, "dark")
    app = QApplication.instance()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert window.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert settings.value(appearance.KEY) == "dark"
    _choose(window, "light")
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert settings.value(appearance.KEY) == "light"


def test_a_new_start_uses_the_stored_appearance(settings, qtbot):
    settings.setValue(appearance.KEY, "dark")
    Shell(settings, AppRuntime())
    assert appearance.is_dark()
    settings.setValue(appearance.KEY, "nonsense")  # a damaged preference falls back calmly
    assert appearance.stored_mode(settings) == "system"


def test_error_text_stays_readable_in_both_palettes(qtbot):
    label = plain_label("The title cannot be empty.")
    qtbot.addWidget(label)
    appearance.set_tone(label, "error")
    colours = {}
    for mode in ("light", "dark"):
        appearance.apply(mode)
        label.style().unpolish(label)
        label.style().polish(label)
        ink = label.palette().color(QPalette.ColorRole.WindowText)
        ground = QApplication.instance().palette().color(QPalette.ColorRole.Window)
        colours[mode] = ink.name()
        assert abs(ink.lightness() - ground.lightness()) > 90, f"{mode}: {ink.name()}"
    assert colours["light"] != colours["dark"]


def test_the_window_remembers_its_docks(shell, project_path, settings, qtbot):
    w = shell.open_path(project_path)
    w.close()
    assert settings.value("window/project-state") is not None
    again = shell.open_path(project_path)
    assert again is not None and not again.live_dock.isVisible()
