"""What the Word exports print, as plain frozen data (no Qt, no SQLite, no python-docx).

`services/reports.py` reads a project into these snapshots; `export/session_summary.py`
and `export/framework.py` lay them out. Everything here is already export-ready:

- participant text is the privacy review's export text ("[removed]" where the
  facilitator chose so), never an id, an address or a device;
- notes the facilitator hid, and notes still waiting for approval, are left out and
  only counted; notes their writers took back never appear at all;
- stakeholder groups carry names and counts, never who was in them.

Dates are `datetime.date`; words the reader sees (kinds, modes, levels) are strings, so
the exporters make no decisions about wording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from workshop_app.core.consensus import StatementResult
from workshop_app.core.model import ActivityKind, Measure

# ---------------------------------------------------------------- shared pieces


@dataclass(frozen=True, slots=True)
class QuotedNote:
    """One participant's note, quoted as exported, with the writer's group (no identity)."""

    text: str
    group: str = ""  # the stakeholder group's name; "" when the writer chose none


@dataclass(frozen=True, slots=True)
class GroupCount:
    name: str
    participants: int


# ---------------------------------------------------------------- session summary


@dataclass(frozen=True, slots=True)
class AgendaItem:
    number: int  # 1-based, in agenda order
    title: str
    kind_label: str  # "Brainstorm (sticky notes)", ...
    minutes: int | None  # the planned time, None when none was set


@dataclass(frozen=True, slots=True)
class ThemeNotes:
    """A theme of the session's board and the notes of one activity in it."""

    name: str
    notes: tuple[QuotedNote, ...]


@dataclass(frozen=True, slots=True)
class VoteGroup:
    id: str | None  # None: people who chose no group
    name: str


@dataclass(frozen=True, slots=True)
class VoteRow:
    """One ranked item (satisfies export.charts.ChartRow)."""

    rank: int  # 1 is best; equal totals share a rank
    text: str
    dots: int
    voters: int
    dots_by_group: Mapping[str | None, int] = field(default_factory=dict)
    on_board: bool = True  # False: voted on, then taken off the vote


@dataclass(frozen=True, slots=True)
class VoteReport:
    """A dot vote's results (satisfies export.charts.VoteChartData) and its rules."""

    title: str
    vote_on: str  # "themes" or "notes", as the reader should see it
    budget: int  # dots per person
    budget_automatic: bool  # the budget came from the number of items
    per_item_cap: int | None  # None: no limit
    took_part: int
    rows: tuple[VoteRow, ...]  # best first
    groups: tuple[VoteGroup, ...]  # the columns "by group", in the project's order
    chart_png: bytes = b""  # the ranking as a bar chart ("" when there is nothing to draw)
    chart_by_group: bool = False  # the chart's bars are split by stakeholder group
    ready: bool = True  # False: the vote had not closed, so no results are reported


@dataclass(frozen=True, slots=True)
class RatingReport:
    """A rate activity: every statement, overall and by group."""

    round_number: int | None  # None: a rating in the session, not a consensus round
    group_names: tuple[str, ...]  # the columns of the by-group table, in order
    statements: tuple[StatementResult, ...]
    raters: int
    ready: bool = True  # False: the round had not closed, so no results are reported


@dataclass(frozen=True, slots=True)
class ActivityReport:
    number: int  # its place on the agenda, 1-based
    kind: ActivityKind
    kind_label: str
    title: str
    prompt: str
    child_prompt: str
    themes: tuple[ThemeNotes, ...] = ()  # the notes of this activity, theme by theme
    unthemed: tuple[QuotedNote, ...] = ()  # shown notes not in any theme
    hidden_notes: int = 0  # hidden by the facilitator: left out, counted
    waiting_notes: int = 0  # never approved: left out, counted
    board_themes: tuple[tuple[str, int], ...] = ()  # a cluster activity: (theme, notes)
    vote: VoteReport | None = None
    rating: RatingReport | None = None

    @property
    def shown_notes(self) -> int:
        return sum(len(t.notes) for t in self.themes) + len(self.unthemed)


