"""The project window's live side: going live, the join link, help requests, the Live
dock's redraw, the projector, the standards window and the export dialog.

`LiveAndProjector` is a part of the project window (`ui/project_window.ProjectWindow` mixes
it in: its methods are the window's own, under the same names). The runtime
(`ui/runtime.ProjectRuntime`) owns the server and the live session; these methods ask it to
go live, serve, make a new link or end, and show what it answers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow

from workshop_app.core.model import ActivityState
from workshop_app.services import live as live_service
from workshop_app.services import moderation as moderation_service
from workshop_app.services import sessions as session_service
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.live import LiveLink
from workshop_app.services.project import OpenProject
from workshop_app.services.projection import projector_view
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.export.export_dialog import ExportDialog
from workshop_app.ui.live.live_panel import LivePanel, LiveServer
from workshop_app.ui.projector.projector import ProjectorWindow
from workshop_app.ui.runtime import ProjectRuntime
from workshop_app.ui.session.session_panel import SessionPanel
from workshop_app.ui.standards.standards_window import StandardsWindow

if TYPE_CHECKING:
    _Window = QMainWindow  # the project window, for the type checker
else:
    _Window = object

log = logging.getLogger(__name__)


class LiveAndProjector(_Window):
    """Live: go live, the link, help requests, the dock; the projector, standards, export."""

    # The window's state these methods share (set in ProjectWindow.__init__).
    runtime: ProjectRuntime
    project: OpenProject
    undoable: Actions
    refresher: Refresher
    panel: SessionPanel
    live_panel: LivePanel
    live_dock: QDockWidget
    projector: ProjectorWindow | None
    standards_window: StandardsWindow | None
    _settings: QSettings
    _closed: bool

    if TYPE_CHECKING:  # the window's own calls (ui/project_window.ProjectWindow)

        def report_error(self, title: str, message: str) -> None: ...
        def current_session_id(self) -> str | None: ...
        def select_session(self, session_id: str) -> None: ...

    # ------------------------------------------------------------------ live

    def live_panel_session(self) -> str | None:
        """The session the live panel follows: the live one, else the one chosen."""
        return self.live_session_id or self.current_session_id()

    def show_live(self) -> None:
        self.live_dock.show()
        self.live_dock.raise_()
        self._refresh_live()

    @property
    def server(self) -> LiveServer | None:
        """The participant server while phones can join (the runtime's)."""
        return self.runtime.server

    @property
    def live_session_id(self) -> str | None:
        return self.runtime.live_session_id

    def go_live(self, host: str) -> bool:
        """Take the chosen session live and start the participant server on `host`."""
        sid = self.current_session_id()
        if sid is None:
            return False
        if self.live_session_id is not None and self.live_session_id != sid:
            other = session_service.get_session(self.project, self.live_session_id)
            self.report_error(
                "Another session is live", f"End “{other.title}” before starting another."
            )
            return False
        try:
            self.runtime.go_live(sid)
        except USER_ERRORS as exc:
            self.report_error("Could not go live", message_for(exc))
            return False
        return self._serve(host)

    def _serve(self, host: str) -> bool:
        """Ask the runtime to (re)start the server on `host` and show where phones join."""
        stored = self._settings.value("live/port", 8080)
        port = int(str(stored)) if str(stored).isdigit() else 8080
        try:
            link = self.runtime.serve(host, port)
        except Exception as exc:  # ServerError and OSError: both for people to read
            log.info("server did not start: %s", exc)
            self.live_panel.set_live(False)
            self.report_error("Phones cannot join yet", message_for(exc))
            return False
        if link is None:
            return False
        self._settings.setValue("live/host", host)
        self._show_link(link)
        self.show_live()
        self.statusBar().showMessage(f"Live: phones join at {host}:{link.port}", 15_000)
        return True

    def _show_link(self, link: LiveLink) -> None:
        self.live_panel.set_live(True, link.url, link.code, link.port)

    def _resume_live(self) -> None:
        """A session left live (the app closed or crashed): carry on where it was."""
        sid = self.runtime.resume_live()
        if sid is None:
            return
        self.select_session(sid)
        if self._serve(self.live_panel.chosen_host()):
            self.statusBar().showMessage(
                "Resumed the live session where it was: phones reconnect by themselves.", 15_000
            )

    def end_live(self) -> None:
        if self.live_session_id is None:
            return
        try:
            self.runtime.end_live()
        except USER_ERRORS as exc:
            self.report_error("Could not end the session", message_for(exc))
            return
        self.live_panel.set_live(False)
        self._refresh_live()

    def rotate_link(self) -> None:
        try:
            link = self.runtime.rotate_link(self.live_panel.chosen_host())
        except USER_ERRORS as exc:
            self.report_error("Could not make a new link", message_for(exc))
            return
        if link is None:
            return
        self._show_link(link)
        self.statusBar().showMessage(
            "New link made: the old QR code no longer works. People taking part scan the new one.",
            15_000,
        )

    def acknowledge_help(self, request_id: str, follow_up: str) -> None:
        self.undoable.perform(
            "Mark help request as seen",
            lambda: live_service.acknowledge_help(self.project, request_id, follow_up),
            lambda _r: live_service.reopen_help(self.project, request_id),
        )

    def _address_changed(self, host: str) -> None:
        if self.live_session_id is not None and self.server is not None:
            self._serve(host)

    def _set_activity_state(self, activity_id: str, state: ActivityState) -> None:
        """Open, pause or close an activity for the phones (off the GUI thread; the console
        and the projector follow the change event)."""
        p = self.project
        self.undoable.run(
            lambda: live_service.set_activity_state(p, activity_id, state),
            "Could not change the activity",
        )

    def _show_activity(self, activity_id: str) -> None:
        p = self.project
        self.undoable.run(
            lambda: live_service.show_activity(p, activity_id), "Could not show the activity"
        )

    def _refresh_flagged(self) -> None:
        """The live panel's safeguarding lines: notes flagged, notes held back on arrival,
        and whether the second look cannot read notes; a newly held possible disclosure
        alerts as a help request does (the status bar, the sound), on the console only."""
        sid = self.live_panel_session()
        if self._closed or sid is None:
            return
        try:
            count = moderation_service.flagged_count(self.project, sid)
            held = moderation_service.held_count(self.project, sid)
        except USER_ERRORS:
            return
        self.live_panel.show_flagged(count)
        self.live_panel.show_look_problem(self.runtime.look_problem)
        if self.live_panel.show_held(held):
            self.statusBar().showMessage(
                "A note that may be a disclosure was held back: read it on the Notes tab "
                "(Held back).",
                15_000,
            )
            if self.live_panel.beep.isChecked():
                QApplication.beep()

    def _refresh_live(self) -> None:
        if self._closed:
            return
        sid = self.live_panel_session()
        if sid is None:
            return
        try:
            session = session_service.get_session(self.project, sid)
            activities = session_service.list_activities(self.project, sid)
        except USER_ERRORS:
            return
        if not self.live_dock.isVisible():
            # The countdown (and the projector's clock) runs and stops all the same.
            self.live_panel.follow_session(session, activities)
            return
        self.live_panel.title.setText(f"Live: {session.title}")
        self.live_panel.show_agenda(session, activities)
        phones = self.server.phones_connected if self.server is not None else 0
        self.live_panel.show_people(live_service.participants_by_group(self.project, sid), phones)
        self.live_panel.show_server_warnings(
            self.server.warnings() if self.server is not None else []
        )
        self._refresh_flagged()
        alerts = live_service.help_alerts(self.project, sid)
        something_new = self.live_panel.show_help_requests(alerts)
        waiting = any(a.request.acknowledged_at is None for a in alerts)
        if something_new and waiting and self.live_panel.beep.isChecked():
            QApplication.beep()

    # ------------------------------------------------------------------ export

    def export(self) -> ExportDialog:
        """Word summaries, the standards framework, CSV or JSON; the privacy review first."""
        self.panel.editor.flush()
        dialog = ExportDialog(
            self.project, self.undoable, self.current_session_id(), self, settings=self._settings
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # window-modal, not blocking: live updates carry on behind it
        return dialog

    def _finish_exports(self) -> None:
        for dialog in self.findChildren(ExportDialog):
            dialog.shutdown()

    # ------------------------------------------------------------------ standards

    def show_standards(self) -> StandardsWindow:
        """The project's draft standards, in a window of their own beside the sessions."""
        if self.standards_window is None:
            self.standards_window = StandardsWindow(
                self.project, self.undoable, self.refresher, self
            )
        self.standards_window.show()
        self.standards_window.raise_()
        self.standards_window.activateWindow()
        return self.standards_window

    # ------------------------------------------------------------------ projector

    def show_projector(self) -> ProjectorWindow:
        """The projector window: full screen on a second screen when there is one."""
        if self.projector is None:
            self.projector = ProjectorWindow()
            self.live_panel.clock_changed.connect(self.projector.set_clock)
            screens = QGuiApplication.screens()
            if len(screens) > 1:
                self.projector.setScreen(screens[1])
                self.projector.move(screens[1].geometry().topLeft())
                self.projector.showFullScreen()
            else:
                self.projector.resize(1280, 720)
                self.projector.show()
        else:
            self.projector.show()
            self.projector.raise_()
        self._refresh_projector()
        return self.projector

    def _refresh_projector(self) -> None:
        if self.projector is None or self._closed:
            return
        sid = self.live_panel_session()
        if sid is None:
            return
        link = self.runtime.link(self.live_panel.chosen_host())
        url = link.url if link is not None and link.session_id == sid else ""
        try:
            self.projector.show_view(projector_view(self.project, sid), url)
        except USER_ERRORS:
            return
