"""The activity countdown: pure arithmetic on a clock reading the caller passes in."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Countdown:
    """`duration` seconds in all; running since `started` (a clock reading) unless paused."""

    duration: float
    used: float = 0.0  # seconds run before the current start
    started: float | None = None  # None: paused (or not started)

    @property
    def running(self) -> bool:
        return self.started is not None

    def start(self, now: float) -> Countdown:
        return self if self.running else replace(self, started=now)

    def pause(self, now: float) -> Countdown:
        if self.started is None:
            return self
        return replace(self, used=self.used + (now - self.started), started=None)

    def add(self, seconds: float) -> Countdown:
        """More (or, negative, less) time; never below what has already run."""
        return replace(self, duration=max(self.used, self.duration + seconds))

    def remaining(self, now: float) -> float:
        run = self.used + (now - self.started if self.started is not None else 0.0)
        return max(0.0, self.duration - run)

    def finished(self, now: float) -> bool:
        return self.duration > 0 and self.remaining(now) == 0.0


def clock_text(seconds: float) -> str:
    """What the room reads: '12:00', '0:09'; whole seconds, rounded up so 0:00 means done."""
    whole = int(-(-seconds // 1))
    return f"{whole // 60}:{whole % 60:02d}"
