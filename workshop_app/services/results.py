"""Votes and ratings from the facilitator's side: the rules of a dot vote, who has taken
part so far, and the results once voting has stopped.

Results never leak while people are still voting: `vote_results` and `rating_summary`
refuse until the activity is closed (the console) or revealed (the projector, decided in
services/projection.py). Turnout (how many, never what) is available at any time.

The rules a phone sees and the rules shown here are computed by the same code
(services/participation.py), so the budget the console announces is the one enforced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from workshop_app.core.cells import count_text, fewer_than, suppressed
from workshop_app.core.consensus import NO_GROUP, RatingCounts
from workshop_app.core.errors import DomainError, StateError
from workshop_app.core.ids import utc_now
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivityState,
    VoteTarget,
)
from workshop_app.core.ranking import competition_ranks
from workshop_app.core.scales import SCALE_POINTS
from workshop_app.core.settings import settings_from_mapping
from workshop_app.core.shares import percent_text
from workshop_app.core.validate import check_activity_settings
from workshop_app.core.voting import (
    equal_weight_ranks,
    equal_weight_scores,
    group_totals,
)
from workshop_app.export import charts
from workshop_app.services.events import Changed, Topic
from workshop_app.services.participation import (
    VoteItem,
    _budget_and_cap,
    _statements,
    _vote_items,
)
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import locked_reason
from workshop_app.storage import Database
from workshop_app.storage import projects as project_repo
from workshop_app.storage import results as repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage.writer import Tx

NOT_SAID = NO_GROUP  # people who chose no stakeholder group (core's words)
RESULTS_STATES = frozenset({ActivityState.CLOSED, ActivityState.REVEALED})
VOTING_KINDS = frozenset({ActivityKind.VOTE, ActivityKind.RATE})


# ---------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class VoteRules:
    """The rules of one dot vote, as phones get them now."""

    activity_id: str
    vote_on: VoteTarget
    items: tuple[VoteItem, ...]  # what can be voted on now
    budget: int  # dots per person in force: as set, or the automatic default
    budget_set: int | None  # None: automatic
    automatic_budget: int  # what "automatic" gives for the items there are now
    per_item_cap: int | None  # None: no limit
    state: ActivityState
    locked_reason: str = ""  # why the rules can no longer change ("" while they can)

    @property
    def editable(self) -> bool:
        return not self.locked_reason


def voting_activities(p: OpenProject, session_id: str) -> list[Activity]:
    """The session's dot votes and rating rounds, in agenda order."""
    return [
        a
        for a in session_repo.list_activities(p.store.reader(), session_id)
        if a.kind in VOTING_KINDS
    ]


def vote_rules(p: OpenProject, activity_id: str) -> VoteRules:
    db = p.store.reader()
    return _rules(db, _vote_activity(db, activity_id))


def set_vote_rules(
    p: OpenProject,
    activity_id: str,
    vote_on: VoteTarget,
    budget: int | None,
    per_item_cap: int | None,
) -> VoteRules:
    """Change what a vote is on, the dots per person (None: automatic) and the most dots
    on one item (None: no limit). Only before the vote opens. Returns the old rules, for
    undo (`restore_vote_rules`)."""
    return _write_rules(p, activity_id, vote_on, budget, per_item_cap, strict=True)


def restore_vote_rules(p: OpenProject, old: VoteRules) -> VoteRules:
    """Put back rules returned by `set_vote_rules` exactly (undo); returns the replaced
    ones. A cap above the automatic budget, allowed when it was set, is kept as it was."""
    return _write_rules(
        p, old.activity_id, old.vote_on, old.budget_set, old.per_item_cap, strict=False
    )


