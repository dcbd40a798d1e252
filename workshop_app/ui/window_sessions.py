"""The project window's sessions and agenda: the sessions list, a session's details, its
activities, the stakeholder groups and the project's settings.

`SessionsAndAgenda` is a part of the project window (`ui/project_window.ProjectWindow` mixes
it in: its methods are the window's own, under the same names). It shows the chosen session
in the Plan tab and the workspaces (Notes, Themes, Votes and ratings), and makes every
change to sessions, activities, groups and settings one undo step through a service.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from workshop_app.core.model import Activity, ActivityKind, GroupKind, Session, StakeholderGroup
from workshop_app.infra.paths import shipped_plans_dir, user_plans_dir
from workshop_app.services import groups as group_service
from workshop_app.services import plans as plan_service
from workshop_app.services import project as project_service
from workshop_app.services import sessions as session_service
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.events import Changed
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.ui.assess.assess_panel import AssessPanel
from workshop_app.ui.assess.services_dialog import ServicesDialog
from workshop_app.ui.board.theme_board import ThemeBoard
from workshop_app.ui.bridge import Bridge
from workshop_app.ui.common.commands import Actions
from workshop_app.ui.common.labels import SESSION_STATE
from workshop_app.ui.dialogs import GroupsDialog, NewSessionDialog, SaveAsPlanDialog, SettingsDialog
from workshop_app.ui.session.session_panel import SessionPanel
from workshop_app.ui.survey.survey_panel import SurveyPanel
from workshop_app.ui.votes.vote_panel import VotePanel
from workshop_app.ui.wall.note_wall import NoteWall

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    _Window = QMainWindow  # the project window, for the type checker
else:
    _Window = object


class Workspace(Protocol):
    """A tab of the session: it follows the chosen session and the live activity."""

    def show_session(self, session_id: str | None) -> None: ...
    def follow_activity(self, activity_id: str | None) -> None: ...
    def on_changed(self, event: Changed) -> None: ...


class SessionsAndAgenda(_Window):
    """The sessions list, the chosen session's agenda, groups and settings."""

    # The window's state these methods share (set in ProjectWindow.__init__).
    project: OpenProject
    undoable: Actions
    sessions_list: QListWidget
    panel: SessionPanel
    empty: QWidget
    stack: QStackedWidget
    tabs: QTabWidget
    wall: NoteWall
    board: ThemeBoard
    votes: VotePanel
    assess: AssessPanel
    bridge: Bridge
    survey: SurveyPanel
    groups_dialog: GroupsDialog | None
    delete_session_action: QAction
    save_plan_action: QAction
    _settle_heap: QTimer

    if TYPE_CHECKING:  # the window's own calls (ui/project_window.ProjectWindow)

        def report_error(self, title: str, message: str) -> None: ...

    # ------------------------------------------------------------------ the chosen session

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
        return (self.wall, self.board, self.votes, self.assess, self.survey)

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
        # The dialog asks again if the project refused it: wait (the window stays live).
        self.undoable.wait()
        if not created.accepted or created.result is None:
            return False
        self.select_session(created.result.id)
        return True

    def delete_session(self) -> None:
        sid = self.current_session_id()
        if sid is None:
            return
        self.undoable.perform(
            "Delete session",
            lambda: session_service.delete_session(self.project, sid),
            lambda s: session_service.restore_session(self.project, s.id),
            lambda s: session_service.delete_session(self.project, s.id),
        ).then(self._deleted)

    def _deleted(self, gone: Session | Activity) -> None:
        self.statusBar().showMessage(
            f"Deleted “{gone.title}”. Undo (Ctrl+Z) brings it back.", 10_000
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
        p = self.project

        def edit() -> SessionDetails:
            # Read on the operations thread, after any edit still on its way.
            s = session_service.get_session(p, sid)
            old = SessionDetails(s.title, s.date, s.venue, s.group_ids, s.moderation)
            session_service.update_session(p, sid, details)
            return old

        self.undoable.perform(
            "Edit session details",
            edit,
            lambda old: session_service.update_session(p, sid, old),
            redo=lambda _old: session_service.update_session(p, sid, details),
        ).refused(self._refresh_panel)  # show what is stored, not the refused text

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

        def added(a: Activity) -> None:
            self.panel.select_activity(a.id)
            self.panel.editor.title.setFocus()
            self.panel.editor.title.selectAll()

        self.undoable.perform(
            "Add activity",
            lambda: session_service.add_activity(self.project, sid, fields, position),
            lambda a: session_service.delete_activity(self.project, a.id),
            lambda a: session_service.restore_activity(self.project, a.id),
        ).then(added)

    def _move_activity(self, activity_id: str, position: int) -> None:
        p = self.project

        def move() -> int:
            old = session_service.get_activity(p, activity_id).position
            session_service.move_activity(p, activity_id, position)
            return old

        self.undoable.perform(
            "Move activity",
            move,
            lambda old: session_service.move_activity(p, activity_id, old),
            redo=lambda _old: session_service.move_activity(p, activity_id, position),
        ).then(lambda _old: self.panel.select_activity(activity_id))

    def _delete_activity(self, activity_id: str) -> None:
        self.undoable.perform(
            "Delete activity",
            lambda: session_service.delete_activity(self.project, activity_id),
            lambda a: session_service.restore_activity(self.project, a.id),
            lambda a: session_service.delete_activity(self.project, a.id),
        ).then(self._deleted)

    def _edit_activity(self, activity_id: str, fields: ActivityFields) -> None:
        p = self.project

        def edit() -> ActivityFields:
            # Read on the operations thread, after any edit still on its way.
            old = ActivityFields.of(session_service.get_activity(p, activity_id))
            session_service.update_activity(p, activity_id, fields)
            return old

        def refused(_title: str, message: str) -> None:
            if self.panel.editor.activity_id == activity_id:
                self.panel.editor.show_error(message)
            else:
                self.report_error("Could not change the activity", message)

        self.undoable.perform(
            "Edit activity",
            edit,
            lambda old: session_service.update_activity(p, activity_id, old),
            redo=lambda _old: session_service.update_activity(p, activity_id, fields),
            errors=refused,
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

        def added(g: StakeholderGroup) -> None:
            if self.groups_dialog is None:
                return
            # The dialog lists groups from the change event, which may come after this.
            self.groups_dialog.show_groups(group_service.list_groups(self.project))
            table = self.groups_dialog.table
            for row in range(table.rowCount()):
                item = table.item(row, 0)
                if item is not None and item.data(Qt.ItemDataRole.UserRole) == g.id:
                    table.setCurrentCell(row, 0)
                    table.editItem(item)

        self.undoable.perform(
            "Add group",
            lambda: group_service.add_group(self.project, name, GroupKind.OTHER),
            lambda g: group_service.remove_group(self.project, g.id),
            lambda g: group_service.restore_group(self.project, g.id),
        ).then(added)

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

        def refused() -> None:  # show what is stored, not the refused name
            if self.groups_dialog is not None:
                self.groups_dialog.show_groups(group_service.list_groups(self.project))

        self.undoable.perform(
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
        ).refused(refused)

    def edit_services(self) -> None:
        """Areas and services of the pilot (ui/assess): changes are made at once, undoable."""
        dialog = ServicesDialog(self.project, self.undoable, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.bridge.changed.connect(dialog.on_changed)  # an undo shows in it at once
        dialog.finished.connect(lambda _r: self.bridge.changed.disconnect(dialog.on_changed))
        dialog.open()

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
        p = self.project
        op = self.undoable.perform(
            "Change project settings",
            lambda: project_service.update_project_and_settings(p, title, locality, **changes),
            lambda _r: project_service.update_project_and_settings(
                p, old_title, old_locality, **old
            ),
            errors=lambda _title, message: dialog.show_error(message),
        )
        # The dialog asks again if the project refused it: wait (the window stays live).
        self.undoable.wait()
        return op.accepted


def _session_line(s: Session) -> str:
    when = f"{s.date.day} {s.date:%b %Y}" if s.date else "No date yet"  # %-d fails on Windows
    return f"{s.title}\n{when} · {SESSION_STATE[s.state]}"


def _numbered(base: str) -> list[str]:
    return [base] + [f"{base} {n}" for n in range(2, 100)]
