"""The composition root: builds the desktop app in a visible order and runs it.

    logging -> open-file limit -> QApplication (names, icon, GUI-thread garbage collection)
    -> error hook -> runtime (the theme engine; the phone server's and the note-vector
    keeper's factories) -> shell (a project runtime for each window) -> first window

Each project's runtime (runtime/project.py) runs its participant server and keeper and
shuts them down in order when its window closes; whatever is still open when the event
loop ends is closed the same way here.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workshop_app import APP_NAME, __version__
from workshop_app.infra.logs import configure_logging
from workshop_app.infra.paths import APP_DIR_NAME, resources_dir
from workshop_app.infra.process import raise_open_file_limit, tune_gc
from workshop_app.runtime import AppRuntime
from workshop_app.ui import collector
from workshop_app.ui.common.widgets import show_error
from workshop_app.ui.shell import Shell

log = logging.getLogger(__name__)
STARTUP_PROBE_ENV = "WORKSHOP_APP_STARTUP_PROBE"


def make_application() -> QApplication:
    QApplication.setOrganizationName(APP_DIR_NAME)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    existing = QApplication.instance()
    if existing is None:  # sharp on fractional scales (125 %, 150 %) of laptop screens
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setDesktopFileName("workshop-app")
    icon = resources_dir() / "icons" / "common-ground.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    collector.install(app)  # garbage is collected on this (the GUI) thread only
    return app


def install_error_hook(log_file: Path) -> None:
    """A bug is logged with its traceback and reported in one calm sentence."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error", exc_info=(kind, exc, tb))
        if threading.current_thread() is threading.main_thread() and QApplication.instance():
            show_error(
                QApplication.activeWindow(),
                "Something went wrong",
                "Common Ground hit a problem it did not expect, so what you just did may not "
                "have been saved; everything that showed as done before it was.\n\nThe "
                f"details were written to {log_file}; please send that file to the "
                "developers.",
            )

    sys.excepthook = hook


def run(path: Path | None = None) -> int:
    log_file = configure_logging()
    raise_open_file_limit()  # phones hold connections: 1,024 files is a laptop default
    app = make_application()
    install_error_hook(log_file)
    runtime = AppRuntime.for_desktop()
    collector.install(app).watch_serving(runtime.serving)  # decision 033
    shell = Shell(QSettings(), runtime)
    first = shell.start(path)
    QTimer.singleShot(0, tune_gc)  # once the first window is up
    if os.environ.get(STARTUP_PROBE_ENV):

        def probe() -> None:
            print("first-window-shown", flush=True)
            shell.quit()

        QTimer.singleShot(0, probe)
    log.info("started %s %s with %s", APP_NAME, __version__, type(first).__name__)
    try:
        return app.exec()
    finally:
        runtime.close()  # any project still open: keeper, server, writer, in that order
