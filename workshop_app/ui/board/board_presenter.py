"""What the theme board knows and decides, without a widget: the board as last read, which
actions apply to what is chosen, where the keyboard goes next, what a drop means, the
words of the status line, and every change as one undoable service call.

The view (`ui/board/theme_board.ThemeBoard`) draws the board, asks the facilitator (names,
colours, the theme to move to) and hands the answers here. `perform` is the view's own:
`Actions.perform` (one undo step, a refused change shown), then a redraw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from workshop_app.services import board as board_service
from workshop_app.services import carry as carry_service
from workshop_app.services.board import Board
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.project import OpenProject
from workshop_app.ui.board.board_dialogs import UNTHEMED_NAME, notes_phrase
from workshop_app.ui.board.carry_dialog import origin_words
from workshop_app.ui.common.commands import Op

#: `perform(text, do, undo, redo=...)`: one undoable change, off the GUI thread (an `Op`).
Perform = Callable[..., Op[Any]]


@dataclass(frozen=True, slots=True)
class ActionStates:
    """Which board actions apply now (the toolbar, menus and keys follow these)."""

    new: bool = False
    move: bool = False
    rename: bool = False
    colour: bool = False
    merge: bool = False
    split: bool = False
    delete: bool = False
    suggest: bool = False
    place: bool = False
    similar: bool = False
    bring_in: bool = False
    link: bool = False
    zoom: bool = False


@dataclass(frozen=True, slots=True)
class Drop:
    """What a drag ends in: `new_theme` of the notes, or `move` them to `theme_id` (None:
    out of their themes). Nothing to move: both empty, the cards go back."""

    new_theme: tuple[str, ...] = ()
    move: tuple[str, ...] = ()
    theme_id: str | None = None


def nearest(
    here: tuple[float, float],
    there: Sequence[tuple[float, float]],
    dx: int,
    dy: int,
) -> int | None:
    """The arrow keys' rule: the index of the place nearest `here` in direction (dx, dy),
    going along that direction counting once and sideways twice; None when nothing lies
    that way."""
    best: tuple[float, int] | None = None
    for i, (x, y) in enumerate(there):
        vx, vy = x - here[0], y - here[1]
        along = vx * dx + vy * dy
        if along <= 1:
            continue
        score = along + 2 * abs(vx * dy - vy * dx)
        if best is None or score < best[0]:
            best = (score, i)
    return None if best is None else best[1]


class BoardPresenter:
    """One session's board: read from the project, and changed through `perform`."""

    def __init__(self, project: OpenProject):
        self.project = project
        self.session_id: str | None = None
        self.board: Board | None = None
        self._origins: dict[str, carry_service.ThemeOrigins] = {}  # read when shown
        # Moves drawn at once and not yet stored (or refused): numbered as handed in.
        self._moving: dict[int, tuple[tuple[str, ...], str | None]] = {}
        self._moves = 0

    # ------------------------------------------------------------------ reading

    def show_session(self, session_id: str | None) -> bool:
        """Follow another session; True when it is another one (forget the old board)."""
        if session_id == self.session_id:
            return False
        self.session_id = session_id
        self.board = None
        self._origins.clear()
        self._moving.clear()  # the other session's moves are not this board's
        return True

    def read(self) -> str | None:
        """Read the board again. None when there is one to draw (`board`), else the words
        to show instead of it."""
        return self.take(self.fetch(self.session_id))

    def fetch(self, session_id: str | None) -> Board | str:
        """A session's board as stored, or the words to show instead of it. Reads only, so
        it may run on any thread (the board's background reads: `ui/common/background.py`)."""
        if session_id is None:
            return "Choose a session to see its theme board."
        try:
            b = board_service.board(self.project, session_id)
        except USER_ERRORS as exc:
            return message_for(exc)
        return b.explanation if b.activity_id is None else b

    def take(self, fetched: Board | str) -> str | None:
        """Show what `fetch` found: None when there is a board to draw (`board`), else the
        words to show instead. Moves still on their way are drawn done: the read may have
        begun before they were stored, and the board already shows them moved."""
        if isinstance(fetched, str):
            self.board = None
            return fetched
        for note_ids, theme_id in self._moving.values():
            fetched = fetched.moved(note_ids, theme_id)
        self.board = fetched
        return None

    def forget(self) -> None:
        self.board = None

    def theme_name(self, theme_id: str | None) -> str:
        """A theme's name as last read (None or a theme gone: “Not yet in a theme”)."""
        theme = None if theme_id is None or self.board is None else self.board.theme(theme_id)
        return UNTHEMED_NAME if theme is None else theme.name

    def theme_origins(self, theme_id: str | None) -> carry_service.ThemeOrigins | None:
        """Where a theme on the board came from (read once, when first shown)."""
        if theme_id is None:
            return None
        if theme_id not in self._origins:
            try:
                self._origins[theme_id] = carry_service.origins(self.project, theme_id)
            except USER_ERRORS:
                return None
        return self._origins[theme_id]

    def reading_order(self) -> list[tuple[str, str]]:
        """Tab's order: ("note", id) and ("theme", id), the unthemed notes first, then each
        theme followed by its notes."""
        b = self.board
        if b is None:
            return []
        order = [("note", n) for n in b.unthemed]
        for t in b.themes:
            order.append(("theme", t.id))
            order.extend(("note", n) for n in t.note_ids)
        return order

    # ------------------------------------------------------------------ rules

    def in_board_order(
        self, note_ids: Sequence[str], theme_ids: Sequence[str]
    ) -> tuple[list[str], list[str]]:
        """Chosen notes and themes, in the board's order (those no longer on it left out)."""
        b = self.board
        if b is None:
            return [], []
        notes, themes = set(note_ids), set(theme_ids)
        return [n.id for n in b.notes if n.id in notes], [t.id for t in b.themes if t.id in themes]

    def action_states(
        self, notes: Sequence[str], themes: Sequence[str], suggestions_ready: bool
    ) -> ActionStates:
        """Which actions apply to the chosen notes and themes."""
        b = self.board
        if b is None:
            return ActionStates(
                rename=len(themes) == 1,
                colour=len(themes) == 1,
                merge=len(themes) >= 2,
                delete=bool(themes),
            )
        first = b.theme_of(notes[0]) if notes else None
        one_theme = first is not None and all(b.theme_of(n) == first for n in notes)
        ready = suggestions_ready
        return ActionStates(
            new=True,
            move=bool(notes),
            rename=len(themes) == 1,
            colour=len(themes) == 1,
            merge=len(themes) >= 2,
            split=one_theme,
            delete=bool(themes),
            suggest=ready,
            place=ready,
            similar=ready and bool(notes or themes),
            bring_in=True,
            link=bool(notes or themes),
            zoom=True,
        )

    def drop(self, note_ids: Sequence[str], onto: str | None, on_area: bool) -> Drop:
        """A drag of `note_ids` ends on a theme (`onto`), on “Not yet in a theme” (`onto`
        None, `on_area`) or on empty space (a new theme of them)."""
        b = self.board
        if b is None or not note_ids:
            return Drop()
        if not on_area:
            return Drop(new_theme=tuple(note_ids))
        if onto is None:
            return Drop(move=tuple(n for n in note_ids if b.theme_of(n) is not None))
        return Drop(move=tuple(n for n in note_ids if b.theme_of(n) != onto), theme_id=onto)

    def describe_note(self, note_id: str, group_name: str, text: str, selected: bool) -> str:
        """The status line for the note the keyboard is on."""
        where = self.theme_name(None if self.board is None else self.board.theme_of(note_id))
        group = f" ({group_name})" if group_name else ""
        chosen = ", selected" if selected else ""
        return f"Note{group} in “{where}”{chosen}: {text}"

    def describe_theme(self, theme_id: str | None, name: str, count: int, selected: bool) -> str:
        """The status line for the theme the keyboard is on, and where it came from."""
        chosen = ", selected" if selected else ""
        text = f"Theme “{name}”, {notes_phrase(count)}{chosen}"
        origins = self.theme_origins(theme_id)
        if origins is not None and origins.carried:
            text += f"; {origin_words(origins)}"
        return text

    # ------------------------------------------------------------------ changes

    def _sid(self) -> str:
        assert self.session_id is not None
        return self.session_id

    def move(self, perform: Perform, note_ids: Sequence[str], theme_id: str | None) -> Op[Any]:
        """Move notes (one undo step). The board shows them moved at once (`board` is
        what will be stored) while the change is on its way; the `Op` says whether it
        was refused (the error has been shown then, and the board must be read again).
        Only this console's board moves early: the projector shows what is stored."""
        p, sid, ids = self.project, self._sid(), list(note_ids)
        text = (
            f"Move {notes_phrase(len(ids))} to “{self.theme_name(theme_id)}”"
            if theme_id
            else f"Take {notes_phrase(len(ids))} out of their theme"
        )
        op: Op[Any] = perform(
            text,
            lambda: board_service.move_notes(p, sid, ids, theme_id),
            lambda prev: board_service.place_notes(p, sid, prev),
        )
        if self.board is not None and not op.done:
            self.board = self.board.moved(ids, theme_id)
            self._moves += 1
            key = self._moves
            self._moving[key] = (tuple(ids), theme_id)
            op.then(lambda _r: self._moving.pop(key, None)).refused(
                lambda: self._moving.pop(key, None)
            )
        return op

    def create(self, perform: Perform, name: str, colour: str, note_ids: Sequence[str]) -> Op[str]:
        """A new theme of these notes; the `Op`'s result is its id."""
        p, sid, ids = self.project, self._sid(), list(note_ids)
        made: Op[Any] = perform(
            f"Create theme “{name.strip()}”",
            lambda: board_service.create_theme(p, sid, name, colour, ids),
            lambda m: board_service.remove_themes(p, sid, m.theme_ids, m.previous),
            redo=lambda m: board_service.restore_themes(p, sid, m.theme_ids),
        )
        return made.map(lambda m: str(m.theme_ids[0]))

    def rename(self, perform: Perform, theme_id: str, name: str) -> None:
        """Rename a theme (nothing when the name is the same)."""
        old = self.theme_name(theme_id)
        if name.strip() == old:
            return
        p, sid = self.project, self._sid()
        perform(
            f"Rename theme “{old}” to “{name.strip()}”",
            lambda: board_service.rename_theme(p, sid, theme_id, name),
            lambda previous: board_service.rename_theme(p, sid, theme_id, previous),
        )

    def recolour(self, perform: Perform, theme_id: str, colour: str) -> None:
        p, sid = self.project, self._sid()
        perform(
            f"Colour theme “{self.theme_name(theme_id)}”",
            lambda: board_service.recolour_theme(p, sid, theme_id, colour),
            lambda previous: board_service.recolour_theme(p, sid, theme_id, previous),
        )

    def merge(self, perform: Perform, theme_ids: Sequence[str], into: str | None) -> None:
        """Merge themes into `into` (the current theme when it is one of them, else the
        first)."""
        themes = list(theme_ids)
        if len(themes) < 2:
            return
        target = into if into in themes else themes[0]
        assert target is not None
        p, sid = self.project, self._sid()
        perform(
            f"Merge {len(themes)} themes into “{self.theme_name(target)}”",
            lambda: board_service.merge_themes(p, sid, themes, target),
            lambda merged: board_service.restore_themes(p, sid, merged.theme_ids),
        )

    def split_from(self, note_ids: Sequence[str]) -> str | None:
        """The theme chosen notes would be split out of (None: they are in none)."""
        b = self.board
        return None if b is None or not note_ids else b.theme_of(note_ids[0])

    def split(self, perform: Perform, theme_id: str, note_ids: Sequence[str], name: str) -> None:
        p, sid, ids = self.project, self._sid(), list(note_ids)
        perform(
            f"Split {notes_phrase(len(ids))} into “{name.strip()}”",
            lambda: board_service.split_theme(p, sid, theme_id, ids, name),
            lambda m: board_service.remove_themes(p, sid, m.theme_ids, m.previous),
            redo=lambda m: board_service.restore_themes(p, sid, m.theme_ids),
        )

    def delete(self, perform: Perform, theme_id: str) -> None:
        """Delete a theme; its notes go back to “Not yet in a theme”."""
        p, sid = self.project, self._sid()
        perform(
            f"Delete theme “{self.theme_name(theme_id)}”",
            lambda: board_service.delete_theme(p, sid, theme_id),
            lambda gone: board_service.restore_themes(p, sid, (gone.id,)),
        )
