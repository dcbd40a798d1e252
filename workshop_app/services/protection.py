"""Encrypting a plain project in place, and decrypting an encrypted one on purpose.

Both make a new copy beside the file (SQLCipher's export), check it holds every table and
row of the original, and only then put it in the original's place; the app's backups of
the project beside it are converted the same way, so no plain copy is left behind by the
app. The project must be closed everywhere (its lock is taken for the whole change).
"""

from __future__ import annotations

import os
from pathlib import Path

from workshop_app.core.errors import DomainError
from workshop_app.services.retention import backups_of
from workshop_app.storage.cipher import Key
from workshop_app.storage.db import check_and_upgrade, identify, is_encrypted
from workshop_app.storage.db import is_encrypted as is_encrypted_file
from workshop_app.storage.encryption import export_copy, fold_log, remove_with_logs
from workshop_app.storage.errors import classify
from workshop_app.storage.lock import ProjectLock
from workshop_app.storage.store import DEFAULT_PROGRAM

__all__ = [
    "AlreadyEncryptedError",
    "Key",
    "NotEncryptedError",
    "decrypt_in_place",
    "encrypt_in_place",
    "is_encrypted_file",
]


class AlreadyEncryptedError(DomainError):
    """The project asked to be encrypted is encrypted already."""


class NotEncryptedError(DomainError):
    """The project asked to be decrypted is not encrypted."""


def encrypt_in_place(path: Path, key: Key, *, program: str = DEFAULT_PROGRAM) -> None:
    """Encrypt a plain project file (and the app's backups of it) with `key`."""
    if path.exists() and not path.is_dir() and is_encrypted(path):
        raise AlreadyEncryptedError(f"{path.name} is encrypted already.")
    identify(path)
    _convert(path, None, key, program)


def decrypt_in_place(path: Path, key: Key, *, program: str = DEFAULT_PROGRAM) -> None:
    """Decrypt an encrypted project file (and the app's backups of it) on purpose: from
    now on anyone who copies it can read every note."""
    identify(path, key=key)  # WrongPassphraseError before anything is written
    if not is_encrypted(path):
        raise NotEncryptedError(f"{path.name} is not encrypted.")
    _convert(path, key, None, program)


def _convert(path: Path, old: Key | None, new: Key | None, program: str) -> None:
    lock = ProjectLock.acquire(path, program)
    try:
        check_and_upgrade(path, key=old)  # an older file is upgraded (and backed up) first
        for f in [*(b for b in backups_of(path) if b.suffix == path.suffix), path]:
            _replace_with_copy(f, old, new)
    finally:
        lock.release()


def _replace_with_copy(f: Path, old: Key | None, new: Key | None) -> None:
    if (old is None) == is_encrypted(f):
        return  # a backup already in the wanted form (or with another key): left as it is
    fold_log(f, old)  # nothing may stay only in the -wal of the file being replaced
    fresh = f.with_name(f".{f.name}.converting")
    remove_with_logs(fresh)  # a leftover of an interrupted attempt
    export_copy(f, fresh, old, new)  # verified row by row, or removed and raised
    try:
        for log in (f.with_name(f.name + "-wal"), f.with_name(f.name + "-shm")):
            log.unlink(missing_ok=True)
        os.replace(fresh, f)
    except OSError as exc:
        remove_with_logs(fresh)
        raise classify(exc, f) from exc
