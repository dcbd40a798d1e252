"""The theme board's actions and toolbar: what every key, menu entry and button does.

Short words on the toolbar (so it fits a laptop screen); the full names are in the menus,
tooltips and accessible names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from workshop_app.ui.common import keys
from workshop_app.ui.common.action_bar import ActionBar

if TYPE_CHECKING:
    from workshop_app.ui.board.theme_board import ThemeBoard


def make_action(
    board: ThemeBoard,
    text: str,
    key: keys.Key | None,
    slot: Callable[[], object],
    *more: keys.Key,
) -> QAction:
    """An action of the board: its keys work while the board has the focus."""
    action = QAction(text, board)
    if key is not None:
        keys.set_keys(action, key, *more, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(keys.tip(text.rstrip("…"), action))
    action.triggered.connect(lambda _checked=False: slot())
    board.addAction(action)
    return action


def build(board: ThemeBoard) -> None:
    """Every action of the board (with its key) and the toolbar showing them."""
    board.new_action = make_action(board, "New theme…", "N", board.new_theme)
    board.move_action = make_action(board, "Move to theme…", "M", board.move_to_theme)
    board.rename_action = make_action(board, "Rename…", "F2", board.rename_theme)
    board.colour_action = make_action(board, "Colour…", "C", board.recolour_theme)
    board.merge_action = make_action(board, "Merge themes", "Shift+M", board.merge_themes)
    board.split_action = make_action(board, "Split into new theme…", "S", board.split_theme)
    # Del itself: the platform's Delete also means Ctrl+D on Linux (an editing key).
    board.delete_action = make_action(board, "Delete theme", "Del", board.delete_themes)
    board.suggest_action = make_action(board, "Suggest themes", "T", board.suggest_themes)
    board.similar_action = make_action(board, "Notes like these", "L", board.find_similar)
    board.place_action = make_action(board, "Propose places…", "P", board.placement.propose)
    board.bring_in_action = make_action(
        board, "Bring in priorities…", "B", board.bring_in_priorities
    )
    board.link_action = make_action(board, "Link to standard…", "K", board.link_to_standard)
    for shortened, short in (
        (board.bring_in_action, "Bring in…"),
        (board.link_action, "Link…"),
        (board.move_action, "Move…"),
        (board.merge_action, "Merge"),
        (board.split_action, "Split…"),
        (board.delete_action, "Delete"),
        (board.suggest_action, "Suggest"),
        (board.similar_action, "Like these"),
        (board.place_action, "Places…"),
    ):
        shortened.setIconText(short)
    board.zoom_in_action = make_action(board, "Zoom in", "Ctrl+=", board.zoom_in, "Ctrl++")
    board.zoom_out_action = make_action(board, "Zoom out", "Ctrl+-", board.zoom_out)
    board.fit_action = make_action(board, "Fit the board", "Ctrl+0", board.fit)
    board.zoom_in_action.setIconText("+")
    board.zoom_out_action.setIconText("−")
    board.fit_action.setIconText("Fit")
    board.select_all_action = make_action(board, "Select all notes", "Ctrl+A", board.select_all)
    # Wraps onto a second row when narrow (the Live panel open): nothing folded away.
    board.toolbar = ActionBar("Theme board actions")
    for shown in (
        board.new_action,
        board.move_action,
        board.rename_action,
        board.colour_action,
        board.merge_action,
        board.split_action,
        board.delete_action,
        None,
        board.suggest_action,
        board.similar_action,
        board.place_action,
        None,
        board.bring_in_action,
        board.link_action,
        None,
        board.zoom_out_action,
        board.zoom_in_action,
        board.fit_action,
    ):
        if shown is None:
            board.toolbar.add_separator()
            continue
        board.toolbar.add(shown).setAccessibleName(shown.text().rstrip("…"))
