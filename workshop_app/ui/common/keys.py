"""Keyboard shortcuts: every action's keys in one place, each key sequence once.

Qt's standard keys differ by platform. `StandardKey.Redo` is Ctrl+Shift+Z alone on Linux
desktops, Ctrl+Y, Alt+Shift+Backspace and Ctrl+Shift+Z on Windows, Ctrl+Shift+Z (⌘⇧Z) on
macOS. An action that names Ctrl+Shift+Z itself *and* the standard Redo lists Ctrl+Shift+Z
twice wherever the platform has it too; Qt then finds the key ambiguous and runs neither
(Redo did nothing on Linux). So every action and shortcut with a key takes its keys from
`sequences`: our own keys first (menus show the first), then the platform's standard
ones, each sequence once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

Key = str | QKeySequence | QKeySequence.StandardKey
"""A key as the code names it: "Ctrl+Shift+Z", a QKeySequence, or a platform standard key."""

Bindings = Callable[[QKeySequence.StandardKey], Iterable[QKeySequence]]
"""A platform's table of standard keys (Qt's own by default; tests pass other platforms')."""


def standard_bindings(key: QKeySequence.StandardKey) -> list[QKeySequence]:
    """This platform's sequences for a standard key (Qt's table; fixed for the process)."""
    return list(QKeySequence.keyBindings(key))


def sequences(*keys: Key, bindings: Bindings | None = None) -> list[QKeySequence]:
    """The key sequences for `keys`, in order, each once and none empty.

    A standard key brings all of the platform's sequences for it (as Qt's own
    `QAction.setShortcuts(StandardKey)` does); our explicit keys keep their place first.
    `bindings` is the platform's table (`standard_bindings` unless given).
    """
    table = bindings or standard_bindings
    out: list[QKeySequence] = []
    seen: set[str] = set()
    for key in keys:
        found = table(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]
        for sequence in found:
            name = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if name and name not in seen:
                seen.add(name)
                out.append(sequence)
    return out


def set_keys(
    target: QAction | QShortcut, *keys: Key, context: Qt.ShortcutContext | None = None
) -> None:
    """Give an action or shortcut its keys (see `sequences`) and, if given, their context."""
    found = sequences(*keys)
    if isinstance(target, QAction):
        target.setShortcuts(found)
        if context is not None:
            target.setShortcutContext(context)
    else:
        target.setKeys(found)
        if context is not None:
            target.setContext(context)


def shown(action: QAction) -> str:
    """The action's first key as the platform writes it ("Ctrl+Shift+O", "⇧⌘O"); "" if none."""
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


def tip(text: str, action: QAction) -> str:
    """A tooltip that ends with the key, the way menus show it: "Open the activity (Ctrl+…)"."""
    key = shown(action)
    return f"{text} ({key})" if key else text