def _write_rules(
    p: OpenProject,
    activity_id: str,
    vote_on: VoteTarget,
    budget: int | None,
    cap: int | None,
    *,
    strict: bool,
) -> VoteRules:
    vote_on = VoteTarget(vote_on)
    if budget is not None and budget < 1:
        raise DomainError("Each person needs at least 1 dot.")
    if cap is not None and cap < 1:
        raise DomainError("The most dots on one item must be at least 1 (or no limit).")

    def job(tx: Tx) -> VoteRules:
        activity = _vote_activity(tx.db, activity_id)
        old = _rules(tx.db, activity)
        if not old.editable:
            raise StateError(old.locked_reason)
        settings = replace(activity.settings, vote_on=vote_on, vote_budget=budget, per_item_cap=cap)
        new = replace(
            activity,
            settings=check_activity_settings(activity.kind, settings),
            updated_at=utc_now(),
        )
        if strict and budget is None and cap is not None:
            automatic = _rules(tx.db, new).automatic_budget
            if cap > automatic:
                raise DomainError(
                    f"The most dots on one item ({cap}) cannot be more than the dots each "
                    f"person has ({automatic}, automatic)."
                )
        session_repo.update_activity(tx.db, new)
        tx.emit(Changed(Topic.ACTIVITIES, session_id=activity.session_id, item_id=activity.id))
        tx.emit(Changed(Topic.CONTENT, session_id=activity.session_id, item_id=activity.id))
        return old

    return p.store.write_now(job)


def _vote_activity(db: Database, activity_id: str) -> Activity:
    activity = session_repo.get_activity(db, activity_id)
    if activity.kind is not ActivityKind.VOTE:
        raise DomainError(
            f"“{activity.title}” is not a dot vote, so it has no dots or items to set."
        )
    return activity


def _rules(db: Database, activity: Activity) -> VoteRules:
    session = session_repo.get_session(db, activity.session_id, include_deleted=True)
    items = tuple(_vote_items(db, session, activity))
    budget, cap = _budget_and_cap(db, activity, len(items))
    if activity.settings.vote_budget is None:
        automatic = budget
    else:
        unset = replace(activity, settings=replace(activity.settings, vote_budget=None))
        automatic, _cap = _budget_and_cap(db, unset, len(items))
    return VoteRules(
        activity_id=activity.id,
        vote_on=activity.settings.vote_on or VoteTarget.THEMES,
        items=items,
        budget=budget,
        budget_set=activity.settings.vote_budget,
        automatic_budget=automatic,
        per_item_cap=cap,
        state=activity.state,
        locked_reason=locked_reason(db, activity),
    )


# ---------------------------------------------------------------- turnout


@dataclass(frozen=True, slots=True)
class GroupTurnout:
    group_id: str | None
    name: str
    took_part: int
    joined: int


@dataclass(frozen=True, slots=True)
class Turnout:
    """How many of the people in the session have voted (or rated): never what."""

    activity_id: str
    kind: ActivityKind
    took_part: int
    joined: int
    groups: tuple[GroupTurnout, ...]


def turnout(p: OpenProject, activity_id: str) -> Turnout:
    db = p.store.reader()
    activity = _voting_activity(db, activity_id)
    session = session_repo.get_session(db, activity.session_id, include_deleted=True)
    rows = repo.turnout(db, session.id, activity.id, ratings=activity.kind is ActivityKind.RATE)
    by_group = {r.group_id: r for r in rows}
    names = repo.group_names(db)
    groups = tuple(
        GroupTurnout(
            gid,
            _name(names, gid),
            by_group[gid].took_part if gid in by_group else 0,
            by_group[gid].joined if gid in by_group else 0,
        )
        for gid in _ordered_groups(names, [*session.group_ids, *by_group])
    )
    return Turnout(
        activity_id=activity.id,
        kind=activity.kind,
        took_part=sum(r.took_part for r in rows),
        joined=sum(r.joined for r in rows),
        groups=groups,
    )


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class ResultGroup:
    id: str | None  # None: people who chose no group
    name: str


@dataclass(frozen=True, slots=True)
class RankedItem:
    rank: int  # 1 is best; equal totals share a rank (1, 2, 2, 4)
    item_id: str
    text: str
    dots: int
    voters: int
    dots_by_group: Mapping[str | None, int] = field(default_factory=dict)
    on_board: bool = True  # False: voted on, then removed from the vote (kept, counted)
    equal_rank: int | None = None  # rank when every group counts equally (core.voting)
    equal_score: float | None = None  # mean over groups of their share of own dots, 0-1


