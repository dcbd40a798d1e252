"""File → Export…: a session summary or the standards framework as Word documents, or the
data (CSV files or one JSON file, each with a codebook) for researchers; and the pilot's
self-assessments: a Word report per service, their comparison, their data (issue 16).

The facilitator chooses what, of which session, and where. Before anything is written,
the privacy review opens when suspected personal details in the notes it would export
have not been decided about; the facilitator may skip the rest, and is told plainly that
those words will then be exported as written. The export runs on a worker thread (the
window stays responsive); the dialog then says where the file went, with Open folder.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.model import Session
from workshop_app.services import datasets, pilot, privacy, qda, reports, survey, survey_reports
from workshop_app.services import project as project_service
from workshop_app.services import sessions as session_service
from workshop_app.services.errors import USER_ERRORS
from workshop_app.services.project import OpenProject
from workshop_app.ui.common.appearance import set_tone
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.outcome import relay_outcome
from workshop_app.ui.common.widgets import heading, narrow_combo, plain_label
from workshop_app.ui.export.export_kinds import (
    DATA_KINDS,
    KINDS,
    PILOT_KINDS,
    PROJECT_KINDS,
    SURVEY_KINDS,
    WHOLE_PROJECT,
    ZIP_KINDS,
    ExportKind,
    file_stem,
)
from workshop_app.ui.export.privacy_review import PrivacyReviewDialog

log = logging.getLogger(__name__)
FOLDER_KEY = "export/folder"


class _Relay(QObject):
    """Carries the worker thread's answer to the GUI thread (a queued signal)."""

    finished = Signal(int, object, str)  # token, the path written (None: failed), error


