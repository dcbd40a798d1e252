"""Retention from the real file, and secure deletion (services/retention.py)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from workshop_app.core.retention import add_months
from workshop_app.services import sessions
from workshop_app.services.project import (
    create_project,
    get_project,
    open_project,
    update_settings,
)
from workshop_app.services.retention import delete_securely, project_files, retention
from workshop_app.services.sessions import SessionDetails
from workshop_app.storage.cipher import Key
from workshop_app.storage.errors import ProjectLockedError, ProjectMissingError
from workshop_app.storage.lock import lock_path_for

FIXTURES = Path(__file__).parents[1] / "storage" / "fixtures"


def test_the_retention_date_follows_the_last_session_and_the_setting(project) -> None:
    created = get_project(project).created_at.date()
    first = retention(project)
    assert first.keep_until == add_months(created, 12) and not first.from_session
    sessions.create_session(project, SessionDetails("Spring", date=date(2026, 3, 4)))
    sessions.create_session(project, SessionDetails("Summer", date=date(2026, 6, 20)))
    sessions.create_session(project, SessionDetails("Undated"))
    kept = retention(project)
    assert kept.keep_until == date(2027, 6, 20) and kept.from_session
    update_settings(project, retention_months=6)
    assert retention(project).keep_until == date(2026, 12, 20)
    assert retention(project).basis == "6 months after the last session (20 June 2026)"


def test_secure_deletion_removes_the_file_its_log_backups_and_lock_only(tmp_path: Path) -> None:
    path = tmp_path / "old project.cground"
    shutil.copyfile(FIXTURES / "project-v1.cground", path)
    other = tmp_path / "another.cground"
    create_project(other, "Another", key=Key("pass phrase")).close()
    keep = tmp_path / "old project notes.txt"
    keep.write_text("mine")
    with open_project(path) as p:
        backup = p.store.backup
        assert backup is not None and path.with_name(path.name + "-wal").exists()
        with pytest.raises(ProjectLockedError):  # open: refused, nothing removed
            delete_securely(path)
        assert path.exists() and backup.exists()
        files = project_files(path)
        assert set(files) >= {path, backup, path.with_name(path.name + "-wal")}
        assert lock_path_for(path) in files
    removed = delete_securely(path)
    assert path in removed and backup in removed
    assert sorted(f.name for f in tmp_path.iterdir()) == ["another.cground", keep.name]
    with pytest.raises(ProjectMissingError):
        delete_securely(path)


@pytest.mark.parametrize("encrypted", [True, False])
def test_the_exports_methods_say_how_the_file_is_protected_and_until_when(
    tmp_path: Path, encrypted: bool
) -> None:
    from docx import Document

    from workshop_app.core.model import ActivityKind
    from workshop_app.services.pilot import write_comparison_report
    from workshop_app.services.reports import write_framework, write_session_summary
    from workshop_app.services.sessions import ActivityFields
    from workshop_app.services.survey_reports import write_survey_report

    key = Key("a long enough passphrase") if encrypted else None
    with create_project(tmp_path / "p.cground", "P", key=key) as p:
        update_settings(p, retention_months=18)
        s = sessions.create_session(p, SessionDetails("Spring", date=date(2026, 3, 4)))
        evaluation = sessions.add_activity(p, s.id, ActivityFields(ActivityKind.SURVEY, "Today"))
        summary = write_session_summary(p, s.id, tmp_path / "summary.docx")
        framework = write_framework(p, tmp_path / "framework.docx")
        survey = write_survey_report(p, evaluation.id, tmp_path / "survey.docx")
        comparison = write_comparison_report(p, tmp_path / "comparison.docx")
    expected_until = "kept until 4 September 2027 (18 months after the last session (4 March 2026))"
    for document in (summary, framework, survey, comparison):
        paragraphs = [par.text for par in Document(str(document)).paragraphs]
        heading = paragraphs.index("Data protection")
        text = paragraphs[heading + 1]
        assert expected_until in text
        if encrypted:
            assert "is encrypted (SQLCipher 4, AES-256)" in text
        else:
            assert "is not encrypted: anyone with a copy of it can read the notes" in text