@dataclass(frozen=True, slots=True)
class VoteResults:
    activity_id: str
    title: str
    state: ActivityState
    rows: tuple[RankedItem, ...]  # best first
    groups: tuple[ResultGroup, ...]  # the columns "by group", in the project's order
    voters_by_group: Mapping[str | None, int] = field(default_factory=dict)
    dots_by_group: Mapping[str | None, int] = field(default_factory=dict)  # every dot
    min_cell: int = 1  # small-cell suppression (core.cells): the project's setting

    @property
    def revealed(self) -> bool:
        return self.state is ActivityState.REVEALED

    def share(self, row: RankedItem, group_id: str | None) -> str:
        """The share of a group's own dots that `row` got, rounded down ("40%"); "fewer
        than N" for a group with too few voters to show; "–" for a group with no dots."""
        if suppressed(self.voters_by_group.get(group_id, 0), self.min_cell):
            return fewer_than(self.min_cell)
        return percent_text(row.dots_by_group.get(group_id, 0), self.dots_by_group.get(group_id, 0))

    def group_dots(self, row: RankedItem, group_id: str | None) -> str:
        """A group's dots on `row` as they may be shown ("fewer than N" for a small group)."""
        if suppressed(self.voters_by_group.get(group_id, 0), self.min_cell):
            return fewer_than(self.min_cell)
        return str(row.dots_by_group.get(group_id, 0))

    def voters_text(self, group_id: str | None) -> str:
        return count_text(self.voters_by_group.get(group_id, 0), self.min_cell)


def results_ready(activity: Activity) -> bool:
    """Whether the console may show this activity's results (voting has stopped)."""
    return activity.state in RESULTS_STATES


def vote_results(p: OpenProject, activity_id: str) -> VoteResults:
    db = p.store.reader()
    activity = _vote_activity(db, activity_id)
    _check_ready(activity)
    session = session_repo.get_session(db, activity.session_id, include_deleted=True)
    items = _vote_items(db, session, activity)
    tallies = repo.vote_tallies(db, activity.id)
    dots: dict[str, int] = {}
    voters: dict[str, int] = {}
    by_group: dict[str, dict[str | None, int]] = {}
    texts: dict[str, str] = {}
    for t in tallies:
        dots[t.target_id] = dots.get(t.target_id, 0) + t.dots
        voters[t.target_id] = voters.get(t.target_id, 0) + t.voters
        by_group.setdefault(t.target_id, {})[t.group_id] = t.dots
        texts[t.target_id] = t.text if t.text is not None else "(an item no longer stored)"
    on_board = {i.id for i in items}
    entries = [(i.id, i.text, True) for i in items] + [
        (tid, texts[tid], False) for tid in dots if tid not in on_board
    ]
    entries.sort(key=lambda e: -dots.get(e[0], 0))  # stable: ties keep the board's order
    ranks = competition_ranks([dots.get(e[0], 0) for e in entries])
    rows = tuple(
        RankedItem(
            rank=rank,
            item_id=item_id,
            text=text,
            dots=dots.get(item_id, 0),
            voters=voters.get(item_id, 0),
            dots_by_group=by_group.get(item_id, {}),
            on_board=current,
        )
        for rank, (item_id, text, current) in zip(ranks, entries, strict=True)
    )
    names = repo.group_names(db)
    group_ids = _ordered_groups(names, [*session.group_ids, *(t.group_id for t in tallies)])
    scores = equal_weight_scores({r.item_id: r.dots_by_group for r in rows})
    equal = equal_weight_ranks(scores, [r.item_id for r in rows])
    rows = tuple(
        replace(
            r,
            equal_rank=equal.get(r.item_id),
            equal_score=float(scores[r.item_id]) if r.item_id in scores else None,
        )
        for r in rows
    )
    took = repo.turnout(db, session.id, activity.id, ratings=False)
    return VoteResults(
        activity_id=activity.id,
        title=activity.title,
        state=activity.state,
        rows=rows,
        groups=tuple(ResultGroup(g, _name(names, g)) for g in group_ids),
        voters_by_group={t.group_id: t.took_part for t in took if t.took_part},
        dots_by_group=group_totals(r.dots_by_group for r in rows),
        min_cell=_min_cell(db),
    )


@dataclass(frozen=True, slots=True)
class StatementRatings:
    """How one statement was rated in one activity: the whole 1-9 spread, overall and by
    group, for the console's table. Not judged: core.consensus.StatementResult is the same
    statement with the consensus rules applied (verdicts, product score), and the console
    shows the two side by side."""

    standard_id: str
    title: str
    overall: RatingCounts
    by_group: Mapping[str | None, RatingCounts] = field(default_factory=dict)
    listed: bool = True  # False: rated, then removed from the standards


