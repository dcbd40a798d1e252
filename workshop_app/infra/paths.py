"""Where things live: shipped resources and plans, and the user's data folder."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_DIR_NAME = "CommonGround"


def bundle_root() -> Path:
    """The folder holding `resources/` and `sessions/`: the PyInstaller bundle when
    frozen, else the source checkout the package was installed from."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return bundle_root() / "resources"


def shipped_plans_dir() -> Path:
    return bundle_root() / "sessions"


def data_dir() -> Path:
    """The user's data folder (created on demand): Windows AppData, macOS Application
    Support, XDG on Linux."""
    path = Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_plans_dir() -> Path:
    path = data_dir() / "plans"
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_project_path() -> Path:
    return data_dir() / "Demo project.cground"
