"""`workshop-app demo`: a realistic, fictional project built from demo_content.

Deterministic: the same seed gives the same content, ids and timestamps included (join
tokens excepted: they stay unguessable), so that tests, screenshots and documentation can
rely on it. Sessions are built from the shipped session plans, so the demo always shows
the real agendas.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from workshop_app.core.consensus import to_nine_point
from workshop_app.core.errors import DomainError
from workshop_app.core.ids import new_join_token
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivityState,
    Audience,
    GroupKind,
    Measure,
    MeasureType,
    ModerationMode,
    Note,
    NoteSource,
    NoteStatus,
    Participant,
    Project,
    Rating,
    RatingScale,
    Session,
    SessionState,
    StakeholderGroup,
    Standard,
    StandardLevel,
    StandardVersion,
    Theme,
    Vote,
)
from workshop_app.core.plan import SessionPlan
from workshop_app.core.settings import ProjectSettings
from workshop_app.core.validate import check_activity_settings
from workshop_app.core.voting import default_budget
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import demo_content as content
from workshop_app.services import demo_pilot
from workshop_app.services.demo_survey import insert_evaluation
from workshop_app.services.plans import check_folder
from workshop_app.storage import Database, contributions, projects, sessions, standards
from workshop_app.storage import consensus as consensus_repo
from workshop_app.storage import suggestions as suggestion_audit
from workshop_app.storage.store import Store
from workshop_app.storage.writer import Tx
from workshop_app.themes.labels import keywords_per_theme, label_from

# How strongly each support profile leans, as weights over 1-9.
_PROFILES: dict[str, tuple[int, ...]] = {
    "strong": (0, 0, 1, 1, 2, 4, 12, 16, 14),
    "mixed": (1, 2, 4, 6, 8, 8, 7, 5, 3),
    "weak": (6, 8, 8, 6, 4, 3, 2, 1, 1),
}
# Children answer on the 5-face scale; the same profiles over 1-5.
_SMILEY_PROFILES: dict[str, tuple[int, ...]] = {
    "strong": (0, 1, 3, 10, 14),
    "mixed": (3, 5, 8, 6, 3),
    "weak": (10, 9, 4, 2, 1),
}


@dataclass(frozen=True, slots=True)
class DemoSummary:
    sessions: int
    groups: int
    participants: int
    notes: int
    themes: int
    votes: int
    standards: int
    ratings: int

    def __str__(self) -> str:
        return (
            f"{self.sessions} sessions, {self.groups} groups, {self.participants} participants, "
            f"{self.notes} notes, {self.themes} themes, {self.votes} votes, "
            f"{self.standards} standards, {self.ratings} ratings"
        )


class _Builder:
    """Holds the seeded random source so that ids and choices are reproducible."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets

    def id(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC) + timedelta(minutes=minutes)


def write_demo(path: Path, seed: int = 2026, plans_dir: Path | None = None) -> DemoSummary:
    """Create the demo project at `path` (which must not exist)."""
    report = check_folder(plans_dir or shipped_plans_dir())
    plans = {plan.id: plan for plan in report.plans}
    missing = sorted({s["plan_id"] for s in content.SESSIONS} - plans.keys())
    if missing:
        raise DomainError(f"The demo needs the shipped plans {', '.join(missing)}.")
    store = Store.create(path)
    try:
        summary = store.write_now(lambda tx: _build(tx, _Builder(seed), plans))
    except BaseException:
        store.close()
        path.unlink(missing_ok=True)
        raise
    store.close()
    return summary


