"""Reading session plan files, checking folders of them, and saving a session as a plan."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from workshop_app.core.errors import DomainError
from workshop_app.core.plan import (
    PlanActivity,
    PlanError,
    PlanProblem,
    SessionPlan,
    parse_plan,
    plan_to_mapping,
    slugify,
)
from workshop_app.core.validate import clean_text
from workshop_app.services.project import OpenProject
from workshop_app.storage import projects as group_repo
from workshop_app.storage import sessions as repo

PLAN_SUFFIX = ".toml"
MAX_PLAN_BYTES = 512 * 1024


def load_plan(path: Path) -> SessionPlan:
    """Read and check one plan file; raises PlanError naming the file and field."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise PlanError([PlanProblem(source, "file", f"cannot be read: {e.strerror}")]) from e
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanError([PlanProblem(source, "file", "is too large to be a session plan")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PlanError([PlanProblem(source, "file", f"is not UTF-8 text (byte {e.start})")]) from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise PlanError([PlanProblem(source, "TOML", str(e))]) from e
    plan = parse_plan(data, source)
    if plan.id != path.stem:
        raise PlanError(
            [
                PlanProblem(
                    source,
                    "id",
                    f"is {plan.id!r} but the file is named {path.name!r}; they must match",
                )
            ]
        )
    return plan


@dataclass(frozen=True, slots=True)
class PlanFolderReport:
    plans: tuple[SessionPlan, ...]
    problems: tuple[PlanProblem, ...]


def check_folder(folder: Path) -> PlanFolderReport:
    """Every plan file in a folder, checked; problems from all files together."""
    if not folder.is_dir():
        raise DomainError(f"{folder} is not a folder.")
    plans: list[SessionPlan] = []
    problems: list[PlanProblem] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob(f"*{PLAN_SUFFIX}")):
        try:
            plan = load_plan(path)
        except PlanError as e:
            problems.extend(e.problems)
            continue
        if plan.id in seen:
            problems.append(
                PlanProblem(str(path), "id", f"{plan.id!r} is also used by {seen[plan.id]}")
            )
            continue
        seen[plan.id] = str(path)
        plans.append(plan)
    return PlanFolderReport(tuple(plans), tuple(problems))


def list_plans(folders: Iterable[Path]) -> PlanFolderReport:
    """Plans from several folders (shipped first, then the user's); later folders may not
    reuse an earlier id."""
    plans: list[SessionPlan] = []
    problems: list[PlanProblem] = []
    ids: set[str] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        report = check_folder(folder)
        problems.extend(report.problems)
        for plan in report.plans:
            if plan.id in ids:
                problems.append(PlanProblem(plan.source, "id", f"{plan.id!r} is already a plan"))
                continue
            ids.add(plan.id)
            plans.append(plan)
    return PlanFolderReport(tuple(plans), tuple(problems))


def session_as_plan(p: OpenProject, session_id: str, title: str, summary: str = "") -> SessionPlan:
    """A plan made from a session's current agenda (for "Save session as plan")."""
    title = clean_text(title, "The plan title", 200, required=True)
    db = p.store.reader()
    session = repo.get_session(db, session_id)
    activities = repo.list_activities(db, session_id)
    if not activities:
        raise DomainError("This session has no activities to save as a plan.")
    kinds = tuple(dict.fromkeys(group_repo.get_group(db, g).kind for g in session.group_ids))
    return SessionPlan(
        id=slugify(title),
        title=title,
        summary=summary.strip(),
        audience=kinds,
        age_range="",
        moderation=session.moderation,
        activities=tuple(
            PlanActivity(
                kind=a.kind,
                title=a.title,
                prompt=a.prompt or a.title,
                child_prompt=a.child_prompt or a.prompt or a.title,
                minutes=max(1, round((a.settings.timer_seconds or 600) / 60)),
                settings=a.settings,
                facilitator_notes=a.facilitator_notes,
            )
            for a in activities
        ),
    )


def save_plan(plan: SessionPlan, folder: Path) -> Path:
    """Write a plan as TOML in `folder` under a free file name; returns the path.

    The written file is read back and checked, so a saved plan always loads again.
    """
    folder.mkdir(parents=True, exist_ok=True)
    plan_id = plan.id
    n = 2
    while (folder / f"{plan_id}{PLAN_SUFFIX}").exists():
        plan_id = f"{plan.id}-{n}"
        n += 1
    path = folder / f"{plan_id}{PLAN_SUFFIX}"
    data = plan_to_mapping(plan)
    data["id"] = plan_id
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")
    tmp.replace(path)
    load_plan(path)
    return path
