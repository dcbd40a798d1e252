"""One program at a time writes a project file (decision 015).

Two processes on one file (the desktop app and a `workshop-app serve`, two copies of the
app) would each run a writer, rotate links the other never hears of, and push live updates
to only their own phones. So whoever opens a project for writing holds an operating-system
lock on a small file beside it, `.NAME.cground.lock`, for as long as it is open. The lock
is the OS's (flock on Linux and macOS, LockFileEx through msvcrt on Windows): it goes away
with the process, so a crash never leaves a project locked. The file also says who holds
it (the program, its process id, the computer, since when), so the next opener can name it.
filelock, the usual library, truncates the file on every attempt, which loses that name.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

from workshop_app.storage.errors import ProjectLockedError, classify

#: Windows locks a byte range; the holder's description is written before it.
_WINDOWS_LOCK_OFFSET = 1 << 20
_ATTEMPTS = 5


def lock_path_for(project: Path) -> Path:
    return project.with_name(f".{project.name}.lock")


class ProjectLock:
    """An exclusive lock on a project file, held until :meth:`release`."""

    def __init__(self, project: Path, lock_file: Path, fd: int):
        self.project = project
        self.lock_file = lock_file
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, project: Path, program: str) -> ProjectLock:
        """Take the lock for `program` (e.g. "the Common Ground desktop app"), or raise
        ProjectLockedError naming who has it; a folder that cannot be written is a
        ReadOnlyError (the project could not be written there either)."""
        lock_file = lock_path_for(project)
        for _ in range(_ATTEMPTS):
            try:
                fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise classify(exc, project) from exc
            if not _try_lock(fd):
                holder = _describe(_read(fd))
                os.close(fd)
                raise ProjectLockedError(project, holder)
            # The previous holder may have removed the file between our open and our lock:
            # then we hold a lock on a name nobody sees. Try again with the current file.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock_file))
            except OSError:
                same = False
            if same:
                _write(fd, program)
                return cls(project, lock_file, fd)
            _unlock(fd)
            os.close(fd)
        raise ProjectLockedError(project, "another program (its lock keeps changing)")

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        # Removed while still held, so no one can lock a name about to disappear (a
        # read-only folder keeps it: the next opener locks the same file).
        with contextlib.suppress(OSError):
            self.lock_file.unlink(missing_ok=True)
        _unlock(fd)
        os.close(fd)


def holder_of(project: Path) -> str | None:
    """Who holds the project's lock now (None: nobody)."""
    lock_file = lock_path_for(project)
    try:
        fd = os.open(lock_file, os.O_RDONLY if sys.platform != "win32" else os.O_RDWR)
    except OSError:
        return None
    try:
        if _try_lock(fd):
            _unlock(fd)
            return None
        return _describe(_read(fd))
    finally:
        os.close(fd)


# ---------------------------------------------------------------- the OS's locks


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: held elsewhere
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _write(fd: int, program: str) -> None:
    record = {
        "program": program,
        "pid": os.getpid(),
        "computer": socket.gethostname(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    data = json.dumps(record).encode("utf-8")
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)
    except OSError:
        pass  # the lock holds all the same; only the name is missing


def _read(fd: int) -> dict[str, object]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 4096)
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe(record: dict[str, object]) -> str:
    """'the Common Ground desktop app (process 4711 on this computer, since 10:32)'."""
    program = str(record.get("program") or "another program")
    details = []
    if record.get("pid"):
        where = "this computer"
        computer = record.get("computer")
        if computer and computer != socket.gethostname():
            where = f"the computer {computer}"
        details.append(f"process {record['pid']} on {where}")
    since = record.get("since")
    if isinstance(since, str):
        with contextlib.suppress(ValueError):
            details.append(f"since {datetime.fromisoformat(since).astimezone():%H:%M}")
    return program + (f" ({', '.join(details)})" if details else "")
