"""What the votes and ratings control knows and decides, without a widget: the session's
votes and rating rounds, whether results may show yet, what the buttons say and allow,
the words about turnout and about what the projector shows, and the vote's rules as one
undoable change.

Results never show while people are still voting (services.results.results_ready); the
view (`ui/votes/vote_panel.VotePanel`) draws what this reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workshop_app.core.consensus import RoundResults
from workshop_app.core.model import Activity, ActivityKind, ActivityState, SessionState, VoteTarget
from workshop_app.core.workflow import next_activity_states
from workshop_app.services import consensus as consensus_service
from workshop_app.services import results as results_service
from workshop_app.services import sessions as session_service
from workshop_app.services.project import OpenProject
from workshop_app.services.results import RatingSummary, Turnout, VoteResults, VoteRules
from workshop_app.ui.common.commands import Op

#: `perform(text, do, undo, redo=None)`: one undoable change, off the GUI thread (an `Op`).
Perform = Callable[..., Op[Any]]
#: What the rules' fields say: what is voted on, the dots (None: automatic), the cap.
EditedRules = tuple[VoteTarget, int | None, int | None]

STATE_WORDS = {
    ActivityState.PENDING: "Not started yet",
    ActivityState.OPEN: "Open: phones are taking part now",
    ActivityState.CLOSED: "Closed",
    ActivityState.REVEALED: "Closed, results revealed",
}
WAITING = {
    ActivityState.PENDING: "Results appear here once this has been held and closed.",
    ActivityState.OPEN: (
        "Results appear here once you close it. While people are still taking part you "
        "see only how many have, so the results cannot sway anyone."
    ),
}


@dataclass(frozen=True, slots=True)
class Buttons:
    """The Open, Close and Reveal buttons: their words and whether they apply."""

    open_text: str
    close_text: str
    open_name: str
    close_name: str
    open: bool
    close: bool
    reveal: bool


def buttons(a: Activity, live: bool) -> Buttons:
    """Only a live session's activity can be opened, closed or revealed, and only as the
    workflow allows from its state (core.workflow)."""
    allowed = next_activity_states(a.kind, a.state)
    what = "vote" if a.kind is ActivityKind.VOTE else "rating round"
    revealed = a.state is ActivityState.REVEALED
    return Buttons(
        open_text="Open again" if a.state is ActivityState.CLOSED else "Open",
        close_text="Hide results" if revealed else "Close",
        open_name=f"Open the {what} on phones",
        close_name="Hide the results from the projector" if revealed else f"Close the {what}",
        open=live and ActivityState.OPEN in allowed,
        close=live and ActivityState.CLOSED in allowed,
        reveal=live and ActivityState.REVEALED in allowed,
    )


def turnout_words(t: Turnout) -> tuple[str, list[str]]:
    """How many took part of those who joined, overall and one line per group."""
    verb = "voted" if t.kind is ActivityKind.VOTE else "rated"
    if t.joined == 0:
        overall = "Nobody has joined yet"
    else:
        people = "person has" if t.joined == 1 else "people have"
        overall = f"{t.took_part} of {t.joined} {people} {verb}"
    return overall, [f"{g.name}: {g.took_part} of {g.joined}" for g in t.groups]


def items_words(rules: VoteRules) -> str:
    noun = "theme" if rules.vote_on is VoteTarget.THEMES else "note"
    n = len(rules.items)
    return f"{n} {noun}{'' if n == 1 else 's'} to vote on now"


class VotePresenter:
    """One session's votes and rating rounds, and the results of the one chosen."""

    def __init__(self, project: OpenProject):
        self.project = project
        self.session_id: str | None = None
        self.activities: list[Activity] = []
        self.rules: VoteRules | None = None
        self.results: VoteResults | None = None
        self.summary: RatingSummary | None = None
        self.round: RoundResults | None = None  # the summary's consensus verdicts
        self.live = False
        self.current_id: str | None = None  # the activity on phones and the projector

    # ------------------------------------------------------------------ reading

    def read(self) -> list[tuple[str, str]]:
        """Read the session's votes and rating rounds; the chooser's (id, words)."""
        sid = self.session_id
        p = self.project
        self.activities = results_service.voting_activities(p, sid) if sid is not None else []
        session = session_service.get_session(p, sid) if sid is not None else None
        self.live = session is not None and session.state is SessionState.LIVE
        self.current_id = session.current_activity_id if session is not None else None
        return [
            (a.id, f"{a.position + 1}. {a.title} · {a.kind.label} · {STATE_WORDS[a.state]}")
            for a in self.activities
        ]

    def forget(self) -> None:
        self.session_id = None
        self.activities = []

    def activity(self, activity_id: object) -> Activity | None:
        return next((a for a in self.activities if a.id == activity_id), None)

    def read_results(self, a: Activity) -> bool:
        """Read the results when they may show (closed, say); False while people vote."""
        if not results_service.results_ready(a):
            self.clear_results()
            return False
        if a.kind is ActivityKind.VOTE:
            self.results = results_service.vote_results(self.project, a.id)
            self.summary = self.round = None
        else:
            self.summary = results_service.rating_summary(self.project, a.id)
            self.round = consensus_service.round_results(self.project, a.id)
            self.results = None
        return True

    def clear_results(self) -> None:
        self.results = self.summary = self.round = None

    def table_key(self, by_group: bool) -> tuple[object, ...]:
        """What the results table shows: the same key, the same table."""
        return (self.results, self.summary, self.round, by_group, self.current_id)

    # ------------------------------------------------------------------ words

    def how_to_show(self) -> str:
        return "press Show results" if self.live else "take the session live to show them"

    def vote_projector_note(self, r: VoteResults) -> str:
        """What the projector shows of a closed vote's results."""
        if not r.revealed:
            return f"On the projector: not yet — {self.how_to_show()}"
        if r.activity_id == self.current_id:
            return "Revealed on the projector"
        return (
            "Revealed, but the projector shows the current activity: choose “Show on "
            "phones” for this vote in the Live panel to put its results up"
        )

    def rating_projector_note(self, s: RatingSummary) -> str:
        return (
            "Revealed on phones (the projector does not show rating results yet)"
            if s.revealed
            else f"Not shown yet — {self.how_to_show()}"
        )

    def rating_rules_words(self) -> str:
        """The consensus round and rules the verdicts follow, and the small-cell rule."""
        r = self.round
        if r is None:
            return ""
        number = r.round_number
        words = (
            f"Round {number} of the project. "
            if number is not None
            else "Not a consensus round of the project. "
        ) + f"{r.rules.describe()} "
        if r.min_cell > 1:
            n = r.min_cell
            words += f"A group's figures from fewer than {n} raters read “fewer than {n}”. "
        return words

    # ------------------------------------------------------------------ the rules

    def rules_changed(self, edited: EditedRules) -> bool:
        """The fields differ from the stored rules, and the rules may still change."""
        old = self.rules
        if old is None or not old.editable:
            return False
        return edited != (old.vote_on, old.budget_set, old.per_item_cap)

    def commit_rules(self, perform: Perform, edited: EditedRules) -> Op[Any] | None:
        """Store the rules as edited (one undo step, off the GUI thread); None when
        nothing was to change."""
        old = self.rules
        if old is None or not self.rules_changed(edited):
            return None
        vote_on, budget, cap = edited
        p, aid = self.project, old.activity_id
        op: Op[Any] = perform(
            "Change the vote rules",
            lambda: results_service.set_vote_rules(p, aid, vote_on, budget, cap),
            lambda before: results_service.restore_vote_rules(p, before),
        )
        return op
