"""The project window: the sessions of one project, each session's agenda, groups, settings.

This module is the frame: the sessions list, the session's tabs, the Live dock, the menus,
the title, and which refresh each event asks for. The sessions and agenda are in
`ui/window_sessions.py`, the live side, projector, standards and export in
`ui/window_live.py`: mixins whose methods are the window's own.

Every change is committed at once through a service and pushed on the undo stack; the
window redraws from the events the services publish after commit, so what it shows is
what is in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QListWidget,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshop_app import APP_NAME
from workshop_app.core.retention import Retention
from workshop_app.infra.process import tune_gc
from workshop_app.services import consensus as consensus_service
from workshop_app.services import groups as group_service
from workshop_app.services import project as project_service
from workshop_app.services import sessions as session_service
from workshop_app.services.events import Changed, Topic
from workshop_app.ui.assess.assess_panel import AssessPanel
from workshop_app.ui.board.theme_board import ThemeBoard
from workshop_app.ui.bridge import Bridge
from workshop_app.ui.common import appearance, keys
from workshop_app.ui.common.commands import Actions, undo_redo_actions
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.widgets import heading, plain_label, resize_within_screen, show_error
from workshop_app.ui.dialogs import GroupsDialog
from workshop_app.ui.live.live_panel import LivePanel, every_few_seconds
from workshop_app.ui.merge.merge_dialog import MergeDialog
from workshop_app.ui.projector.projector import ProjectorWindow
from workshop_app.ui.runtime import ProjectRuntime
from workshop_app.ui.session.session_panel import SessionPanel
from workshop_app.ui.standards.standards_window import StandardsWindow
from workshop_app.ui.survey.survey_panel import SurveyPanel
from workshop_app.ui.vector_status import VectorStatus
from workshop_app.ui.votes.vote_panel import VotePanel
from workshop_app.ui.wall.note_wall import NoteWall
from workshop_app.ui.window_live import LiveAndProjector
from workshop_app.ui.window_protection import ProtectionStatus
from workshop_app.ui.window_sessions import SessionsAndAgenda

# Coalescing delays (ms): the wall and board redraw 100 ms after a change; the projector
# and live panel a little later, so the redraws of one burst run in separate turns of the
# event loop instead of holding up the GUI thread all together.
REFRESH_MS = {"_refresh_projector": 150, "_refresh_live": 200, "_refresh_flagged": 200}
SETTLE_HEAP_MS = 400  # after a session or tab is shown: its notes and cards are loaded


class Launcher(Protocol):
    """What a project window asks of the shell that opens projects."""

    def ask_new_project(self, parent: QWidget | None) -> object: ...
    def ask_open_project(self, parent: QWidget | None) -> object: ...
    def open_path(self, path: Path, parent: QWidget | None = None) -> object: ...
    def open_demo(self, parent: QWidget | None = None) -> object: ...
    def recent_paths(self) -> list[Path]: ...
    def quit(self) -> None: ...
    def encrypt_project(self, window: ProjectWindow) -> object: ...
    def decrypt_project(self, window: ProjectWindow) -> object: ...
    def delete_project(self, window: ProjectWindow) -> object: ...
    def remember_retention(self, path: Path, kept: Retention) -> None: ...


class ProjectWindow(SessionsAndAgenda, LiveAndProjector, QMainWindow):
    """The frame: the sessions list, the session's tabs, the Live dock, the menus; the
    sessions and agenda (`ui/window_sessions.py`) and the live side, projector, standards
    and export (`ui/window_live.py`) are mixed in, their names the window's own."""

    closed = Signal(object)  # this window

    def __init__(self, runtime: ProjectRuntime, launcher: Launcher, settings: QSettings):
        super().__init__()
        # The runtime owns the project, its server and its keeper (runtime/project.py):
        # the window asks it to go live or end, and hands it the shutdown.
        self.runtime = runtime
        self.project = project = runtime.project
        self._closed = False
        self._launcher = launcher
        self._settings = settings
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.undo_stack = QUndoStack(self)
        self.undoable = Actions(self.undo_stack, self.report_error, runtime.ops)
        self.bridge = Bridge(project.bus, self)
        self.bridge.changed.connect(self._on_changed)
        self.groups_dialog: GroupsDialog | None = None
        self.projector: ProjectorWindow | None = None
        self.standards_window: StandardsWindow | None = None
        # Every view redraws through this one refresher, stopped before the project closes.
        self.refresher = Refresher(self)
        engine = runtime.engine  # the process's one theme engine

        # -- sessions list (left)
        self.sessions_list = QListWidget()
        self.sessions_list.setObjectName("sessions")
        self.sessions_list.setAccessibleName("Sessions")
        self.sessions_list.setWordWrap(True)
        self.sessions_list.setSpacing(2)
        self.new_session_button = QPushButton("New session…")
        left = QWidget()
        left.setMinimumWidth(200)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 0, 8)
        left_layout.addWidget(heading("Sessions"))
        left_layout.addWidget(self.sessions_list, 1)
        left_layout.addWidget(self.new_session_button)

        # -- session (right)
        self.panel = SessionPanel()
        self.empty = plain_label(
            "This project has no sessions yet.\n\nChoose “New session…” and pick a plan: the "
            "agenda, prompts and timings are filled in for you to adapt."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The session's workspaces, one tab each: plan it, then run it.
        self.wall = NoteWall(project, self.undoable, self.refresher, engine)
        self.board = ThemeBoard(project, self.undoable, self.refresher, engine)
        self.votes = VotePanel(project, self.undoable, self.refresher)
        self.assess = AssessPanel(project, self.undoable, self.refresher)
        self.assess.services_requested.connect(self.edit_services)
        self.survey = SurveyPanel(project, self.undoable, self.refresher)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("session-tabs")
        self.tabs.setDocumentMode(True)
        # Alt+letter: not P or V, which open the Project and View menus.
        self.tabs.addTab(self.panel, "P&lan")
        self.tabs.addTab(self.wall, "&Notes")
        self.tabs.addTab(self.board, "&Themes")
        self.tabs.addTab(self.votes, "Votes and &ratings")
        self.tabs.addTab(self.assess, "Self-&assessment")
        self.tabs.addTab(self.survey, "S&urvey")
        self.tabs.setAccessibleName("Session workspaces")
        # Once a session's wall and board are loaded, freeze what they built so the
        # garbage collector's full passes stay short while phones send notes.
        self._settle_heap = QTimer(self)
        self._settle_heap.setSingleShot(True)
        self._settle_heap.setInterval(SETTLE_HEAP_MS)
        self._settle_heap.timeout.connect(tune_gc)
        self.tabs.currentChanged.connect(lambda _i: self._settle_heap.start())
        self.board.suggestions.duplicates_wanted.connect(self._on_board_duplicates_wanted)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tabs)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.stack)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 1000])
        split.setChildrenCollapsible(False)
        # How the file is protected and kept: a status-bar note, a banner near the date.
        self.protection = ProtectionStatus(
            project,
            self.statusBar(),
            lambda kept: launcher.remember_retention(project.copy_of or project.path, kept),
        )
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.protection.banner)
        central_layout.addWidget(split, 1)
        self.setCentralWidget(central)

        self.live_panel = LivePanel()
        self.live_dock = QDockWidget("Live", self)
        self.live_dock.setObjectName("live-dock")
        self.live_dock.setWidget(self.live_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.live_dock)
        self.live_dock.hide()
        self.live_panel.go_live_requested.connect(self.go_live)
        self.live_panel.end_requested.connect(self.end_live)
        self.live_panel.rotate_requested.connect(self.rotate_link)
        self.live_panel.state_requested.connect(self._set_activity_state)
        self.live_panel.show_requested.connect(self._show_activity)
        self.live_panel.address_changed.connect(self._address_changed)
        self.live_panel.acknowledge_requested.connect(self.acknowledge_help)
        self.votes.state_requested.connect(self._set_activity_state)
        last_host = settings.value("live/host")
        if isinstance(last_host, str) and last_host:
            self.live_panel.choose_host(last_host)
        self._live_timer = every_few_seconds(self, self._refresh_live)

        self._build_menus()
        self.new_session_button.clicked.connect(self.new_session)
        self.sessions_list.currentItemChanged.connect(self._session_chosen)
        self.panel.details_edited.connect(self._edit_details)
        self.panel.add_requested.connect(self._add_activity)
        self.panel.move_requested.connect(self._move_activity)
        self.panel.delete_requested.connect(self._delete_activity)
        self.panel.editor.edited.connect(self._edit_activity)
        self.panel.editor.set_rounds_source(
            lambda a: consensus_service.earlier_rounds(self.project, a.session_id, a.id)
        )
        self.panel.editor.set_lock_source(lambda a: session_service.get_rules_lock(self.project, a))
        self.undo_stack.indexChanged.connect(self._saved)

        self._show_title()
        self.refresh_sessions()
        geometry = settings.value("window/project-geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            resize_within_screen(self, 1280, 800)
        docks = settings.value("window/project-state")
        if isinstance(docks, QByteArray):
            self.restoreState(docks)
            self.live_dock.hide()  # shown when a session goes live or on request
        self.statusBar().showMessage(f"Opened {project.path}")
        # notes are embedded in the background for theme suggestions (the runtime's keeper)
        self.vectors: VectorStatus | None = None
        if runtime.keeps_vectors:
            self.vectors = VectorStatus(runtime.start_keeper, self.statusBar())
        # Stopped by the runtime's close, after the server and before the project closes.
        runtime.on_close(self.refresher.stop)  # no redraw can read a closed project
        runtime.on_close(self.board.shutdown)  # suggestions still being worked out are dropped
        runtime.on_close(self.wall.shutdown)  # so are a search for duplicates and reads
        runtime.on_close(self._finish_exports)  # an export being written is finished
        runtime.on_close(self._finish_merges)  # a merge under way is committed first
        runtime.on_close(self.bridge.detach)
        self._resume_live()

    # ------------------------------------------------------------------ menus

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._add(file, "&New project…", QKeySequence.StandardKey.New, self._new_project)
        self._add(file, "&Open project…", QKeySequence.StandardKey.Open, self._open_project)
        self.recent_menu = file.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._add(file, "Open the &demo project", None, self._open_demo)
        file.addSeparator()
        self._add(file, "&Export…", QKeySequence("Ctrl+E"), self.export)
        self._add(file, "&Bring in another project…", None, self.bring_in_project)
        file.addSeparator()
        # Encrypt or decrypt (whichever applies) and delete: not on a read-only copy.
        own = not self.project.read_only and self.project.copy_of is None
        launcher = self._launcher
        if self.project.encrypted:
            crypt = self._add(
                file, "Decr&ypt project…", None, partial(launcher.decrypt_project, self)
            )
        else:
            crypt = self._add(
                file, "Encr&ypt project…", None, partial(launcher.encrypt_project, self)
            )
        delete = self._add(
            file, "&Delete project securely…", None, partial(launcher.delete_project, self)
        )
        crypt.setEnabled(own)
        delete.setEnabled(own)
        file.addSeparator()
        self._add(file, "&Close project", QKeySequence.StandardKey.Close, self.close)
        self._add(file, "&Quit", QKeySequence.StandardKey.Quit, self._launcher.quit)

        edit = self.menuBar().addMenu("&Edit")
        self.undo_action, self.redo_action = undo_redo_actions(self.undoable, self)
        keys.set_keys(self.undo_action, QKeySequence.StandardKey.Undo)
        keys.set_keys(self.redo_action, "Ctrl+Shift+Z", QKeySequence.StandardKey.Redo)
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)

        view = bar.addMenu("&View")
        for i, name in enumerate(
            ("Plan", "Notes", "Themes", "Votes and ratings", "Self-assessment", "Survey")
        ):
            self._add(
                view, name, QKeySequence(f"Ctrl+{i + 1}"), partial(self.tabs.setCurrentIndex, i)
            )
        view.addSeparator()
        view.addAction(self.live_dock.toggleViewAction())
        look = view.addMenu("&Appearance")
        self.appearance_actions = QActionGroup(self)
        current = appearance.stored_mode(self._settings)
        for mode in appearance.MODES:
            action = look.addAction(appearance.LABELS[mode])
            action.setCheckable(True)
            action.setChecked(mode == current)
            action.setData(mode)
            self.appearance_actions.addAction(action)
        self.appearance_actions.triggered.connect(
            lambda a: appearance.choose(self._settings, str(a.data()))
        )

        proj = bar.addMenu("&Project")
        self._add(proj, "Stakeholder &groups…", None, self.edit_groups)
        self._add(proj, "&Areas and services…", None, self.edit_services)
        self._add(proj, "Project &settings…", QKeySequence("Ctrl+,"), self.edit_settings)
        proj.addSeparator()
        self._add(proj, "S&tandards…", QKeySequence("Ctrl+Shift+S"), self.show_standards)

        sess = bar.addMenu("&Session")
        self._add(sess, "&New session…", QKeySequence("Ctrl+Shift+N"), self.new_session)
        self.delete_session_action = self._add(sess, "&Delete session", None, self.delete_session)
        self.save_plan_action = self._add(
            sess, "&Save session as plan…", None, self.save_session_as_plan
        )
        sess.addSeparator()
        self.live_action = self._add(sess, "Run &live…", QKeySequence("Ctrl+L"), self.show_live)
        self.projector_action = self._add(
            sess, "&Projector window", QKeySequence("Ctrl+Shift+P"), self.show_projector
        )
        sess.addSeparator()  # the Live panel's controls, with their keys
        for action in self.live_panel.run_actions:
            sess.addAction(action)
            action.triggered.connect(self.show_live)  # what they act on comes into view

    def _add(
        self,
        menu: QMenu,
        text: str,
        shortcut: keys.Key | None,
        slot: Callable[[], object],
    ) -> QAction:
        action = menu.addAction(text)
        if shortcut is not None:
            keys.set_keys(action, shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def bring_in_project(self) -> MergeDialog:
        """Another laptop's project into this one: what would come across first, then
        the merge on a worker thread (one transaction)."""
        self.panel.editor.flush()
        dialog = MergeDialog(self.project, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _finish_merges(self) -> None:
        for dialog in self.findChildren(MergeDialog):
            dialog.shutdown()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = self._launcher.recent_paths()
        if not paths:
            self.recent_menu.addAction("No recent projects").setEnabled(False)
        for path in paths:
            action = self.recent_menu.addAction(path.name)
            action.setEnabled(path.exists())
            action.triggered.connect(lambda _c=False, p=path: self._launcher.open_path(p, self))

    def _new_project(self) -> None:
        self._launcher.ask_new_project(self)

    def _open_project(self) -> None:
        self._launcher.ask_open_project(self)

    def _open_demo(self) -> None:
        self._launcher.open_demo(self)

    # ------------------------------------------------------------------ feedback

    def report_error(self, title: str, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)
        show_error(self, title, message)

    def _on_board_duplicates_wanted(self, activity_id: str) -> None:
        """From the board's suggestions: the Notes tab, its possible duplicates found."""
        self.tabs.setCurrentWidget(self.wall)
        self.wall.choose_activity(activity_id)
        self.wall.find_duplicates()

    def _saved(self, _index: int = 0) -> None:
        self.statusBar().showMessage(f"All changes saved · {datetime.now():%H:%M:%S}")

    def _show_title(self) -> None:
        p = project_service.get_project(self.project)
        copy_of = self.project.copy_of
        if copy_of is not None:
            self.setWindowTitle(f"{p.title} — read-only copy — {APP_NAME}")
            self.setWindowFilePath(str(copy_of))
            self.statusBar().showMessage(
                f"A read-only copy of {copy_of.name}, made when you opened it: "
                "nothing can be changed here."
            )
            return
        self.setWindowTitle(f"{p.title} — {APP_NAME}")
        self.setWindowFilePath(str(self.project.path))

    # ------------------------------------------------------------------ refreshing

    def _on_changed(self, event: Changed) -> None:
        if self._closed:  # events queued before the project closed
            return
        self.protection.on_changed(event)
        for workspace in self._workspaces():
            workspace.on_changed(event)  # each redraws itself, coalesced
        if self.standards_window is not None:
            self.standards_window.on_changed(event)
        if event.topic is Topic.LIVE and event.session_id == self.current_session_id():
            self._follow_current_activity()
        if event.topic in (Topic.LIVE, Topic.PARTICIPANTS, Topic.HELP, Topic.JOIN) or (
            event.topic is Topic.ACTIVITIES and event.session_id == self.live_panel_session()
        ):
            self._soon(self._refresh_live)
            self._soon(self._refresh_projector)
            if event.topic is Topic.HELP:
                self.statusBar().showMessage("A private help request has arrived.", 15_000)
            if event.topic is Topic.LIVE:
                self._refresh_activities()
            if event.topic is not Topic.ACTIVITIES:
                return
        if event.topic is Topic.CONTENT:
            self._soon(self._refresh_projector)
            if event.session_id is not None and event.session_id == self.live_panel_session():
                self._soon(self._refresh_flagged)  # a flag, or a flagged note taken back
        if event.topic is Topic.SESSIONS:
            self.refresh_sessions()
        elif event.topic is Topic.ACTIVITIES and event.session_id == self.panel.session_id:
            self._refresh_activities(select=event.item_id)
        elif event.topic is Topic.GROUPS:
            self._refresh_panel()
            if self.groups_dialog is not None:
                self.groups_dialog.show_groups(group_service.list_groups(self.project))
        elif event.topic is Topic.PROJECT:
            self._show_title()

    def _soon(self, refresh: Callable[[], None]) -> None:
        """Run `refresh` once, shortly: a burst of phone events costs one redraw.

        The delays (REFRESH_MS) keep a new note well inside the half second in which it
        must show.
        """
        self.refresher.soon(refresh, REFRESH_MS.get(refresh.__name__, 100))

    def flush_refreshes(self) -> None:
        """Do every pending refresh of the window and its views now (tests, screenshots),
        the board's and the wall's reads on their way included."""
        self.refresher.flush()
        for view in (self.board, self.wall):
            if view.isVisible():
                view.refresh_now()

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save what is being edited and the window's layout, then hand the ordered
        shutdown (keeper, server, views' workers, project) to the runtime."""
        self.panel.editor.flush()
        self.votes.flush()  # rule edits still waiting for their debounce
        self._closed = True
        self._live_timer.stop()
        if self.vectors is not None:
            self.vectors.stop()
        if self.projector is not None:
            self.projector.close()
        if self.standards_window is not None:
            self.standards_window.close()  # its last edit is saved as it closes
        self.live_panel.set_live(False)  # the session stays live: reopening resumes it
        self._settings.setValue("window/project-geometry", self.saveGeometry())
        self._settings.setValue("window/project-state", self.saveState())
        self.undo_stack.indexChanged.disconnect(self._saved)
        self.undoable.close()  # what is queued is still committed, by the runtime's close
        self.runtime.close()
        self.closed.emit(self)
        super().closeEvent(event)
