"""The theme board's actions: new theme, move, rename, colour, merge, split, delete,
bring in priorities and link to a standard, each one undo step run off the GUI thread.

`BoardActions` is a part of the board widget (`ui/board/theme_board.ThemeBoard` mixes it
in: its methods are the board's own, under the same names). What each change is and which
service carries it out is decided in `ui/board/board_presenter.py`; the dialogs are in
`ui/board/board_dialogs.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import QDialog, QGraphicsItem, QGraphicsView, QWidget

from workshop_app.services import carry as carry_service
from workshop_app.services.board import Board
from workshop_app.services.project import OpenProject
from workshop_app.ui.board.board_dialogs import ColourDialog, ThemePicker, ask_name, notes_phrase
from workshop_app.ui.board.board_items import AreaItem
from workshop_app.ui.board.board_presenter import BoardPresenter
from workshop_app.ui.board.carry_dialog import bring_in_priorities
from workshop_app.ui.common.commands import Actions, Op
from workshop_app.ui.common.source_picker import link_to_standard

if TYPE_CHECKING:
    _Widget = QWidget  # the board, for the type checker
else:
    _Widget = object

T = TypeVar("T")


class BoardActions(_Widget):
    """The board's changes, each one undo step (`Actions.perform`), redrawn once stored."""

    # The board's state these methods share (set in ThemeBoard.__init__).
    project: OpenProject
    undoable: Actions
    presenter: BoardPresenter
    view: QGraphicsView
    _areas: dict[str | None, AreaItem]
    _current: QGraphicsItem | None
    _dirty: bool

    if TYPE_CHECKING:  # the board's own calls (ui/board/theme_board, ui/board/board_scene)

        def refresh_now(self) -> None: ...
        def _apply(self, b: Board) -> None: ...
        def _update_actions(self) -> None: ...
        def theme_name(self, theme_id: str | None) -> str: ...
        def set_current(self, item: QGraphicsItem | None) -> None: ...
        def _chosen_notes(self) -> list[str]: ...
        def _chosen_themes(self) -> list[str]: ...

    def perform(
        self, text: str, do: Callable[[], Any], undo: Callable[[Any], object], **kw: Any
    ) -> Op[Any]:
        """One undoable board change (`Actions.perform`, off the GUI thread); the board
        redraws once it is stored."""
        return self.undoable.perform(text, do, undo, **kw).then(self._stored)

    def run(self, fn: Callable[[], T], title: str) -> Op[T]:
        """A change with no undo step of its own, off the GUI thread (`Actions.run`)."""
        return self.undoable.run(fn, title)

    def _stored(self, _result: object) -> None:
        self._dirty = True
        self.refresh_now()

    def _move(self, note_ids: Sequence[str], theme_id: str | None) -> Op[Any]:
        """Move notes (one undo step): drawn moved at once, read again once stored; if
        the project refuses it the board is read again (the cards go back)."""
        op = self.presenter.move(self.perform, note_ids, theme_id)
        b = self.presenter.board
        if not op.done and b is not None:
            self._apply(b)
            self._update_actions()
        return op.refused(self._read_again)

    def _read_again(self) -> None:
        self._dirty = True
        self.refresh_now()

    def _create(self, name: str, colour: str, note_ids: Sequence[str]) -> Op[str]:
        return self.presenter.create(self.perform, name, colour, note_ids)

    def new_theme(self, note_ids: Sequence[str] | None = None) -> None:
        """New theme from the chosen notes (or `note_ids`), asking for its name."""
        if self.presenter.board is None:
            return
        ids = list(note_ids) if note_ids is not None else self._chosen_notes()
        title = f"New theme from {notes_phrase(len(ids))}" if ids else "New theme"
        name = ask_name(self, title, "What is the theme about? A few words the room will know.")
        if name is not None:
            self._create(name, "", ids)

    def move_to_theme(self) -> None:
        ids, b = self._chosen_notes(), self.presenter.board
        if b is None or not ids:
            return
        picker = ThemePicker(b, f"Move {notes_phrase(len(ids))} to…", self)
        if picker.exec() == QDialog.DialogCode.Accepted:
            self._move(ids, picker.choice)

    def rename_theme(self) -> None:
        themes = self._chosen_themes()
        if len(themes) == 1:
            self._rename(themes[0], "Rename theme", "The theme’s new name:")

    def _rename(self, theme_id: str, title: str, explanation: str) -> None:
        """Ask for a theme's name, its name now typed in and selected (one undo step)."""
        name = ask_name(self, title, explanation, self.theme_name(theme_id))
        if name is not None:
            self.presenter.rename(self.perform, theme_id, name)

    def name_new_themes(self, theme_ids: Sequence[str]) -> None:
        """Accepted suggestions: bring each new theme into view and ask for its name.

        A suggested name is a few keywords, and a theme's name reaches the projector,
        the phones and the reports: so the facilitator names it at once, the suggestion
        typed in and selected (typing replaces it, Enter or Escape keeps it).
        """
        ids = [t for t in theme_ids if t in self._areas]
        for n, theme_id in enumerate(ids, 1):
            area = self._areas.get(theme_id)
            if area is None:  # gone meanwhile (undone from another window)
                continue
            self.set_current(area)
            self.view.ensureVisible(area.header_rect(), 40, 40)
            of = f" ({n} of {len(ids)})" if len(ids) > 1 else ""
            self._rename(
                theme_id,
                f"Name the new theme{of}",
                "The suggested name is only a starting point: say in a few words what "
                "these notes say. The room will see this name. Escape keeps the suggestion.",
            )

    def recolour_theme(self) -> None:
        themes = self._chosen_themes()
        b = self.presenter.board
        theme = None if b is None or len(themes) != 1 else b.theme(themes[0])
        if theme is None:
            return
        dialog = ColourDialog(theme.colour, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.presenter.recolour(self.perform, theme.id, dialog.colour())

    def merge_themes(self) -> None:
        current = self._current
        into = current.theme_id if isinstance(current, AreaItem) else None
        self.presenter.merge(self.perform, self._chosen_themes(), into)

    def split_theme(self) -> None:
        ids = self._chosen_notes()
        theme_id = self.presenter.split_from(ids)
        if theme_id is None:
            return
        name = ask_name(
            self,
            f"Split {notes_phrase(len(ids))} out of “{self.theme_name(theme_id)}”",
            "The name of the new theme for these notes:",
        )
        if name is not None:
            self.presenter.split(self.perform, theme_id, ids, name)

    def delete_themes(self) -> None:
        """Delete the chosen themes; their notes go back to “Not yet in a theme”."""
        themes = self._chosen_themes()
        if not themes:
            return
        with self.undoable.one_step(f"Delete {len(themes)} themes"):
            for theme_id in themes:
                self._delete_one(theme_id)

    def _delete_one(self, theme_id: str) -> None:
        self.presenter.delete(self.perform, theme_id)

    def bring_in_priorities(self) -> None:
        """Bring themes of earlier sessions, with their votes, onto this board."""
        sid = self.presenter.session_id
        if self.presenter.board is not None and sid is not None:
            bring_in_priorities(self, self.project, self.perform, self.undoable.errors, sid)

    def link_to_standard(self) -> None:
        """Link the chosen notes and themes to a standard as its sources."""
        if self.presenter.board is not None:
            link_to_standard(
                self,
                self.project,
                self.undoable.perform,
                self.undoable.errors,
                self._chosen_themes(),
                self._chosen_notes(),
            )

    def theme_origins(self, theme_id: str | None) -> carry_service.ThemeOrigins | None:
        """Where a theme on the board came from (read once, when first shown)."""
        return self.presenter.theme_origins(theme_id)
