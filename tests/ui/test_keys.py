"""Keyboard shortcuts: no key means two things anywhere in the app, on any platform.

Qt finds a key ambiguous when two enabled shortcuts can answer it at once (or one action
lists it twice), and then runs none of them: Redo did nothing on Linux because the Redo
action listed Ctrl+Shift+Z itself and again through the platform's standard Redo.

The platform's table of standard keys is fixed for a process, so the other platforms'
tables are data here (Qt's documented "standard shortcuts", with the dedicated keys some
keyboards have), handed to `ui.common.keys` in place of this platform's: the whole app is built
and walked under each. A subprocess on a real X11 screen (Xvfb) checks the Linux case.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu, QMenuBar, QTabBar, QWidget

from tests.ui import catalog
from tests.ui.conftest import settle
from workshop_app.ui.common import keys
from workshop_app.ui.project_window import ProjectWindow

SK = QKeySequence.StandardKey
Ctx = Qt.ShortcutContext
PORTABLE = QKeySequence.SequenceFormat.PortableText

#: Qt's standard keys for the ones the app uses, by platform ("Ctrl" is ⌘ on macOS).
PLATFORMS: dict[str, dict[QKeySequence.StandardKey, list[str]]] = {
    "Windows": {
        SK.Undo: ["Ctrl+Z", "Alt+Backspace", "Undo"],
        SK.Redo: ["Ctrl+Y", "Alt+Shift+Backspace", "Ctrl+Shift+Z", "Redo"],
        SK.New: ["Ctrl+N", "New"],
        SK.Open: ["Ctrl+O", "Open"],
        SK.Close: ["Ctrl+F4", "Ctrl+W", "Close"],
        SK.Quit: [],
        SK.Find: ["Ctrl+F", "Find"],
        SK.Delete: ["Del"],
        SK.Save: ["Ctrl+S", "Save"],
    },
    "macOS": {
        SK.Undo: ["Ctrl+Z", "Undo"],
        SK.Redo: ["Ctrl+Shift+Z", "Redo"],
        SK.New: ["Ctrl+N", "New"],
        SK.Open: ["Ctrl+O", "Open"],
        SK.Close: ["Ctrl+W", "Ctrl+F4", "Close"],
        SK.Quit: ["Ctrl+Q"],
        SK.Find: ["Ctrl+F", "Find"],
        SK.Delete: ["Del", "Meta+D"],
        SK.Save: ["Ctrl+S", "Save"],
    },
    "KDE": {
        SK.Undo: ["Ctrl+Z", "F14", "Undo"],
        SK.Redo: ["Ctrl+Shift+Z", "Redo"],
        SK.New: ["Ctrl+N", "New"],
        SK.Open: ["Ctrl+O", "Open"],
        SK.Close: ["Ctrl+W", "Close"],
        SK.Quit: ["Ctrl+Q", "Exit"],
        SK.Find: ["Ctrl+F", "Find"],
        SK.Delete: ["Del", "Ctrl+D"],
        SK.Save: ["Ctrl+S", "Save"],
    },
    "GNOME": {
        SK.Undo: ["Ctrl+Z", "F14", "Undo"],
        SK.Redo: ["Ctrl+Shift+Z", "Redo"],
        SK.New: ["Ctrl+N", "New"],
        SK.Open: ["Ctrl+O", "Open"],
        SK.Close: ["Ctrl+W", "Close"],
        SK.Quit: ["Ctrl+Q", "Exit"],
        SK.Find: ["Ctrl+F", "Find"],
        SK.Delete: ["Del", "Ctrl+D"],
        SK.Save: ["Ctrl+S", "Save"],
    },
}

#: Every combination of keys the app hands to `keys.set_keys` with a standard key in it.
COMBINATIONS: list[tuple[keys.Key, ...]] = [
    (SK.Undo,),
    ("Ctrl+Shift+Z", SK.Redo),
    (SK.New,),
    (SK.Open,),
    (SK.Close,),
    (SK.Quit,),
]


def table(platform: str) -> keys.Bindings:
    def bindings(key: QKeySequence.StandardKey) -> list[QKeySequence]:
        return [QKeySequence(k) for k in PLATFORMS[platform].get(key, [])]

    return bindings


def _names(found: list[QKeySequence]) -> list[str]:
    return [k.toString(PORTABLE) for k in found]


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
@pytest.mark.parametrize("combination", COMBINATIONS, ids=str)
def test_a_standard_key_comes_once_after_our_own_keys_on_every_platform(platform, combination):
    got = _names(keys.sequences(*combination, bindings=table(platform)))
    assert len(got) == len(set(got)), f"{got} lists a key twice"
    ours = [k for k in combination if isinstance(k, str)]
    assert got[: len(ours)] == ours, "our own keys come first (menus show the first)"
    for key in combination:
        if not isinstance(key, str):
            assert set(PLATFORMS[platform][key]) <= set(got), "the platform's keys all work"


def test_redo_on_a_linux_desktop_is_ctrl_shift_z_once():
    got = _names(keys.sequences("Ctrl+Shift+Z", SK.Redo, bindings=table("GNOME")))
    assert got == ["Ctrl+Shift+Z", "Redo"]


# ---------------------------------------------------------------- walking the app


@dataclass(frozen=True)
class Binding:
    key: str  # portable text, e.g. "Ctrl+Shift+Z"
    owner: QObject = field(compare=False)  # QAction, QShortcut, or the widget of a mnemonic
    ident: tuple[int, str]  # one action or shortcut, one tab, one menu, one button
    context: Qt.ShortcutContext = field(compare=False)
    what: str = field(compare=False)


def bindings_in(window: QWidget) -> list[Binding]:
    """Every key sequence Qt's shortcut map could hold for widgets of `window`."""
    widgets = [window, *window.findChildren(QWidget)]
    actions: set[QAction] = set(window.findChildren(QAction))
    for w in widgets:
        actions.update(w.actions())
    out: list[Binding] = []
    for a in actions:
        for k in a.shortcuts():
            out.append(Binding(k.toString(PORTABLE), a, (id(a), ""), a.shortcutContext(), _say(a)))
    for s in window.findChildren(QShortcut):
        for k in s.keys():  # noqa: SIM118 (a QShortcut, not a dict)
            what = f"shortcut {k.toString(PORTABLE)} of {type(s.parent()).__name__}"
            out.append(Binding(k.toString(PORTABLE), s, (id(s), ""), s.context(), what))
    for b in window.findChildren(QAbstractButton):  # explicit keys and mnemonics (&Keep)
        if not b.shortcut().isEmpty():
            what = f"button “{b.text()}”"
            out.append(Binding(_key(b.shortcut()), b, (id(b), ""), Ctx.WindowShortcut, what))
    for bar in window.findChildren(QTabBar):
        for i in range(bar.count()):
            mnemonic = QKeySequence.mnemonic(bar.tabText(i))
            if not mnemonic.isEmpty():
                what = f"tab “{bar.tabText(i)}”"
                out.append(
                    Binding(_key(mnemonic), bar, (id(bar), str(i)), Ctx.WindowShortcut, what)
                )
    for menubar in window.findChildren(QMenuBar):
        for a in menubar.actions():
            mnemonic = QKeySequence.mnemonic(a.text())
            if not mnemonic.isEmpty():
                what = f"menu “{a.text()}”"
                out.append(Binding(_key(mnemonic), menubar, (id(a), ""), Ctx.WindowShortcut, what))
    for label in window.findChildren(QLabel):
        mnemonic = QKeySequence.mnemonic(label.text())
        if label.buddy() is not None and not mnemonic.isEmpty():
            what = f"label “{label.text()}”"
            out.append(Binding(_key(mnemonic), label, (id(label), ""), Ctx.WindowShortcut, what))
    return out


