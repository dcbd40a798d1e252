"""Fixtures shared by every test: an isolated data folder and fresh project files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Tests assert behaviour, never speed (benchmarks do: docs/performance.md). Hypothesis's own
# timing checks are timed assertions: a fresh machine builds its text tables on the first draw
# (1.9 s seen in CI) and a loaded one is slow, so they are off; its other health checks stay.
settings.register_profile(
    "common-ground", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("common-ground")

# Qt must never look for a display in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """platformdirs (data folder, user plans, log file) points into a temporary folder."""
    home = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    return home


@pytest.fixture
def project(tmp_path: Path) -> Iterator[object]:
    """A new project file with the default stakeholder groups, closed afterwards."""
    from workshop_app.services.project import create_project

    p = create_project(tmp_path / "test.cground", "Test project", "Testborough")
    yield p
    p.close()


@pytest.fixture(scope="session")
def shipped_engine() -> object:
    """The shipped theme model, loaded once for the tests that read notes with it (the
    arrival check's second look): one model in memory, as in the app."""
    from workshop_app.themes import ThemeEngine, ThemeModel

    engine = ThemeEngine(ThemeModel())
    engine.model.load()
    return engine


@pytest.fixture
def look(project: object, shipped_engine: object) -> Iterator[object]:
    """The arrival check's second look on the `project` fixture, running (stopped after)."""
    from workshop_app.services.arrival import SecondLook

    look = SecondLook(project, shipped_engine)  # type: ignore[arg-type]
    look.start()
    yield look
    look.stop()
