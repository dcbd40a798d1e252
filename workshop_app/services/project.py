"""Opening, creating and describing a project; its details and settings."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import Counts, GroupKind, Project, StakeholderGroup
from workshop_app.core.settings import ProjectSettings, settings_from_mapping
from workshop_app.core.validate import TITLE_MAX, clean_text
from workshop_app.services.events import Changed, EventBus, Topic
from workshop_app.storage import counts as count_repo
from workshop_app.storage import projects as repo
from workshop_app.storage.cipher import Key
from workshop_app.storage.db import identify, make_backup
from workshop_app.storage.errors import classify
from workshop_app.storage.store import DEFAULT_PROGRAM, Store
from workshop_app.storage.writer import Tx

PROJECT_SUFFIX = ".cground"

DEFAULT_GROUPS: tuple[tuple[str, GroupKind, bool], ...] = (
    ("Children 8–12", GroupKind.CHILD, True),
    ("Young people 13–18", GroupKind.CHILD, True),
    ("Parents and carers", GroupKind.PARENT, False),
    ("Practitioners", GroupKind.PRACTITIONER, False),
)


#: How the desktop app names itself to a second opener of a project it holds.
DESKTOP_APP = "the Common Ground desktop app"


@dataclass
class OpenProject:
    """An open project file: the store (one writer, per-thread readers) and its events."""

    path: Path
    store: Store
    bus: EventBus
    copy_of: Path | None = None  # set for a read-only copy of a project held elsewhere

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def encrypted(self) -> bool:
        return self.store.key is not None

    def connect_this_thread(self) -> None:
        """Open this thread's read connection now, for a thread about to read: on an
        encrypted project a new connection derives the key from the passphrase (0.15-0.25 s
        on a 2-core laptop), which its first read would otherwise wait for."""
        self.store.reader()

    def close(self) -> None:
        try:
            self.store.close()
        finally:
            if self.copy_of is not None:  # a copy made to look at: it goes with the window
                shutil.rmtree(self.path.parent, ignore_errors=True)

    def __enter__(self) -> OpenProject:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_project(
    path: Path,
    bus: EventBus | None = None,
    *,
    program: str = DEFAULT_PROGRAM,
    read_only: bool = False,
    key: Key | None = None,
) -> OpenProject:
    """Open an existing project file; raises ProjectFileError for people to read.

    Opened for writing, the project is locked for `program` until it is closed (a second
    opener gets ProjectLockedError naming it). `read_only` takes no lock and can write
    nothing: for reading commands that may run while the desktop app has it open. An
    encrypted file needs its `key` (PassphraseNeededError / WrongPassphraseError).
    """
    bus = bus or EventBus()
    store = Store.open(path, on_commit=bus.publish, program=program, read_only=read_only, key=key)
    return OpenProject(path, store, bus)


def open_read_only_copy(
    path: Path, bus: EventBus | None = None, key: Key | None = None
) -> OpenProject:
    """A consistent copy of a project another program is writing, opened read-only: to
    look at it without touching the original. The copy lives in a private temporary
    folder and is deleted when it is closed."""
    folder = Path(tempfile.mkdtemp(prefix="common-ground-copy-"))
    copy = folder / path.name
    try:
        identify(path, key=key)  # a wrong passphrase is said so before anything is copied
        make_backup(path, copy, key)  # SQLite's online backup: consistent while written
        bus = bus or EventBus()
        store = Store.open(copy, on_commit=bus.publish, read_only=True, key=key)
    except BaseException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        problem = classify(exc, path)
        if problem is exc:
            raise
        raise problem from exc
    return OpenProject(copy, store, bus, copy_of=path)


def create_project(
    path: Path,
    title: str,
    locality: str = "",
    *,
    with_default_groups: bool = True,
    bus: EventBus | None = None,
    program: str = DEFAULT_PROGRAM,
    key: Key | None = None,
) -> OpenProject:
    """Create a new project file with its details, default settings and groups,
    encrypted with `key` when one is given (the desktop app always gives one, unless
    the facilitator chooses a plain file on purpose)."""
    title = clean_text(title, "The project title", TITLE_MAX, required=True)
    locality = clean_text(locality, "The locality", TITLE_MAX, required=False)
    bus = bus or EventBus()
    store = Store.create(path, on_commit=bus.publish, program=program, key=key)
    now = utc_now()

    def job(tx: Tx) -> None:
        repo.insert_project(tx.db, Project(new_id(), title, locality, now, now))
        repo.put_settings(tx.db, ProjectSettings().as_mapping())
        if with_default_groups:
            for position, (name, kind, child) in enumerate(DEFAULT_GROUPS):
                repo.insert_group(
                    tx.db, StakeholderGroup(new_id(), name, kind, child, position, now)
                )

    try:
        store.write_now(job)
    except BaseException:
        store.close()
        path.unlink(missing_ok=True)
        raise
    return OpenProject(path, store, bus)


def get_project(p: OpenProject) -> Project:
    return repo.get_project(p.store.reader())


def update_project(p: OpenProject, title: str, locality: str) -> None:
    title = clean_text(title, "The project title", TITLE_MAX, required=True)
    locality = clean_text(locality, "The locality", TITLE_MAX, required=False)
    now = utc_now()

    def job(tx: Tx) -> None:
        repo.update_project(tx.db, title, locality, now)
        tx.emit(Changed(Topic.PROJECT))

    p.store.write_now(job)


def get_settings(p: OpenProject) -> ProjectSettings:
    return settings_from_mapping(repo.get_settings(p.store.reader()))


def update_settings(p: OpenProject, **changes: Any) -> ProjectSettings:
    """Change settings (checked as a whole); returns the new settings."""
    new = get_settings(p).with_changes(**changes)

    def job(tx: Tx) -> None:
        repo.put_settings(tx.db, new.as_mapping())
        tx.emit(Changed(Topic.SETTINGS))

    p.store.write_now(job)
    return new


def update_project_and_settings(
    p: OpenProject, title: str, locality: str, **changes: Any
) -> ProjectSettings:
    """Change the project's details and settings together: both or neither."""
    title = clean_text(title, "The project title", TITLE_MAX, required=True)
    locality = clean_text(locality, "The locality", TITLE_MAX, required=False)
    new = get_settings(p).with_changes(**changes)
    now = utc_now()

    def job(tx: Tx) -> None:
        repo.update_project(tx.db, title, locality, now)
        repo.put_settings(tx.db, new.as_mapping())
        tx.emit(Changed(Topic.PROJECT))
        tx.emit(Changed(Topic.SETTINGS))

    p.store.write_now(job)
    return new


def get_counts(p: OpenProject) -> Counts:
    return count_repo.project_counts(p.store.reader())


def with_suffix(path: Path) -> Path:
    """Add the project suffix to a path a person typed without it."""
    return path if path.suffix else path.with_suffix(PROJECT_SUFFIX)