def _build(tx: Tx, b: _Builder, plans: Mapping[str, SessionPlan]) -> DemoSummary:
    db = tx.db
    first_day = min(date.fromisoformat(s["date"]) for s in content.SESSIONS)
    created = _at(first_day - timedelta(days=30), 0)
    projects.insert_project(
        db,
        Project(b.id(), content.PROJECT["title"], content.PROJECT["locality"], created, created),
    )
    settings = ProjectSettings()
    projects.put_settings(db, settings.as_mapping())

    group_ids: dict[str, str] = {}
    group_kinds: dict[str, GroupKind] = {}
    for position, g in enumerate(content.GROUPS):
        gid = b.id()
        group_ids[g["key"]] = gid
        group_kinds[g["key"]] = GroupKind(g["kind"])
        projects.insert_group(
            db,
            StakeholderGroup(
                gid, g["name"], GroupKind(g["kind"]), g["child_friendly"], position, created
            ),
        )

    totals = {"participants": 0, "notes": 0, "themes": 0, "votes": 0, "ratings": 0}
    theme_ids: dict[tuple[str, str], str] = {}
    rate_sessions: list[tuple[Session, Activity, dict[str, list[str]]]] = []

    for spec in content.SESSIONS:
        day = date.fromisoformat(spec["date"])
        plan = plans[spec["plan_id"]]
        keys: list[str] = list(spec["groups"])
        has_children = any(group_kinds[k] is GroupKind.CHILD for k in keys)
        closed = spec["state"] == "closed"
        session = Session(
            id=b.id(),
            title=spec["title"],
            date=day,
            venue=spec["venue"],
            plan_id=plan.id,
            state=SessionState.CLOSED if closed else SessionState.PLANNED,
            join_token=new_join_token(),  # never predictable, not even in the demo
            moderation=ModerationMode.APPROVE_FIRST
            if has_children
            else (plan.moderation or settings.moderation),
            group_ids=tuple(group_ids[k] for k in keys),
            created_at=_at(day - timedelta(days=14), 0),
            updated_at=_at(day, 240),
        )
        sessions.insert_session(db, session)
        activities = _insert_activities(db, b, session, plan, closed)

        # Participants: anonymous ids per group, nothing else.
        people: dict[str, list[str]] = {}
        for key, n in spec.get("participants", {}).items():
            for i in range(n):
                pid = b.id()
                contributions.insert_participant(
                    db, Participant(pid, session.id, group_ids[key], _at(day, 5 + i % 10))
                )
                people.setdefault(key, []).append(pid)
                totals["participants"] += 1

        notes_by_theme = _insert_notes(db, b, spec, activities, people, group_ids, day)
        totals["notes"] += sum(len(v) for v in notes_by_theme.values())

        cluster = next(
            (a for a in activities if a.kind is ActivityKind.CLUSTER),
            next((a for a in reversed(activities) if a.kind is ActivityKind.BRAINSTORM), None),
        )
        themes: list[Theme] = []
        if cluster is not None:
            for position, t in enumerate(spec.get("themes", [])):
                theme = Theme(
                    b.id(),
                    cluster.id,
                    t["name"],
                    t["colour"],
                    position,
                    tuple(notes_by_theme.get(t["name"], ())),
                    _at(day, 60),
                )
                contributions.insert_theme(db, theme)
                theme_ids[(spec["key"], t["name"])] = theme.id
                themes.append(theme)
                totals["themes"] += 1
            _insert_suggestion_audit(db, spec["key"], cluster.id, activities, themes, day)

        vote = next((a for a in activities if a.kind is ActivityKind.VOTE), None)
        if vote is not None and themes and people:
            totals["votes"] += _insert_votes(
                db, b, vote, themes, spec.get("theme_priority", {}), people, settings, day
            )

        rate = next((a for a in activities if a.kind is ActivityKind.RATE), None)
        if rate is not None and closed and people:
            rate_sessions.append((session, rate, people))

    standard_list = _insert_standards(db, b, theme_ids)
    for session, rate, people in rate_sessions:
        totals["ratings"] += _insert_ratings(
            db, b, rate, standard_list, people, group_kinds, session.date or first_day
        )
    _prepare_round_two(db, [rate for _s, rate, _p in rate_sessions], standard_list)
    # the pilot's self-assessments (issue 16), against the framework after round 2
    pilot = demo_pilot.insert_pilot(db, b.id)
    # the youth panel's evaluation survey (issue 16), after the pilot
    evaluated = insert_evaluation(db, b.id, b.rng, group_ids)
    totals["participants"] += evaluated.participants
    totals["notes"] += evaluated.notes

    return DemoSummary(
        sessions=len(content.SESSIONS) + pilot.sessions + 1,  # and the youth evaluation
        groups=len(content.GROUPS),
        participants=totals["participants"] + pilot.participants,
        notes=totals["notes"],
        themes=totals["themes"],
        votes=totals["votes"],
        standards=len(standard_list),
        ratings=totals["ratings"],
    )


