"""The REFI-QDA project export (.qdpx) for qualitative analysis programs: sessions as text
sources, the notes a document may quote as coded selections, themes as codes, stakeholder
groups as cases (export/qdpx.py writes the file; docs/exports.md explains it).

Only notes a document may quote are in it (core/report.py `note_fate`: shown on the wall;
hidden, waiting and taken-back notes are counted in the project's description, never
written). Texts are export-ready: the privacy review's removals read "[removed]". No
participant id, name or address: a selection's case is the writer's stakeholder group.

Safe to call on a worker thread: it only reads, on that thread's own connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workshop_app import __version__
from workshop_app.core.consensus import NO_GROUP
from workshop_app.core.errors import DomainError
from workshop_app.core.ids import utc_now
from workshop_app.core.model import ActivityKind
from workshop_app.core.report import LeftOut, NoteFate, note_fate
from workshop_app.export import qdpx
from workshop_app.export.qdpx import (
    QdaActivity,
    QdaGroup,
    QdaNote,
    QdaProject,
    QdaSession,
    QdaTheme,
)
from workshop_app.services import privacy
from workshop_app.services.project import OpenProject
from workshop_app.storage import contributions as contrib
from workshop_app.storage import datasets as data_repo
from workshop_app.storage import projects as project_repo
from workshop_app.storage import sessions as session_repo


@dataclass(frozen=True, slots=True)
class QdaWritten:
    """Where a .qdpx went and what it holds."""

    path: Path
    sources: int  # sessions
    selections: int  # notes
    codes: int  # themes
    cases: int  # stakeholder groups with notes
    left_out: LeftOut  # notes counted, not written


def write_qdpx(p: OpenProject, session_id: str | None, path: Path) -> QdaWritten:
    """A .qdpx of one session (None: every session of the project)."""
    project, left_out = qda_project(p, session_id)
    qdpx.write_qdpx(project, path)
    notes = [n for s in project.sessions for a in s.activities for n in a.notes]
    return QdaWritten(
        path,
        sources=len(project.sessions),
        selections=len(notes),
        codes=len(project.themes),
        cases=len({n.group_id for n in notes}),
        left_out=left_out,
    )


def qda_project(p: OpenProject, session_id: str | None) -> tuple[QdaProject, LeftOut]:
    """What a .qdpx holds, read from the project, and the notes left out (counted)."""
    db = p.store.reader()
    title = project_repo.get_project(db).title
    if session_id is None:
        chosen = session_repo.list_sessions(db)
        if not chosen:
            raise DomainError("This project has no sessions yet, so there is nothing to export.")
    else:
        chosen = [session_repo.get_session(db, session_id)]
    groups = data_repo.all_groups(db)
    texts = privacy.export_texts(p)
    fates: list[NoteFate] = []
    sessions: list[QdaSession] = []
    themes: list[QdaTheme] = []
    used_groups: dict[str | None, None] = {}
    for s in chosen:
        agenda = session_repo.list_activities(db, s.id)
        theme_of: dict[str, list[str]] = {}
        for a in agenda:
            for t in contrib.list_themes(db, a.id):
                for note_id in t.note_ids:
                    theme_of.setdefault(note_id, []).append(t.id)
        session_themes: list[QdaTheme] = []
        quoted_ids: set[str] = set()
        activities: list[QdaActivity] = []
        for a in agenda:
            if a.kind is not ActivityKind.BRAINSTORM:
                continue
            notes: list[QdaNote] = []
            for n in contrib.list_notes(db, a.id, include_withdrawn=True):
                fate = note_fate(n.status, n.withdrawn)
                fates.append(fate)
                if fate is not NoteFate.QUOTED:
                    continue
                group = _group_name(groups, n.group_id)
                used_groups[n.group_id] = None
                quoted_ids.add(n.id)
                notes.append(
                    QdaNote(
                        id=n.id,
                        text=texts.get(n.id, n.text),
                        group_id=n.group_id,
                        theme_ids=tuple(theme_of.get(n.id, ())),
                        created_at=n.created_at,
                        description=f"{a.title} · {group}",
                    )
                )
            activities.append(QdaActivity(a.title, a.prompt, tuple(notes)))
        for a in agenda:
            for t in contrib.list_themes(db, a.id):
                held = sum(1 for note_id in t.note_ids if note_id in quoted_ids)
                session_themes.append(
                    QdaTheme(
                        t.id,
                        s.id,
                        t.name,
                        t.colour,
                        f"A theme of “{s.title}”, holding {held} of its notes.",
                    )
                )
        themes.extend(session_themes)
        sessions.append(QdaSession(s.id, s.title, s.date, s.venue, tuple(activities), s.created_at))
    left_out = LeftOut.of(fates)
    cases = tuple(
        QdaGroup(gid, _group_name(groups, gid), groups[gid].kind.value if gid in groups else "")
        for gid in _ordered(groups, used_groups)
    )
    scope = f"the session “{chosen[0].title}”" if session_id else "every session of the project"
    project = QdaProject(
        title=title,
        generated_at=utc_now(),
        origin=f"Common Ground {__version__}",
        sessions=tuple(sessions),
        themes=tuple(themes),
        groups=cases,
        description=_about(scope, left_out),
    )
    return project, left_out


def _about(scope: str, left_out: LeftOut) -> str:
    counted = (
        f"Left out and only counted here: {left_out.hidden} hidden by the facilitator, "
        f"{left_out.waiting} never approved, {left_out.withdrawn} taken back by their writers."
    )
    return (
        f"Notes of {scope}, exported by Common Ground. Each session is a text source; each "
        "note shown on the wall is a selection of it, coded with the theme it was sorted "
        "into; each stakeholder group is a case holding its notes, with the group's kind as "
        "a variable. Participants are anonymous: no name, address or participant id is in "
        "this file. Words the privacy review removed read “[removed]”. " + counted
    )


def _group_name(groups: dict[str, data_repo.GroupInfo], group_id: str | None) -> str:
    if group_id is None:
        return NO_GROUP
    found = groups.get(group_id)
    return found.name if found else "A removed group"


def _ordered(
    groups: dict[str, data_repo.GroupInfo], used: dict[str | None, None]
) -> list[str | None]:
    named = sorted(
        (g for g in used if g is not None),
        key=lambda g: (groups[g].position, groups[g].name) if g in groups else (10**6, g),
    )
    return [*named, *([None] if None in used else [])]
