"""How long a project is kept, and deleting it securely when it is no longer needed.

    retention(p) -> Retention   the keep-until date from the sessions and the setting
    project_files(path)         the file and everything the app keeps beside it
    delete_securely(path, ...)  removes them all (after taking the project's lock)

Deleting overwrites each file with zeros before removing it. On a solid-state drive or a
copy-on-write file system that does not reach every old copy of the data (the drive moves
blocks about on its own); an encrypted project is unreadable without its passphrase
anyway, which is why new projects are encrypted (docs/project-file.md).
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

from workshop_app.core.retention import Retention, protection_text, retention_for
from workshop_app.services.project import OpenProject, get_project, get_settings
from workshop_app.storage import projects as repo
from workshop_app.storage.errors import ProjectMissingError, classify
from workshop_app.storage.lock import ProjectLock, lock_path_for
from workshop_app.storage.store import DEFAULT_PROGRAM

_CHUNK = 1 << 20


def retention(p: OpenProject) -> Retention:
    """The project's keep-until date: `retention_months` after its last session."""
    db = p.store.reader()
    return retention_for(
        repo.session_days(db),
        get_project(p).created_at.date(),
        get_settings(p).retention_months,
    )


def protection(p: OpenProject) -> str:
    """The methods' sentences every report carries: whether the file is encrypted and until
    when it is kept (core/retention.py `protection_text`), from the project as it is."""
    return protection_text(p.encrypted, retention(p))


def backups_of(path: Path) -> list[Path]:
    """The backups the app wrote beside the project before upgrading it (storage/db.py
    names them NAME.vN-backup-STAMP.cground), with their write-ahead logs."""
    pattern = f"{glob.escape(path.stem)}.v*-backup-*{glob.escape(path.suffix)}"
    found = sorted(path.parent.glob(pattern))
    logs = [
        f.with_name(f.name + end)
        for f in found
        for end in ("-wal", "-shm")
        if f.with_name(f.name + end).exists()
    ]
    return found + logs


def project_files(path: Path) -> list[Path]:
    """Everything of this project on disk: the file, its -wal and -shm, the app's
    backups of it and its lock file (those that exist)."""
    beside = [path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    candidates = [path, *beside, *backups_of(path), lock_path_for(path)]
    return [f for f in candidates if f.exists()]


def delete_securely(path: Path, *, program: str = DEFAULT_PROGRAM) -> list[Path]:
    """Remove the project file, its write-ahead log, its backups and its lock file,
    each overwritten with zeros first; returns what was removed.

    The project's lock is taken first, so a project open in another program (or another
    window) is refused with ProjectLockedError and nothing is removed."""
    if not path.exists():
        raise ProjectMissingError(path)
    lock = ProjectLock.acquire(path, program)
    removed: list[Path] = []
    try:
        for f in project_files(path):
            if f == lock.lock_file:
                continue  # released (and removed) last
            _overwrite_and_remove(f)
            removed.append(f)
    finally:
        lock.release()
    removed.append(lock.lock_file)
    return removed


def _overwrite_and_remove(f: Path) -> None:
    try:
        size = f.stat().st_size
        with f.open("r+b") as out:
            zeros = bytes(min(size, _CHUNK))
            left = size
            while left > 0:
                n = min(left, _CHUNK)
                out.write(zeros[:n])
                left -= n
            out.flush()
            os.fsync(out.fileno())
        f.unlink()
    except OSError as exc:
        raise classify(exc, f) from exc
