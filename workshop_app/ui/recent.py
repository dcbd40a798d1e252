"""The recent-projects list, kept in QSettings (most recent first, at most ten), with
each project's keep-until date (a date only: so the start screen can remind without
opening an encrypted file; never a passphrase)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings

KEY = "recent/projects"
KEEP_UNTIL = "recent/keep-until"
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
        dates = self._dates()
        dates.pop(str(path.resolve()), None)
        self._settings.setValue(KEEP_UNTIL, dates)

    def set_keep_until(self, path: Path, day: date) -> None:
        dates = self._dates()
        dates[str(path.resolve())] = day.isoformat()
        known = {str(p) for p in self.paths()} | {str(path.resolve())}
        self._settings.setValue(KEEP_UNTIL, {k: v for k, v in dates.items() if k in known})
        self._settings.sync()

    def keep_until(self) -> dict[Path, date]:
        out = {}
        for k, v in self._dates().items():
            try:
                out[Path(k)] = date.fromisoformat(v)
            except ValueError:
                continue  # a hand-edited settings file: no reminder rather than a crash
        return out

    def _dates(self) -> dict[str, str]:
        raw = self._settings.value(KEEP_UNTIL, {})
        if not isinstance(raw, dict):
            return {}
        return {str(k): str(v) for k, v in raw.items() if isinstance(v, str)}

    def clear(self) -> None:
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        self._settings.setValue(KEY, [str(p) for p in paths])
        self._settings.sync()
