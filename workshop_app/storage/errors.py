"""Project-file problems a person can act on (as opposed to bugs).

Each message is one line, written for a facilitator: what is wrong with which file and
what to do. The command line prints it on stderr; the desktop app shows it in a dialog.

Trouble with the disk or the file system (full, read-only, failing, held by another
program) is classified here, at the storage edge, as qutebrowser's misc/sql.py does:
`classify` turns SQLite's and the OS's errors into a StorageProblem with the same words for
the desktop app, the command line and the phones, and leaves real bugs as they are.
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable
from pathlib import Path

from workshop_app.storage.cipher import DB_ERRORS


class ProjectFileError(Exception):
    """Base for every problem with a project file that is not a bug."""

    def __init__(self, path: Path | str, message: str):
        self.path = Path(path)
        super().__init__(message)


class ProjectMissingError(ProjectFileError):
    def __init__(self, path: Path | str):
        super().__init__(path, f"There is no project file at {path}.")


class ProjectExistsError(ProjectFileError):
    def __init__(self, path: Path | str):
        super().__init__(path, f"{path} already exists; choose another name or remove it first.")


class NotAProjectError(ProjectFileError):
    """The file is not SQLite at all, or is SQLite that belongs to another program."""


class DamagedProjectError(ProjectFileError):
    """The file is ours (or claims to be) but cannot be read safely."""


class NewerProjectError(ProjectFileError):
    def __init__(self, path: Path | str, found: int, supported: int):
        self.found = found
        self.supported = supported
        super().__init__(
            path,
            f"{path} was saved by a newer version of Common Ground (file format {found}; "
            f"this version reads up to {supported}). Please update Common Ground to open it.",
        )


class PassphraseNeededError(ProjectFileError):
    """The file may be an encrypted project and no passphrase was given."""

    def __init__(self, path: Path | str):
        super().__init__(
            path,
            f"{Path(path).name} is encrypted (or is not a Common Ground project): give its "
            "passphrase to open it.",
        )


class WrongPassphraseError(ProjectFileError):
    """The passphrase given does not open the file (it is never called damaged: a
    wrong passphrase and a file that is not ours look the same without the right one)."""

    def __init__(self, path: Path | str):
        super().__init__(
            path,
            f"The passphrase does not open {Path(path).name}. Check it (capitals, spaces) "
            "and try again; nothing in the file was changed.",
        )


class StoreClosedError(RuntimeError):
    """A write was submitted after the project was closed (a bug in the caller)."""


class ProjectLockedError(ProjectFileError):
    """Another program of ours has the project open (one process per project file)."""

    def __init__(self, path: Path | str, holder: str):
        self.holder = holder
        super().__init__(
            path,
            f"{Path(path).name} is already open in {holder}. Close it there first "
            "(two programs writing one project would lose each other's changes).",
        )


class OpenedReadOnlyError(ProjectFileError):
    """A change was asked of a project opened read-only (a copy to look at, or the command
    line's reading commands)."""

    def __init__(self, path: Path | str):
        super().__init__(
            path,
            f"{Path(path).name} is open read-only here, so nothing can be changed. To make "
            "changes, open the project itself once no other program has it open.",
        )


class StorageProblem(ProjectFileError):
    """The disk or the file system is in the way, not the project and not the program.
    Nothing already saved is lost; the action that met it was not saved."""

    kind = "storage"


class DiskFullError(StorageProblem):
    kind = "full"

    def __init__(self, path: Path | str):
        super().__init__(
            path,
            f"The disk is full, so {Path(path).name} could not be saved. Free some space "
            "(empty the bin, move large files off this computer) and try again; everything "
            "saved before is safe.",
        )


class ReadOnlyError(StorageProblem):
    kind = "read-only"

    def __init__(self, path: Path | str):
        super().__init__(
            path,
            f"{path} cannot be written to: the file, its folder or the drive is read-only. "
            "Copy it to a folder you can write to (such as Documents) and open the copy.",
        )


class StorageIOError(StorageProblem):
    kind = "io"

    def __init__(self, path: Path | str):
        super().__init__(
            path,
            f"The disk reported an error while reading or writing {Path(path).name}. Keep a "
            "copy of the project somewhere else as soon as you can; if it happens again, "
            "the drive may be failing.",
        )


class FileBusyError(StorageProblem):
    kind = "busy"

    def __init__(self, path: Path | str):
        super().__init__(
            path,
            f"{Path(path).name} is busy: another program is using it. Close other programs "
            "that may have it open (a backup or sync tool) and try again.",
        )


_Kind = Callable[[Path | str], StorageProblem]
_SQLITE_KINDS: tuple[tuple[str, _Kind], ...] = (
    ("SQLITE_FULL", DiskFullError),
    ("SQLITE_READONLY", ReadOnlyError),
    ("SQLITE_IOERR", StorageIOError),
    ("SQLITE_BUSY", FileBusyError),
    ("SQLITE_LOCKED", FileBusyError),
    ("SQLITE_CANTOPEN", ReadOnlyError),
    ("SQLITE_PERM", ReadOnlyError),
)
_OS_KINDS: dict[int, _Kind] = {
    errno.ENOSPC: DiskFullError,
    errno.EDQUOT: DiskFullError,
    errno.EROFS: ReadOnlyError,
    errno.EACCES: ReadOnlyError,
    errno.EPERM: ReadOnlyError,
    errno.EIO: StorageIOError,
}


def classify(exc: BaseException, path: Path | str) -> BaseException:
    """The StorageProblem `exc` stands for, or `exc` itself when it is not one (a bug).

    SQLite's extended error names (Python 3.11+) tell a full disk from a read-only file
    from an I/O error; OS errors are told apart by errno. A database that is not one or is
    corrupt is a DamagedProjectError.
    """
    if isinstance(exc, ProjectFileError):
        return exc
    if isinstance(exc, DB_ERRORS):
        name = getattr(exc, "sqlite_errorname", "") or ""
        for prefix, kind in _SQLITE_KINDS:
            if name.startswith(prefix):
                if kind is StorageIOError and _disk_full(path):
                    kind = DiskFullError  # a full disk often shows as an I/O error
                return _with_cause(kind(path), exc)
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return _with_cause(
                DamagedProjectError(path, f"{path} is damaged ({exc}). Try a backup copy."), exc
            )
        return exc
    if isinstance(exc, OSError) and exc.errno in _OS_KINDS:
        kind = _OS_KINDS[exc.errno]
        where = exc.filename or path
        if kind is StorageIOError and _disk_full(where):
            kind = DiskFullError
        return _with_cause(kind(where), exc)
    return exc


#: Less free space than this on the project's drive, and a disk error means a full disk.
NEARLY_FULL_BYTES = 1 << 20


def _disk_full(path: Path | str) -> bool:
    folder = Path(path).parent
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def describe_os_error(exc: OSError, path: Path | str | None = None) -> str:
    """One sentence for a person about a failed file operation (exports, backups)."""
    where = path if path is not None else (exc.filename or "the file")
    problem = classify(exc, where)
    if isinstance(problem, StorageProblem):
        return str(problem)
    if exc.errno == errno.ENOENT:
        return f"{where} does not exist (was the folder moved or the drive taken out?)."
    if exc.errno == errno.EISDIR:
        return f"{where} is a folder; choose a file name."
    return f"{where} could not be written ({exc.strerror or exc})."


def _with_cause(problem: ProjectFileError, cause: BaseException) -> ProjectFileError:
    problem.__cause__ = cause
    return problem