def _insert_suggestion_audit(
    db: Database,
    key: str,
    board_activity_id: str,
    activities: Sequence[Activity],
    themes: Sequence[Theme],
    day: date,
) -> None:
    """What the theme-suggestion audit keeps (docs/exports.md): the facilitator asked for
    suggestions once; most became themes (renamed), one took a note the facilitator later
    moved to another theme, and the last was not accepted (that theme was made by hand).
    Labels and words come from the engine's own labelling of each group's notes; ids are
    derived from the board's id and the session's key, so the demo's other ids stay as they
    were."""
    if len(themes) < 3:
        return
    texts = {
        n.id: n.text
        for a in activities
        if a.kind is ActivityKind.BRAINSTORM
        for n in contributions.list_notes(db, a.id)
    }
    groups = [list(t.note_ids) for t in themes]
    if len(groups[1]) > 1:  # proposed with the first theme; the facilitator moved it on
        groups[0].append(groups[1].pop(0))
    order = [n for g in groups for n in g]
    index = {n: i for i, n in enumerate(dict.fromkeys(order))}
    words = keywords_per_theme([texts[n] for n in index], [[index[n] for n in g] for g in groups])
    # The board's id comes from the seed: two demos made with different seeds share no id.
    base = f"common-ground-demo:{board_activity_id}:{key}"
    shown = [
        suggestion_audit.Shown(
            uuid.uuid5(uuid.NAMESPACE_URL, f"{base}:suggestion:{i}").hex,
            label_from(keywords, texts[g[0]]),
            tuple(keywords),
            tuple(g),
        )
        for i, (g, keywords) in enumerate(zip(groups, words, strict=True))
    ]
    run = uuid.uuid5(uuid.NAMESPACE_URL, f"{base}:run").hex
    suggestion_audit.insert_shown(db, board_activity_id, run, shown, _at(day, 50))
    for proposal, theme in list(zip(shown, themes, strict=True))[:-1]:
        suggestion_audit.mark_accepted(db, proposal.id, theme.id, proposal.note_ids, _at(day, 52))


def _insert_activities(
    db: Database, b: _Builder, session: Session, plan: SessionPlan, closed: bool
) -> list[Activity]:
    out = []
    for position, pa in enumerate(plan.activities):
        if closed:
            state = ActivityState.REVEALED if pa.kind is ActivityKind.VOTE else ActivityState.CLOSED
        else:
            state = ActivityState.PENDING
        activity = Activity(
            id=b.id(),
            session_id=session.id,
            position=position,
            kind=pa.kind,
            title=pa.title,
            prompt=pa.prompt,
            child_prompt=pa.child_prompt,
            settings=check_activity_settings(pa.kind, pa.settings),
            state=state,
            facilitator_notes=pa.facilitator_notes,
            created_at=session.created_at,
            updated_at=session.updated_at,
        )
        sessions.insert_activity(db, activity)
        out.append(activity)
    return out


def _insert_notes(
    db: Database,
    b: _Builder,
    spec: Mapping[str, Any],
    activities: Sequence[Activity],
    people: Mapping[str, list[str]],
    group_ids: Mapping[str, str],
    day: date,
) -> dict[str | None, list[str]]:
    """Notes go to the session's brainstorm activities in order; returns ids by theme."""
    brainstorms = [a for a in activities if a.kind is ActivityKind.BRAINSTORM]
    by_theme: dict[str | None, list[str]] = {}
    if not brainstorms:
        return by_theme
    minute = 20
    for i, batch in enumerate(spec.get("brainstorms", [])):
        activity = brainstorms[min(i, len(brainstorms) - 1)]
        for note in batch["notes"]:
            key = note["group"]
            authors: list[str | None] = list(people.get(key, ())) or [None]
            minute += b.rng.randint(0, 2)
            when = _at(day, minute) + timedelta(seconds=b.rng.randint(0, 59))
            nid = b.id()
            contributions.insert_note(
                db,
                Note(
                    id=nid,
                    activity_id=activity.id,
                    participant_id=b.rng.choice(authors),
                    group_id=group_ids[key],
                    text=note["text"],
                    original_text=note["text"],
                    source=NoteSource.PHONE,
                    status=NoteStatus.SHOWN,
                    idempotency_key=None,
                    created_at=when,
                    updated_at=when,
                ),
            )
            by_theme.setdefault(note.get("theme"), []).append(nid)
    return by_theme


def _insert_votes(
    db: Database,
    b: _Builder,
    vote: Activity,
    themes: Sequence[Theme],
    priority: Mapping[str, int],
    people: Mapping[str, list[str]],
    settings: ProjectSettings,
    day: date,
) -> int:
    """Each participant spends their budget, leaning towards the session's priorities."""
    budget = vote.settings.vote_budget or default_budget(len(themes), settings.vote_budget_cap)
    cap = vote.settings.per_item_cap or budget
    weights = [max(1, priority.get(t.name, 3)) for t in themes]
    count = 0
    for pids in people.values():
        for pid in pids:
            dots: dict[str, int] = {}
            for _ in range(budget):
                open_items = [
                    (t, w) for t, w in zip(themes, weights, strict=True) if dots.get(t.id, 0) < cap
                ]
                if not open_items:
                    break
                theme = b.rng.choices([t for t, _ in open_items], [w for _, w in open_items])[0]
                dots[theme.id] = dots.get(theme.id, 0) + 1
            for theme_id, n in dots.items():
                contributions.upsert_vote(
                    db, Vote(b.id(), vote.id, pid, theme_id, n, _at(day, 100))
                )
                count += 1
    return count


