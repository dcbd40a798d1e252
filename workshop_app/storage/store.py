"""`Store`: an open project file. One writer thread for all writes; one read-only
connection per reading thread (WAL lets them read while the writer commits).

A store that can write holds the project's lock (storage/lock.py) for as long as it is
open: one program at a time writes a project file. A read-only store (the command line's
`info`, `export` and `themes`, or a read-only copy in the desktop app) takes no lock and
has no writer; asking it to write raises OpenedReadOnlyError.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from workshop_app.storage.cipher import Key
from workshop_app.storage.db import (
    check_and_upgrade,
    connect,
    create_file,
    effective_key,
    identify,
)
from workshop_app.storage.errors import (
    OpenedReadOnlyError,
    ProjectExistsError,
    StoreClosedError,
    classify,
)
from workshop_app.storage.lock import ProjectLock
from workshop_app.storage.writer import Tx, Writer

T = TypeVar("T")

#: How a store names its program in the lock when the caller does not say.
DEFAULT_PROGRAM = "Common Ground"


class Store:
    def __init__(
        self,
        path: Path,
        on_commit: Callable[[list[object]], None] | None = None,
        backup: Path | None = None,
        *,
        lock: ProjectLock | None = None,
        read_only: bool = False,
        key: Key | None = None,
    ):
        self.path = path
        self.key = key  # None for a plain file; never written anywhere
        self.backup = backup  # the backup written by a migration when opening, if any
        self.lock = lock
        self.read_only = read_only
        self._local = threading.local()
        self._readers: list[Database] = []
        self._readers_lock = threading.Lock()
        self._closed = False
        self.writer: Writer | None = None
        if not read_only:
            try:
                self.writer = Writer(path, on_commit, key)
            except BaseException:
                if lock is not None:
                    lock.release()
                raise

    @classmethod
    def open(
        cls,
        path: Path,
        on_commit: Callable[[list[object]], None] | None = None,
        *,
        program: str = DEFAULT_PROGRAM,
        read_only: bool = False,
        key: Key | None = None,
    ) -> Store:
        """Open an existing project (checked, backed up and migrated if older).

        A file that is not ours is identified without being changed in any way (not even
        its write-ahead log is folded in). Writing stores take the project's lock first, as
        `program`; a read-only store takes it only for as long as an upgrade needs it.
        An encrypted file needs its `key` (a plain one ignores it).
        """
        needs_upgrade = identify(path, key=key)
        key = effective_key(path, key)
        if read_only and not needs_upgrade:
            return cls(path, on_commit, read_only=True, key=key)
        lock = ProjectLock.acquire(path, program)
        try:
            backup = check_and_upgrade(path, key=key)
        except BaseException:
            lock.release()
            raise
        if read_only:
            lock.release()
            return cls(path, on_commit, backup, read_only=True, key=key)
        return cls(path, on_commit, backup, lock=lock, key=key)

    @classmethod
    def create(
        cls,
        path: Path,
        on_commit: Callable[[list[object]], None] | None = None,
        *,
        program: str = DEFAULT_PROGRAM,
        key: Key | None = None,
    ) -> Store:
        """Create a new, empty project file (encrypted with `key` when given); refuses to
        overwrite an existing one."""
        if path.exists():
            raise ProjectExistsError(path)
        lock = ProjectLock.acquire(path, program)
        try:
            create_file(path, key)
        except BaseException as exc:
            lock.release()
            problem = classify(exc, path)
            if problem is exc:
                raise
            raise problem from exc
        return cls(path, on_commit, lock=lock, key=key)

    @property
    def closed(self) -> bool:
        return self._closed

    def reader(self) -> Database:
        """This thread's read-only connection (created on first use)."""
        if self._closed:
            raise StoreClosedError("the project is closed")
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            try:
                db = connect(self.path, readonly=True, key=self.key)
            except Exception as exc:
                problem = classify(exc, self.path)
                if problem is exc:
                    raise
                raise problem from exc
            self._local.db = db
            with self._readers_lock:
                self._readers.append(db)
        return db

    def _writer(self) -> Writer:
        if self.writer is None:
            raise OpenedReadOnlyError(self.path)
        return self.writer

    def write(self, fn: Callable[[Tx], T]) -> Future[T]:
        return self._writer().submit(fn)

    def write_now(self, fn: Callable[[Tx], T]) -> T:
        return self._writer().call(fn)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self.writer is not None:
                self.writer.close()
            with self._readers_lock:
                for db in self._readers:
                    db.close()
                self._readers.clear()
        finally:
            if self.lock is not None:
                self.lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
