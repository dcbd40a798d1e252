"""A description of a project as plain data, for `workshop-app info` (DESIGN.md §5)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from workshop_app import __version__
from workshop_app.core.model import Counts
from workshop_app.services import pilot
from workshop_app.services.areas import list_areas, list_services
from workshop_app.services.groups import list_groups
from workshop_app.services.merge import flagged_standards, list_merges
from workshop_app.services.project import OpenProject, get_counts, get_project, get_settings
from workshop_app.services.retention import retention
from workshop_app.services.sessions import list_activities, list_sessions, session_counts

PROJECT_COUNT_KEYS = (
    "sessions",
    "participants",
    "notes",
    "themes",
    "votes",
    "ratings",
    "standards",
    "groups",
    "activities",
    "help_requests",
)
SESSION_COUNT_KEYS = (
    "participants",
    "notes",
    "themes",
    "votes",
    "ratings",
    "activities",
    "help_requests",
)


def _counts(c: Counts, keys: tuple[str, ...]) -> dict[str, int]:
    d = asdict(c)
    return {k: d[k] for k in keys}


def _protection(p: OpenProject) -> dict[str, Any]:
    """Whether the file is encrypted and until when it is kept (from the data)."""
    kept = retention(p)
    return {
        "encrypted": p.encrypted,
        "keep_until": kept.keep_until.isoformat(),
        "retention": kept.basis,
    }


def describe(p: OpenProject) -> dict[str, Any]:
    """One JSON-ready object: project, groups, sessions with activities, counts.

    The keys named in DESIGN.md §5 are a stable interface; more may be added.
    """
    project = get_project(p)
    settings = get_settings(p)
    groups = list_groups(p)
    sessions = []
    for s in list_sessions(p):
        sessions.append(
            {
                "id": s.id,
                "title": s.title,
                "date": s.date.isoformat() if s.date else None,
                "venue": s.venue,
                "state": s.state.value,
                "plan": s.plan_id or None,
                "moderation": s.moderation.value,
                "groups": list(s.group_ids),
                "activities": [
                    {
                        "id": a.id,
                        "position": a.position + 1,
                        "kind": a.kind.value,
                        "state": a.state.value,
                        "title": a.title,
                        "minutes": (a.settings.timer_seconds or 0) // 60 or None,
                    }
                    for a in list_activities(p, s.id)
                ],
                "counts": _counts(session_counts(p, s.id), SESSION_COUNT_KEYS),
            }
        )
    return {
        "app_version": __version__,
        "project": {
            "id": project.id,
            "title": project.title,
            "locality": project.locality,
            "created_at": project.created_at.isoformat(),
            "updated_at": project.updated_at.isoformat(),
            "consensus_rules": settings.consensus_rules.describe(),
            "moderation_default": settings.moderation_default,
        },
        "protection": _protection(p),
        "groups": [
            {"id": g.id, "name": g.name, "kind": g.kind.value, "child_friendly": g.child_friendly}
            for g in groups
        ],
        "sessions": sessions,
        "counts": _counts(get_counts(p), PROJECT_COUNT_KEYS),
        "merges": [
            {
                "id": m.id,
                "into_this_project": m.project_id == project.id,
                "source_project_id": m.source_project_id,
                "source_title": m.source_title,
                "source_file": m.source_file,
                "source_sha256": m.source_sha256,
                "at": m.created_at.isoformat(),
                "counts": m.counts,
            }
            for m in list_merges(p)
        ],
        "flagged_standards": [
            {
                "id": f.standard_id,
                "title": f.title,
                "beside": f.original_id,
                "beside_title": f.original_title,
                "from_title": f.source_title,
                "from_file": f.source_file,
                "merged_at": f.merged_at.isoformat(),
            }
            for f in flagged_standards(p)
        ],
        **_pilot(p),
    }


def _pilot(p: OpenProject) -> dict[str, Any]:
    """The areas and services of the pilot and each self-assessment (issue 16)."""
    areas = {a.id: a.name for a in list_areas(p)}
    return {
        "areas": [{"id": i, "name": name} for i, name in areas.items()],
        "services": [
            {"id": s.id, "name": s.name, "kind": s.kind.value, "area": s.area_id}
            for s in list_services(p)
        ],
        "self_assessments": [
            {
                "activity": r.assessment.activity_id,
                "session": r.session_id,
                "service": r.assessment.service_id,
                "statements": len(r.assessment.statements),
                "settled": sum(1 for x in report.rows if x.settled is not None),
                "members": report.members,
            }
            for r in pilot.assessment_rows(p)
            for report in (pilot.service_report(p, r.assessment.activity_id),)
        ],
    }
