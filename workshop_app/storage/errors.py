"""Project-file problems a person can act on (as opposed to bugs).

Each message is one line, written for a facilitator: what is wrong with which file and
what to do. The command line prints it on stderr; the desktop app shows it in a dialog.
"""

from __future__ import annotations

from pathlib import Path


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


class StoreClosedError(RuntimeError):
    """A write was submitted after the project was closed (a bug in the caller)."""
