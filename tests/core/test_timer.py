"""The activity countdown, on a clock the tests control."""

from __future__ import annotations

import pytest

from workshop_app.core.timer import Countdown, clock_text


def test_a_started_countdown_runs_down_and_stops_at_zero() -> None:
    c = Countdown(60).start(100.0)
    assert c.remaining(130.0) == 30.0
    assert not c.finished(159.0)
    assert c.remaining(200.0) == 0.0 and c.finished(200.0)


def test_pausing_keeps_the_time_left_and_resuming_carries_on() -> None:
    c = Countdown(60).start(0.0).pause(20.0)
    assert c.remaining(1000.0) == 40.0, "paused time does not run"
    c = c.start(1000.0)
    assert c.remaining(1010.0) == 30.0


def test_starting_twice_or_pausing_twice_changes_nothing() -> None:
    c = Countdown(60).start(0.0)
    assert c.start(50.0) == c
    p = c.pause(10.0)
    assert p.pause(30.0) == p


def test_adding_a_minute_gives_a_minute_more_even_after_the_end() -> None:
    c = Countdown(60).start(0.0)
    assert c.add(60).remaining(30.0) == 90.0
    done = Countdown(60).start(0.0).pause(70.0)
    assert done.remaining(70.0) == 0.0
    assert done.add(60).remaining(70.0) == 50.0


def test_taking_time_away_never_goes_below_what_has_run() -> None:
    c = Countdown(60).start(0.0).pause(40.0)
    assert c.add(-600).remaining(40.0) == 0.0


def test_a_countdown_of_nothing_is_never_finished() -> None:
    assert not Countdown(0).start(0.0).finished(100.0)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(720, "12:00"), (719.2, "12:00"), (9, "0:09"), (0.4, "0:01"), (0, "0:00"), (3600, "60:00")],
)
def test_the_clock_reads_minutes_and_seconds_rounded_up(seconds: float, text: str) -> None:
    assert clock_text(seconds) == text
