"""The errors a person can act on, in one place for the UI and the command line.

Everything here carries a message written for a facilitator; show it as it is.
"""

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.plan import PlanError
from workshop_app.storage.errors import (
    DamagedProjectError,
    NewerProjectError,
    NotAProjectError,
    ProjectExistsError,
    ProjectFileError,
    ProjectMissingError,
    StoreClosedError,
)

USER_ERRORS: tuple[type[Exception], ...] = (DomainError, ProjectFileError, OSError)

__all__ = [
    "USER_ERRORS",
    "DamagedProjectError",
    "DomainError",
    "NewerProjectError",
    "NotAProjectError",
    "NotFoundError",
    "PlanError",
    "ProjectExistsError",
    "ProjectFileError",
    "ProjectMissingError",
    "StoreClosedError",
]
