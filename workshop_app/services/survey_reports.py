"""The evaluation survey's Word documents: the evaluation report and the one-page "you
said, we did" summary, read from a project into `core.survey.SurveyReport` and written by
export/survey_report.py.

As for the other Word exports (services/reports.py): written answers are quoted in the
privacy review's words (services.privacy.export_texts) and only when shown on the wall
(core.report.note_fate); what the review did is counted for the survey's session; a
small group's answers are withheld (core/cells.py); nothing names a participant.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workshop_app.core.ids import utc_now
from workshop_app.core.report import LeftOut
from workshop_app.core.survey import SurveyReport
from workshop_app.export.survey_report import write_survey_report as _write_report
from workshop_app.export.survey_report import write_you_said as _write_you_said
from workshop_app.services import privacy, survey
from workshop_app.services.project import OpenProject, get_project
from workshop_app.services.retention import protection
from workshop_app.services.sessions import get_session


def survey_report(p: OpenProject, activity_id: str, *, today: date | None = None) -> SurveyReport:
    """A survey as its documents report it (NotFoundError, DomainError for a wrong id)."""
    results = survey.survey_results(p, activity_id, privacy.export_texts(p))
    session = get_session(p, results.activity.session_id)
    written = [w for q in results.questions for w in q.written]
    return SurveyReport(
        project_title=get_project(p).title,
        session_title=session.title,
        session_date=session.date,
        results=results,
        privacy=privacy.review_summary(p, session.id),
        left_out=LeftOut.of(w.fate for w in written),
        generated=today or utc_now().date(),
        protection=protection(p),
    )


def write_survey_report(
    p: OpenProject, activity_id: str, path: Path | str, *, today: date | None = None
) -> Path:
    """Write the evaluation report of survey `activity_id` as a Word document at `path`."""
    return _write_report(survey_report(p, activity_id, today=today), path)


def write_you_said(
    p: OpenProject, activity_id: str, path: Path | str, *, today: date | None = None
) -> Path:
    """Write the one-page "you said, we did" summary of survey `activity_id` at `path`."""
    return _write_you_said(survey_report(p, activity_id, today=today), path)
