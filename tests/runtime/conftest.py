"""The runtime's tests: real project files, the real writer, server, keeper and engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from workshop_app.services import suggestions
from workshop_app.ui import collector


@pytest.fixture(scope="session", autouse=True)
def gui_thread_garbage_collection(qapp: QApplication) -> Iterator[None]:
    """As in the app (ui/collector.py): Qt objects are never collected on another thread."""
    c = collector.install(qapp)
    yield
    c.stop()


@pytest.fixture(scope="session")
def engine() -> suggestions.ThemeEngine:
    """The shipped model, loaded once (1-2 s) for every test that runs suggestions."""
    engine = suggestions.ThemeEngine(suggestions.ThemeModel())
    suggestions.load_model(engine)
    return engine


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    s = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    s.setValue("live/port", 0)  # any free port: tests run side by side
    s.setValue("live/host", "127.0.0.1")
    return s
