"""Consensus rounds: the verdict on each statement of a rate activity, overall and by
stakeholder group, and the Delphi feedback a later round shows participants.

Every rate activity of the project is a round; rounds are numbered 1, 2, ... in session
date order and then agenda order (`rounds`). The rules are the project's settings
(`project_rules`) and are applied by the pure functions in core/consensus.py.

Reading results is the facilitator's (and the reports') business and is allowed at any
time; what participants see (`round_feedback`) comes only from a round that is closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from workshop_app.core.cells import suppressed
from workshop_app.core.consensus import (
    NO_GROUP,
    ConsensusRules,
    Earlier,
    RoundResults,
    Shares,
    StatementResult,
    distribution,
    judged_with_small_cells,
    median,
    statement_result,
)
from workshop_app.core.errors import DomainError
from workshop_app.core.model import Activity, ActivityKind, ActivityState, RatingScale
from workshop_app.core.scales import DEFAULT_QUESTION
from workshop_app.core.settings import settings_from_mapping
from workshop_app.services.project import OpenProject
from workshop_app.storage import Database
from workshop_app.storage import consensus as repo
from workshop_app.storage import projects as project_repo
from workshop_app.storage import results as results_repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage import standards as standard_repo

NOT_SAID = NO_GROUP  # raters who chose no group (the same words everywhere: core)
FEEDBACK_STATES = frozenset({ActivityState.CLOSED, ActivityState.REVEALED})


@dataclass(frozen=True, slots=True)
class Round:
    """One rate activity, numbered across the project."""

    number: int  # 1, 2, ...
    activity_id: str
    title: str
    state: ActivityState
    session_id: str
    session_title: str
    session_date: date | None

    @property
    def label(self) -> str:
        """ "Round 2: Rate the draft standards (Joint workshop, 12 May 2025)"."""
        d = self.session_date
        when = f", {d.day} {d:%B %Y}" if d else ""  # not %-d: Windows lacks it
        return f"Round {self.number}: {self.title} ({self.session_title}{when})"


def project_rules(p: OpenProject) -> ConsensusRules:
    """The consensus rules in force: the project's settings, with groups too small to be
    shown (small-cell suppression) not judged separately either."""
    return _rules(p.store.reader())


def rounds(p: OpenProject) -> list[Round]:
    """Every rate activity of the project in round order (session date, then agenda)."""
    return _rounds(p.store.reader())


def earlier_rounds(p: OpenProject, session_id: str, activity_id: str | None = None) -> list[Round]:
    """The rounds before a rate activity of `session_id`: what its participants can be
    shown. `activity_id` None: an activity not added yet (it will go at the end of the
    session's agenda)."""
    db = p.store.reader()
    all_rounds = _rounds(db)
    if activity_id is not None:
        for i, r in enumerate(all_rounds):
            if r.activity_id == activity_id:
                return all_rounds[:i]
    order = {s.id: i for i, s in enumerate(session_repo.list_sessions(db))}
    here = order.get(session_id, len(order))
    return [r for r in all_rounds if order.get(r.session_id, len(order)) <= here]


def round_results(p: OpenProject, rate_activity_id: str) -> RoundResults:
    """Every statement of the framework (and any removed statement that was rated in this
    round), in framework order, judged overall and by group by the project's rules.

    The version rated is the one recorded with the ratings (the latest, if a statement
    was revised during the round). A rating stored before versions were recorded counts
    for the version in force when it was given (the latest version made by then)."""
    db = p.store.reader()
    activity = _rate_activity(db, rate_activity_id)
    return _round_results(db, activity)


# ---------------------------------------------------------------- Delphi feedback


@dataclass(frozen=True, slots=True)
class GroupFeedback:
    """One stakeholder group's answers to one statement in the earlier round, as phones
    may show them: `shares` None when withheld (fewer than `min_cell` raters)."""

    group_id: str | None  # None: people who chose no group
    name: str
    shares: Shares | None

    @property
    def withheld(self) -> bool:
        return self.shares is None


@dataclass(frozen=True, slots=True)
class StatementFeedback:
    """What a later round shows about one statement from an earlier round: each
    stakeholder group's answers separately (multi-group Delphi feedback), small groups
    withheld (core.cells), and how many rated it in all."""

    statement_id: str
    shares: Shares  # everyone together (its `raters` is the count shown)
    changed: bool  # the statement was revised after it was rated
    previous_title: str = ""  # the wording that was rated ("" when unchanged)
    previous_statement: str = ""
    groups: tuple[GroupFeedback, ...] = ()  # in the project's group order; no group last
    min_cell: int = 1

    @property
    def rounded_off(self) -> bool:
        """A group's shares shown add up to less than 100 (say so beside them)."""
        return any(g.shares is not None and g.shares.rounded_off for g in self.groups)


@dataclass(frozen=True, slots=True)
class RoundFeedback:
    round: Round
    statements: Mapping[str, StatementFeedback]  # by statement id


def round_feedback(p: OpenProject, activity: Activity) -> RoundFeedback | None:
    """The earlier round's results that `activity` shows its participants, or None when
    it shows none (no `feedback_from`, the source gone, or not closed yet: results never
    reach phones while people can still rate)."""
    source_id = activity.settings.feedback_from
    if activity.kind is not ActivityKind.RATE or not source_id:
        return None
    db = p.store.reader()
    found = next((r for r in _rounds(db) if r.activity_id == source_id), None)
    if found is None or found.state not in FEEDBACK_STATES or source_id == activity.id:
        return None
    source = session_repo.get_activity(db, source_id)
    results = _round_results(db, source, numbered=found, with_earlier=False)
    min_cell = results.min_cell
    wording = _wording(repo.versions(db))
    current = {s.id: s.version for s in standard_repo.list_standards(db)}
    out: dict[str, StatementFeedback] = {}
    for st in results.statements:
        if st.statement_id not in current or st.distribution.raters == 0:
            continue
        changed = st.version < current[st.statement_id]
        title, statement = wording.get((st.statement_id, st.version), (st.title, ""))
        out[st.statement_id] = StatementFeedback(
            statement_id=st.statement_id,
            shares=st.distribution.shares(),
            changed=changed,
            previous_title=title if changed else "",
            previous_statement=statement if changed else "",
            groups=tuple(
                GroupFeedback(
                    g.group_id,
                    g.name,
                    None if suppressed(d.raters, min_cell) else d.shares(),
                )
                for g in st.by_group.values()
                if (d := g.distribution).raters
            ),
            min_cell=min_cell,
        )
    return RoundFeedback(found, out)


# ---------------------------------------------------------------- inside


def _rules(db: Database) -> ConsensusRules:
    settings = settings_from_mapping(project_repo.get_settings(db))
    return judged_with_small_cells(settings.consensus_rules, settings.min_cell_size)


def _rounds(db: Database) -> list[Round]:
    return [
        Round(i, r.activity_id, r.title, r.state, r.session_id, r.session_title, r.session_date)
        for i, r in enumerate(repo.rate_activities(db), start=1)
    ]


def _rate_activity(db: Database, activity_id: str) -> Activity:
    activity = session_repo.get_activity(db, activity_id)
    if activity.kind is not ActivityKind.RATE:
        raise DomainError(f"“{activity.title}” is not a rating round.")
    return activity


def _round_results(
    db: Database, activity: Activity, numbered: Round | None = None, *, with_earlier: bool = True
) -> RoundResults:
    """`with_earlier` False: leave out the change from the previous round (phones' feedback
    does not show it, and need not read every earlier round on each page)."""
    all_rounds = _rounds(db)
    if numbered is None:
        # A rate activity that is not a round of the project is judged by the same rules,
        # unnumbered.
        numbered = next((r for r in all_rounds if r.activity_id == activity.id), None)
    session = session_repo.get_session(db, activity.session_id, include_deleted=True)
    settings = settings_from_mapping(project_repo.get_settings(db))
    rules = judged_with_small_cells(settings.consensus_rules, settings.min_cell_size)
    rows = repo.round_ratings(db, activity.id)
    history = repo.versions(db)
    in_force = _in_force(history)
    values, versions = _rated(rows, in_force)
    children_rated = {r.standard_id for r in rows if r.scale == RatingScale.SMILEY.value}
    fallback: dict[str, tuple[str, int]] = {}  # for statements no longer listed
    for r in rows:
        fallback[r.standard_id] = (
            r.title or "(a statement no longer stored)",
            r.current_version or 1,
        )
    standards = standard_repo.list_standards(db)
    child_words = {s.id: s.child_wording or "" for s in standards}
    listed = [(s.id, s.title, s.version) for s in standards]
    known = {sid for sid, _t, _v in listed}
    gone = sorted(((sid, *fallback[sid]) for sid in values if sid not in known), key=lambda g: g[1])
    names = results_repo.group_names(db)
    group_ids = _ordered_groups(
        names, [*session.group_ids, *(r.group_id for r in rows if r.group_id is not None)]
    )
    group_names: dict[str | None, str] = {g: _name(names, g) for g in group_ids}
    group_names[None] = NO_GROUP
    wording = _wording(history)
    earlier = (
        _earlier(db, all_rounds, numbered, in_force)
        if numbered is not None and with_earlier
        else {}
    )
    statements: list[StatementResult] = []
    for sid, title, current in [*listed, *gone]:
        rated = versions.get(sid)
        version = max(rated) if rated else current
        rated_title, rated_statement = wording.get((sid, version), (title, ""))
        result = statement_result(
            sid, rated_title, version, values.get(sid, {}), rules, group_names
        )
        statements.append(
            replace(
                result,
                statement=rated_statement,
                child_wording=child_words.get(sid, "") if sid in children_rated else "",
                earlier=earlier.get(sid),
            )
        )
    return RoundResults(
        activity_id=activity.id,
        round_number=numbered.number if numbered is not None else None,
        rules=rules,
        statements=tuple(statements),
        title=activity.title,
        session_id=session.id,
        session_title=session.title,
        question=activity.settings.question or DEFAULT_QUESTION,
        min_cell=settings.min_cell_size,
    )


def _rated(
    rows: Iterable[repo.RatedValue], in_force: Callable[[str, datetime], int | None]
) -> tuple[dict[str, dict[str | None, list[int]]], dict[str, set[int]]]:
    """A round's 1-9 values by statement and group, and the versions each was rated in."""
    values: dict[str, dict[str | None, list[int]]] = {}
    versions: dict[str, set[int]] = {}
    for r in rows:
        values.setdefault(r.standard_id, {}).setdefault(r.group_id, []).append(r.value)
        version = r.version if r.version is not None else in_force(r.standard_id, r.created_at)
        if version is not None:
            versions.setdefault(r.standard_id, set()).add(version)
    return values, versions


def _earlier(
    db: Database,
    all_rounds: Sequence[Round],
    this: Round,
    in_force: Callable[[str, datetime], int | None],
) -> dict[str, Earlier]:
    """For each statement, the latest round before `this` that rated it."""
    out: dict[str, Earlier] = {}
    before = [r for r in all_rounds if r.number < this.number]
    for r in reversed(before):
        values, versions = _rated(repo.round_ratings(db, r.activity_id), in_force)
        for sid, by_group in values.items():
            if sid in out:
                continue
            everyone = [v for vs in by_group.values() for v in vs]
            rated = versions.get(sid)
            out[sid] = Earlier(
                round_number=r.number,
                version=max(rated) if rated else 1,
                distribution=distribution(everyone),
                median=median(everyone),
            )
    return out


def _wording(history: Iterable[repo.VersionRow]) -> dict[tuple[str, int], tuple[str, str]]:
    """(statement id, version) -> (title, statement) as that version had them."""
    return {(v.standard_id, v.version): (v.title, v.statement) for v in history}


def _in_force(history: Iterable[repo.VersionRow]) -> Callable[[str, datetime], int | None]:
    """For a rating that did not record its version (given before versions were recorded):
    the version in force when it was given, i.e. the latest made by then (the first, if
    the rating is older than every version). None when the statement has no versions."""
    by_statement: dict[str, list[tuple[datetime, int]]] = {}
    for v in history:
        by_statement.setdefault(v.standard_id, []).append((v.created_at, v.version))

    def version_at(standard_id: str, when: datetime) -> int | None:
        made = sorted(by_statement.get(standard_id, ()), key=lambda m: m[1])
        if not made:
            return None
        chosen = made[0][1]
        for created, version in made:
            if created <= when:
                chosen = version
        return chosen

    return version_at


def _name(names: Mapping[str, tuple[str, int]], group_id: str) -> str:
    found = names.get(group_id)
    return found[0] if found else "A removed group"


def _ordered_groups(names: Mapping[str, tuple[str, int]], ids: Iterable[str]) -> list[str]:
    """Distinct group ids in the project's group order."""
    return sorted(
        dict.fromkeys(ids),
        key=lambda g: (names[g][1], names[g][0]) if g in names else (10**6, g),
    )
