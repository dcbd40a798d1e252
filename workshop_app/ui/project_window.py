"""The project window: the sessions of one project, each session's agenda, groups, settings.

Every change is committed at once through a service and pushed on the undo stack; the
window redraws from the events the services publish after commit, so what it shows is
what is in the file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QListWidget,
    QListWidgetItem,
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
from workshop_app.core.model import ActivityKind, ActivityState, GroupKind, Session
from workshop_app.infra.paths import shipped_plans_dir, user_plans_dir
from workshop_app.infra.process import tune_gc
from workshop_app.services import consensus as consensus_service
from workshop_app.services import groups as group_service
from workshop_app.services import live as live_service
from workshop_app.services import moderation as moderation_service
from workshop_app.services import plans as plan_service
from workshop_app.services import project as project_service
from workshop_app.services import sessions as session_service
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.events import Changed, Topic
from workshop_app.services.live import LiveLink
from workshop_app.services.projection import projector_view
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.ui.board.theme_board import ThemeBoard
from workshop_app.ui.bridge import Bridge
from workshop_app.ui.common import appearance, keys
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.labels import SESSION_STATE
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.common.widgets import heading, plain_label, show_error
from workshop_app.ui.dialogs import GroupsDialog, NewSessionDialog, SaveAsPlanDialog, SettingsDialog
from workshop_app.ui.export.export_dialog import ExportDialog
from workshop_app.ui.live.live_panel import LivePanel, LiveServer, every_few_seconds
from workshop_app.ui.projector.projector import ProjectorWindow
from workshop_app.ui.runtime import ProjectRuntime
from workshop_app.ui.session.session_panel import SessionPanel
from workshop_app.ui.standards.standards_window import StandardsWindow
from workshop_app.ui.vector_status import VectorStatus
from workshop_app.ui.votes.vote_panel import VotePanel
from workshop_app.ui.wall.note_wall import NoteWall

log = logging.getLogger(__name__)
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


class Workspace(Protocol):
    """A tab of the session: it follows the chosen session and the live activity."""

    def show_session(self, session_id: str | None) -> None: ...
    def follow_activity(self, activity_id: str | None) -> None: ...
    def on_changed(self, event: Changed) -> None: ...


class ProjectWindow(QMainWindow):
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
        self.undoable = Actions(self.undo_stack, self.report_error)
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
        left.setMinimumWidth(230)
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
        self.tabs = QTabWidget()
        self.tabs.setObjectName("session-tabs")
        self.tabs.setDocumentMode(True)
        # Alt+letter: not P or V, which open the Project and View menus.
        self.tabs.addTab(self.panel, "P&lan")
        self.tabs.addTab(self.wall, "&Notes")
        self.tabs.addTab(self.board, "&Themes")
        self.tabs.addTab(self.votes, "Votes and &ratings")
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
        self.setCentralWidget(split)

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
            self.resize(1280, 800)
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
        runtime.on_close(self.wall.shutdown)  # so is a search for duplicates
        runtime.on_close(self._finish_exports)  # an export being written is finished
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
        file.addSeparator()
        self._add(file, "&Close project", QKeySequence.StandardKey.Close, self.close)
        self._add(file, "&Quit", QKeySequence.StandardKey.Quit, self._launcher.quit)

        edit = self.menuBar().addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        keys.set_keys(self.undo_action, QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        keys.set_keys(self.redo_action, "Ctrl+Shift+Z", QKeySequence.StandardKey.Redo)
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)

        view = bar.addMenu("&View")
        for i, name in enumerate(("Plan", "Notes", "Themes", "Votes and ratings")):
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
        """Do every pending refresh of the window and its views now (tests, screenshots)."""
        self.refresher.flush()

    def refresh_sessions(self, select: str | None = None) -> None:
        current = select or self.current_session_id()
        sessions = session_service.list_sessions(self.project)
        self.sessions_list.blockSignals(True)
        self.sessions_list.clear()
        for s in sessions:
            item = QListWidgetItem(_session_line(s))
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            self.sessions_list.addItem(item)
            if s.id == current:
                self.sessions_list.setCurrentItem(item)
        if self.sessions_list.currentItem() is None and sessions:
            self.sessions_list.setCurrentRow(0)
        self.sessions_list.blockSignals(False)
        self.delete_session_action.setEnabled(bool(sessions))
        self.save_plan_action.setEnabled(bool(sessions))
        self._refresh_panel()

    def current_session_id(self) -> str | None:
        item = self.sessions_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_session(self, session_id: str) -> None:
        self.refresh_sessions(select=session_id)

    def _session_chosen(self, *_args: object) -> None:
        self._refresh_panel()

    def _refresh_panel(self) -> None:
        sid = self.current_session_id()
        if sid is None:
            self.stack.setCurrentWidget(self.empty)
            return
        session = session_service.get_session(self.project, sid)
        self.panel.show_session(
            session,
            group_service.list_groups(self.project),
            session_service.list_activities(self.project, sid),
        )
        self.stack.setCurrentWidget(self.tabs)
        for workspace in self._workspaces():
            workspace.show_session(sid)
        self._follow_current_activity(session)
        self._settle_heap.start()

    def _workspaces(self) -> tuple[Workspace, ...]:
        return (self.wall, self.board, self.votes)

    def _follow_current_activity(self, session: Session | None = None) -> None:
        """The workspaces show the activity that is on the phones now (unless the
        facilitator has picked another in one of them)."""
        sid = self.current_session_id()
        if session is None and sid is not None:
            try:
                session = session_service.get_session(self.project, sid)
            except USER_ERRORS:
                return
        current = session.current_activity_id if session is not None else None
        for workspace in self._workspaces():
            workspace.follow_activity(current)

    def _refresh_activities(self, select: str | None = None) -> None:
        sid = self.panel.session_id
        if sid is not None:
            activities = session_service.list_activities(self.project, sid)
            alive = {a.id for a in activities}
            self.panel.show_activities(activities, select if select in alive else None)

    # ------------------------------------------------------------------ sessions

    def new_session(self) -> None:
        report = plan_service.list_plans([shipped_plans_dir(), user_plans_dir()])
        dialog = NewSessionDialog(
            list(report.plans),
            [str(p) for p in report.problems],
            group_service.list_groups(self.project),
            self,
        )
        while dialog.exec() == QDialog.DialogCode.Accepted:
            if self._create_session(dialog):
                break

    def _create_session(self, dialog: NewSessionDialog) -> bool:
        details = SessionDetails(
            title=dialog.title.text(),
            date=dialog.session_date(),
            venue=dialog.venue.text(),
            group_ids=dialog.group_ids(),
        )
        plan = dialog.selected_plan()
        created = self.undoable.perform(
            "Create session",
            lambda: session_service.create_session(self.project, details, plan),
            lambda s: session_service.delete_session(self.project, s.id),
            lambda s: session_service.restore_session(self.project, s.id),
        )
        if created is None:
            return False
        self.select_session(created.id)
        return True

    def delete_session(self) -> None:
        sid = self.current_session_id()
        if sid is None:
            return
        done = self.undoable.perform(
            "Delete session",
            lambda: session_service.delete_session(self.project, sid),
            lambda s: session_service.restore_session(self.project, s.id),
            lambda s: session_service.delete_session(self.project, s.id),
        )
        if done is not None:
            self.statusBar().showMessage(
                f"Deleted “{done.title}”. Undo (Ctrl+Z) brings it back.", 10_000
            )

    def save_session_as_plan(self) -> Path | None:
        sid = self.current_session_id()
        if sid is None:
            return None
        session = session_service.get_session(self.project, sid)
        dialog = SaveAsPlanDialog(session.title, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        try:
            plan = plan_service.session_as_plan(
                self.project, sid, dialog.title.text(), dialog.summary.toPlainText()
            )
            path = plan_service.save_plan(plan, user_plans_dir())
        except USER_ERRORS as exc:
            self.report_error("Could not save the plan", message_for(exc))
            return None
        self.statusBar().showMessage(f"Saved the plan “{plan.title}” as {path}", 15_000)
        return path

    def _edit_details(self, details: SessionDetails) -> None:
        sid = self.panel.session_id
        if sid is None:
            return
        s = session_service.get_session(self.project, sid)
        old = SessionDetails(s.title, s.date, s.venue, s.group_ids, s.moderation)
        done = self.undoable.perform(
            "Edit session details",
            lambda: session_service.update_session(self.project, sid, details),
            lambda _s: session_service.update_session(self.project, sid, old),
        )
        if done is None:
            self._refresh_panel()  # show what is stored, not the refused text

    # ------------------------------------------------------------------ activities

    def _add_activity(self, kind: ActivityKind) -> None:
        sid = self.panel.session_id
        if sid is None:
            return
        self.panel.editor.flush()
        ids = [a.id for a in session_service.list_activities(self.project, sid)]
        current = self.panel.selected_activity_id()
        position = ids.index(current) + 1 if current in ids else len(ids)
        fields = ActivityFields(kind, kind.label)
        added = self.undoable.perform(
            "Add activity",
            lambda: session_service.add_activity(self.project, sid, fields, position),
            lambda a: session_service.delete_activity(self.project, a.id),
            lambda a: session_service.restore_activity(self.project, a.id),
        )
        if added is not None:
            self.panel.select_activity(added.id)
            self.panel.editor.title.setFocus()
            self.panel.editor.title.selectAll()

    def _move_activity(self, activity_id: str, position: int) -> None:
        activity = session_service.get_activity(self.project, activity_id)
        old = activity.position
        self.undoable.perform(
            "Move activity",
            lambda: session_service.move_activity(self.project, activity_id, position),
            lambda _r: session_service.move_activity(self.project, activity_id, old),
        )
        self.panel.select_activity(activity_id)

    def _delete_activity(self, activity_id: str) -> None:
        done = self.undoable.perform(
            "Delete activity",
            lambda: session_service.delete_activity(self.project, activity_id),
            lambda a: session_service.restore_activity(self.project, a.id),
            lambda a: session_service.delete_activity(self.project, a.id),
        )
        if done is not None:
            self.statusBar().showMessage(
                f"Deleted “{done.title}”. Undo (Ctrl+Z) brings it back.", 10_000
            )

    def _edit_activity(self, activity_id: str, fields: ActivityFields) -> None:
        try:
            old = ActivityFields.of(session_service.get_activity(self.project, activity_id))
            session_service.update_activity(self.project, activity_id, fields)
        except USER_ERRORS as exc:
            if self.panel.editor.activity_id == activity_id:
                self.panel.editor.show_error(message_for(exc))
            else:
                self.report_error("Could not change the activity", message_for(exc))
            return
        self.undoable.record(
            "Edit activity",
            lambda: session_service.update_activity(self.project, activity_id, fields),
            lambda: session_service.update_activity(self.project, activity_id, old),
        )

    # ------------------------------------------------------------------ groups, settings

    def edit_groups(self) -> None:
        dialog = GroupsDialog(self)
        self.groups_dialog = dialog
        dialog.show_groups(group_service.list_groups(self.project))
        dialog.add_button.clicked.connect(self._add_group)
        dialog.remove_button.clicked.connect(self._remove_group)
        dialog.row_edited.connect(self._group_row_changed)
        dialog.finished.connect(lambda _r: setattr(self, "groups_dialog", None))
        dialog.open()

    def _add_group(self) -> None:
        taken = {g.name for g in group_service.list_groups(self.project)}
        name = next(n for n in _numbered("New group") if n not in taken)
        added = self.undoable.perform(
            "Add group",
            lambda: group_service.add_group(self.project, name, GroupKind.OTHER),
            lambda g: group_service.remove_group(self.project, g.id),
            lambda g: group_service.restore_group(self.project, g.id),
        )
        if added is not None and self.groups_dialog is not None:
            table = self.groups_dialog.table
            for row in range(table.rowCount()):
                item = table.item(row, 0)
                if item is not None and item.data(Qt.ItemDataRole.UserRole) == added.id:
                    table.setCurrentCell(row, 0)
                    table.editItem(item)

    def _remove_group(self) -> None:
        dialog = self.groups_dialog
        gid = dialog.selected_id() if dialog else None
        if gid is None:
            return
        self.undoable.perform(
            "Remove group",
            lambda: group_service.remove_group(self.project, gid),
            lambda _r: group_service.restore_group(self.project, gid),
        )

    def _group_row_changed(self, row: int) -> None:
        dialog = self.groups_dialog
        if dialog is None or row < 0:
            return
        gid, name, kind, child = dialog.row_values(row)
        old = group_service.get_group(self.project, gid)
        if (old.name, old.kind, old.child_friendly) == (name, kind, child):
            return
        done = self.undoable.perform(
            "Change group",
            lambda: group_service.update_group(
                self.project, gid, name=name, kind=kind, child_friendly=child
            ),
            lambda _g: group_service.update_group(
                self.project,
                gid,
                name=old.name,
                kind=old.kind,
                child_friendly=old.child_friendly,
            ),
        )
        if done is None:
            dialog.show_groups(group_service.list_groups(self.project))

    def edit_settings(self) -> None:
        p = project_service.get_project(self.project)
        old_settings = project_service.get_settings(self.project)
        dialog = SettingsDialog(p.title, p.locality, old_settings, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            if self._apply_settings(dialog, p.title, p.locality, old_settings.as_mapping()):
                break

    def _apply_settings(
        self, dialog: SettingsDialog, old_title: str, old_locality: str, old: dict[str, Any]
    ) -> bool:
        title, locality, changes = dialog.title.text(), dialog.locality.text(), dialog.changes()
        try:
            project_service.update_project_and_settings(self.project, title, locality, **changes)
        except USER_ERRORS as exc:
            dialog.show_error(message_for(exc))
            return False
        self.undoable.record(
            "Change project settings",
            lambda: project_service.update_project_and_settings(
                self.project, title, locality, **changes
            ),
            lambda: project_service.update_project_and_settings(
                self.project, old_title, old_locality, **old
            ),
        )
        return True

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
        try:
            live_service.set_activity_state(self.project, activity_id, state)
        except USER_ERRORS as exc:
            self.report_error("Could not change the activity", message_for(exc))

    def _show_activity(self, activity_id: str) -> None:
        try:
            live_service.show_activity(self.project, activity_id)
        except USER_ERRORS as exc:
            self.report_error("Could not show the activity", message_for(exc))

    def _refresh_flagged(self) -> None:
        sid = self.live_panel_session()
        if self._closed or sid is None:
            return
        try:
            count = moderation_service.flagged_count(self.project, sid)
        except USER_ERRORS:
            return
        self.live_panel.show_flagged(count)

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
            self.standards_window.resize(1100, 760)
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
        self.runtime.close()
        self.closed.emit(self)
        super().closeEvent(event)


def _session_line(s: Session) -> str:
    when = f"{s.date.day} {s.date:%b %Y}" if s.date else "No date yet"  # %-d fails on Windows
    return f"{s.title}\n{when} · {SESSION_STATE[s.state]}"


def _numbered(base: str) -> list[str]:
    return [base] + [f"{base} {n}" for n in range(2, 100)]
