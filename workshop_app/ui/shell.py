"""The shell: opens and creates projects, keeps the start screen and project windows.

One window per project file; opening a file that is already open brings its window to
the front (two windows on one file would mean two writers). An encrypted project asks
for its passphrase (again when it was wrong); encrypting, decrypting and deleting a
project securely close its window first, since they need the file to themselves.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from workshop_app.core.retention import Retention
from workshop_app.infra.paths import demo_project_path
from workshop_app.services import demo as demo_service
from workshop_app.services import project as project_service
from workshop_app.services import protection
from workshop_app.services import retention as retention_service
from workshop_app.services.errors import (
    USER_ERRORS,
    PassphraseNeededError,
    ProjectLockedError,
    WrongPassphraseError,
    message_for,
)
from workshop_app.services.project import DESKTOP_APP
from workshop_app.services.protection import Key
from workshop_app.ui.common import appearance
from workshop_app.ui.common.passphrase import ask_passphrase
from workshop_app.ui.common.widgets import show_error
from workshop_app.ui.dialogs import FILE_FILTER, NewProjectDialog
from workshop_app.ui.project_window import ProjectWindow
from workshop_app.ui.protection import (
    DeleteProjectDialog,
    EncryptDialog,
    offer_recovery_sheet,
)
from workshop_app.ui.recent import RecentProjects
from workshop_app.ui.runtime import AppRuntime
from workshop_app.ui.start_window import StartWindow

log = logging.getLogger(__name__)


class Shell(QObject):
    def __init__(self, settings: QSettings, runtime: AppRuntime, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        appearance.apply(appearance.stored_mode(settings))
        self.runtime = runtime  # hands each project window what runs beside it (app.py)
        self.recent = RecentProjects(settings)
        self.windows: list[ProjectWindow] = []
        self.start_window: StartWindow | None = None
        self._quitting = False

    # ------------------------------------------------------------------ start

    def start(self, path: Path | None = None) -> QWidget:
        """Show the first window: the project at `path`, or the start screen."""
        if path is not None:
            window = self.open_path(path)
            if window is not None:
                return window
        return self.show_start()

    def show_start(self) -> StartWindow:
        if self.start_window is None:
            self.start_window = StartWindow(self.settings)
            self.start_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.start_window.new_requested.connect(lambda: self.ask_new_project(self.start_window))
            self.start_window.open_requested.connect(
                lambda: self.ask_open_project(self.start_window)
            )
            self.start_window.demo_requested.connect(lambda: self.open_demo(self.start_window))
            self.start_window.recent_chosen.connect(lambda p: self.open_path(p, self.start_window))
            self.start_window.closed.connect(self._start_closed)
        self.start_window.show_recent(self.recent.paths(), self.recent.keep_until())
        self.start_window.show()
        self.start_window.raise_()
        self.start_window.activateWindow()
        return self.start_window

    def _start_closed(self) -> None:
        self.start_window = None

    def recent_paths(self) -> list[Path]:
        return self.recent.paths()

    # ------------------------------------------------------------------ opening

    def open_path(
        self, path: Path, parent: QWidget | None = None, key: Key | None = None
    ) -> ProjectWindow | None:
        path = Path(path).expanduser().resolve()
        for window in self.windows:
            if window.project.path.resolve() == path:
                window.show()
                window.raise_()
                window.activateWindow()
                return window
        while True:
            try:
                with _busy():
                    project = project_service.open_project(path, program=DESKTOP_APP, key=key)
            except (PassphraseNeededError, WrongPassphraseError) as exc:
                wrong = isinstance(exc, WrongPassphraseError)
                key = ask_passphrase(path, wrong, parent or self.start_window)
                if key is None:
                    return None
                continue
            except ProjectLockedError as exc:
                log.info("%s is open elsewhere: %s", path.name, exc.holder)
                return self._offer_read_only_copy(path, exc, parent, key)
            except USER_ERRORS as exc:
                log.info("could not open %s: %s", path, exc)
                show_error(
                    parent or self.start_window, "Could not open the project", message_for(exc)
                )
                return None
            return self._show_project(project)

    def _offer_read_only_copy(
        self, path: Path, exc: ProjectLockedError, parent: QWidget | None, key: Key | None
    ) -> ProjectWindow | None:
        """The project is open in another program: say which, and offer a read-only copy
        to look at (two programs writing one file would lose each other's changes)."""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "The project is open elsewhere",
            "",
            QMessageBox.StandardButton.Cancel,
            parent or self.start_window,
        )
        box.setObjectName("project-locked")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"{path.name} is already open in {exc.holder}.\n\n"
            "Only one program at a time can change a project. Close it there to work on it "
            "here, or open a read-only copy to look at it now."
        )
        copy_button = box.addButton("Open a read-only copy", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not copy_button:
            return None
        with _busy():
            try:
                project = project_service.open_read_only_copy(path, key=key)
            except USER_ERRORS as err:
                show_error(
                    parent or self.start_window, "Could not copy the project", message_for(err)
                )
                return None
        return self._show_project(project)

    def create_project(
        self,
        path: Path,
        title: str,
        locality: str,
        parent: QWidget | None = None,
        key: Key | None = None,
    ) -> ProjectWindow | None:
        try:
            path = project_service.with_suffix(Path(path).expanduser()).resolve()
            path.parent.mkdir(parents=True, exist_ok=True)
            project = project_service.create_project(
                path, title, locality, program=DESKTOP_APP, key=key
            )
        except USER_ERRORS as exc:
            show_error(
                parent or self.start_window, "Could not create the project", message_for(exc)
            )
            return None
        return self._show_project(project)

    def open_demo(self, parent: QWidget | None = None) -> ProjectWindow | None:
        path = demo_project_path()
        if not path.exists():
            with _busy():
                try:
                    demo_service.write_demo(path)
                except USER_ERRORS as exc:
                    show_error(parent, "Could not write the demo project", message_for(exc))
                    return None
        return self.open_path(path, parent)

    def ask_new_project(self, parent: QWidget | None) -> ProjectWindow | None:
        dialog = NewProjectDialog(_documents(), parent)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            path, title, locality = dialog.values()
            key = dialog.key()
            window = self.create_project(path, title, locality, dialog, key)
            if window is not None:
                if key is not None:
                    offer_recovery_sheet(window, title.strip(), window.project.path, key)
                return window
        return None

    def ask_open_project(self, parent: QWidget | None) -> ProjectWindow | None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent, "Open a project", str(_documents()), f"{FILE_FILTER};;All files (*)"
        )
        return self.open_path(Path(chosen), parent) if chosen else None

    def _show_project(self, project: project_service.OpenProject) -> ProjectWindow:
        if project.copy_of is None:  # a read-only copy is not a place to come back to
            self.recent.add(project.path)
        window = ProjectWindow(self.runtime.open(project), self, self.settings)
        window.closed.connect(self._window_closed)
        self.windows.append(window)
        window.show()
        if self.start_window is not None:
            self.start_window.close()
        return window

    # ------------------------------------------------------------------ protecting

    def remember_retention(self, path: Path, kept: Retention) -> None:
        """The keep-until date, for the start screen's reminders (a date, nothing else)."""
        self.recent.set_keep_until(path, kept.keep_until)

    def encrypt_project(self, window: ProjectWindow) -> ProjectWindow | None:
        """Close the window, encrypt its file in place with a new passphrase, reopen."""
        path = window.project.path
        dialog = EncryptDialog(path.name, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        key = dialog.passphrase.key()
        if key is None:
            return None
        title = project_service.get_project(window.project).title
        window.close()
        try:
            with _busy():
                protection.encrypt_in_place(path, key, program=DESKTOP_APP)
        except USER_ERRORS as exc:
            show_error(self.start_window, "Could not encrypt the project", message_for(exc))
            return self.open_path(path)
        reopened = self.open_path(path, key=key)
        if reopened is not None:
            offer_recovery_sheet(reopened, title, path, key)
        return reopened

    def decrypt_project(self, window: ProjectWindow) -> ProjectWindow | None:
        """Decrypt on purpose: say what it means, ask for the passphrase again, reopen."""
        path = window.project.path
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Decrypt project",
            "",
            QMessageBox.StandardButton.Cancel,
            window,
        )
        box.setObjectName("decrypt-project")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"Decrypting {path.name} (and the backups Common Ground made of it) means anyone "
            "with a copy of the file can read every note. Do this only when the file must "
            "be read by another program and is kept somewhere safe."
        )
        go = box.addButton("Decrypt…", QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        if box.clickedButton() is not go:
            return None
        wrong = False
        while True:
            key = ask_passphrase(path, wrong, window)
            if key is None:
                return None
            if key == window.project.store.key:
                break
            wrong = True
        window.close()
        try:
            with _busy():
                protection.decrypt_in_place(path, key, program=DESKTOP_APP)
        except USER_ERRORS as exc:
            show_error(self.start_window, "Could not decrypt the project", message_for(exc))
            return self.open_path(path, key=key)
        return self.open_path(path)

    def delete_project(self, window: ProjectWindow) -> bool:
        """Delete securely once the title is typed: the file, its log, backups, lock."""
        path = window.project.path
        title = project_service.get_project(window.project).title
        dialog = DeleteProjectDialog(title, retention_service.project_files(path), window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        window.close()
        try:
            with _busy():
                removed = retention_service.delete_securely(path, program=DESKTOP_APP)
        except USER_ERRORS as exc:
            show_error(self.start_window, "Could not delete the project", message_for(exc))
            return False
        self.recent.remove(path)
        start = self.show_start()
        start.show_recent(self.recent.paths(), self.recent.keep_until())
        log.info("deleted a project securely (%d files)", len(removed))
        return True

    # ------------------------------------------------------------------ closing

    def _window_closed(self, window: ProjectWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)
        if not self.windows and not self._quitting:
            self.show_start()

    def quit(self) -> None:
        self._quitting = True
        for window in list(self.windows):
            window.close()
        if self.start_window is not None:
            self.start_window.close()
        QApplication.quit()


class _busy:
    """A wait cursor for the few blocking steps (opening a file, writing the demo)."""

    def __enter__(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc: object) -> None:
        QGuiApplication.restoreOverrideCursor()


def _documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()
