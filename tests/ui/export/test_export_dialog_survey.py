"""File → Export…: an evaluation survey's report (after the privacy review) and its one-page
"you said, we did" (which quotes no one, so no review holds it up). Real services."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog

from tests.services.test_survey import Survey, make_survey
from tests.ui.conftest import make_actions, with_dialog
from workshop_app.services.project import OpenProject
from workshop_app.ui.export.export_dialog import ExportDialog, ExportKind
from workshop_app.ui.export.privacy_review import PrivacyReviewDialog


@pytest.fixture
def room(project: OpenProject) -> Survey:
    r = make_survey(project)
    who = r.join()
    r.answer(who, {r.smiley: 5, r.text: "Ring me on 07700 900123"}, "key-00001")
    return r


def dialog(room: Survey, qtbot, settings) -> ExportDialog:
    d = ExportDialog(
        room.p, make_actions(QUndoStack(), lambda _t, _m: None), room.session.id, settings=settings
    )
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def _export(qtbot, d: ExportDialog) -> Path:
    with qtbot.waitSignal(d.exported, timeout=20000) as blocker:
        assert d.start_export()
    return blocker.args[0]


def test_the_surveys_of_the_project_are_offered_by_name(room: Survey, qtbot, settings) -> None:
    d = dialog(room, qtbot, settings)
    d.choose(ExportKind.EVALUATION, room.session.id)
    assert d.session.currentText() == "How was it? (Youth evaluation)"
    assert d.survey_id() == room.activity.id and d.session_id() == room.session.id
    assert d.target().name == "Youth evaluation - evaluation report.docx"


def test_the_report_waits_for_the_privacy_review(room: Survey, qtbot, settings, tmp_path) -> None:
    d = dialog(room, qtbot, settings)
    d.choose(ExportKind.EVALUATION, room.session.id)
    assert d.privacy_note.text().startswith("1 suspected personal detail")
    d.path.setText(str(tmp_path / "report.docx"))

    def cancel(review: QDialog) -> None:
        assert isinstance(review, PrivacyReviewDialog)
        review.reject()

    assert with_dialog(d.start_export, cancel) is False
    assert not (tmp_path / "report.docx").exists()


def test_you_said_we_did_needs_no_review_and_is_written(
    room: Survey, qtbot, settings, tmp_path
) -> None:
    d = dialog(room, qtbot, settings)
    d.choose(ExportKind.YOU_SAID, room.session.id)
    assert d.privacy_note.text() == "Privacy review: nothing left to review in these notes."
    d.path.setText(str(tmp_path / "you-said.docx"))
    path = _export(qtbot, d)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert text.startswith("You said, we did") and "07700" not in text


def test_without_a_survey_the_survey_exports_cannot_be_chosen(project, qtbot, settings) -> None:
    d = ExportDialog(
        project, make_actions(QUndoStack(), lambda _t, _m: None), None, settings=settings
    )
    qtbot.addWidget(d)
    assert not d.kind_buttons[ExportKind.EVALUATION].isEnabled()
    assert not d.kind_buttons[ExportKind.YOU_SAID].isEnabled()
