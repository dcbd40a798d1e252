"""`Store`: an open project file. One writer thread for all writes; one read-only
connection per reading thread (WAL lets them read while the writer commits)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from workshop_app.storage.db import check_and_upgrade, connect, create_file
from workshop_app.storage.errors import ProjectExistsError, StoreClosedError
from workshop_app.storage.writer import Tx, Writer

T = TypeVar("T")


class Store:
    def __init__(
        self,
        path: Path,
        on_commit: Callable[[list[object]], None] | None = None,
        backup: Path | None = None,
    ):
        self.path = path
        self.backup = backup  # the backup written by a migration when opening, if any
        self._local = threading.local()
        self._readers: list[Database] = []
        self._readers_lock = threading.Lock()
        self._closed = False
        self.writer = Writer(path, on_commit)

    @classmethod
    def open(cls, path: Path, on_commit: Callable[[list[object]], None] | None = None) -> Store:
        """Open an existing project (checked, backed up and migrated if older)."""
        backup = check_and_upgrade(path)
        return cls(path, on_commit, backup)

    @classmethod
    def create(cls, path: Path, on_commit: Callable[[list[object]], None] | None = None) -> Store:
        """Create a new, empty project file; refuses to overwrite an existing one."""
        if path.exists():
            raise ProjectExistsError(path)
        create_file(path)
        return cls(path, on_commit)

    @property
    def closed(self) -> bool:
        return self._closed

    def reader(self) -> Database:
        """This thread's read-only connection (created on first use)."""
        if self._closed:
            raise StoreClosedError("the project is closed")
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path, readonly=True)
            self._local.db = db
            with self._readers_lock:
                self._readers.append(db)
        return db

    def write(self, fn: Callable[[Tx], T]) -> Future[T]:
        return self.writer.submit(fn)

    def write_now(self, fn: Callable[[Tx], T]) -> T:
        return self.writer.call(fn)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.writer.close()
        with self._readers_lock:
            for db in self._readers:
                db.close()
            self._readers.clear()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
