"""File → Export…: choosing what and where, the privacy review first, the export on a
worker thread, and where the file went. Real project files and real services."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QMessageBox

from tests.ui.conftest import make_actions, with_dialog
from workshop_app.core.model import ActivityKind
from workshop_app.core.redaction import REMOVED
from workshop_app.services import moderation, sessions
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.export.export_dialog import FOLDER_KEY, WHOLE_PROJECT, ExportDialog, ExportKind
from workshop_app.ui.export.privacy_review import PrivacyReviewDialog

PHONE = "07700 900123"


@dataclass
class Setup:
    project: OpenProject
    session_id: str
    brainstorm_id: str
    stack: QUndoStack
    actions: Actions

    def note(self, text: str) -> str:
        return moderation.capture_paper_note(self.project, self.brainstorm_id, text).id

    def dialog(self, qtbot, settings, session_id: str | None = "session") -> ExportDialog:
        sid = self.session_id if session_id == "session" else session_id
        d = ExportDialog(self.project, self.actions, sid, settings=settings)
        qtbot.addWidget(d)
        d.show()
        qtbot.waitExposed(d)
        return d


@pytest.fixture
def setup(project) -> Setup:
    s = sessions.create_session(project, SessionDetails("Club: autumn / 2026"))
    b = sessions.add_activity(project, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas"))
    stack = QUndoStack()
    return Setup(project, s.id, b.id, stack, make_actions(stack, lambda _t, _m: None))


def _export(qtbot, d: ExportDialog) -> Path:
    with qtbot.waitSignal(d.exported, timeout=20000) as blocker:
        assert d.start_export()
    return blocker.args[0]


def test_a_session_summary_is_offered_first_for_the_session_in_hand(setup, qtbot, settings):
    d = setup.dialog(qtbot, settings)
    assert d.kind() is ExportKind.SUMMARY and d.session_id() == setup.session_id
    assert d.target() == setup.project.path.parent / "Club autumn 2026 - session summary.docx"
    assert d.session.findData(None) == -1, "a summary is of one session"
    assert not d.zip_box.isVisible() and not d.hidden_box.isVisible()


def test_data_can_be_of_the_whole_project_and_the_file_name_follows(setup, qtbot, settings):
    d = setup.dialog(qtbot, settings, session_id=None)
    assert d.kind() is ExportKind.CSV
    assert d.session.currentText() == WHOLE_PROJECT and d.session_id() is None
    assert d.target().name == "Test project - data.zip"
    d.zip_box.setChecked(False)
    assert d.target().name == "Test project - data"
    d.choose(ExportKind.JSON, setup.session_id)
    assert d.target().name == "Club autumn 2026 - data.json"
    assert d.hidden_box.isVisible() and not d.zip_box.isVisible()
    d.choose(ExportKind.FRAMEWORK)
    assert (
        not d.session.isEnabled() and d.target().name == "Test project - standards framework.docx"
    )


def test_a_path_typed_by_hand_keeps_its_name_and_gets_the_right_ending(
    setup, qtbot, settings, tmp_path
):
    d = setup.dialog(qtbot, settings)
    d.path.setText(str(tmp_path / "mine.docx"))
    d.path.textEdited.emit(d.path.text())
    d.choose(ExportKind.JSON, setup.session_id)
    assert d.target() == tmp_path / "mine.json"


def test_csv_is_written_on_the_worker_and_the_dialog_says_where(setup, qtbot, settings, tmp_path):
    setup.note("games are fun")
    d = setup.dialog(qtbot, settings, session_id=None)
    assert d.privacy_note.text() == "Privacy review: nothing left to review in these notes."
    d.path.setText(str(tmp_path / "out" / "club.zip"))
    (tmp_path / "out").mkdir()
    path = _export(qtbot, d)
    assert path == tmp_path / "out" / "club.zip"
    with zipfile.ZipFile(path) as zf:
        assert "notes.csv" in zf.namelist() and "codebook.md" in zf.namelist()
        assert "games are fun" in zf.read("notes.csv").decode("utf-8-sig")
    assert d.outcome.text() == f"Saved: {path}"
    assert d.open_folder_button.isVisible() and not d.is_busy()
    assert d.folder_url().toLocalFile() == str(tmp_path / "out")
    assert settings.value(FOLDER_KEY) == str(tmp_path / "out"), "remembered for next time"
    again = setup.dialog(qtbot, settings, session_id=None)
    assert again.target().parent == tmp_path / "out"


def test_csv_into_a_folder(setup, qtbot, settings, tmp_path):
    setup.note("games are fun")
    d = setup.dialog(qtbot, settings, session_id=None)
    d.zip_box.setChecked(False)
    d.path.setText(str(tmp_path / "data"))
    path = _export(qtbot, d)
    assert (path / "notes.csv").is_file() and (path / "codebook.csv").is_file()
    assert d.folder_url().toLocalFile() == str(path)


def test_undecided_details_open_the_review_and_cancelling_exports_nothing(
    setup, qtbot, settings, tmp_path
):
    setup.note(f"call {PHONE}")
    d = setup.dialog(qtbot, settings)
    d.choose(ExportKind.JSON, setup.session_id)
    assert d.privacy_note.text().startswith("1 suspected personal detail in these notes")
    d.path.setText(str(tmp_path / "data.json"))

    def cancel(review: QDialog) -> None:
        assert isinstance(review, PrivacyReviewDialog) and review.before_export
        review.reject()

    assert with_dialog(d.start_export, cancel) is False
    assert not (tmp_path / "data.json").exists() and not d.is_busy()


def test_a_removal_made_in_the_review_shows_in_the_export(setup, qtbot, settings, tmp_path):
    nid = setup.note(f"call {PHONE}")
    d = setup.dialog(qtbot, settings)
    d.choose(ExportKind.JSON, setup.session_id)
    d.path.setText(str(tmp_path / "data.json"))

    def remove_then_go(review: PrivacyReviewDialog) -> None:
        review.remove_button.click()
        assert review.continue_button.text() == "Continue to export"
        review.continue_button.click()

    with qtbot.waitSignal(d.exported, timeout=20000):
        assert with_dialog(d.start_export, remove_then_go) is True
    doc = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert next(n for n in doc["notes"] if n["note_id"] == nid)["text"] == f"call {REMOVED}"
    assert d.privacy_note.text().startswith("Privacy review: nothing left")
    assert setup.stack.canUndo(), "the decision is on the window's undo stack"


def test_skipping_the_review_exports_the_words_as_written(setup, qtbot, settings, tmp_path):
    setup.note(f"call {PHONE}")
    d = setup.dialog(qtbot, settings)
    d.choose(ExportKind.JSON, setup.session_id)
    d.path.setText(str(tmp_path / "data.json"))

    def skip(review: PrivacyReviewDialog) -> None:
        assert review.continue_button.text() == "Skip the rest and export"
        review.continue_button.click()

    with qtbot.waitSignal(d.exported, timeout=20000):
        with_dialog(d.start_export, skip)
    assert PHONE in (tmp_path / "data.json").read_text(encoding="utf-8")


def test_a_session_summary_is_written_as_a_word_document(setup, qtbot, settings, tmp_path):
    setup.note("games are fun")
    d = setup.dialog(qtbot, settings)
    d.path.setText(str(tmp_path / "summary.docx"))
    path = _export(qtbot, d)
    with zipfile.ZipFile(path) as zf:
        assert "word/document.xml" in zf.namelist()


def test_an_existing_file_is_replaced_only_when_the_facilitator_says_so(
    setup, qtbot, settings, tmp_path
):
    target = tmp_path / "data.json"
    target.write_text("keep me")
    d = setup.dialog(qtbot, settings, session_id=None)
    d.choose(ExportKind.JSON)
    d.path.setText(str(target))

    def no(box: QDialog) -> None:
        box.button(QMessageBox.StandardButton.No).click()

    assert with_dialog(d.start_export, no) is False
    assert target.read_text() == "keep me"

    def yes(box: QDialog) -> None:
        box.button(QMessageBox.StandardButton.Yes).click()

    with qtbot.waitSignal(d.exported, timeout=20000):
        with_dialog(d.start_export, yes)
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "common-ground-data"


def test_a_failed_export_says_why_in_plain_words(setup, qtbot, settings, tmp_path):
    d = setup.dialog(qtbot, settings, session_id=None)
    d.choose(ExportKind.JSON)
    d.path.setText(str(tmp_path / "no such folder" / "data.json"))
    with qtbot.waitSignal(d.failed, timeout=20000) as blocker:
        d.start_export()
    assert blocker.args[0]
    assert d.outcome.text().startswith("Could not export: ")
    assert not d.open_folder_button.isVisible() and d.export_button.isEnabled()


def test_nowhere_to_save_is_refused_before_anything_runs(setup, qtbot, settings):
    d = setup.dialog(qtbot, settings)
    d.path.setText("  ")
    assert d.start_export() is False
    assert d.outcome.text() == "Choose where to save the export."


def test_the_agreed_framework_is_a_choice_for_the_framework_only(setup, qtbot, settings, tmp_path):
    import docx

    d = setup.dialog(qtbot, settings)
    assert d.agreed_box.isHidden(), "a session summary has no agreed-only choice"
    d.choose(ExportKind.FRAMEWORK)
    assert not d.agreed_box.isHidden() and not d.agreed_box.isChecked()
    d.agreed_box.setChecked(True)
    d.path.setText(str(tmp_path / "agreed.docx"))
    path = _export(qtbot, d)
    headings = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Heading 1"]
    assert "Annex: statements not agreed" in headings


def test_skipping_the_review_is_said_on_the_first_page_of_a_summary(
    setup, qtbot, settings, tmp_path
):
    import docx

    note = setup.note(f"call {PHONE}")
    moderation.approve(setup.project, note)
    d = setup.dialog(qtbot, settings)
    d.path.setText(str(tmp_path / "summary.docx"))

    def skip(review: PrivacyReviewDialog) -> None:
        review.continue_button.click()

    with qtbot.waitSignal(d.exported, timeout=20000):
        with_dialog(d.start_export, skip)
    first = [p.text for p in docx.Document(str(tmp_path / "summary.docx")).paragraphs[:4]]
    assert (
        "Privacy review not finished: 1 suspected personal detail in the notes of this session "
        "(1 phone number) was not reviewed before this export and may be quoted as written. "
        "Check this document before sharing it."
    ) in first