def _key(sequence: QKeySequence) -> str:
    return sequence.toString(PORTABLE)


def _say(action: QAction) -> str:
    return f"action “{action.text() or action.objectName()}”"


def _widget_active(context: Qt.ShortcutContext, w: QWidget, focus: QWidget | None, window) -> bool:
    """Qt's rule (qWidgetShortcutContextMatcher) for a widget's shortcut. A disabled widget
    or action still counts: it may be enabled a moment later."""
    if not w.isVisible():
        return False
    if context == Ctx.ApplicationShortcut:
        return True
    if context == Ctx.WidgetShortcut:
        return w is focus
    if context == Ctx.WidgetWithChildrenShortcut:
        t = focus
        kinds = (Qt.WindowType.Widget, Qt.WindowType.Popup, Qt.WindowType.SubWindow)
        while t is not None and t is not w and t.windowType() in kinds:
            t = t.parentWidget()
        return t is w
    return w.window() is window


def _action_active(a: QAction, context, focus, window, seen: frozenset[int]) -> bool:
    for obj in a.associatedObjects():
        if isinstance(obj, QMenu):  # a menu's entry answers where the menu's menu does
            outer = obj.menuAction()
            if id(outer) not in seen and _action_active(
                outer, context, focus, window, seen | {id(outer)}
            ):
                return True
        elif isinstance(obj, QWidget) and _widget_active(context, obj, focus, window):
            return True
    return False


def active(b: Binding, focus: QWidget | None, window: QWidget) -> bool:
    if isinstance(b.owner, QAction):
        return _action_active(b.owner, b.context, focus, window, frozenset({id(b.owner)}))
    w = b.owner.parent() if isinstance(b.owner, QShortcut) else b.owner
    return isinstance(w, QWidget) and _widget_active(b.context, w, focus, window)


