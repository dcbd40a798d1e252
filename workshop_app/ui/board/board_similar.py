"""The theme board's "notes like these": the unthemed notes most like the chosen notes or
theme, outlined and numbered on the board, with a bar to add them to the theme (one undo
step) or select them.

`SimilarNotes` is a part of `ui/board/board_suggestions.BoardSuggestions` (mixed in: its
names are the suggestions' own); the search runs on their worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from workshop_app.services import board as board_service
from workshop_app.services import suggestions
from workshop_app.services.suggestions import ThemeEngine
from workshop_app.ui.board.board_dialogs import notes_phrase
from workshop_app.ui.common.widgets import plain_label

if TYPE_CHECKING:
    from workshop_app.ui.board.board_suggestions import SuggestionsHost

#: How many notes "notes like these" outlines.
SIMILAR_TOP = 8


def amp(text: str) -> str:
    """Text for a button or menu, where "&" would otherwise mark a shortcut letter."""
    return text.replace("&", "&&")


class SimilarNotes:
    """The bar of similar notes and the search behind it."""

    # The suggestions' state these methods share (set in BoardSuggestions.__init__).
    host: SuggestionsHost
    engine: ThemeEngine
    model_state: str
    similar: tuple[str, ...]
    similar_target: str | None
    _pending_target: str | None
    _tokens: dict[str, int]
    _similar_timer: QTimer
    similar_bar: QWidget
    similar_label: QLabel
    add_similar_button: QPushButton
    dismiss_similar_button: QPushButton

    if TYPE_CHECKING:  # the suggestions' own calls

        def _run(self, kind: str, fn: Callable[[], object]) -> None: ...
        def _remark(self, note_ids: set[str]) -> None: ...
        def _sid(self) -> str: ...

    def _build_similar_bar(self) -> None:
        self.similar_bar = QWidget()
        self.similar_label = plain_label()
        self.add_similar_button = QPushButton()
        self.add_similar_button.clicked.connect(self.add_similar)
        self.dismiss_similar_button = QPushButton("Dismiss")
        self.dismiss_similar_button.setAccessibleName("Dismiss similar notes")
        self.dismiss_similar_button.clicked.connect(self.dismiss_similar)
        row = QHBoxLayout(self.similar_bar)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.similar_label, 1)
        row.addWidget(self.add_similar_button)
        row.addWidget(self.dismiss_similar_button)
        self.similar_bar.hide()

    def find_similar(self) -> None:
        """Outline the unthemed notes most like the chosen notes or theme."""
        b = self.host.board()
        if b is None or self.model_state != "ready":
            return
        themes, notes = self.host.selected_theme_ids(), self.host.selected_note_ids()
        if len(themes) == 1 and not notes:
            theme = b.theme(themes[0])
            assert theme is not None
            self._request_similar(theme.note_ids, (theme.name,), theme.id)
        elif notes:
            places = {b.theme_of(n) for n in notes}
            self._request_similar(notes, (), places.pop() if len(places) == 1 else None)
        else:
            self.dismiss_similar()

    def _request_similar(
        self, anchors: Sequence[str], texts: Sequence[str], target: str | None
    ) -> None:
        b, engine, project = self.host.board(), self.engine, self.host.project
        if b is None:
            return
        self._pending_target = target
        anchors, texts = tuple(anchors), tuple(texts)
        self._run(
            "similar",
            lambda: suggestions.similar_notes(
                b, anchors, texts, SIMILAR_TOP, engine=engine, project=project
            ),
        )

    def _show_similar(self, ids: Sequence[str], target: str | None) -> None:
        old = set(self.similar)
        self.similar = tuple(n for n in ids if self.host.note_item(n) is not None)
        self.similar_target = target
        self._remark(old | set(self.similar))
        if not self.similar:
            self.similar_bar.hide()
            return
        n = len(self.similar)
        self.similar_label.setText(
            f"Outlined and numbered: the {notes_phrase(n)} not yet in a theme most like these."
        )
        if target is not None:
            text = f"Add {n} similar notes to “{self.host.theme_name(target)}”"
        else:
            text = f"Select the {n} similar notes"
        self.add_similar_button.setText(amp(text))
        self.add_similar_button.setAccessibleName(text)
        self.similar_bar.show()

    def add_similar(self) -> None:
        """Accept the outlined notes: into the theme, or into the selection."""
        b = self.host.board()
        ids = [n for n in self.similar if b is not None and b.theme_of(n) is None]
        target = self.similar_target
        self.dismiss_similar()
        if not ids:
            return
        if target is None:
            self.host.select_notes(ids)
            return
        p, sid = self.host.project, self._sid()
        self.host.perform(
            f"Add {len(ids)} similar notes to “{self.host.theme_name(target)}”",
            lambda: board_service.move_notes(p, sid, ids, target),
            lambda prev: board_service.place_notes(p, sid, prev),
        )

    def dismiss_similar(self) -> None:
        self._tokens.pop("similar", None)
        self._similar_timer.stop()
        self._show_similar((), None)
