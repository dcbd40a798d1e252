"""The errors a person can act on, in one place for the UI and the command line.

Everything here carries a message written for a facilitator; show it as it is.
"""

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.plan import PlanError
from workshop_app.storage.errors import (
    DamagedProjectError,
    NewerProjectError,
    NotAProjectError,
    PassphraseNeededError,
    ProjectExistsError,
    ProjectFileError,
    ProjectLockedError,
    ProjectMissingError,
    StorageProblem,
    StoreClosedError,
    WrongPassphraseError,
    describe_os_error,
)

USER_ERRORS: tuple[type[Exception], ...] = (DomainError, ProjectFileError, OSError)


def message_for(exc: BaseException) -> str:
    """What to tell a person about one of USER_ERRORS, in the same words everywhere (the
    desktop app, the command line): an OS error is described ("The disk is full…"),
    never shown raw ("[Errno 28] No space left on device")."""
    if isinstance(exc, OSError) and not isinstance(exc, ProjectFileError):
        return describe_os_error(exc)
    return str(exc) or type(exc).__name__


__all__ = [
    "USER_ERRORS",
    "DamagedProjectError",
    "DomainError",
    "NewerProjectError",
    "NotAProjectError",
    "NotFoundError",
    "PassphraseNeededError",
    "PlanError",
    "ProjectExistsError",
    "ProjectFileError",
    "ProjectLockedError",
    "ProjectMissingError",
    "StorageProblem",
    "StoreClosedError",
    "WrongPassphraseError",
    "message_for",
]
