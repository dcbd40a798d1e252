"""Every dialog of the desktop app, built over a real project, for tests that check them all
(their keys, their default buttons, Ctrl+Enter).

`every_dialog` builds one of each QDialog class in `workshop_app.ui`; `dialog_classes`
lists those classes, so a test can tell when a new dialog is missing here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QDialog

import workshop_app.ui
from tests.ui.conftest import settle
from workshop_app.core.model import ActivityKind, GroupKind
from workshop_app.core.plan import SessionPlan
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import board, carry, groups, moderation, plans, project, sessions
from workshop_app.services import standards as standard_service
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails
from workshop_app.services.standards import StandardFields
from workshop_app.ui.board.board_dialogs import ColourDialog, NameDialog, ThemePicker
from workshop_app.ui.board.carry_dialog import CarryDialog
from workshop_app.ui.common.passphrase import PassphraseDialog
from workshop_app.ui.common.source_picker import SourcePickerDialog, StandardChooser
from workshop_app.ui.dialogs import (
    GroupsDialog,
    NewProjectDialog,
    NewSessionDialog,
    SaveAsPlanDialog,
    SettingsDialog,
)
from workshop_app.ui.export.export_dialog import ExportDialog
from workshop_app.ui.export.privacy_review import PrivacyReviewDialog
from workshop_app.ui.project_window import ProjectWindow
from workshop_app.ui.protection import DeleteProjectDialog, EncryptDialog
from workshop_app.ui.standards.standards_window import NewStandardDialog
from workshop_app.ui.wall.note_dialogs import (
    DuplicateDialog,
    FixTypoDialog,
    FlagDialog,
    HistoryDialog,
)


@dataclass
class World:
    """A project with something in it: two sessions, notes, a theme, a standard."""

    session_id: str
    earlier_id: str
    brainstorm_id: str
    note_ids: list[str]
    theme_id: str


def fill(window: ProjectWindow) -> World:
    p = window.project
    parent = next(g for g in groups.list_groups(p) if g.kind is GroupKind.PARENT)
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    earlier = sessions.create_session(p, SessionDetails("Monday", group_ids=(parent.id,)), plan)
    s = sessions.create_session(p, SessionDetails("Evening", group_ids=(parent.id,)), plan)
    for sid in (earlier.id, s.id):
        brainstorm = next(
            a for a in sessions.list_activities(p, sid) if a.kind is ActivityKind.BRAINSTORM
        )
        notes = [
            moderation.capture_paper_note(p, brainstorm.id, text, parent.id).id
            for text in ("Apps change fast", "Call Sam on 07700 900123", "A trusted adult")
        ]
        made = board.create_theme(p, sid, "Trusted adults", "", notes[2:])
    standard_service.create_standard(p, StandardFields("Someone to tell", "Every child can."))
    settle()
    window.select_session(s.id)
    settle()
    return World(s.id, earlier.id, brainstorm.id, notes, made.theme_ids[0])


Factory = Callable[[ProjectWindow, World], QDialog]


def _note(window: ProjectWindow, world: World, index: int = 1):
    notes = moderation.list_wall(window.project, world.brainstorm_id)
    return next(n for n in notes if n.id == world.note_ids[index])


def _plans() -> list[SessionPlan]:
    return list(plans.list_plans([shipped_plans_dir()]).plans)


FACTORIES: dict[str, Factory] = {
    "new project": lambda w, _x: NewProjectDialog(Path.home(), w),
    "passphrase": lambda w, _x: PassphraseDialog(w.project.path, False, w),
    "encrypt project": lambda w, _x: EncryptDialog(w.project.path.name, w),
    "delete project": lambda w, _x: DeleteProjectDialog("Riverside", [w.project.path], w),
    "new session": lambda w, _x: NewSessionDialog(_plans(), [], groups.list_groups(w.project), w),
    "project settings": lambda w, _x: SettingsDialog(
        "Riverside", "Riverside Borough", project.get_settings(w.project), w
    ),
    "stakeholder groups": lambda w, _x: GroupsDialog(w),
    "save session as plan": lambda w, _x: SaveAsPlanDialog("Evening", w),
    "fix typo": lambda w, x: FixTypoDialog(_note(w, x), w),
    "history of a note": lambda w, x: HistoryDialog(
        _note(w, x), moderation.history(w.project, x.note_ids[1]), "Parents and carers", w
    ),
    "mark as duplicate": lambda w, x: DuplicateDialog(
        _note(w, x), moderation.list_wall(w.project, x.brainstorm_id), w
    ),
    "flag for safeguarding": lambda w, x: FlagDialog(_note(w, x), w),
    "theme name": lambda w, _x: NameDialog("Rename theme", "The theme’s new name:", "Apps", w),
    "move to theme": lambda w, x: ThemePicker(board.board(w.project, x.session_id), "Move", w),
    "theme colour": lambda w, _x: ColourDialog("#8ECAE6", w),
    "bring in priorities": lambda w, x: CarryDialog(
        carry.priorities(w.project, x.session_id), "Evening", w
    ),
    "add sources": lambda w, _x: SourcePickerDialog(
        standard_service.source_choices(w.project), (), "Add sources", w
    ),
    "link to standard": lambda w, _x: StandardChooser(
        standard_service.list_standards(w.project), "1 theme", w
    ),
    "new standard": lambda w, _x: NewStandardDialog(w),
    "export": lambda w, x: ExportDialog(w.project, w.undoable, x.session_id, w),
    "privacy review": lambda w, x: PrivacyReviewDialog(w.project, w.undoable, x.session_id, w),
    "privacy review before an export": lambda w, x: PrivacyReviewDialog(
        w.project, w.undoable, x.session_id, w, before_export=True
    ),
}


def every_dialog(window: ProjectWindow, world: World) -> list[tuple[str, QDialog]]:
    return [(name, make(window, world)) for name, make in FACTORIES.items()]


def dialog_classes() -> set[type[QDialog]]:
    """Every QDialog class defined in workshop_app.ui."""
    found: set[type[QDialog]] = set()
    for info in pkgutil.iter_modules(workshop_app.ui.__path__, "workshop_app.ui."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__ == module.__name__:
                found.add(cls)
    return found
