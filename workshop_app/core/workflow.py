"""Which state changes are allowed for sessions and activities.

Tables, not code paths: the console builds its buttons from `next_activity_states`.
"""

from __future__ import annotations

from workshop_app.core.errors import DomainError
from workshop_app.core.model import ActivityKind, ActivityState, SessionState

SESSION_TRANSITIONS: dict[SessionState, frozenset[SessionState]] = {
    SessionState.PLANNED: frozenset({SessionState.LIVE}),
    SessionState.LIVE: frozenset({SessionState.CLOSED}),
    # A closed session can be taken live again (a second sitting, or a mistake).
    SessionState.CLOSED: frozenset({SessionState.LIVE}),
}

ACTIVITY_TRANSITIONS: dict[ActivityState, frozenset[ActivityState]] = {
    ActivityState.PENDING: frozenset({ActivityState.OPEN}),
    ActivityState.OPEN: frozenset({ActivityState.CLOSED}),
    ActivityState.CLOSED: frozenset({ActivityState.OPEN, ActivityState.REVEALED}),
    ActivityState.REVEALED: frozenset({ActivityState.CLOSED}),
}

# Only activities that have results hidden until the facilitator says so can be revealed.
REVEALABLE = frozenset({ActivityKind.VOTE, ActivityKind.RATE, ActivityKind.SURVEY})


def next_activity_states(kind: ActivityKind, state: ActivityState) -> frozenset[ActivityState]:
    allowed = ACTIVITY_TRANSITIONS[state]
    if kind not in REVEALABLE:
        allowed = allowed - {ActivityState.REVEALED}
    return allowed


def check_activity_transition(
    kind: ActivityKind, current: ActivityState, target: ActivityState
) -> None:
    if target not in next_activity_states(kind, current):
        raise DomainError(f"An activity that is {current.value} cannot become {target.value}.")


def check_session_transition(current: SessionState, target: SessionState) -> None:
    if target not in SESSION_TRANSITIONS[current]:
        raise DomainError(f"A session that is {current.value} cannot become {target.value}.")
