"""What the live panel decides, without a widget: the countdown of the activity on the
phones as it opens, closes and opens again, what "Next" does, and the words about who has
joined, flagged notes, notes held back on arrival and help requests.

The view (`ui/live/live_panel.LivePanel`) shows these and emits the facilitator's requests.
Times are `time.monotonic()` seconds, handed in so the rules are tested without a clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workshop_app.core.model import Activity, ActivityState, Session, SessionState
from workshop_app.core.timer import Countdown, clock_text
from workshop_app.core.workflow import next_activity_states
from workshop_app.services.live import HelpAlert


@dataclass(frozen=True, slots=True)
class Tick:
    """The clock as it stands: its text, whether it runs, whether the end was reached just
    now (the chime, once), and what the projector shows ("" when the activity closed)."""

    text: str
    running: bool
    has_countdown: bool
    ended_now: bool
    projector: str


class CountdownKeeper:
    """The current activity's countdown, following the activity's state.

    A new current activity gets its own countdown; the first time it is open the countdown
    starts by itself; closing the activity (anywhere) stops it and takes the clock off the
    projector; opening it again carries on. Start/Pause and +1 minute are the facilitator's.
    """

    def __init__(self) -> None:
        self.countdown: Countdown | None = None
        self.ended = False
        self.stopped = False  # the activity closed: its countdown stopped with it
        self._for: str | None = None
        self._auto_started = False
        self._state_seen: ActivityState | None = None

    def follow_session(self, session: Session, activities: Sequence[Activity]) -> Activity | None:
        """The activity the countdown follows: the live session's current one, else none."""
        current = next((a for a in activities if a.id == session.current_activity_id), None)
        return current if session.state is SessionState.LIVE else None

    def follow(self, activity: Activity | None, now: float) -> None:
        activity_id = activity.id if activity else None
        if activity_id != self._for:
            self._for = activity_id
            self.ended = False
            self._auto_started = False
            self.stopped = False
            self._state_seen = None
            seconds = (activity.settings.timer_seconds or 0) if activity else 0
            self.countdown = Countdown(seconds) if seconds else None
        state = activity.state if activity is not None else None
        changed, self._state_seen = state != self._state_seen, state
        c = self.countdown
        if c is None or not changed:
            return
        if state is ActivityState.OPEN and (not self._auto_started or self.stopped):
            self._auto_started = True
            self.stopped = False
            self.countdown = c.start(now)
        elif state in (ActivityState.CLOSED, ActivityState.REVEALED):
            self.countdown = c.pause(now)
            self.stopped = True

    def toggle(self, now: float) -> None:
        """Start or pause: the facilitator's own choice, even for a closed activity."""
        if self.countdown is None:
            return
        c = self.countdown
        self.countdown = c.pause(now) if c.running else c.start(now)
        self.stopped = False

    def add_minute(self) -> None:
        self.countdown = (self.countdown or Countdown(0)).add(60)
        self.ended = False

    def tick(self, now: float) -> Tick:
        c = self.countdown
        text = clock_text(c.remaining(now)) if c else ""
        ended_now = c is not None and c.finished(now) and not self.ended
        if ended_now:
            self.ended = True
        return Tick(
            text,
            running=c is not None and c.running,
            has_countdown=c is not None,
            ended_now=ended_now,
            projector="" if self.stopped else text,
        )


@dataclass(frozen=True, slots=True)
class NextStep:
    """“Next”: the agenda row to choose, and whether to open that activity (else only show
    it on the phones)."""

    row: int
    activity_id: str
    open: bool


def next_step(session: Session | None, activities: Sequence[Activity]) -> NextStep | None:
    """The activity after the current one (the first when none is current); None at the
    end of the agenda."""
    if session is None or not activities:
        return None
    ids = [a.id for a in activities]
    current = session.current_activity_id
    row = ids.index(current) + 1 if current in ids else 0
    if row >= len(ids):
        return None
    target = activities[row]
    return NextStep(
        row, target.id, ActivityState.OPEN in next_activity_states(target.kind, target.state)
    )


def people_words(by_group: dict[str, int], phones: int) -> str:
    total = sum(by_group.values())
    parts = ", ".join(f"{name} {n}" for name, n in by_group.items() if n)
    return f"{total} joined" + (f": {parts}" if parts else "") + f" · {phones} phones connected now"


def flagged_words(count: int) -> str:
    notes = "1 note" if count == 1 else f"{count} notes"
    return f"{notes} flagged for safeguarding follow-up (Notes tab, Flagged)"


def look_words(problem: str) -> str:
    """Why notes are checked by their words only ("" while the second look reads: no line)."""
    if not problem:
        return ""
    return (
        "Notes are checked by their words only: the second look cannot read them "
        f"({problem}). Keep reading every note, or choose Approve notes first."
    )


def held_words(waiting: int, disclosures: int) -> str:
    """Notes held back on arrival still waiting for the facilitator, and how many of them
    may be disclosures ("" when none: the line is hidden)."""
    if not waiting:
        return ""
    notes = "1 note" if waiting == 1 else f"{waiting} notes"
    words = f"{notes} held back for you to check"
    if disclosures == waiting:
        words += ", a possible disclosure" if waiting == 1 else ", all possible disclosures"
    elif disclosures:
        kind = "a possible disclosure" if disclosures == 1 else "possible disclosures"
        words += f", {disclosures} {kind}"
    return words + " (Notes tab, Held back)"


def waiting_words(alerts: Sequence[HelpAlert]) -> str:
    """How many help requests wait ("" when none)."""
    waiting = sum(1 for a in alerts if a.request.acknowledged_at is None)
    if not waiting:
        return ""
    noun = "request" if waiting == 1 else "requests"
    return f"{waiting} private help {noun}: someone would like to talk"


def help_words(alert: HelpAlert) -> str:
    """One request in the list: when, waiting or seen, who, and where it came from."""
    r = alert.request
    when = r.created_at.astimezone().strftime("%H:%M")
    state = "waiting" if r.acknowledged_at is None else "seen"
    text = f"{when} · {state} · {alert.asker}"
    if alert.other_session:
        text += f"\nSent from the link of another session: {alert.session_title}"
    if r.message:
        text += f"\n{r.message}"
    if r.follow_up:
        text += f"\nFollow-up: {r.follow_up}"
    return text
