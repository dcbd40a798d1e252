"""Errors of the theme engine that are environment problems, not bugs."""


class ModelError(Exception):
    """The embedding model is missing, damaged or cannot be loaded; the message is for people."""
