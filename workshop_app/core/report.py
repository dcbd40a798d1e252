"""What the Word exports print, as plain frozen data (no Qt, no SQLite, no python-docx).

`services/reports.py` reads a project into these snapshots; `export/session_summary.py`
and `export/framework.py` lay them out. Everything here is already export-ready:

- participant text is the privacy review's export text ("[removed]" where the
  facilitator chose so), never an id, an address or a device;
- one rule says which notes a document may quote (`note_fate`): shown notes only; notes
  the facilitator hid, notes still waiting for approval and notes their writers took
  back are left out and only counted (`LeftOut`);
- stakeholder groups carry names and counts, never who was in them.

Dates are `datetime.date`; words the reader sees (kinds, modes, levels) are strings, so
the exporters make no decisions about wording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from workshop_app.core.consensus import StatementResult, Verdict
from workshop_app.core.model import ActivityKind, Measure, Note, NoteStatus
from workshop_app.core.safeguarding import is_disclosure
from workshop_app.core.scales import RatingQuestion

# ---------------------------------------------------------------- what may be quoted


class NoteFate(StrEnum):
    """What a document or export does with one note."""

    QUOTED = "quoted"  # shown on the wall: quoted
    HIDDEN = "hidden"  # hidden by the facilitator: counted, never quoted
    WAITING = "waiting"  # never approved: counted, never quoted
    WITHDRAWN = "withdrawn"  # taken back by its writer: counted, never quoted


def note_fate(status: NoteStatus, withdrawn: bool) -> NoteFate:
    """The one rule for what a document may quote: a note shown on the wall, and only
    that. A note taken back by its writer is never quoted, whatever its status."""
    if withdrawn:
        return NoteFate.WITHDRAWN
    if status is NoteStatus.HIDDEN:
        return NoteFate.HIDDEN
    if status is NoteStatus.PENDING:
        return NoteFate.WAITING
    return NoteFate.QUOTED


def may_quote(status: NoteStatus, withdrawn: bool) -> bool:
    """True when a document may quote the note (`note_fate` is QUOTED)."""
    return note_fate(status, withdrawn) is NoteFate.QUOTED


@dataclass(frozen=True, slots=True)
class HeldOnArrival:
    """What the arrival check held back in a session and what became of it (counts only)."""

    held: int = 0  # notes held back as they arrived
    disclosures: int = 0  # of which for a possible disclosure or distress
    released: int = 0  # the facilitator let them go on the screen
    hidden: int = 0  # the facilitator hid them
    waiting: int = 0  # never released (flagged or not looked at)
    withdrawn: int = 0  # taken back by their writers

    @classmethod
    def of(cls, notes: Iterable[Note]) -> HeldOnArrival:
        held = [n for n in notes if n.hold_reasons]
        return cls(
            held=len(held),
            disclosures=sum(1 for n in held if is_disclosure(n.hold_reasons)),
            released=sum(1 for n in held if not n.withdrawn and not n.held),
            hidden=sum(1 for n in held if not n.withdrawn and n.held and _hidden(n)),
            waiting=sum(1 for n in held if not n.withdrawn and n.held and not _hidden(n)),
            withdrawn=sum(1 for n in held if n.withdrawn),
        )

    def text(self) -> str:
        """The methods' sentence ("" when nothing was held), every number computed."""
        if not self.held:
            return ""
        personal = self.held - self.disclosures
        why = " and ".join(
            part
            for part in (
                f"{self.disclosures} as a possible disclosure" if self.disclosures else "",
                f"{personal} for a personal detail" if personal else "",
            )
            if part
        )
        fates = [
            f"{n} {words}"
            for n, words in (
                (self.released, "released to the screen by the facilitator"),
                (self.hidden, "hidden"),
                (self.waiting, "never released"),
                (
                    self.withdrawn,
                    "taken back by " + ("its writer" if self.withdrawn == 1 else "their writers"),
                ),
            )
            if n
        ]
        one = self.held == 1
        notes = "1 note" if one else f"{self.held} notes"
        return (
            f"The app's safeguarding check held back {notes} as {'it' if one else 'they'} "
            f"arrived ({why}), so that the facilitator saw {'it' if one else 'them'} before "
            f"anyone else: {_and(fates)}."
        )


