"""A worker thread's outcome, said in plain words: what the export and merge dialogs hand
back to the GUI thread when their job on a worker of their own ends."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from workshop_app.services.errors import USER_ERRORS, message_for

log = logging.getLogger(__name__)

#: `(token, result or None, error in words or "")`, emitted on the worker thread to a
#: queued signal of the dialog's.
Emit = Callable[[int, Any, str], None]


def relay_outcome(future: Future[Any], emit: Emit, token: int, what: str, unexpected: str) -> None:
    """Emit the job's result, or why it failed: a refusal or a disk problem in the same
    words as everywhere (`message_for`), a bug logged with its traceback and `unexpected`
    said instead. Runs on the worker thread (a Future's done-callback)."""
    try:
        emit(token, future.result(), "")
    except USER_ERRORS as exc:
        log.info("%s: %s", what, exc)
        emit(token, None, message_for(exc))
    except Exception:
        log.exception(what)
        emit(token, None, unexpected)
