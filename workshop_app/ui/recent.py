"""The recent-projects list, kept in QSettings (most recent first, at most ten)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

KEY = "recent/projects"
LIMIT = 10


class RecentProjects:
    def __init__(self, settings: QSettings):
        self._settings = settings

    def paths(self) -> list[Path]:
        raw = self._settings.value(KEY, [])
        if isinstance(raw, str):  # QSettings returns a lone string for a one-item list
            raw = [raw]
        if not isinstance(raw, list):
            return []
        return [Path(p) for p in raw if isinstance(p, str) and p]

    def add(self, path: Path) -> None:
        path = path.resolve()
        kept = [p for p in self.paths() if p != path]
        self._store([path, *kept][:LIMIT])

    def remove(self, path: Path) -> None:
        self._store([p for p in self.paths() if p != path.resolve()])

    def clear(self) -> None:
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        self._settings.setValue(KEY, [str(p) for p in paths])
        self._settings.sync()
