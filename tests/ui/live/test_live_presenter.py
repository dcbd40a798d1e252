"""The live panel's presenter (ui/live/live_presenter.py) without a widget or a clock: the
countdown as its activity opens, closes and opens again, and what "Next" does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivitySettings,
    ActivityState,
    ModerationMode,
    Session,
    SessionState,
)
from workshop_app.ui.live.live_presenter import (
    CountdownKeeper,
    NextStep,
    flagged_words,
    held_words,
    next_step,
    people_words,
)

NOW = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)
A = ActivityState


def activity(
    i: int,
    kind: ActivityKind = ActivityKind.BRAINSTORM,
    *,
    timer: int | None = 300,
    state: ActivityState = A.PENDING,
) -> Activity:
    return Activity(
        f"a{i}",
        "s1",
        i,
        kind,
        f"Activity {i}",
        "",
        "",
        ActivitySettings(timer_seconds=timer),
        state,
        "",
        NOW,
        NOW,
    )


def session(current: str | None, state: SessionState = SessionState.LIVE) -> Session:
    return Session(
        "s1",
        "Evening",
        None,
        "",
        "",
        state,
        "tok",
        ModerationMode.SHOW_AT_ONCE,
        (),
        NOW,
        NOW,
        current,
    )


def test_the_countdown_starts_by_itself_when_opened_stops_on_close_and_carries_on() -> None:
    keeper = CountdownKeeper()
    a = activity(1)
    keeper.follow(a, now=0)
    assert keeper.countdown is not None and not keeper.countdown.running  # not open yet
    keeper.follow(replace(a, state=A.OPEN), now=10)
    assert keeper.tick(70).text == "4:00"
    keeper.follow(replace(a, state=A.CLOSED), now=70)
    closed = keeper.tick(200)
    assert closed.text == "4:00" and not closed.running
    assert closed.projector == "", "a closed activity's clock leaves the projector"
    keeper.follow(replace(a, state=A.OPEN), now=200)  # opened again: carries on
    assert keeper.tick(260).text == "3:00" and keeper.tick(260).projector == "3:00"


def test_the_facilitators_pause_holds_while_the_activity_stays_open() -> None:
    keeper = CountdownKeeper()
    a = replace(activity(1), state=A.OPEN)
    keeper.follow(a, now=0)
    keeper.toggle(now=60)  # paused by hand
    keeper.follow(a, now=120)  # the same state again (a redraw): nothing restarts
    assert keeper.tick(300).text == "4:00"


def test_the_end_is_announced_once_and_a_minute_more_rearms_it() -> None:
    keeper = CountdownKeeper()
    keeper.follow(replace(activity(1, timer=60), state=A.OPEN), now=0)
    assert not keeper.tick(30).ended_now
    assert keeper.tick(61).ended_now
    assert not keeper.tick(62).ended_now and keeper.ended
    keeper.add_minute()
    assert not keeper.ended
    assert keeper.tick(100).text == "0:20"


def test_a_new_activity_gets_its_own_countdown_and_one_without_a_timer_none() -> None:
    keeper = CountdownKeeper()
    keeper.follow(replace(activity(1), state=A.OPEN), now=0)
    keeper.follow(activity(2, timer=None), now=10)
    assert keeper.countdown is None
    tick = keeper.tick(20)
    assert (tick.text, tick.has_countdown) == ("", False)
    keeper.add_minute()  # +1 minute makes one
    assert keeper.tick(20).text == "1:00"


def test_only_a_live_sessions_current_activity_is_followed() -> None:
    keeper, acts = CountdownKeeper(), [activity(1), activity(2)]
    assert keeper.follow_session(session("a2"), acts) == acts[1]
    assert keeper.follow_session(session("a2", SessionState.CLOSED), acts) is None


@pytest.mark.parametrize(
    ("current", "states", "expected"),
    [
        (None, (A.PENDING, A.PENDING), NextStep(0, "a1", open=True)),  # nothing current: first
        ("a1", (A.OPEN, A.PENDING), NextStep(1, "a2", open=True)),
        ("a1", (A.OPEN, A.REVEALED), NextStep(1, "a2", open=False)),  # done: only shown
        ("a2", (A.CLOSED, A.OPEN), None),  # the end of the agenda
    ],
)
def test_next_opens_the_activity_after_the_current_one_when_it_can_be_opened(
    current: str | None, states: tuple[ActivityState, ...], expected: NextStep | None
) -> None:
    acts = [replace(activity(i + 1, ActivityKind.VOTE), state=s) for i, s in enumerate(states)]
    assert next_step(session(current), acts) == expected
    assert next_step(None, acts) is None


def test_the_words_count_people_and_flagged_notes() -> None:
    assert people_words({"Parents": 3, "Children": 0}, 2) == (
        "3 joined: Parents 3 · 2 phones connected now"
    )
    assert people_words({}, 0) == "0 joined · 0 phones connected now"
    assert flagged_words(1).startswith("1 note flagged")
    assert flagged_words(4).startswith("4 notes flagged")


@pytest.mark.parametrize(
    ("waiting", "disclosures", "expected"),
    [
        (0, 0, ""),  # the line is hidden
        (1, 0, "1 note held back for you to check (Notes tab, Held back)"),
        (1, 1, "1 note held back for you to check, a possible disclosure (Notes tab, Held back)"),
        (
            2,
            1,
            "2 notes held back for you to check, 1 a possible disclosure (Notes tab, Held back)",
        ),
        (3, 2, "3 notes held back for you to check, 2 possible disclosures (Notes tab, Held back)"),
        (
            2,
            2,
            "2 notes held back for you to check, all possible disclosures (Notes tab, Held back)",
        ),
    ],
)
def test_the_held_line_counts_notes_held_back_and_possible_disclosures(
    waiting: int, disclosures: int, expected: str
) -> None:
    assert held_words(waiting, disclosures) == expected
