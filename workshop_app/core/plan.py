"""Session plans: the schema, and checking a parsed plan file against it.

A plan is a TOML file (see docs/session-plans.md). Reading the file is the service
layer's job; this module receives the parsed mapping and either returns a `SessionPlan`
or raises `PlanError` listing every problem as "file: field: problem".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workshop_app.core.errors import DomainError
from workshop_app.core.model import (
    ActivityKind,
    ActivitySettings,
    GroupKind,
    ModerationMode,
    RatingScale,
    VoteTarget,
)
from workshop_app.core.scales import DEFAULT_QUESTION, RatingQuestion

PLAN_FORMAT = 1
MAX_TEXT = 2000
PLAN_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")  # matched in full

_PLAN_KEYS = {
    "format": "the plan file format version (1)",
    "id": "a short id: lowercase letters, digits and hyphens",
    "title": "the plan's title",
    "summary": "one paragraph on what the session is for",
    "audience": "the stakeholder group kinds it is written for",
    "age_range": "for children's plans, e.g. '8-12'",
    "moderation": "show_at_once or approve_first",
    "activities": "the list of activities",
}
_ACTIVITY_KEYS = {
    "kind": "info, brainstorm, cluster, vote, rate, draft or assess",
    "title": "short title shown in the agenda",
    "prompt": "the question or instruction for adults",
    "child_prompt": "the same in child-friendly words",
    "minutes": "time allowed, 1-240",
    "facilitator_notes": "guidance for the facilitator",
    "vote_on": "themes or notes (vote activities)",
    "budget": "dots per participant (vote activities; omit for the default)",
    "per_item_cap": "most dots on one item (vote activities)",
    "scale": "nine_point or smiley (rate activities)",
    "question": "importance or agreement: what a rate activity asks (default importance)",
    "consensus_round": "true: a numbered consensus round of the project (rate activities)",
}


@dataclass(frozen=True, slots=True)
class PlanProblem:
    source: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.field}: {self.message}"


class PlanError(DomainError):
    def __init__(self, problems: Sequence[PlanProblem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class PlanActivity:
    kind: ActivityKind
    title: str
    prompt: str
    child_prompt: str
    minutes: int
    settings: ActivitySettings
    facilitator_notes: str = ""


@dataclass(frozen=True, slots=True)
class SessionPlan:
    id: str
    title: str
    summary: str
    audience: tuple[GroupKind, ...]
    age_range: str
    moderation: ModerationMode | None
    activities: tuple[PlanActivity, ...]
    source: str = ""

    @property
    def total_minutes(self) -> int:
        return sum(a.minutes for a in self.activities)


class _Checker:
    """Collects every problem in one pass, so a facilitator fixes a file once."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[PlanProblem] = []

    def add(self, field: str, message: str) -> None:
        self.problems.append(PlanProblem(self.source, field, message))

    def unknown_keys(self, data: Mapping[str, Any], known: Mapping[str, str], at: str) -> None:
        for key in data:
            if key not in known:
                hint = difflib.get_close_matches(str(key), list(known), n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.add(f"{at}{key}", f"unknown field{suggestion}")

    def text(self, data: Mapping[str, Any], key: str, at: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(f"{at}{key}", "is missing")
            return ""
        if not isinstance(value, str):
            self.add(f"{at}{key}", f"must be text, not {_kind_of(value)}")
            return ""
        value = value.strip()
        if required and not value:
            self.add(f"{at}{key}", "is empty")
        if len(value) > MAX_TEXT:
            self.add(f"{at}{key}", f"is {len(value)} characters; the limit is {MAX_TEXT}")
        return value

    def integer(
        self, data: Mapping[str, Any], key: str, at: str, lo: int, hi: int, required: bool
    ) -> int | None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(f"{at}{key}", "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{at}{key}", f"must be a whole number, not {_kind_of(value)}")
            return None
        if not lo <= value <= hi:
            self.add(f"{at}{key}", f"must be between {lo} and {hi}, not {value}")
            return None
        return value

    def choice(
        self, data: Mapping[str, Any], key: str, at: str, enum: type[Any], required: bool
    ) -> Any:
        value = data.get(key)
        if value is None:
            if required:
                self.add(f"{at}{key}", "is missing")
            return None
        allowed = [m.value for m in enum]
        if value not in allowed:
            self.add(f"{at}{key}", f"must be one of {', '.join(allowed)}, not {value!r}")
            return None
        return enum(value)


def _kind_of(value: Any) -> str:
    return {
        str: "text",
        int: "a number",
        float: "a decimal number",
        bool: "true/false",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def parse_plan(data: Mapping[str, Any], source: str) -> SessionPlan:
    """Check a parsed plan file; return the plan or raise PlanError with every problem."""
    c = _Checker(source)
    c.unknown_keys(data, _PLAN_KEYS, "")

    fmt = data.get("format")
    if fmt is None:
        c.add("format", f"is missing (this version reads format = {PLAN_FORMAT})")
    elif fmt != PLAN_FORMAT:
        c.add("format", f"is {fmt!r}; this version of Common Ground reads format {PLAN_FORMAT}")

    plan_id = c.text(data, "id", "")
    if plan_id and not PLAN_ID_RE.fullmatch(plan_id):
        c.add(
            "id",
            "must be 2-63 lowercase letters, digits or hyphens, starting with a letter or digit",
        )
    title = c.text(data, "title", "")
    summary = c.text(data, "summary", "", required=False)
    age_range = c.text(data, "age_range", "", required=False)
    moderation = c.choice(data, "moderation", "", ModerationMode, required=False)

    audience: list[GroupKind] = []
    raw_audience = data.get("audience", [])
    if not isinstance(raw_audience, list):
        c.add("audience", f"must be a list, not {_kind_of(raw_audience)}")
    else:
        allowed = [k.value for k in GroupKind]
        for i, item in enumerate(raw_audience):
            if item in allowed:
                audience.append(GroupKind(item))
            else:
                c.add(f"audience[{i + 1}]", f"must be one of {', '.join(allowed)}, not {item!r}")

    activities: list[PlanActivity] = []
    raw = data.get("activities")
    if raw is None:
        c.add("activities", "is missing: a plan needs at least one activity")
    elif not isinstance(raw, list):
        c.add("activities", f"must be a list of tables ([[activities]]), not {_kind_of(raw)}")
    elif not raw:
        c.add("activities", "is empty: a plan needs at least one activity")
    else:
        for i, item in enumerate(raw):
            at = f"activities[{i + 1}]."
            if not isinstance(item, Mapping):
                c.add(f"activities[{i + 1}]", f"must be a table, not {_kind_of(item)}")
                continue
            activity = _parse_activity(c, item, at)
            if activity is not None:
                activities.append(activity)

    if c.problems:
        raise PlanError(c.problems)
    return SessionPlan(
        id=plan_id,
        title=title,
        summary=summary,
        audience=tuple(audience),
        age_range=age_range,
        moderation=moderation,
        activities=tuple(activities),
        source=source,
    )


def _parse_activity(c: _Checker, item: Mapping[str, Any], at: str) -> PlanActivity | None:
    before = len(c.problems)
    c.unknown_keys(item, _ACTIVITY_KEYS, at)
    kind = c.choice(item, "kind", at, ActivityKind, required=True)
    title = c.text(item, "title", at)
    prompt = c.text(item, "prompt", at)
    child_prompt = c.text(item, "child_prompt", at)
    minutes = c.integer(item, "minutes", at, 1, 240, required=True)
    notes = c.text(item, "facilitator_notes", at, required=False)

    vote_keys = ("vote_on", "budget", "per_item_cap")
    settings = ActivitySettings(timer_seconds=(minutes or 0) * 60 or None)
    if kind is ActivityKind.VOTE:
        vote_on = c.choice(item, "vote_on", at, VoteTarget, required=True)
        budget = c.integer(item, "budget", at, 1, 50, required=False)
        cap = c.integer(item, "per_item_cap", at, 1, 50, required=True)
        if budget is not None and cap is not None and cap > budget:
            c.add(f"{at}per_item_cap", f"is {cap}, more than the budget of {budget}")
        settings = ActivitySettings(
            timer_seconds=settings.timer_seconds,
            vote_on=vote_on,
            vote_budget=budget,
            per_item_cap=cap,
        )
    else:
        for key in vote_keys:
            if key in item and kind is not None:
                c.add(f"{at}{key}", f"only applies to vote activities, not {kind.value}")
    if kind is ActivityKind.RATE:
        scale = c.choice(item, "scale", at, RatingScale, required=True)
        is_round = item.get("consensus_round", False)
        if not isinstance(is_round, bool):
            c.add(f"{at}consensus_round", "must be true or false")
            is_round = False
        question = c.choice(item, "question", at, RatingQuestion, required=False)
        settings = ActivitySettings(
            timer_seconds=settings.timer_seconds,
            scale=scale,
            consensus_round=is_round,
            question=question or DEFAULT_QUESTION,
        )
    else:
        for key in ("scale", "consensus_round", "question"):
            if key in item and kind is not None:
                c.add(f"{at}{key}", f"only applies to rate activities, not {kind.value}")

    if len(c.problems) > before or kind is None or minutes is None:
        return None
    return PlanActivity(
        kind=kind,
        title=title,
        prompt=prompt,
        child_prompt=child_prompt,
        minutes=minutes,
        settings=settings,
        facilitator_notes=notes,
    )


def plan_to_mapping(plan: SessionPlan) -> dict[str, Any]:
    """The inverse of parse_plan: a mapping ready to be written as TOML."""
    out: dict[str, Any] = {"format": PLAN_FORMAT, "id": plan.id, "title": plan.title}
    if plan.summary:
        out["summary"] = plan.summary
    if plan.audience:
        out["audience"] = [a.value for a in plan.audience]
    if plan.age_range:
        out["age_range"] = plan.age_range
    if plan.moderation is not None:
        out["moderation"] = plan.moderation.value
    acts: list[dict[str, Any]] = []
    for a in plan.activities:
        row: dict[str, Any] = {
            "kind": a.kind.value,
            "title": a.title,
            "minutes": a.minutes,
            "prompt": a.prompt,
            "child_prompt": a.child_prompt,
        }
        s = a.settings
        if a.kind is ActivityKind.VOTE:
            if s.vote_on is not None:
                row["vote_on"] = s.vote_on.value
            if s.vote_budget is not None:
                row["budget"] = s.vote_budget
            if s.per_item_cap is not None:
                row["per_item_cap"] = s.per_item_cap
        if a.kind is ActivityKind.RATE and s.scale is not None:
            row["scale"] = s.scale.value
        if a.kind is ActivityKind.RATE and s.consensus_round:
            row["consensus_round"] = True
        if a.kind is ActivityKind.RATE and s.question is not None:
            row["question"] = s.question.value
        if a.facilitator_notes:
            row["facilitator_notes"] = a.facilitator_notes
        acts.append(row)
    out["activities"] = acts
    return out


def slugify(title: str) -> str:
    """A plan id from a title: 'Joint Workshop (v2)' -> 'joint-workshop-v2'."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:63].strip("-")
    return slug if len(slug) >= 2 else "my-plan"
