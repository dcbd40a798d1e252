"""Projects for the runtime's tests: a session from a shipped plan, with notes."""

from __future__ import annotations

import threading
import urllib.request
from pathlib import Path

from workshop_app.core.model import ActivityKind
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import moderation, sessions
from workshop_app.services.plans import load_plan
from workshop_app.services.project import create_project
from workshop_app.services.sessions import SessionDetails

NOTES = [
    "parents do not know the apps their children use",
    "mum doesn't get TikTok",
    "teachers need training on online safety",
    "staff training about grooming signs",
    "police should answer reports faster",
    "nobody calls back after a report",
    "children need a trusted adult to talk to",
    "someone at school to tell when something goes wrong",
]


def project_with_notes(folder: Path, notes: int = len(NOTES)) -> tuple[Path, list[str]]:
    """A project file with two planned sessions; the first's brainstorm holds `notes`
    paper notes. Returns the path and the sessions' ids."""
    path = folder / "Riverside.cground"
    with create_project(path, "Riverside", "Riverside Borough") as p:
        plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
        first = sessions.create_session(p, SessionDetails("Evening"), plan)
        second = sessions.create_session(p, SessionDetails("Morning"), plan)
        brainstorm = next(
            a for a in sessions.list_activities(p, first.id) if a.kind is ActivityKind.BRAINSTORM
        )
        for i in range(notes):
            moderation.capture_paper_note(p, brainstorm.id, NOTES[i % len(NOTES)])
    return path, [first.id, second.id]


def ours(before: set[threading.Thread]) -> list[str]:
    """Threads started since `before` that are still running."""
    return sorted(t.name for t in threading.enumerate() if t not in before and t.is_alive())


def phone_get(url: str) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as answer:
        assert answer.status == 200
        return str(answer.read().decode())