def _hidden(n: Note) -> bool:
    return n.status is NoteStatus.HIDDEN


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True, slots=True)
class LeftOut:
    """How many notes a part of a document left out, and why (counts only)."""

    hidden: int = 0
    waiting: int = 0
    withdrawn: int = 0

    @classmethod
    def of(cls, fates: Iterable[NoteFate]) -> LeftOut:
        found = list(fates)
        return cls(
            hidden=found.count(NoteFate.HIDDEN),
            waiting=found.count(NoteFate.WAITING),
            withdrawn=found.count(NoteFate.WITHDRAWN),
        )

    def __add__(self, other: LeftOut) -> LeftOut:
        return LeftOut(
            self.hidden + other.hidden,
            self.waiting + other.waiting,
            self.withdrawn + other.withdrawn,
        )

    @property
    def total(self) -> int:
        return self.hidden + self.waiting + self.withdrawn

    def text(self) -> str:
        """ "2 notes hidden by the facilitator, 1 note never approved and 1 note taken
        back by its writer" ("" when nothing was left out)."""
        parts = []
        for n, why in (
            (self.hidden, "hidden by the facilitator"),
            (self.waiting, "never approved"),
            (
                self.withdrawn,
                "taken back by " + ("its writer" if self.withdrawn == 1 else "their writers"),
            ),
        ):
            if n:
                parts.append(f"{n} note{'' if n == 1 else 's'} {why}")
        if len(parts) <= 1:
            return "".join(parts)
        return ", ".join(parts[:-1]) + " and " + parts[-1]

    def parts(self) -> tuple[str, ...]:
        """ "2 hidden by the facilitator", "1 never approved", "1 taken back by its
        writer": the non-zero reasons, in that order."""
        out = []
        if self.hidden:
            out.append(f"{self.hidden} hidden by the facilitator")
        if self.waiting:
            out.append(f"{self.waiting} never approved")
        if self.withdrawn:
            writers = "its writer" if self.withdrawn == 1 else "their writers"
            out.append(f"{self.withdrawn} taken back by {writers}")
        return tuple(out)


# ---------------------------------------------------------------- the privacy review


@dataclass(frozen=True, slots=True)
class PrivacyReview:
    """What the privacy review did before an export, in counts (never the words).

    `kinds_*` count details by kind label ("Email address": 2), in the detectors' order.
    """

    scope: str  # "the notes of this session", "the notes of every session"
    removed: int = 0  # decided: exports show "[removed]"
    kept: int = 0  # decided: exported as written (not a personal detail after all)
    unreviewed: int = 0  # suspected, not decided about: exported as written
    kinds_reviewed: tuple[tuple[str, int], ...] = ()  # of the removed and kept ones
    kinds_unreviewed: tuple[tuple[str, int], ...] = ()
    deleted: int = 0  # taken out of the project itself ("[removed]" in the stored text)

    @property
    def reviewed(self) -> int:
        return self.removed + self.kept + self.deleted

    @property
    def complete(self) -> bool:
        """Nothing suspected is left undecided."""
        return self.unreviewed == 0

    def statement(self) -> str:
        """What the review did, in sentences computed from the counts."""
        if not self.reviewed and not self.unreviewed:
            return (
                f"The privacy review found nothing that looked like a personal detail in "
                f"{self.scope}, so no words were removed."
            )
        out = []
        if self.reviewed:
            kinds = [_kinds(self.kinds_reviewed)] if self.kinds_reviewed else []
            if self.deleted:
                kinds.append(f"{self.deleted} taken out of the project itself")
            removed = f"{self.removed} removed from exports"
            if self.deleted:
                removed += f" and {self.deleted} from the project itself"
            out.append(
                "Before this export the facilitator reviewed "
                f"{_n(self.reviewed, 'suspected personal detail')} in {self.scope} "
                f"({', '.join(kinds)}): {removed}, shown as [removed], and {self.kept} kept "
                "as written."
            )
        else:
            out.append(f"No privacy review was done before this export of {self.scope}.")
        if self.unreviewed:
            were = "was" if self.unreviewed == 1 else "were"
            out.append(
                f"{_n(self.unreviewed, 'suspected personal detail')} "
                f"({_kinds(self.kinds_unreviewed)}) {were} not reviewed and "
                f"{'is' if self.unreviewed == 1 else 'are'} exported as written."
            )
        return " ".join(out)

    def warning(self) -> str:
        """The first page's warning ("" when the review is complete)."""
        if self.complete:
            return ""
        return (
            f"Privacy review not finished: {_n(self.unreviewed, 'suspected personal detail')} "
            f"in {self.scope} ({_kinds(self.kinds_unreviewed)}) "
            f"{'was' if self.unreviewed == 1 else 'were'} not reviewed before this export "
            "and may be quoted as written. Check this document before sharing it."
        )


