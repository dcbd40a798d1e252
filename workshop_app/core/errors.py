"""Errors the domain raises for things a person got wrong (not bugs)."""


class DomainError(Exception):
    """A rule of the domain was broken by user input; the message is for people."""


class NotFoundError(DomainError):
    """Something the user named does not exist (or no longer does)."""


class StateError(DomainError):
    """The request is fine but the moment is not: the activity is closed, the session ended."""


class LimitError(DomainError):
    """Too much: too long, too many, too fast. The message says what the limit is."""


class NobodyListeningError(StateError):
    """A help request that no facilitator would see: refused, so the phone can show where
    else to find help instead of a false "sent"."""


class SessionFullError(LimitError):
    """The session has as many participants as the project allows (a setting)."""


class HeldNoteError(StateError):
    """A note held back on arrival (a possible disclosure or a personal detail) would go on
    the screen without the facilitator releasing that one note."""


class FlaggedNoteError(StateError):
    """A note flagged for safeguarding follow-up would go on the screen without the
    facilitator confirming it for that one note."""
