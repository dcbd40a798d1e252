"""Errors the domain raises for things a person got wrong (not bugs)."""


class DomainError(Exception):
    """A rule of the domain was broken by user input; the message is for people."""


class NotFoundError(DomainError):
    """Something the user named does not exist (or no longer does)."""
