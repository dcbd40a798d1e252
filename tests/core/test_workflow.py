from __future__ import annotations

import pytest

from workshop_app.core.errors import DomainError
from workshop_app.core.model import ActivityKind, ActivityState, SessionState
from workshop_app.core.workflow import (
    check_activity_transition,
    check_session_transition,
    next_activity_states,
)

A = ActivityState


@pytest.mark.parametrize(
    ("kind", "state", "allowed"),
    [
        (ActivityKind.BRAINSTORM, A.PENDING, {A.OPEN}),
        (ActivityKind.BRAINSTORM, A.OPEN, {A.CLOSED}),
        (ActivityKind.BRAINSTORM, A.CLOSED, {A.OPEN}),
        (ActivityKind.VOTE, A.CLOSED, {A.OPEN, A.REVEALED}),
        (ActivityKind.RATE, A.CLOSED, {A.OPEN, A.REVEALED}),
        (ActivityKind.VOTE, A.REVEALED, {A.CLOSED}),
        (ActivityKind.INFO, A.CLOSED, {A.OPEN}),
    ],
)
def test_next_activity_states(kind: ActivityKind, state: A, allowed: set[A]) -> None:
    assert next_activity_states(kind, state) == allowed


@pytest.mark.parametrize(
    ("kind", "current", "target"),
    [
        (ActivityKind.VOTE, A.PENDING, A.REVEALED),
        (ActivityKind.VOTE, A.OPEN, A.REVEALED),
        (ActivityKind.BRAINSTORM, A.CLOSED, A.REVEALED),
        (ActivityKind.INFO, A.PENDING, A.CLOSED),
    ],
)
def test_forbidden_activity_changes_are_refused(kind: ActivityKind, current: A, target: A) -> None:
    with pytest.raises(DomainError, match="cannot become"):
        check_activity_transition(kind, current, target)


@pytest.mark.parametrize(
    ("current", "target", "ok"),
    [
        (SessionState.PLANNED, SessionState.LIVE, True),
        (SessionState.LIVE, SessionState.CLOSED, True),
        (SessionState.CLOSED, SessionState.LIVE, True),
        (SessionState.PLANNED, SessionState.CLOSED, False),
        (SessionState.LIVE, SessionState.PLANNED, False),
    ],
)
def test_session_transitions(current: SessionState, target: SessionState, ok: bool) -> None:
    if ok:
        check_session_transition(current, target)
    else:
        with pytest.raises(DomainError):
            check_session_transition(current, target)
