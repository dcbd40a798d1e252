"""The theme board's suggestions: suggested themes and "notes like these".

Suggestions are proposals only: they run on a worker thread (the model loads lazily, off
the GUI thread, the first time a board is shown) and nothing moves until the facilitator
accepts. `BoardSuggestions` owns that thread, the model's state, the side panel of
suggested themes and the bar of similar notes (`ui/board/board_similar.py`, mixed in); the
board (`ui/board/theme_board.ThemeBoard`) places those widgets, owns the actions and keys,
and tells it what happens on the board.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workshop_app.services import board as board_service
from workshop_app.services import duplicates, suggestions
from workshop_app.services.board import Board
from workshop_app.services.errors import message_for
from workshop_app.services.project import OpenProject
from workshop_app.services.suggestions import BoardSuggestion, ModelError, ThemeEngine
from workshop_app.ui.board.board_dialogs import notes_phrase
from workshop_app.ui.board.board_items import NoteItem
from workshop_app.ui.board.board_similar import SimilarNotes
from workshop_app.ui.common.commands import Op
from workshop_app.ui.common.widgets import heading, plain_label

T = TypeVar("T")

log = logging.getLogger(__name__)

STATE_WORDS = {
    "idle": "Theme suggestions start when a board is shown.",
    "loading": "Theme suggestions are getting ready…",
    "ready": "Theme suggestions are ready: T suggests themes, L finds notes like these.",
    "failed": (
        "Theme suggestions are not available: {message} "
        "Everything else on the board works as usual."
    ),
}


class SuggestionsHost(Protocol):
    """What the suggestions ask of the board widget."""

    project: OpenProject
    view: QGraphicsView

    def board(self) -> Board | None: ...
    def session_id(self) -> str | None: ...
    def scene(self) -> QGraphicsScene: ...
    def note_item(self, note_id: str) -> NoteItem | None: ...
    def selected_note_ids(self) -> list[str]: ...
    def selected_theme_ids(self) -> list[str]: ...
    def select_notes(self, note_ids: Iterable[str]) -> None: ...
    def theme_name(self, theme_id: str | None) -> str: ...
    def name_new_themes(self, theme_ids: Sequence[str]) -> None: ...
    def perform(
        self, text: str, do: Callable[[], Any], undo: Callable[[Any], object], **kw: Any
    ) -> Op[Any]: ...
    def run(self, fn: Callable[[], T], title: str) -> Op[T]: ...


class _Relay(QObject):
    """Carries a worker thread's answer to the GUI thread (a queued signal)."""

    finished = Signal(int, str, object, object)  # token, kind, result, error message