class ExportDialog(QDialog):
    """Choose what to export and where; review privacy first; export on a worker thread."""

    exported = Signal(object)  # the Path written
    failed = Signal(str)  # why, in words

    def __init__(
        self,
        project: OpenProject,
        actions: Actions,
        session_id: str | None,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("export-dialog")
        self.setWindowTitle("Export")
        self.project = project
        self.undoable = actions
        self.settings = settings
        self._sessions: list[Session] = session_service.list_sessions(project)
        # every survey of the project (activity id -> its session and title, agenda order)
        self._surveys: dict[str, tuple[Session, str]] = {
            a.id: (s, a.title) for s in self._sessions for a in survey.list_surveys(project, s.id)
        }
        self._project_title = project_service.get_project(project).title
        self._path_edited = False
        self._busy = False
        self._token = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cg-export")
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self.last_path: Path | None = None

        # -- what
        self.kind_buttons: dict[ExportKind, QRadioButton] = {}
        self._kinds = QButtonGroup(self)
        what = QVBoxLayout()
        for kind, k in KINDS.items():
            b = QRadioButton(k.label)
            b.setObjectName(f"export-{kind.value}")
            self._kinds.addButton(b)
            self.kind_buttons[kind] = b
            what.addWidget(b)
            b.toggled.connect(partial(self._kind_toggled, kind))
        # -- of which session
        self.session = narrow_combo(30)
        self.session.setObjectName("export-session")
        self.session.setAccessibleName("Session to export")
        # -- options
        self.zip_box = QCheckBox("As one .zip file (otherwise a folder of files)")
        self.zip_box.setObjectName("export-zip")
        self.zip_box.setChecked(True)
        self.hidden_box = QCheckBox(
            "Include hidden notes (marked “hidden”, so they can be left out)"
        )
        self.hidden_box.setObjectName("export-hidden")
        self.hidden_box.setChecked(True)
        self.agreed_box = QCheckBox(
            "Agreed framework: only the statements that met the consensus rule (the rest are "
            "listed in an annex)"
        )
        self.agreed_box.setObjectName("export-agreed")
        self.agreed_box.setChecked(False)  # the full framework, drafts marked as drafts
        # -- where
        self.path = QLineEdit()
        self.path.setObjectName("export-path")
        self.path.setAccessibleName("Save to")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.setObjectName("export-choose")
        self.choose_button.setAutoDefault(False)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.choose_button)
        # -- privacy
        self.privacy_note = plain_label()
        self.privacy_note.setObjectName("export-privacy")
        self.review_button = QPushButton("Review…")
        self.review_button.setObjectName("export-review")
        self.review_button.setAutoDefault(False)
        privacy_row = QHBoxLayout()
        privacy_row.addWidget(self.privacy_note, 1)
        privacy_row.addWidget(self.review_button)
        # -- progress and result
        self.progress = QProgressBar()
        self.progress.setObjectName("export-progress")
        self.progress.setRange(0, 0)  # busy: no steps to count
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.outcome = plain_label()
        self.outcome.setObjectName("export-result")
        self.outcome.setAccessibleName("Export result")
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = QPushButton("Open folder")
        self.open_folder_button.setObjectName("export-open-folder")
        self.open_folder_button.setAutoDefault(False)
        self.open_folder_button.hide()
        result_row = QHBoxLayout()
        result_row.addWidget(self.outcome, 1)
        result_row.addWidget(self.open_folder_button)
        # -- buttons
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.box.addButton("Export", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setObjectName("export-go")
        self.export_button.setDefault(True)
        self.box.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        self.box.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Export", what)
        form.addRow("Of", self.session)
        form.addRow("", self.zip_box)
        form.addRow("", self.hidden_box)
        form.addRow("", self.agreed_box)
        form.addRow("Save to", where)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Export"))
        layout.addLayout(form)
        layout.addLayout(privacy_row)
        layout.addWidget(self.progress)
        layout.addLayout(result_row)
        layout.addStretch(1)
        layout.addWidget(self.box)

        self.session.activated.connect(lambda _i: self._on_scope_changed())
        self.zip_box.toggled.connect(lambda _on: self._suggest_path())
        self.path.textEdited.connect(lambda _t: setattr(self, "_path_edited", True))
        self.choose_button.clicked.connect(self.choose_path)
        self.review_button.clicked.connect(self.review)
        self.export_button.clicked.connect(self.start_export)
        self.open_folder_button.clicked.connect(self.open_folder)

        self._wanted_session = session_id
        first = ExportKind.SUMMARY if session_id is not None else ExportKind.CSV
        if not self._sessions:
            first = ExportKind.FRAMEWORK
        self.kind_buttons[ExportKind.SUMMARY].setEnabled(bool(self._sessions))
        for kind in SURVEY_KINDS:
            self.kind_buttons[kind].setEnabled(bool(self._surveys))
        self.kind_buttons[first].setChecked(True)
        self.resize(620, self.sizeHint().height())

    # ------------------------------------------------------------------ choices

    def kind(self) -> ExportKind:
        return next(k for k, b in self.kind_buttons.items() if b.isChecked())

    def _kind_toggled(self, kind: ExportKind, on: bool) -> None:
        if on:
            self._on_kind(kind)

    def choose(self, kind: ExportKind, session_id: str | None = None) -> None:
        """Pick what to export and of which session (None: the whole project)."""
        self.kind_buttons[kind].setChecked(True)
        if kind in SURVEY_KINDS:  # the session's first survey
            wanted = next((a for a, (s, _t) in self._surveys.items() if s.id == session_id), None)
            self.session.setCurrentIndex(max(0, self.session.findData(wanted)))
        else:
            self._select_session(session_id)
        self._on_scope_changed()

    def session_id(self) -> str | None:
        """The session chosen (None: the whole project)."""
        if self.kind() in PROJECT_KINDS:
            return None
        data = self.session.currentData()
        if self.kind() in SURVEY_KINDS:
            found = self._surveys.get(data) if isinstance(data, str) else None
            return found[0].id if found else None
        return data if isinstance(data, str) else None

    def survey_id(self) -> str | None:
        """The survey chosen, for its report or its "you said, we did" page."""
        data = self.session.currentData()
        return data if self.kind() in SURVEY_KINDS and isinstance(data, str) else None

    def target(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def _on_kind(self, kind: ExportKind) -> None:
        k = KINDS[kind]
        keep = self.session.currentData() if self.session.count() else self._wanted_session
        if keep in self._surveys:  # a survey was chosen: keep its session
            keep = self._surveys[keep][0].id
        self.session.clear()
        if k.whole_project:
            self.session.addItem(WHOLE_PROJECT, None)
        if kind in SURVEY_KINDS:
            for activity_id, (s, title) in self._surveys.items():
                self.session.addItem(f"{title} ({s.title})", activity_id)
        elif kind not in PROJECT_KINDS:
            for s in self._sessions:
                when = f" ({s.date.day} {s.date:%b %Y})" if s.date else ""
                self.session.addItem(f"{s.title}{when}", s.id)
        self.session.setEnabled(kind not in PROJECT_KINDS)
        if kind in SURVEY_KINDS:
            # the survey of the session asked for, else the first
            wanted = next((a for a, (s, _t) in self._surveys.items() if s.id == keep), None)
            self.session.setCurrentIndex(max(0, self.session.findData(wanted)))
        else:
            self._select_session(keep if isinstance(keep, str) else None)
        self.zip_box.setVisible(kind in ZIP_KINDS)
        self.hidden_box.setVisible(kind in DATA_KINDS)
        self.agreed_box.setVisible(kind is ExportKind.FRAMEWORK)
        self._on_scope_changed()

    def _select_session(self, session_id: str | None) -> None:
        index = self.session.findData(session_id) if session_id is not None else -1
        if index < 0 and session_id is None:
            index = self.session.findData(None)
        self.session.setCurrentIndex(max(index, 0))

    def _on_scope_changed(self) -> None:
        self._suggest_path()
        self.update_privacy()

    def _suffix(self) -> str:
        kind = self.kind()
        if kind in ZIP_KINDS and not self.zip_box.isChecked():
            return ""
        return KINDS[kind].suffix

    def _suggest_path(self) -> None:
        if not self.kind_buttons or not any(b.isChecked() for b in self.kind_buttons.values()):
            return
        suffix = self._suffix()
        if self._path_edited and self.target() is not None:
            current = self.target()
            assert current is not None
            stem = current.name[: -len(current.suffix)] if current.suffix else current.name
            self.path.setText(str(current.with_name(stem + suffix)))
            self.path.setCursorPosition(0)  # show the start of the path: the folder
            return
        sid = self.session_id()
        title = next((s.title for s in self._sessions if s.id == sid), self._project_title)
        name = f"{file_stem(title)} - {KINDS[self.kind()].name}{suffix}"
        self.path.setText(str(self._folder() / name))
        self.path.setCursorPosition(0)  # show the start of the path: the folder

    def _folder(self) -> Path:
        stored = self.settings.value(FOLDER_KEY) if self.settings is not None else None
        if stored and Path(str(stored)).is_dir():
            return Path(str(stored))
        return self.project.path.parent

    def choose_path(self) -> None:
        current = self.target() or self._folder()
        if self._suffix():
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export to", str(current), f"{KINDS[self.kind()].label} (*{self._suffix()})"
            )
        else:
            chosen = QFileDialog.getExistingDirectory(self, "Export into the folder", str(current))
        if chosen:
            self.path.setText(chosen)
            self.path.setCursorPosition(0)  # show the start of the path: the folder
            self._path_edited = True
            self._suggest_path()  # the right ending for what is chosen

    # ------------------------------------------------------------------ privacy

    def _privacy_scope(self) -> str | None:
        # The framework quotes notes of every session in its traceability appendix.
        return None if self.kind() is ExportKind.FRAMEWORK else self.session_id()

    def undecided(self) -> int:
        """Suspected personal details not yet decided about, in what would be exported."""
        if self.kind() in PILOT_KINDS:
            return 0  # the settled answers of self-assessments: no participant notes
        if self.kind() is ExportKind.YOU_SAID:
            return 0  # the one-page summary quotes no one's words
        try:
            return len(privacy.findings(self.project, self._privacy_scope()))
        except USER_ERRORS as exc:
            log.info("export privacy check: %s", exc)
            return 0

    def update_privacy(self) -> None:
        n = self.undecided()
        if self.kind() in PILOT_KINDS:
            self.privacy_note.setText(
                "Self-assessments hold the answers the facilitator settled with each team, "
                "no participant notes: the privacy review does not apply. Team members' own "
                "views are never exported."
            )
            set_tone(self.privacy_note, "")
        elif n:
            self.privacy_note.setText(
                f"{n} suspected personal detail{'s' if n != 1 else ''} in these notes "
                "not reviewed yet. The privacy review opens before export."
            )
            set_tone(self.privacy_note, "warning")
        else:
            self.privacy_note.setText("Privacy review: nothing left to review in these notes.")
            set_tone(self.privacy_note, "")

    def review(self, *, before_export: bool = False) -> bool:
        """Open the privacy review; True when the facilitator chose to go on."""
        dialog = PrivacyReviewDialog(
            self.project, self.undoable, self._privacy_scope(), self, before_export=before_export
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.update_privacy()
        return accepted

    # ------------------------------------------------------------------ exporting

    def start_export(self) -> bool:
        """Check, review privacy if needed, then export on the worker; False if not begun."""
        if self._busy:
            return False
        target = self.target()
        kind = self.kind()
        if target is None:
            self._show_failure("Choose where to save the export.")
            return False
        if kind is ExportKind.SUMMARY and self.session_id() is None:
            self._show_failure("Choose the session to summarise.")
            return False
        if kind in SURVEY_KINDS and self.survey_id() is None:
            self._show_failure("Choose the survey to report.")
            return False
        if self.undecided() and not self.review(before_export=True):
            return False
        exists = target.exists() and (target.is_file() or any(target.iterdir()))
        if exists and not self.confirm_replace(target):
            return False
        if self.settings is not None:
            self.settings.setValue(FOLDER_KEY, str(target.parent))
        self._begin(
            kind, self.survey_id() or self.session_id(), target, self.hidden_box.isChecked()
        )
        return True

    def confirm_replace(self, target: Path) -> bool:
        if target.is_dir():
            question = (
                f"The folder {target.name} is not empty. Export into it? Files of the same "
                "names (notes.csv, codebook.md, …) are replaced; others are left alone."
            )
        else:
            question = f"{target.name} already exists. Replace it?"
        answer = QMessageBox.question(
            self,
            "Replace?",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _begin(self, kind: ExportKind, session_id: str | None, target: Path, hidden: bool) -> None:
        self._busy = True
        self._token += 1
        token, relay, p = self._token, self._relay, self.project
        agreed = self.agreed_box.isChecked()
        for w in (self.export_button, self.choose_button, self.review_button, self.path):
            w.setEnabled(False)
        self.progress.show()
        self.open_folder_button.hide()
        set_tone(self.outcome, "")
        self.outcome.setText(f"Exporting to {target.name}…")

        def job() -> Path:
            if kind is ExportKind.SUMMARY:
                assert session_id is not None
                return reports.write_session_summary(p, session_id, target)
            if kind is ExportKind.FRAMEWORK:
                return reports.write_framework(p, target, agreed_only=agreed)
            if kind is ExportKind.CSV:
                return datasets.write_csv(p, session_id, target, include_hidden=hidden).path
            if kind is ExportKind.QDPX:  # the notes shown on the wall only
                return qda.write_qdpx(p, session_id, target).path
            if kind is ExportKind.SERVICE_REPORTS:
                pilot.write_service_reports(p, target)
                return target
            if kind is ExportKind.COMPARISON:
                return pilot.write_comparison_report(p, target)
            if kind is ExportKind.PILOT_CSV:
                return pilot.write_pilot_csv(p, target)
            if kind is ExportKind.PILOT_JSON:
                return pilot.write_pilot_json(p, target)
            if kind is ExportKind.EVALUATION:  # (session_id holds the survey's id here)
                assert session_id is not None
                return survey_reports.write_survey_report(p, session_id, target)
            if kind is ExportKind.YOU_SAID:
                assert session_id is not None
                return survey_reports.write_you_said(p, session_id, target)
            return datasets.write_json(p, session_id, target, include_hidden=hidden).path

        unexpected = "Something unexpected stopped the export; the log has details."
        self._pool.submit(job).add_done_callback(
            lambda f: relay_outcome(f, relay.finished.emit, token, "export", unexpected)
        )

    def _on_finished(self, token: int, path: object, error: str) -> None:
        if token != self._token:
            return
        self._busy = False
        self.progress.hide()
        for w in (self.export_button, self.choose_button, self.review_button, self.path):
            w.setEnabled(True)
        if isinstance(path, Path):
            self.last_path = path
            self.outcome.setText(f"Saved: {path}")
            self.open_folder_button.show()
            self.exported.emit(path)
        else:
            self._show_failure(f"Could not export: {error}")
            self.failed.emit(error)

    def _show_failure(self, message: str) -> None:
        set_tone(self.outcome, "warning")
        self.outcome.setText(message)
        self.open_folder_button.hide()

    def is_busy(self) -> bool:
        return self._busy

    def folder_url(self) -> QUrl | None:
        """The folder holding the last export (a CSV folder export: that folder itself)."""
        if self.last_path is None:
            return None
        folder = self.last_path if self.last_path.is_dir() else self.last_path.parent
        return QUrl.fromLocalFile(str(folder))

    def open_folder(self) -> None:
        url = self.folder_url()
        if url is not None:
            QDesktopServices.openUrl(url)

    def reject(self) -> None:
        if self._busy:  # the file is being written: closing now would leave it half done
            self.outcome.setText("Still exporting: wait until the file is written.")
            return
        super().reject()

    def done(self, result: int) -> None:
        self._pool.shutdown(wait=False)
        super().done(result)

    def shutdown(self) -> None:
        """The project is closing: an export being written is finished first (it reads
        the project), so no file is left half done."""
        self._pool.shutdown(wait=True)