@dataclass(frozen=True, slots=True)
class VoteMethod:
    title: str
    vote_on: str
    budget: int
    budget_automatic: bool
    per_item_cap: int | None


@dataclass(frozen=True, slots=True)
class SessionReport:
    project_title: str
    locality: str
    title: str
    date: dt.date | None
    venue: str
    plan: str  # the session plan's title ("" when built by hand)
    state: str  # "Planned", "Live", "Closed"
    groups: tuple[GroupCount, ...]  # invited groups and anyone who joined, no identities
    moderation: str  # how notes reached the wall, in words
    agenda: tuple[AgendaItem, ...]
    activities: tuple[ActivityReport, ...]
    help_requests: int  # a count only: never who, never what
    consensus_rules: str  # core.consensus.ConsensusRules.describe()
    smiley_mapping: tuple[tuple[int, int], ...]  # (face 1-5, value on 1-9)
    generated: dt.date

    @property
    def participants(self) -> int:
        return sum(g.participants for g in self.groups)

    @property
    def votes(self) -> tuple[VoteMethod, ...]:
        return tuple(
            VoteMethod(
                a.title,
                a.vote.vote_on,
                a.vote.budget,
                a.vote.budget_automatic,
                a.vote.per_item_cap,
            )
            for a in self.activities
            if a.vote is not None
        )


# ---------------------------------------------------------------- standards framework


@dataclass(frozen=True, slots=True)
class RoundConsensus:
    """How one consensus round rated one statement."""

    round_number: int
    session_title: str
    session_date: dt.date | None
    result: StatementResult


@dataclass(frozen=True, slots=True)
class VersionReport:
    version: int
    date: dt.date
    title: str
    statement: str
    rationale: str


@dataclass(frozen=True, slots=True)
class TracedTheme:
    """A theme a standard came from, with the notes in it (export-ready)."""

    name: str
    session_title: str
    session_date: dt.date | None
    groups: tuple[str, ...]
    notes: tuple[QuotedNote, ...]
    hidden_notes: int = 0  # hidden by the facilitator since: left out, counted
    on_board: bool = True  # False: deleted from its board since (still a source)


@dataclass(frozen=True, slots=True)
class TracedNote:
    """A note linked to a standard on its own."""

    note: QuotedNote
    session_title: str
    session_date: dt.date | None


@dataclass(frozen=True, slots=True)
class StandardReport:
    number: int  # 1-based, in the framework's order
    title: str
    statement: str
    rationale: str
    level: str  # "Expected" or "Developmental"
    version: int
    measures: tuple[Measure, ...]  # structure, process and outcome measures
    audiences: tuple[tuple[str, str], ...]  # (who, what it means for them), in a fixed order
    definitions: tuple[tuple[str, str], ...]  # (term, meaning)
    consensus: tuple[RoundConsensus, ...]  # every round that rated it, oldest first
    versions: tuple[VersionReport, ...]  # every wording, oldest first
    themes: tuple[TracedTheme, ...]
    notes: tuple[TracedNote, ...]
    hidden_source_notes: int = 0  # notes linked on their own and hidden since: counted

    @property
    def sessions(self) -> tuple[str, ...]:
        """Every session its sources came from, once each, oldest first."""
        titles = [t.session_title for t in self.themes] + [n.session_title for n in self.notes]
        return tuple(dict.fromkeys(titles))

    @property
    def groups(self) -> tuple[str, ...]:
        names = [g for t in self.themes for g in t.groups]
        names += [n.note.group for n in self.notes if n.note.group]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True, slots=True)
class SessionLine:
    """A session of the project, for the framework's account of how it was made."""

    title: str
    date: dt.date | None
    groups: tuple[GroupCount, ...]


@dataclass(frozen=True, slots=True)
class FrameworkReport:
    project_title: str
    locality: str
    generated: dt.date
    consensus_rules: str
    smiley_mapping: tuple[tuple[int, int], ...]
    min_group_raters: int
    sessions: tuple[SessionLine, ...]  # the project's sessions, oldest first
    standards: tuple[StandardReport, ...]
