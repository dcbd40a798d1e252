"""Pilot reports of the self-assessments (issue 16): what each document and data file
holds, read from the project and handed to export/pilot_report.py and
export/pilot_tabular.py."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from workshop_app.core.assessment import AssessmentAnswer
from workshop_app.core.errors import NotFoundError, StateError
from workshop_app.core.ids import utc_now
from workshop_app.core.shares import percent_down
from workshop_app.export.pilot_report import (
    Column,
    ComparedStatement,
    ComparisonReport,
    ServiceReport,
    ServiceRow,
    write_comparison,
    write_service_report,
)
from workshop_app.export.pilot_tabular import PilotData, write_csv, write_json
from workshop_app.export.tabular import Row
from workshop_app.services.project import OpenProject
from workshop_app.services.retention import protection
from workshop_app.storage import assessment as repo
from workshop_app.storage import projects as project_repo
from workshop_app.storage.assessment import AssessmentRow


def assessment_rows(p: OpenProject) -> list[AssessmentRow]:
    """Every self-assessment with a service chosen, in session and agenda order."""
    return repo.list_assessments(p.store.reader())


def _area_name(p: OpenProject, area_id: str | None) -> str:
    if area_id is None:
        return ""
    return repo.get_area(p.store.reader(), area_id, include_deleted=True).name


def service_report(p: OpenProject, activity_id: str, *, today: date | None = None) -> ServiceReport:
    db = p.store.reader()
    row = next((r for r in assessment_rows(p) if r.assessment.activity_id == activity_id), None)
    if row is None:
        raise NotFoundError("That self-assessment does not exist or has no service chosen.")
    a = row.assessment
    service = repo.get_service(db, a.service_id, include_deleted=True)
    answers = repo.list_answers(db, activity_id)
    return ServiceReport(
        project_title=project_repo.get_project(db).title,
        service=service,
        area=_area_name(p, service.area_id),
        activity_title=row.activity_title,
        session_title=row.session_title,
        session_date=row.session_date,
        framework_taken=a.created_at,
        rows=tuple(
            ServiceRow(
                st,
                _settled(answers, st.standard_id),
                tuple(
                    x.status
                    for x in answers
                    if x.standard_id == st.standard_id and x.participant_id is not None
                ),
            )
            for st in a.statements
        ),
        members=len({x.participant_id for x in answers if x.participant_id is not None}),
        generated=today or utc_now().date(),
        protection=protection(p),
    )


def _settled(answers: list[AssessmentAnswer], standard_id: str) -> AssessmentAnswer | None:
    return next(
        (x for x in answers if x.standard_id == standard_id and x.participant_id is None), None
    )


def comparison_report(p: OpenProject, *, today: date | None = None) -> ComparisonReport:
    db = p.store.reader()
    rows = assessment_rows(p)
    per_service: dict[str, int] = {}
    for r in rows:
        per_service[r.assessment.service_id] = per_service.get(r.assessment.service_id, 0) + 1
    columns, cells = [], {}
    statements: dict[str, tuple[str, set[int]]] = {}
    for r in rows:
        a = r.assessment
        service = repo.get_service(db, a.service_id, include_deleted=True)
        heading = service.name
        if per_service[service.id] > 1:
            heading += f" ({r.session_title})"
        columns.append(Column(a.activity_id, service, _area_name(p, service.area_id), heading))
        for st in a.statements:
            _, versions = statements.get(st.standard_id, (st.title, set()))
            statements[st.standard_id] = (st.title, versions | {st.version})
        for x in repo.list_answers(db, a.activity_id):
            if x.participant_id is None:
                cells[(x.standard_id, a.activity_id)] = x.status
    return ComparisonReport(
        project_title=project_repo.get_project(db).title,
        columns=tuple(columns),
        statements=tuple(
            ComparedStatement(sid, title, tuple(sorted(v)))
            for sid, (title, v) in statements.items()
        ),
        cells=cells,
        generated=today or utc_now().date(),
        protection=protection(p),
    )


# ---------------------------------------------------------------- writing


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "service"


def write_service_reports(p: OpenProject, folder: Path, *, today: date | None = None) -> list[Path]:
    """One Word report per self-assessment, in `folder` (made if needed): named after the
    service (and numbered when a service assessed more than once)."""
    rows = assessment_rows(p)
    if not rows:
        raise StateError("There is no self-assessment with a service chosen to report on.")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used: set[str] = set()
    for r in rows:
        report = service_report(p, r.assessment.activity_id, today=today)
        name = f"self-assessment-{_slug(report.service.name)}"
        n = 2
        base = name
        while name in used:
            name = f"{base}-{n}"
            n += 1
        used.add(name)
        written.append(write_service_report(report, folder / f"{name}.docx"))
    return written


def write_one_service_report(
    p: OpenProject, activity_id: str, path: Path, *, today: date | None = None
) -> Path:
    return write_service_report(service_report(p, activity_id, today=today), path)


def write_comparison_report(p: OpenProject, path: Path, *, today: date | None = None) -> Path:
    return write_comparison(comparison_report(p, today=today), path)


def pilot_data(p: OpenProject) -> PilotData:
    db = p.store.reader()
    comparison = comparison_report(p)
    tables: dict[str, list[Row]] = {
        "areas": [{"area_id": a.id, "name": a.name} for a in repo.list_areas(db)],
        "services": [],
        "self_assessments": [],
        "answers": [],
        "measures": [],
        "actions": [],
    }
    for s in repo.list_services(db):
        tables["services"].append(
            {
                "service_id": s.id,
                "name": s.name,
                "kind": s.kind.value,
                "area_id": s.area_id,
                "area_name": _area_name(p, s.area_id),
            }
        )
    for r in assessment_rows(p):
        _assessment_rows(p, r, tables)
    tables["comparison"] = [
        {
            "standard_id": h.standard_id,
            "title": h.title,
            "services_assessed": h.assessed,
            "not_fully_met": h.not_fully_met,
            "hard_to_meet": h.hard,
        }
        for h in comparison.hardness()
    ]
    return PilotData(project_repo.get_project(db).title, utc_now(), tables)


def _assessment_rows(p: OpenProject, r: AssessmentRow, tables: dict[str, list[Row]]) -> None:
    a = r.assessment
    report = service_report(p, a.activity_id)
    sid, aid = a.service_id, a.activity_id
    tables["self_assessments"].append(
        {
            "activity_id": aid,
            "service_id": sid,
            "service_name": report.service.name,
            "session_title": r.session_title,
            "session_date": r.session_date.isoformat() if r.session_date else None,
            "activity_title": r.activity_title,
            "framework_taken_at": a.created_at.isoformat(),
            "statements": len(a.statements),
            "settled": sum(1 for x in report.rows if x.settled is not None),
            "members": report.members,
        }
    )
    for row in report.rows:
        st, x = row.statement, row.settled
        key = {"activity_id": aid, "service_id": sid, "standard_id": st.standard_id}
        tables["answers"].append(
            {
                **key,
                "version": st.version,
                "title": st.title,
                "status": x.status.value if x else None,
                "evidence": x.evidence if x else None,
                "views": len(row.views),
                "views_differ": row.disagreement,
                "settled_at": x.updated_at.isoformat() if x else None,
            }
        )
        for i, m in enumerate(st.measures):
            v = x.measures[i] if x and i < len(x.measures) else None
            num = v.numerator if v else None
            den = v.denominator if v else None
            tables["measures"].append(
                {
                    **key,
                    "measure": i + 1,
                    "description": m.description,
                    "numerator_definition": m.numerator,
                    "denominator_definition": m.denominator,
                    "numerator": num,
                    "denominator": den,
                    "percent": percent_down(num, den) if num is not None and den else None,
                    "period": v.period if v else None,
                }
            )
        for act in x.actions if x else ():
            tables["actions"].append(
                {
                    **key,
                    "what": act.what,
                    "who": act.who,
                    "by": act.by.isoformat() if act.by else None,
                }
            )


def write_pilot_csv(p: OpenProject, path: Path) -> Path:
    return write_csv(pilot_data(p), path)


def write_pilot_json(p: OpenProject, path: Path) -> Path:
    return write_json(pilot_data(p), path)