class BoardSuggestions(SimilarNotes, QObject):
    """Suggested themes and "notes like these" for one board widget (its parent)."""

    state_changed = Signal(str)  # the model's state, in words for the facilitator
    duplicates_wanted = Signal(str)  # the activity whose possible duplicates to check

    def __init__(self, host: SuggestionsHost, engine: ThemeEngine, parent: QObject):
        super().__init__(parent)
        self.host = host
        self.engine = engine
        self.proposals: list[BoardSuggestion] = []
        self._proposal_marked: set[str] = set()
        self.similar: tuple[str, ...] = ()
        self.similar_target: str | None = None
        self._pending_target: str | None = None
        self.model_state = "idle"  # idle | loading | ready | failed
        self.model_message = ""
        self._tokens: dict[str, int] = {}
        self._next_token = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cg-board")
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_worker_done)
        self._similar_timer = QTimer(self)
        self._similar_timer.setSingleShot(True)
        self._similar_timer.setInterval(300)
        self._similar_timer.timeout.connect(self.find_similar)
        self._build_similar_bar()
        self._build_proposals()
        self.model_note = plain_label()
        self.model_note.setAccessibleName("Theme suggestions")

    # ------------------------------------------------------------------ building

    def _build_proposals(self) -> None:
        self.proposals_panel = QWidget()
        self.proposals_panel.setMinimumWidth(240)
        self.proposal_note = plain_label()
        # Before grouping: notes that seem to repeat others, with a way to the wall.
        self.duplicates_note = plain_label()
        self.duplicates_note.setObjectName("board-duplicates")
        self.duplicates_button = QPushButton("Check them on the Notes tab")
        self.duplicates_button.setAccessibleName("Check the possible duplicates on the Notes tab")
        self.duplicates_button.setAutoDefault(False)
        self.duplicates_button.clicked.connect(self._want_duplicates)
        self._duplicates_in: str | None = None  # the first activity with possible duplicates
        self.duplicates_note.hide()
        self.duplicates_button.hide()
        self.proposal_list = QListWidget()
        self.proposal_list.setAccessibleName("Suggested themes")
        self.proposal_list.setMouseTracking(True)
        self.proposal_list.currentRowChanged.connect(self._on_proposal_chosen)
        self.proposal_list.itemEntered.connect(
            lambda item: self._mark_proposal(self.proposal_list.row(item))
        )
        self.accept_button = QPushButton("Accept")
        self.accept_button.setAccessibleName("Accept the suggested theme")
        self.accept_button.clicked.connect(lambda: self.accept_proposals([self._chosen_row()]))
        self.accept_all_button = QPushButton("Accept all")
        self.accept_all_button.setAccessibleName("Accept every suggested theme")
        self.accept_all_button.clicked.connect(
            lambda: self.accept_proposals(range(len(self.proposals)))
        )
        self.reject_button = QPushButton("Reject")
        self.reject_button.setAccessibleName("Reject the suggested theme")
        self.reject_button.clicked.connect(lambda: self.reject_proposal(self._chosen_row()))
        self.close_proposals_button = QPushButton("Close")
        self.close_proposals_button.setAccessibleName("Close the suggestions")
        self.close_proposals_button.clicked.connect(self.close_proposals)
        buttons = QHBoxLayout()
        for b in (self.accept_button, self.accept_all_button, self.reject_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self.proposals_panel)
        layout.addWidget(heading("Suggested themes"))
        layout.addWidget(self.proposal_note)
        layout.addWidget(self.duplicates_note)
        layout.addWidget(self.duplicates_button)
        layout.addWidget(self.proposal_list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.close_proposals_button)
        self.proposals_panel.hide()

    # ------------------------------------------------------------------ the board's calls

    @property
    def ready(self) -> bool:
        return self.model_state == "ready"

    def shutdown(self) -> None:
        """Stop waiting for suggestions (the window is closing): what is queued is
        dropped; a job already running (it may read the project) is waited for."""
        self._tokens.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, work: Callable[[], None]) -> None:
        """Run `work` on the board's worker thread too (guided sorting shares it)."""
        with contextlib.suppress(RuntimeError):  # shut down: the window is closing
            self._pool.submit(work)

    def forget_marks(self) -> None:
        """The board's note items are gone: nothing is marked as proposed any more."""
        self._proposal_marked.clear()

    def find_similar_soon(self) -> None:
        """The selection changed: look for notes like it once it settles."""
        if self.ready:
            self._similar_timer.start()

    def drag_started(self, note_ids: Sequence[str]) -> None:
        """Look for notes like the dragged ones while they are on the move."""
        self._similar_timer.stop()
        if self.ready:
            self._request_similar(note_ids, (), None)

    def dropped_on(self, theme_id: str) -> None:
        """Notes were dropped on a theme: notes like them are offered for it."""
        self._pending_target = theme_id  # "notes like these" found while dragging
        if self.similar and self.similar_target is None:
            self._show_similar(self.similar, theme_id)

    # ------------------------------------------------------------------ the worker

    def _run(self, kind: str, fn: Callable[[], object]) -> None:
        self._next_token += 1
        token = self._tokens[kind] = self._next_token
        relay = self._relay

        def work() -> None:
            result: object = None
            error: str | None = None
            try:
                result = fn()
            except ModelError as exc:
                error = message_for(exc)
            except Exception:  # a bug: logged; the board carries on without suggestions
                log.exception("theme suggestions failed")
                error = "Theme suggestions stopped with an unexpected error (see the log file)."
            with contextlib.suppress(RuntimeError):  # the board has gone
                relay.finished.emit(token, kind, result, error)

        try:
            self._pool.submit(work)
        except RuntimeError:  # shut down
            self._tokens.pop(kind, None)

    def _on_worker_done(self, token: int, kind: str, result: object, error: object) -> None:
        if self._tokens.get(kind) != token:
            return  # a newer request replaced it
        del self._tokens[kind]
        if error is not None:
            self._model_failed(str(error))
        elif kind == "load":
            self.model_state = "ready"
            self.show_state()
            if self.host.scene().selectedItems():
                self._similar_timer.start()
        elif kind == "suggest" and isinstance(result, tuple):
            self._show_proposals(list(result))
        elif kind == "duplicates" and isinstance(result, tuple):
            self._show_duplicates(*result)
        elif kind == "similar" and isinstance(result, tuple):
            self._show_similar(result, self._pending_target)

    def ensure_model(self) -> None:
        """Load the model (off the GUI thread) the first time a board is on screen."""
        if self.model_state != "idle":
            return
        if self.engine.model.loaded:
            self.model_state = "ready"
        else:
            self.model_state = "loading"
            engine = self.engine
            self._run("load", lambda: suggestions.load_model(engine))
        self.show_state()

    def _model_failed(self, message: str) -> None:
        self.model_state = "failed"
        self.model_message = message
        self.proposal_note.setText(message)
        self.show_state()

    def show_state(self) -> None:
        """Say how the suggestions are (and tell the board, which turns its actions on or off)."""
        words = STATE_WORDS[self.model_state].format(message=self.model_message)
        self.model_note.setText(words)
        self.state_changed.emit(words)

    # ------------------------------------------------------------------ suggested themes

    def suggest_themes(self) -> None:
        b = self.host.board()
        if b is None or self.model_state != "ready":
            return
        self.proposals = []
        self.proposal_list.clear()
        self.proposals_panel.show()
        if not b.unthemed:
            self.proposal_note.setText("Every note is in a theme already: nothing to suggest.")
            return
        self.proposal_note.setText(f"Looking for themes among {notes_phrase(len(b.unthemed))}…")
        engine, project = self.engine, self.host.project
        self._run("suggest", lambda: suggestions.suggest_for_board(b, engine, project=project))
        self._count_duplicates(b)

    # ------------------------------------------------------------------ before grouping

    def _count_duplicates(self, b: Board) -> None:
        """Count the unthemed notes that seem to repeat an earlier one and are not marked
        (a second job after the suggestions, on the same worker)."""
        self._show_duplicates(0, None)
        unthemed = set(b.unthemed)
        try:
            lists = duplicates.session_candidates(self.host.project, b.session_id)
        except Exception:  # the count is a hint: the suggestions go on without it
            log.exception("could not read the notes to look for duplicates")
            return
        lists = [[n for n in notes if n.id in unthemed] for notes in lists]
        engine, project = self.engine, self.host.project

        def count() -> tuple[int, str | None]:
            total, first = 0, None
            for notes in lists:
                found = duplicates.search(notes, engine, project=project)
                total += found.repeats
                if found.repeats and first is None:
                    first = notes[0].activity_id
            return total, first

        self._run("duplicates", count)

    def _show_duplicates(self, count: int, activity_id: str | None) -> None:
        self._duplicates_in = activity_id
        if count:
            seem = "seems" if count == 1 else "seem"
            self.duplicates_note.setText(
                f"{notes_phrase(count)} {seem} to repeat an earlier note and not marked as a "
                "duplicate. Check them first, so a theme counts each point once."
            )
        self.duplicates_note.setVisible(bool(count))
        self.duplicates_button.setVisible(bool(count))

    def _want_duplicates(self) -> None:
        if self._duplicates_in is not None:
            self.duplicates_wanted.emit(self._duplicates_in)

    def _show_proposals(self, found: list[BoardSuggestion]) -> None:
        b, p = self.host.board(), self.host.project
        if not found or b is None:
            self._present(found)
            return

        def keep() -> list[BoardSuggestion]:
            try:  # kept for the theme-suggestion audit in exports
                return list(suggestions.record_shown(p, b, found))
            except Exception:  # the audit misses them; the facilitator can still use them
                log.exception("could not keep the suggested themes for the audit")
                return found

        # Stored off the GUI thread like every change; shown once kept.
        self.host.run(keep, "Could not keep the suggested themes").then(self._present)

    def _present(self, found: list[BoardSuggestion]) -> None:
        self.proposals = found
        self.proposal_note.setText(
            "Proposals only: nothing moves until you accept. Choose one to see its notes."
            if found
            else "No themes to suggest."
        )
        self.fill_proposals()
        if found:
            self.proposal_list.setCurrentRow(0)

    def fill_proposals(self) -> None:
        """List the proposals with how many of their notes are still free (after a read)."""
        b = self.host.board()
        rows = self.proposal_list
        row = rows.currentRow()
        rows.blockSignals(True)
        rows.clear()
        for proposal in self.proposals:
            free = sum(1 for n in proposal.note_ids if b is not None and b.theme_of(n) is None)
            text = f"{proposal.label} — {notes_phrase(free)}"
            if free < len(proposal.note_ids):
                text += f" ({len(proposal.note_ids) - free} now in themes)"
            rows.addItem(QListWidgetItem(text))
        rows.setCurrentRow(min(row, rows.count() - 1))
        rows.blockSignals(False)
        has = bool(self.proposals)
        for button in (self.accept_button, self.accept_all_button, self.reject_button):
            button.setEnabled(has)
        self._mark_proposal(rows.currentRow())

    def _chosen_row(self) -> int:
        return self.proposal_list.currentRow()

    def _on_proposal_chosen(self, row: int) -> None:
        self._mark_proposal(row)
        if 0 <= row < len(self.proposals):
            ids = self.proposals[row].note_ids
            items = [i for i in map(self.host.note_item, ids) if i is not None]
            if items:
                self.host.view.ensureVisible(items[0].sceneBoundingRect(), 40, 40)

    def _mark_proposal(self, row: int) -> None:
        ids = set(self.proposals[row].note_ids) if 0 <= row < len(self.proposals) else set()
        changed = self._proposal_marked ^ ids
        self._proposal_marked = ids
        self._remark(changed)

    def _remark(self, note_ids: set[str]) -> None:
        ranks = {n: i for i, n in enumerate(self.similar, 1)}
        for note_id in note_ids:
            item = self.host.note_item(note_id)
            if item is None:
                continue
            if note_id in self._proposal_marked:
                item.set_mark("proposal")
            elif note_id in ranks:
                item.set_mark("similar", str(ranks[note_id]))
            else:
                item.set_mark("")

    def accept_proposals(self, rows: Sequence[int] | range) -> None:
        """Accept suggested themes (one undo step); notes already themed stay put. Then
        each new theme comes into view to be named (its suggested name is only keywords)."""
        chosen = [self.proposals[r] for r in rows if 0 <= r < len(self.proposals)]
        if not chosen or self.host.board() is None:
            return
        p, sid = self.host.project, self._sid()
        proposals = [s.proposal() for s in chosen]
        text = (
            f"Accept suggested theme “{chosen[0].label}”"
            if len(chosen) == 1
            else f"Accept {len(chosen)} suggested themes"
        )

        def accepted(made: Any) -> None:
            self.proposals = [s for s in self.proposals if s not in chosen]
            self.fill_proposals()
            self.host.name_new_themes(made.theme_ids)

        self.host.perform(
            text,
            lambda: board_service.accept_suggestions(p, sid, proposals),
            lambda m: board_service.remove_themes(p, sid, m.theme_ids, m.previous),
            redo=lambda m: board_service.restore_themes(p, sid, m.theme_ids),
        ).then(accepted)

    def reject_proposal(self, row: int) -> None:
        """Drop a suggestion; nothing on the board changes."""
        if 0 <= row < len(self.proposals):
            del self.proposals[row]
            self.fill_proposals()

    def close_proposals(self) -> None:
        self._tokens.pop("suggest", None)
        self._tokens.pop("duplicates", None)
        self._show_duplicates(0, None)
        self.proposals = []
        self.fill_proposals()
        self.proposals_panel.hide()

    def _sid(self) -> str:
        sid = self.host.session_id()
        assert sid is not None
        return sid
