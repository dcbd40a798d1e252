"""The console fits the smallest laptop screen a facilitator is likely to bring.

1366 × 768 is still the most common laptop resolution; a taskbar or a top bar takes
about 40 px. A 14-inch laptop with a 1920 × 1080 panel runs at 150 % by default: 1280 ×
720 in Qt's pixels. With the Live panel open on every tab, the window must fit both, and
the buttons that run the room must be on screen, not scrolled off or cut. A laptop
mirroring its screen to an old projector often drops to 1024 × 768: without the Live
panel the console fits that too. Checked on the demo project as well as an empty one:
long names (a service, a session) must not widen the window.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QPushButton

from tests.ui.conftest import settle
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import sessions
from workshop_app.services.demo import write_demo
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails
from workshop_app.ui.project_window import ProjectWindow
from workshop_app.ui.shell import Shell

SCREEN = QSize(1366, 768 - 40)
SCALED = QSize(1280, 720 - 40)  # 1920 × 1080 at 150 %
MIRRORED = QSize(1024, 768 - 40)  # a laptop mirroring to an old projector


def _fits(window: ProjectWindow, screen: QSize = SCREEN) -> None:
    hint = window.minimumSizeHint()
    assert hint.width() <= screen.width() and hint.height() <= screen.height(), hint
    minimum = window.minimumSize()
    assert minimum.width() <= screen.width() and minimum.height() <= screen.height(), minimum


def _every_session_and_tab_fits(window: ProjectWindow) -> None:
    """Each session, each tab: 1024 × 768 without the Live panel, 1280 × 720 with it."""
    sessions_list = window.sessions_list
    for row in range(sessions_list.count()):
        sessions_list.setCurrentRow(row)
        for tab in range(window.tabs.count()):
            window.tabs.setCurrentIndex(tab)
            settle()
            window.live_dock.hide()
            settle()
            _fits(window, MIRRORED)
            window.show_live()
            settle()
            _fits(window, SCALED)


@pytest.fixture
def demo_window(shell: Shell, tmp_path: Path, qtbot) -> ProjectWindow:
    path = tmp_path / "Demo.cground"
    write_demo(path)
    w = shell.open_path(path)
    assert w is not None
    qtbot.waitExposed(w)
    return w


def _on_screen(window: ProjectWindow, button: QPushButton) -> bool:
    if not button.isVisible():
        return False
    top_left = button.mapTo(window, QPoint(0, 0))
    inside = QRect(QPoint(0, 0), window.size()).contains(QRect(top_left, button.size()))
    # not clipped by a scroll area or a splitter either
    return inside and button.visibleRegion().boundingRect() == button.rect()


@pytest.mark.parametrize("tab", range(6))
def test_the_window_with_the_live_panel_fits_a_1366_by_768_screen(window: ProjectWindow, tab):
    assert window.tabs.count() == 6  # a new tab joins the parameters above
    window.show_live()
    window.tabs.setCurrentIndex(tab)
    window.resize(SCREEN)
    settle()
    _fits(window)
    assert window.width() <= SCREEN.width() and window.height() <= SCREEN.height()


def test_the_demo_projects_sessions_fit_both_screens_on_every_tab(demo_window: ProjectWindow):
    window = demo_window
    assert window.sessions_list.count() >= 8
    _every_session_and_tab_fits(window)


@pytest.mark.parametrize("screen", [SCREEN, SCALED], ids=["1366x768", "1280x720"])
def test_go_live_and_end_session_are_on_screen_in_a_small_window(
    window: ProjectWindow, qtbot, screen: QSize
):
    window.show_live()
    window.resize(screen)
    settle()
    panel = window.live_panel
    plan = load_plan(shipped_plans_dir() / "prep-children-8-12.toml")
    session = sessions.create_session(window.project, SessionDetails("Evening"), plan)
    settle()
    window.select_session(session.id)
    settle()
    assert _on_screen(window, panel.go_button), "Go live is cut off"
    assert window.go_live("127.0.0.1")
    settle()
    _fits(window, screen)
    assert window.width() <= screen.width() and window.height() <= screen.height()
    for button in (panel.end_button, panel.open_button):
        assert _on_screen(window, button), f"{button.text()} is cut off"
        assert button.width() >= button.sizeHint().width(), button.text()


def test_windows_open_within_the_screen_when_their_contents_allow(window: ProjectWindow):
    """The test screen (Qt's offscreen platform) is 800 × 800: smaller than the sizes the
    standards window and the new-session dialog would like, as a small laptop's is."""
    from PySide6.QtWidgets import QApplication

    from workshop_app.services import groups, plans
    from workshop_app.ui.dialogs import NewSessionDialog

    screen = QApplication.primaryScreen().availableGeometry()
    assert screen.width() < 940 and screen.height() <= 800  # less than they would like

    def within(widget) -> None:
        size, least = widget.size(), widget.minimumSizeHint()
        assert size.width() <= max(screen.width(), least.width()), (size, least)
        assert size.height() <= max(screen.height(), least.height()), (size, least)

    within(window)
    assert window.height() < 800  # it would like 1280 × 800
    standards = window.show_standards()
    settle()
    within(standards)
    assert standards.width() <= screen.width() and standards.height() <= screen.height()
    report = plans.list_plans([shipped_plans_dir()])
    dialog = NewSessionDialog(list(report.plans), [], groups.list_groups(window.project), window)
    within(dialog)
    assert dialog.width() <= screen.width()
    dialog.close()
    standards.close()


def test_a_long_session_title_does_not_widen_the_window(window: ProjectWindow):
    window.show_live()
    session = sessions.create_session(window.project, SessionDetails("Evening"), None)
    settle()
    window.select_session(session.id)
    settle()
    narrow = window.minimumSizeHint().width()
    long_title = "Joint workshop with parents, carers, schools and the police " * 3
    sessions.update_session(window.project, session.id, SessionDetails(long_title.strip()))
    settle()
    assert window.panel.heading.text() == long_title.strip()  # shown, wrapped
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        settle()
        assert window.minimumSizeHint().width() <= narrow, window.tabs.tabText(tab)
    _fits(window)


def _longest(words: str, limit: int) -> str:
    """`words` repeated up to `limit` characters: as long as the app lets a name be."""
    text = (words + " ") * (limit // (len(words) + 1) + 1)
    return text[:limit].strip()


def test_names_as_long_as_allowed_do_not_widen_the_window(shell: Shell, tmp_path: Path, qtbot):
    """Every name a facilitator types, at the longest the app accepts — sessions, activities,
    groups, services, areas, themes — on every session and tab of the demo project."""
    from workshop_app.core.validate import TITLE_MAX
    from workshop_app.services import areas, board, groups
    from workshop_app.services.board import THEME_NAME_MAX
    from workshop_app.services.groups import NAME_MAX as GROUP_NAME_MAX
    from workshop_app.services.project import open_project
    from workshop_app.services.sessions import ActivityFields

    path = tmp_path / "Long names.cground"
    write_demo(path)
    p = open_project(path)
    try:
        for g in groups.list_groups(p):
            name = _longest(f"{g.name} and their friends", GROUP_NAME_MAX)
            groups.update_group(p, g.id, name=name, kind=g.kind, child_friendly=g.child_friendly)
        for area in areas.list_areas(p):
            areas.rename_area(p, area.id, _longest(f"{area.name} district", 120))
        for service in areas.list_services(p):
            name = _longest(f"{service.name} team", 120)
            areas.update_service(
                p, service.id, name=name, kind=service.kind, area_id=service.area_id
            )
        for s in sessions.list_sessions(p):
            title = _longest(s.title, TITLE_MAX)
            details = SessionDetails(title, s.date, s.venue, s.group_ids, s.moderation)
            sessions.update_session(p, s.id, details)
            for a in sessions.list_activities(p, s.id):
                fields = replace(ActivityFields.of(a), title=_longest(a.title, TITLE_MAX))
                sessions.update_activity(p, a.id, fields)
            for theme in board.board(p, s.id).themes:
                board.rename_theme(p, s.id, theme.id, _longest(theme.name, THEME_NAME_MAX))
    finally:
        p.close()
    window = shell.open_path(path)
    assert window is not None
    qtbot.waitExposed(window)
    _every_session_and_tab_fits(window)
    # the dialogs that list sessions by name, too
    from workshop_app.services import carry
    from workshop_app.ui.board.carry_dialog import CarryDialog
    from workshop_app.ui.export.export_dialog import ExportDialog

    opened = 0
    for s in sessions.list_sessions(window.project):
        priorities = carry.priorities(window.project, s.id)
        dialogs = [ExportDialog(window.project, window.undoable, s.id, window)]
        if priorities.items:
            dialogs.append(CarryDialog(priorities, s.title, window))
        for dialog in dialogs:
            dialog.show()
            settle()
            assert dialog.minimumSizeHint().width() <= MIRRORED.width(), type(dialog).__name__
            dialog.close()
            opened += 1
    assert opened > len(sessions.list_sessions(window.project))  # a bring-in dialog at least


WALL_BAR = (
    "approve_action",
    "release_action",
    "hide_action",
    "unhide_action",
    "fix_action",
    "history_action",
    "duplicate_action",
    "flag_action",  # safeguarding: never folded away
    "find_duplicates_action",
)
BOARD_BAR = (
    "new_action",
    "move_action",
    "rename_action",
    "colour_action",
    "merge_action",
    "split_action",
    "delete_action",
    "suggest_action",
    "similar_action",
    "place_action",
    "bring_in_action",
    "link_action",
    "zoom_out_action",
    "zoom_in_action",
    "fit_action",
)


def _buttons_on_screen(window: ProjectWindow, owner, names: tuple[str, ...]) -> list[str]:
    """The actions among `names` that have no button on screen (folded away, cut off)."""
    from PySide6.QtWidgets import QToolButton

    missing = []
    for name in names:
        action = getattr(owner, name)
        buttons = [o for o in action.associatedObjects() if isinstance(o, QToolButton)]
        if not any(_on_screen(window, b) for b in buttons):
            missing.append(action.text())
    return missing


@pytest.mark.parametrize("live", [True, False], ids=["live-panel-1280x720", "no-panel-1024x768"])
def test_every_wall_and_board_button_is_on_screen(demo_window: ProjectWindow, live: bool):
    """With the Live panel open — as it is all through a session — on a 1280 × 720 screen, and
    without it on a 1024 × 768 one, no toolbar action is folded behind a » (the wall folded
    "Flag for safeguarding follow-up…" away even on a 1366-px laptop)."""
    window = demo_window
    window.sessions_list.setCurrentRow(0)
    if live:
        window.show_live()
    else:
        window.live_dock.hide()
    window.resize(SCALED if live else MIRRORED)
    for tab, owner, names in ((1, window.wall, WALL_BAR), (2, window.board, BOARD_BAR)):
        window.tabs.setCurrentIndex(tab)
        settle()
        assert _buttons_on_screen(window, owner, names) == [], window.tabs.tabText(tab)
    _fits(window, SCALED if live else MIRRORED)
