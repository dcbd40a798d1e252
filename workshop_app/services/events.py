"""Plain Python events, published after the writer commits.

`ui/bridge.py` re-emits them as Qt signals on the GUI thread; the phone server pushes
them over SSE. Subscribers are called on the writer thread and must return quickly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class Topic(StrEnum):
    PROJECT = "project"  # title, locality
    SETTINGS = "settings"
    GROUPS = "groups"
    SESSIONS = "sessions"  # a session was added, changed or deleted
    ACTIVITIES = "activities"  # a session's agenda changed
    CONTENT = "content"  # notes, themes, votes, ratings, standards
    LIVE = "live"  # a session went live or ended; the current activity or its state changed
    JOIN = "join"  # the join link changed (a new token)
    PARTICIPANTS = "participants"  # someone joined
    HELP = "help"  # a private help request: the facilitator's console only, never the projector


@dataclass(frozen=True, slots=True)
class Changed:
    topic: Topic
    session_id: str | None = None
    item_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reviewed:
    """The facilitator changed how some phones' own notes stand (approved, hidden, put
    back to waiting, corrected, flagged): those phones, and only those, re-read their
    notes, so "waiting" never outlives the approval. Human-paced, so it cannot become a
    flood; a phone's own new note is not one (its page already knows)."""

    session_id: str
    participant_ids: frozenset[str]


Subscriber = Callable[[object], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns a function that removes it again."""
        with self._lock:
            self._subscribers.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._subscribers:
                    self._subscribers.remove(fn)

        return unsubscribe

    def publish(self, events: Iterable[object]) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for event in events:
            for fn in subscribers:
                try:
                    fn(event)
                except Exception:
                    log.exception("subscriber %r failed on %r", fn, event)
