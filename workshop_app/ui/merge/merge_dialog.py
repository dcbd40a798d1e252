"""File → Bring in another project…: choose a file, see what would come across (the dry
run) and the groups offered for matching, then bring it in on a worker thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workshop_app.services import merge as merge_service
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.project import OpenProject
from workshop_app.ui.common.outcome import relay_outcome
from workshop_app.ui.common.passphrase import ask_passphrase
from workshop_app.ui.common.widgets import heading, plain_label
from workshop_app.ui.merge.merge_presenter import MergePresenter

log = logging.getLogger(__name__)

INTRO = (
    "Bring another laptop's project into this one: its sessions, groups, notes, themes, "
    "votes, ratings and standards come across with a record of where they came from. "
    "Nothing here is changed or deleted, and the other file is only read."
)


class _Relay(QObject):
    """Carries the worker's answer to the GUI thread (a queued signal)."""

    finished = Signal(int, object, str)  # token, the result (None: failed), error


class MergeDialog(QDialog):
    merged = Signal()  # something came across

    def __init__(self, project: OpenProject, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("merge-dialog")
        self.setWindowTitle("Bring in another project")
        self.presenter = MergePresenter(project)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cg-merge")
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self._token = 0
        self._busy = False
        self._after: Callable[[object], None] = lambda _r: None

        self.choose_button = QPushButton("Choose a project file…")
        self.choose_button.setObjectName("merge-choose")
        self.choose_button.setAutoDefault(False)
        self.file_label = plain_label("No file chosen.")
        self.file_label.setObjectName("merge-file")
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("merge-summary")
        self.summary.setAccessibleName("What would come across")
        self.summary.setReadOnly(True)
        self.summary.setMinimumHeight(160)
        self.groups_box = QGroupBox("Groups spelled differently: tick those that are the same")
        self.groups_box.setObjectName("merge-groups")
        self._groups_layout = QVBoxLayout(self.groups_box)
        self.group_boxes: dict[str, QCheckBox] = {}
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: how long depends on the projects
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.merge_button = self.buttons.addButton(
            "Bring in", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.merge_button.setObjectName("merge-bring-in")
        self.merge_button.setEnabled(False)
        self.buttons.rejected.connect(self.reject)
        self.merge_button.clicked.connect(self.bring_in)
        self.choose_button.clicked.connect(self.choose)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Bring in another project"))
        layout.addWidget(plain_label(INTRO))
        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addWidget(self.file_label, 1)
        layout.addLayout(row)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.groups_box)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.resize(640, 520)
        self._show()

    # ------------------------------------------------------------------ actions

    def choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Bring in which project?", "", "Common Ground projects (*.cground)"
        )
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> None:
        """Read the file on the worker thread and show what would come across. An
        encrypted file this project's passphrase does not open asks for its own."""
        self.file_label.setText(path.name)
        key = self.presenter.project.store.key
        asked = False
        while merge_service.needs_passphrase(path, key):
            key = ask_passphrase(path, asked, self)
            if key is None:
                return
            asked = True
        self._run(partial(self.presenter.load, path, key), "Reading the project…")

    def bring_in(self) -> None:
        if not self.presenter.can_bring_in:
            return
        self._run(self.presenter.bring_in, "Bringing it in…", lambda _r: self.merged.emit())

    def _run(
        self, work: Callable[[], Any], doing: str, after: Callable[[object], None] | None = None
    ) -> None:
        self._token += 1
        token, relay = self._token, self._relay
        self._busy = True
        self._after = after or (lambda _r: None)
        self.progress.show()
        self.summary.setPlainText(doing)
        for w in (self.choose_button, self.merge_button, self.groups_box):
            w.setEnabled(False)

        unexpected = "Something unexpected stopped it; the log has details."
        self._pool.submit(work).add_done_callback(
            lambda f: relay_outcome(f, relay.finished.emit, token, "merge", unexpected)
        )

    def _on_finished(self, token: int, result: object, error: str) -> None:
        if token != self._token:
            return
        self._busy = False
        self.progress.hide()
        self.choose_button.setEnabled(True)
        self.groups_box.setEnabled(True)
        if result is None:
            self._show(error)
            return
        self._after(result)
        self._show()

    def _on_tick(self, source_id: str, ticked: bool) -> None:
        try:
            self.presenter.tick(source_id, ticked)
        except USER_ERRORS as exc:
            self._show(message_for(exc))
            return
        self._show()

    # ------------------------------------------------------------------ drawing

    def _show(self, error: str = "") -> None:
        self.summary.setPlainText(error or self.presenter.summary())
        offers = self.presenter.offers() if self.presenter.done is None else []
        if [o.source_id for o in offers] != list(self.group_boxes):
            for box in self.group_boxes.values():
                box.deleteLater()
            self.group_boxes = {}
            for o in offers:
                box = QCheckBox(o.label)  # a check box's text is never rich text
                box.setObjectName(f"merge-group-{o.source_id}")
                box.toggled.connect(partial(self._on_tick, o.source_id))
                self._groups_layout.addWidget(box)
                self.group_boxes[o.source_id] = box
        for o in offers:
            box = self.group_boxes[o.source_id]
            box.blockSignals(True)
            box.setChecked(o.ticked)
            box.blockSignals(False)
        self.groups_box.setVisible(bool(offers))
        self.merge_button.setEnabled(not error and self.presenter.can_bring_in)

    def is_busy(self) -> bool:
        return self._busy

    def reject(self) -> None:
        if self._busy:  # bringing it in: the window would close on a half-read answer
            self.summary.setPlainText("Still working: wait until it is done.")
            return
        super().reject()

    def done(self, result: int) -> None:
        self._pool.shutdown(wait=False)
        super().done(result)

    def shutdown(self) -> None:
        """The project is closing: a merge under way is finished first (one transaction:
        it is all in, or nothing is)."""
        self._pool.shutdown(wait=True)