def clashes(window: QWidget) -> list[str]:
    """Keys listed twice by one action, or answered by two at once wherever the focus is."""
    found = bindings_in(window)
    problems: set[str] = set()
    per_owner: dict[tuple[int, str], list[Binding]] = defaultdict(list)
    for b in found:
        per_owner[b.ident].append(b)
    for listed in per_owner.values():
        names = [b.key for b in listed]
        for key in sorted({k for k in names if names.count(k) > 1}):
            problems.add(f"{listed[0].what} lists {key} twice")
    focuses: list[QWidget | None] = [None, window]
    focuses += [
        w
        for w in window.findChildren(QWidget)
        if w.window() is window and w.isVisible() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    for focus in focuses:
        answering: dict[str, set[Binding]] = defaultdict(set)
        for b in found:
            if active(b, focus, window):
                answering[b.key].add(b)
        for key, those in answering.items():
            if len({b.ident for b in those}) > 1:
                problems.add(f"{key}: " + " and ".join(sorted({b.what for b in those})))
    return sorted(problems)


@pytest.fixture(params=["this platform", *sorted(PLATFORMS)])
def platform_keys(request, monkeypatch) -> str:
    """The platform whose standard keys the app is built with."""
    if request.param in PLATFORMS:
        monkeypatch.setattr(keys, "standard_bindings", table(request.param))
    return str(request.param)


@pytest.fixture
def keyed_window(platform_keys, shell, project_path, qtbot) -> ProjectWindow:
    w = shell.open_path(project_path)
    assert w is not None
    qtbot.waitExposed(w)
    return w


def test_no_key_means_two_things_in_any_window_tab_or_dialog(keyed_window, qtbot):
    window = keyed_window
    world = catalog.fill(window)
    window.show_live()
    assert window.go_live("127.0.0.1")
    settle()
    problems: dict[str, list[str]] = {}
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        settle()
        problems[f"project window, {window.tabs.tabText(i)} tab"] = clashes(window)
    standards = window.show_standards()
    problems["standards window"] = clashes(standards)
    projector = window.show_projector()
    qtbot.addWidget(projector)
    problems["projector"] = clashes(projector)
    for name, dialog in catalog.every_dialog(window, world):
        dialog.show()
        qtbot.waitExposed(dialog)
        problems[f"{name} dialog"] = clashes(dialog)
        dialog.done(0)
        dialog.deleteLater()
    assert {where: found for where, found in problems.items() if found} == {}


def test_the_walk_finds_a_key_listed_twice_and_a_key_answered_twice(qtbot):
    """The checker itself: the two ways a key goes dead."""
    window = QWidget()
    qtbot.addWidget(window)
    twice = QAction("Redo", window)
    twice.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Shift+Z")])
    window.addAction(twice)
    one, other = QAction("Open", window), QAction("Open project", window)
    for a in (one, other):
        a.setShortcut(QKeySequence("Ctrl+O"))
        window.addAction(a)
    window.show()
    assert clashes(window) == [
        "Ctrl+O: action “Open project” and action “Open”",
        "action “Redo” lists Ctrl+Shift+Z twice",
    ]


def test_every_dialog_of_the_app_is_in_the_catalogue(window):
    built = catalog.every_dialog(window, catalog.fill(window))
    assert catalog.dialog_classes() <= {type(d) for _name, d in built}
    for _name, dialog in built:
        dialog.deleteLater()


# ---------------------------------------------------------------- the keys at work


def _undone_group(window: ProjectWindow, qtbot) -> int:
    """Add a stakeholder group (one undo step) and undo it from the keyboard."""
    window.edit_groups()
    dialog = window.groups_dialog
    assert dialog is not None
    dialog.add_button.click()
    dialog.done(0)
    settle()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window.sessions_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert window.undo_stack.index() == 0
    return window.undo_stack.count()


def test_ctrl_shift_z_redoes_in_the_project_window(window, qtbot):
    assert _undone_group(window, qtbot) == 1
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window.sessions_list, Qt.Key.Key_Z, ctrl_shift)
    settle()
    assert window.undo_stack.index() == 1, "redone"
    assert window.redo_action.shortcut().toString(PORTABLE) == "Ctrl+Shift+Z", "as menus say"


LINUX_REDO = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from workshop_app.services.project import create_project
    from workshop_app.runtime import AppRuntime
    from workshop_app.ui.shell import Shell

    folder = Path(sys.argv[1])
    create_project(folder / "p.cground", "Riverside", "Riverside Borough").close()
    shell = Shell(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat), AppRuntime())
    window = shell.open_path(folder / "p.cground")
    window.show()
    window.activateWindow()
    for _ in range(50):
        app.processEvents()
    window.edit_groups()
    window.groups_dialog.add_button.click()
    window.groups_dialog.done(0)
    window.undoable.wait()
    window.undo_stack.undo()
    window.undoable.wait()
    app.processEvents()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window.sessions_list, Qt.Key.Key_Z, ctrl_shift)
    app.processEvents()
    keys = [k.toString() for k in window.redo_action.shortcuts()]
    print("redone" if window.undo_stack.index() == 1 else "not redone", keys)
    window.close()
    """
)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("xvfb-run") is None,
    reason="a real X11 screen (Xvfb) gives Qt the Linux desktop's standard keys",
)
def test_ctrl_shift_z_redoes_on_a_linux_desktop(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    env.pop("DISPLAY", None)
    done = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-c", LINUX_REDO, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("redone"), done.stdout + done.stderr
    assert "Ambiguous shortcut" not in done.stderr
