"""File → Export… for the pilot (issue 16): the per-service Word reports into a folder, the
comparison, the data; of the whole project, without the privacy review (no notes)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from PySide6.QtGui import QUndoStack

from tests.pilot.builder import build_pilot, settle_all
from tests.ui.conftest import make_actions
from workshop_app.services.project import OpenProject
from workshop_app.ui.export.export_dialog import WHOLE_PROJECT, ExportDialog, ExportKind


@pytest.fixture
def dialog(project: OpenProject, qtbot, settings) -> ExportDialog:
    settle_all(build_pilot(project))
    d = ExportDialog(
        project, make_actions(QUndoStack(), lambda _t, _m: None), None, settings=settings
    )
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def _export(qtbot, d: ExportDialog) -> Path:
    with qtbot.waitSignal(d.exported, timeout=30000) as blocker:
        assert d.start_export()
    return blocker.args[0]


def test_the_service_reports_go_into_a_folder_of_the_whole_project(
    dialog: ExportDialog, qtbot, tmp_path: Path
) -> None:
    dialog.choose(ExportKind.SERVICE_REPORTS)
    assert dialog.session.currentText() == WHOLE_PROJECT and not dialog.session.isEnabled()
    assert dialog.path.text().endswith("Test project - self-assessment reports")
    assert "privacy review does not apply" in dialog.privacy_note.text()
    dialog.path.setText(str(tmp_path / "reports"))
    path = _export(qtbot, dialog)
    assert sorted(p.name for p in path.iterdir()) == [
        "self-assessment-north-police-ocsea-team.docx",
        "self-assessment-riverside-academy.docx",
        "self-assessment-southside-youth-club.docx",
    ]


def test_the_comparison_and_the_data(dialog: ExportDialog, qtbot, tmp_path: Path) -> None:
    dialog.choose(ExportKind.COMPARISON)
    assert dialog.path.text().endswith("self-assessment comparison.docx")
    dialog.path.setText(str(tmp_path / "comparison.docx"))
    path = _export(qtbot, dialog)
    assert docx.Document(str(path)).paragraphs[0].text == "Self-assessment comparison"
    dialog.choose(ExportKind.PILOT_CSV)
    assert dialog.zip_box.isVisible()
    dialog.path.setText(str(tmp_path / "pilot.zip"))
    path = _export(qtbot, dialog)
    assert "comparison.csv" in zipfile.ZipFile(path).namelist()
    dialog.choose(ExportKind.PILOT_JSON)
    dialog.path.setText(str(tmp_path / "pilot.json"))
    path = _export(qtbot, dialog)
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "common-ground-pilot"