@dataclass(frozen=True, slots=True)
class RatingSummary:
    activity_id: str
    title: str
    state: ActivityState
    statements: tuple[StatementRatings, ...]  # in the standards' order
    groups: tuple[ResultGroup, ...]

    @property
    def revealed(self) -> bool:
        return self.state is ActivityState.REVEALED


def rating_summary(p: OpenProject, activity_id: str) -> RatingSummary:
    """Per statement: how many rated it, the median and the spread of 1-9, overall and by
    group. (Consensus verdicts are judged elsewhere.)"""
    db = p.store.reader()
    activity = session_repo.get_activity(db, activity_id)
    if activity.kind is not ActivityKind.RATE:
        raise DomainError(f"“{activity.title}” is not a rating round.")
    _check_ready(activity)
    session = session_repo.get_session(db, activity.session_id, include_deleted=True)
    tallies = repo.rating_tallies(db, activity.id)
    counts: dict[str, list[int]] = {}
    group_counts: dict[str, dict[str | None, list[int]]] = {}
    titles: dict[str, str] = {}
    for t in tallies:
        if not 1 <= t.value <= SCALE_POINTS:
            continue  # the schema forbids it; never let it shift the spread
        counts.setdefault(t.standard_id, [0] * SCALE_POINTS)[t.value - 1] += t.raters
        per = group_counts.setdefault(t.standard_id, {})
        per.setdefault(t.group_id, [0] * SCALE_POINTS)[t.value - 1] += t.raters
        titles[t.standard_id] = t.title or "(a statement no longer stored)"
    listed = [(s.id, s.title, True) for s in _statements(db)]
    known = {sid for sid, _t, _l in listed}
    gone = [(sid, titles[sid], False) for sid in counts if sid not in known]
    statements = tuple(
        StatementRatings(
            standard_id=sid,
            title=title,
            overall=RatingCounts(tuple(counts.get(sid, [0] * SCALE_POINTS))),
            by_group={g: RatingCounts(tuple(c)) for g, c in group_counts.get(sid, {}).items()},
            listed=current,
        )
        for sid, title, current in listed + gone
    )
    names = repo.group_names(db)
    group_ids = _ordered_groups(names, [*session.group_ids, *(t.group_id for t in tallies)])
    return RatingSummary(
        activity_id=activity.id,
        title=activity.title,
        state=activity.state,
        statements=statements,
        groups=tuple(ResultGroup(g, _name(names, g)) for g in group_ids),
    )


def vote_chart_png(
    results: VoteResults, *, by_group: bool, width_px: int, height_px: int, dpi: int = 100
) -> bytes:
    """The ranking as a PNG bar chart (the same picture the Word export uses).

    Safe to call on a worker thread; matplotlib is loaded on the first call."""
    return charts.vote_chart_png(
        results, by_group=by_group, width_px=width_px, height_px=height_px, dpi=dpi
    )


def preload_charts() -> None:
    """Load the chart library ahead of the first chart (call on a worker thread)."""
    charts.preload()


# ---------------------------------------------------------------- helpers


def _min_cell(db: Database) -> int:
    return settings_from_mapping(project_repo.get_settings(db)).min_cell_size


def _check_ready(activity: Activity) -> None:
    if not results_ready(activity):
        raise StateError(
            "The results are shown once voting is closed, so that they cannot sway people "
            "who are still voting."
        )


def _voting_activity(db: Database, activity_id: str) -> Activity:
    activity = session_repo.get_activity(db, activity_id)
    if activity.kind not in VOTING_KINDS:
        raise DomainError(f"“{activity.title}” is not a vote or a rating round.")
    return activity


def _name(names: Mapping[str, tuple[str, int]], group_id: str | None) -> str:
    if group_id is None:
        return NOT_SAID
    found = names.get(group_id)
    return found[0] if found else "A removed group"


def _ordered_groups(
    names: Mapping[str, tuple[str, int]], ids: Iterable[str | None]
) -> list[str | None]:
    """Distinct group ids in the project's group order; "not said" last."""
    unique = list(dict.fromkeys(ids))
    named = sorted(
        (g for g in unique if g is not None),
        key=lambda g: (names[g][1], names[g][0]) if g in names else (10**6, g),
    )
    return [*named, *([None] if None in unique else [])]