def _n(n: int, singular: str) -> str:
    """ "1 email address", "2 email addresses", "3 postcodes"."""
    if n == 1:
        return f"{n} {singular}"
    return f"{n} {singular}{'es' if singular.endswith(('ss', 'sh', 'ch', 'x')) else 's'}"


def _kinds(kinds: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(_n(n, label.lower()) for label, n in kinds) or "none"


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
    voters: int = 0  # how many in this group voted (shown as "fewer than N" when few)


@dataclass(frozen=True, slots=True)
class VoteRow:
    """One ranked item (satisfies export.charts.ChartRow)."""

    rank: int  # 1 is best; equal totals share a rank
    text: str
    dots: int
    voters: int
    dots_by_group: Mapping[str | None, int] = field(default_factory=dict)
    on_board: bool = True  # False: voted on, then taken off the vote
    equal_rank: int | None = None  # rank when every group counts equally (core.voting)


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
    min_cell: int = 1  # small-cell suppression (core.cells): the project's setting


@dataclass(frozen=True, slots=True)
class RatingReport:
    """A rate activity: every statement, overall and by group."""

    round_number: int | None  # None: a rating in the session, not a consensus round
    group_names: tuple[str, ...]  # the columns of the by-group table, in order
    statements: tuple[StatementResult, ...]
    raters: int
    ready: bool = True  # False: the round had not closed, so no results are reported
    question: RatingQuestion | None = None  # what was asked (core.scales); None: importance
    min_cell: int = 1  # small-cell suppression (core.cells): the project's setting


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
    withdrawn_notes: int = 0  # taken back by their writers: left out, counted
    board_themes: tuple[tuple[str, int], ...] = ()  # a cluster activity: (theme, notes)
    vote: VoteReport | None = None
    rating: RatingReport | None = None
    # a survey activity: (how many people answered, how many questions); its answers are
    # in the survey's own evaluation report
    survey: tuple[int, int] | None = None

    @property
    def shown_notes(self) -> int:
        return sum(len(t.notes) for t in self.themes) + len(self.unthemed)

    @property
    def left_out(self) -> LeftOut:
        return LeftOut(self.hidden_notes, self.waiting_notes, self.withdrawn_notes)


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
    privacy: PrivacyReview = PrivacyReview("the notes of this session")
    min_cell_size: int = 1  # small-cell suppression (core.cells), stated in the methods
    paper_notes: int = 0  # notes written on paper and typed in by the facilitator
    phone_notes: int = 0  # notes sent from phones or tablets (taken back ones excluded)
    protection: str = ""  # how the project file is protected and kept (core.retention)
    held: HeldOnArrival = HeldOnArrival()  # what the arrival check held back

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


class Standing(StrEnum):
    """Where a statement stands against the project's consensus rule."""

    AGREED = "agreed"  # consensus in, overall, in the latest closed round, on this wording
    NOT_AGREED = "not_agreed"  # rated on this wording; consensus out or no consensus
    REWORDED = "reworded"  # rated, then reworded: this wording is not rated yet
    NOT_RATED = "not_rated"  # no closed round has rated it

    @property
    def label(self) -> str:
        return _STANDING_LABELS[self]


_STANDING_LABELS = {
    Standing.AGREED: "Agreed",
    Standing.NOT_AGREED: "Not agreed",
    Standing.REWORDED: "Reworded, not yet rated",
    Standing.NOT_RATED: "Not yet rated",
}


@dataclass(frozen=True, slots=True)
class StatementStatus:
    """A statement's consensus status, from the latest closed round that rated it."""

    standing: Standing = Standing.NOT_RATED
    round_number: int | None = None
    version_rated: int | None = None
    verdict: str = ""  # overall: "consensus in", "consensus out", "no consensus"
    raters: int = 0  # overall
    across_groups: str = ""  # "Groups differ: 1 consensus out, 2 no consensus"
    by_group: tuple[tuple[str, str], ...] = ()  # (group, verdict as it may be shown)

    @property
    def agreed(self) -> bool:
        return self.standing is Standing.AGREED

    @property
    def label(self) -> str:
        return self.standing.label

    @property
    def overall(self) -> str:
        """ "consensus in (24 raters)"."""
        return f"{self.verdict} ({self.raters} rater{'' if self.raters == 1 else 's'})"

    def line(self) -> str:
        """One line: "Agreed · round 2: consensus in overall (24 raters); consensus in, in
        every group (3)"; "Not yet rated"."""
        if self.round_number is None:
            return self.label
        rated = f"round {self.round_number}"
        if self.standing is Standing.REWORDED:
            rated += f" rated version {self.version_rated}"
        return f"{self.label} · {rated}: {self.overall} overall; {self.across_groups}"

    def groups_line(self) -> str:
        """ "Parents and carers: Consensus out; Practitioners: No consensus" ("" if none)."""
        return "; ".join(f"{name}: {label}" for name, label in self.by_group)


def statement_status(
    rounds: Sequence[RoundConsensus], current_version: int, min_cell: int = 1
) -> StatementStatus:
    """The status of a statement from the closed rounds that rated it (oldest first).

    Agreed: the latest of them rated the current wording and reached consensus in overall
    (the project's consensus rule). Per-group verdicts are given as they may be shown
    (small-cell suppression: "fewer than N")."""
    if not rounds:
        return StatementStatus()
    last = rounds[-1]
    res = last.result
    if res.version != current_version:
        standing = Standing.REWORDED
    elif res.verdict is Verdict.IN:
        standing = Standing.AGREED
    else:
        standing = Standing.NOT_AGREED
    return StatementStatus(
        standing=standing,
        round_number=last.round_number,
        version_rated=res.version,
        verdict=res.verdict.label.lower(),
        raters=res.distribution.raters,
        across_groups=res.across_groups(min_cell),
        by_group=tuple(
            (g.name, g.label_for(min_cell))
            for g in res.by_group.values()
            if g.group_id is not None or g.distribution.raters
        ),
    )


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
    notes: tuple[QuotedNote, ...]  # shown notes only (core.report.note_fate)
    left_out: LeftOut = LeftOut()  # hidden, never approved or taken back: counted
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
    notes: tuple[TracedNote, ...]  # shown notes only (core.report.note_fate)
    left_out_notes: LeftOut = LeftOut()  # notes linked on their own and left out: counted
    status: StatementStatus = StatementStatus()
    references: tuple[str, ...] = ()  # external guidance and evidence, as the standard cites it

    @property
    def sessions(self) -> tuple[str, ...]:
        """Every session its sources came from, once each, oldest first."""
        titles = [t.session_title for t in self.themes] + [n.session_title for n in self.notes]
        return tuple(dict.fromkeys(titles))

    @property
    def session_dates(self) -> tuple[tuple[str, dt.date | None], ...]:
        """(title, date) of every session its sources came from, once each, oldest first."""
        found = [(t.session_title, t.session_date) for t in self.themes]
        found += [(n.session_title, n.session_date) for n in self.notes]
        ordered = sorted(dict.fromkeys(found), key=lambda s: (s[1] is None, s[1] or dt.date.min))
        return tuple(ordered)

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
    standards: tuple[StandardReport, ...]  # the statements this document sets out
    privacy: PrivacyReview = PrivacyReview("the notes of every session")
    min_cell: int = 1  # small-cell suppression (core.cells)
    agreed_only: bool = False  # the "agreed framework": only statements that met the rule
    annex: tuple[StandardReport, ...] = ()  # agreed_only: the statements left out
    group_names: tuple[str, ...] = ()  # the project's stakeholder groups, in its order
    audience_names: tuple[str, ...] = ()  # every audience a statement can speak to, in order
    review_date: dt.date | None = None  # when the framework is due for review
    review_basis: str = ""  # how that date was reached, in words
    questions: tuple[RatingQuestion, ...] = ()  # what the rounds asked (core.scales), once each
    protection: str = ""  # how the project file is protected and kept (core.retention)

    @property
    def all_agreed(self) -> bool:
        """Every statement set out is agreed (and there is at least one)."""
        return bool(self.standards) and all(s.status.agreed for s in self.standards)

    @property
    def status(self) -> str:
        """ "Agreed framework" or "Draft for consultation"."""
        return "Agreed framework" if self.all_agreed else "Draft for consultation"

    @property
    def every_statement(self) -> tuple[StandardReport, ...]:
        """Set out and in the annex, in the framework's order."""
        return tuple(sorted(self.standards + self.annex, key=lambda s: s.number))

    @property
    def rounds(self) -> tuple[int, ...]:
        """The closed consensus rounds that rated any statement, in order."""
        found = {c.round_number for s in self.every_statement for c in s.consensus}
        return tuple(sorted(found))