def _session_day(key: str) -> date:
    return date.fromisoformat(next(s["date"] for s in content.SESSIONS if s["key"] == key))


# When the demo's statements were worded: drafted at the end of the drafting workshop (so
# after every workshop they came from), revised a few days after round 1 rated them (so
# before round 2, and before any document written since the demo's last workshop held).
DRAFTED_AT = "standards-drafting"
REVISED_AFTER = "consensus-round-1"
REVISED_DAYS_LATER = 3


def _insert_standards(
    db: Database, b: _Builder, theme_ids: Mapping[tuple[str, str], str]
) -> list[tuple[Standard, str, str]]:
    out = []
    drafted = _session_day(DRAFTED_AT)
    for position, s in enumerate(content.STANDARDS):
        when = _at(drafted, 150 + position)  # as the workshop closed, one after another
        standard = Standard(
            id=b.id(),
            title=s["title"],
            statement=s["statement"],
            rationale=s["rationale"],
            level=StandardLevel(s["level"]),
            measures=tuple(
                Measure(
                    MeasureType(m["type"]),
                    m["description"],
                    m.get("numerator", ""),
                    m.get("denominator", ""),
                    m.get("data_source", ""),
                )
                for m in s["measures"]
            ),
            audiences={Audience(k): v for k, v in s["audiences"].items()},
            definitions=dict(s["definitions"]),
            position=position,
            version=1,
            source_theme_ids=tuple(
                theme_ids[(sk, name)] for sk, name in s["sources"] if (sk, name) in theme_ids
            ),
            source_note_ids=(),
            created_at=when,
            updated_at=when,
            child_wording=s["child_wording"],
            references=tuple(s.get("references", ())),
        )
        standards.insert_standard(db, standard)
        out.append((standard, s["support"], s.get("child_support", s["support"])))
    return out


def _prepare_round_two(
    db: Database, rated: Sequence[Activity], standard_list: Sequence[tuple[Standard, str, str]]
) -> None:
    """The Delphi set-up between rounds: round 1's ratings are of version 1; the statement
    round 1 rated lowest is reworded (version 2); and the next rating round shows people
    round 1's results."""
    if not rated or not standard_list:
        return
    first_round = rated[0]
    rounds = [
        a
        for s in sessions.list_sessions(db)
        for a in sessions.list_activities(db, s.id)
        if a.kind is ActivityKind.RATE
    ]
    for rate in rated:
        consensus_repo.set_activity_ratings_version(db, rate.id, 1)
    revision = content.ROUND_TWO_REVISION
    old, _support, _child = standard_list[revision["standard"]]
    revised = replace(
        old,
        statement=revision["statement"],
        child_wording=revision["child_wording"],
        version=2,
        updated_at=_at(_session_day(REVISED_AFTER) + timedelta(days=REVISED_DAYS_LATER), 0),
    )
    standards.update_standard(db, revised)
    standards.insert_version(
        db,
        StandardVersion(
            old.id, 2, revised.title, revised.statement, revised.rationale, revised.updated_at
        ),
    )
    later = [a for a in rounds if a.id != first_round.id and a.id not in {r.id for r in rated}]
    for rate in later[:1]:
        settings = replace(rate.settings, feedback_from=first_round.id)
        sessions.update_activity(db, replace(rate, settings=settings))


def _insert_ratings(
    db: Database,
    b: _Builder,
    rate: Activity,
    standard_list: Sequence[tuple[Standard, str, str]],
    people: Mapping[str, list[str]],
    group_kinds: Mapping[str, GroupKind],
    day: date,
) -> int:
    count = 0
    for key, pids in people.items():
        child = group_kinds[key] is GroupKind.CHILD
        for pid in pids:
            for standard, support, child_support in standard_list:
                if child:
                    raw = b.rng.choices(range(1, 6), _SMILEY_PROFILES[child_support])[0]
                    scale = RatingScale.SMILEY
                else:
                    raw = b.rng.choices(range(1, 10), _PROFILES[support])[0]
                    scale = RatingScale.NINE_POINT
                contributions.upsert_rating(
                    db,
                    Rating(
                        b.id(),
                        rate.id,
                        pid,
                        standard.id,
                        to_nine_point(raw, scale),
                        scale,
                        raw,
                        _at(day, 45),
                    ),
                )
                count += 1
    return count
