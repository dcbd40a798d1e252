"""Guided sorting on the theme board: "Propose places…" (P) lists, for every note not yet
in a theme, the theme it seems to belong to, with how sure that is ("sure", "likely",
"not sure" and a percentage). Proposals only: nothing moves until the facilitator
accepts one (one undo step); "Accept all sure" takes the sure ones, never a "not sure"
one (its best guess is greyed) and never a note flagged for safeguarding follow-up,
which goes into a theme only when accepted on its own and confirmed.

The proposals are worked out on the board's worker thread (`BoardSuggestions.submit`,
after the model has loaded there), from the notes' kept vectors, and come back through a
queued signal; a newer request replaces an older one. The panel follows the board: a
proposal goes when its note is put in a theme, hidden or taken back meanwhile, or its
theme is deleted. Asking again after placing more notes gives better proposals (the
engine learns from them).
Participants' words are always shown as plain text.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workshop_app.services import board as board_service
from workshop_app.services import placement
from workshop_app.services.board import Board
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.placement import PlaceProposal
from workshop_app.services.project import OpenProject
from workshop_app.services.suggestions import ModelError, ThemeEngine
from workshop_app.services.vectors import vectors_for
from workshop_app.ui.board.board_dialogs import notes_phrase
from workshop_app.ui.common.commands import Op
from workshop_app.ui.common.labels import short
from workshop_app.ui.common.widgets import heading, plain_label, soft_breaks

log = logging.getLogger(__name__)
#: What stops a search with a message for people: the model, the disk.
PROBLEMS: tuple[type[Exception], ...] = (ModelError, *USER_ERRORS)


class PlacementHost(Protocol):
    """What guided sorting asks of the board widget."""

    project: OpenProject

    @property
    def engine(self) -> ThemeEngine: ...
    @property
    def model_state(self) -> str: ...
    def board(self) -> Board | None: ...
    def session_id(self) -> str | None: ...
    def perform(
        self, text: str, do: Callable[[], Any], undo: Callable[[Any], object], **kw: Any
    ) -> Op[Any]: ...


class _Relay(QObject):
    """Carries the worker's answer to the GUI thread (a queued signal)."""

    finished = Signal(int, object, str)  # token, proposals or None, error message


def _where(proposal: PlaceProposal) -> str:
    if proposal.sure:
        return f"→ “{proposal.theme_name}”"
    return f"Best guess: “{proposal.theme_name}”"


class PlaceRow(QFrame):
    """One proposal: the note (plain text), its proposed theme, how sure, two buttons."""

    def __init__(self, proposal: PlaceProposal, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("place-proposal")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.note = plain_label()
        self.note.setObjectName("place-note")
        self.theme = plain_label()
        self.theme.setObjectName("place-theme")
        self.confidence = plain_label(wrap=False)
        self.confidence.setObjectName("place-confidence")
        self.state = plain_label()
        self.state.setObjectName("place-state")
        self.accept_button = QPushButton("Accept")
        self.accept_button.setAutoDefault(False)
        self.reject_button = QPushButton("Reject")
        self.reject_button.setAutoDefault(False)
        where = QHBoxLayout()
        where.addWidget(self.theme, 1)
        where.addWidget(self.confidence)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(where)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        self.proposal = proposal
        self.show_proposal(proposal)

    def show_proposal(self, proposal: PlaceProposal) -> None:
        """Show (or bring up to date) the proposal: a renamed theme, a new flag."""
        self.proposal = proposal
        note = short(proposal.note_text, 200)
        self.note.setText(f"“{note}”")
        self.theme.setText(_where(proposal))
        self.theme.setEnabled(proposal.sure)  # a guess only: greyed
        self.confidence.setText(f"{proposal.word} · {proposal.percent} %")
        self.confidence.setEnabled(proposal.sure)
        states = []
        if proposal.flagged:
            states.append("Flagged for safeguarding follow-up: accept it on its own.")
        if proposal.waiting:
            states.append("Waiting for approval.")
        self.state.setText(" ".join(states))
        self.state.setVisible(bool(states))
        brief, theme = short(proposal.note_text, 60), proposal.theme_name
        self.setAccessibleName(
            f"Proposal for “{brief}”: “{theme}”, {proposal.word}, {proposal.percent} %"
            + (", flagged" if proposal.flagged else "")
        )
        self.accept_button.setAccessibleName(f"Accept: put “{brief}” in “{theme}”")
        self.reject_button.setAccessibleName(f"Reject the proposal for “{brief}”")


class PlacementPanel(QWidget):
    """The board's side panel of proposed places for the notes not yet in a theme."""

    def __init__(
        self,
        host: PlacementHost,
        submit: Callable[[Callable[[], None]], None],
        parent: QWidget | None = None,
    ):
        """`submit` runs work on the board's worker thread (`BoardSuggestions.submit`)."""
        super().__init__(parent)
        self.setObjectName("board-placement")
        self.setMinimumWidth(280)
        self.host = host
        self._submit = submit
        self.rows: list[PlaceRow] = []
        self.searched = False  # an answer came for the newest request
        self._token = 0
        self._placed_since = 0  # notes accepted since the proposals were made
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_found)

        self.status = plain_label()
        self.status.setObjectName("place-status")
        self.status.setAccessibleName("Proposed places")
        self.said = plain_label()
        self.said.setObjectName("place-said")
        self.said.hide()
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._list)
        self.list_area = scroll
        self.accept_sure_button = QPushButton("Accept all sure")
        self.accept_sure_button.setAutoDefault(False)
        self.accept_sure_button.setAccessibleName(
            "Accept every proposal marked sure, except flagged notes"
        )
        self.accept_sure_button.clicked.connect(self.accept_all_sure)
        self.again_button = QPushButton("Propose again")
        self.again_button.setAutoDefault(False)
        self.again_button.setAccessibleName("Propose places again, learning from placed notes")
        self.again_button.clicked.connect(self.propose)
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.setAccessibleName("Close the proposed places")
        self.close_button.clicked.connect(self.close_panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("Proposed places"))
        layout.addWidget(self.status)
        layout.addWidget(self.said)
        layout.addWidget(scroll, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.accept_sure_button)
        bottom.addWidget(self.again_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        self._update_buttons()
        self.hide()

    @property
    def proposals(self) -> list[PlaceProposal]:
        """The proposals on show, not yet accepted or rejected, in the board's order."""
        return [r.proposal for r in self.rows]

    # ------------------------------------------------------------------ the board's calls

    def propose(self) -> None:
        """Propose a theme for every note not yet in one (off the GUI thread); the panel
        shows itself and says what it is doing. Asking again replaces the proposals."""
        b = self.host.board()
        if b is None or self.host.model_state != "ready":
            return
        self._token += 1
        self._clear()
        self.show()
        if not b.unthemed:
            self._finish("Every note is in a theme already: nothing to propose.")
            return
        if not placement.usable_themes(b):
            self._finish(
                "There are no themes to propose yet. Make a few themes first (N), or bring "
                "in the themes of earlier sessions (B): their names are enough to start."
            )
            return
        self.status.setText(f"Looking for places for {notes_phrase(len(b.unthemed))}…")
        token, relay = self._token, self._relay
        project, engine = self.host.project, self.host.engine

        def work() -> None:
            found: tuple[PlaceProposal, ...] | None = None
            error = ""
            try:  # the notes' kept vectors (services/vectors.py): only new notes are encoded
                found = placement.propose_places(b, engine, vectors_for(project, b.notes, engine))
            except PROBLEMS as exc:
                error = message_for(exc)
            except Exception:  # a bug: logged; the board carries on
                log.exception("proposing places failed")
                error = "Proposing places stopped with an unexpected error (see the log file)."
            with contextlib.suppress(RuntimeError):  # the board has gone
                relay.finished.emit(token, found, error)

        self._submit(work)

    def board_changed(self, b: Board) -> None:
        """The board was read again: a proposal whose note went into a theme, was hidden
        or taken back, or whose theme was deleted, goes; the others show the news (a
        renamed theme, a flag, an approval)."""
        if not self.rows:
            return
        changed = False
        for row in list(self.rows):
            p = row.proposal
            note, theme = b.note(p.note_id), b.theme(p.theme_id)
            if note is None or theme is None or b.theme_of(p.note_id) is not None:
                self._drop(row)
                changed = True
                continue
            now = replace(
                p,
                note_text=note.text,
                theme_name=theme.name,
                waiting=note.waiting,
                flagged=note.flagged,
            )
            if now != p:
                row.show_proposal(now)
                changed = True
        if changed:
            self._say()

    def close_panel(self) -> None:
        self._token += 1  # an answer still on its way is dropped
        self._clear()
        self.hide()

    # ------------------------------------------------------------------ answers

    def _on_found(self, token: int, found: object, error: str) -> None:
        if token != self._token:
            return  # a newer request replaced it, or the panel was closed
        if not isinstance(found, tuple):
            self._finish(error)
            return
        self.searched = True
        b = self.host.board()
        for proposal in found:
            if isinstance(proposal, PlaceProposal):
                self._add_row(proposal)
        if b is not None:
            self.board_changed(b)  # the board may have changed while the engine worked
        self._say()

    def _finish(self, text: str) -> None:
        self.searched = True
        self.status.setText(text)
        self._update_buttons()

    def _say(self) -> None:
        if not self.rows:
            self.status.setText("No proposals left.")
            self._update_buttons()
            return
        count = {
            word: sum(1 for r in self.rows if r.proposal.word == word)
            for word in (placement.SURE, placement.LIKELY, placement.NOT_SURE)
        }
        parts = [f"{n} {word}" for word, n in count.items() if n]
        text = (
            f"{notes_phrase(len(self.rows))} not yet in a theme: {', '.join(parts)}. "
            "Proposals only: nothing moves until you accept."
        )
        if self._placed_since:
            text += " Propose again (P) to learn from the notes placed since."
        self.status.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.accept_sure_button.setEnabled(any(r.proposal.in_bulk for r in self.rows))
        self.again_button.setEnabled(self.host.model_state == "ready")

    def _add_row(self, proposal: PlaceProposal) -> None:
        row = PlaceRow(proposal)
        row.accept_button.clicked.connect(lambda _c=False, r=row: self.accept(r))
        row.reject_button.clicked.connect(lambda _c=False, r=row: self.reject(r))
        self._list_layout.insertWidget(len(self.rows), row)
        self.rows.append(row)

    def _drop(self, row: PlaceRow) -> None:
        """Take a row away; the keyboard moves on to the next row's Accept."""
        focus = QApplication.focusWidget()
        had_focus = focus is not None and row.isAncestorOf(focus)
        index = self.rows.index(row)
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        if had_focus:
            if self.rows:
                self.rows[min(index, len(self.rows) - 1)].accept_button.setFocus()
            else:
                self.again_button.setFocus()

    def _clear(self) -> None:
        for row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        self.searched = False
        self._placed_since = 0
        self.said.hide()
        self._update_buttons()

    def _tell(self, text: str) -> None:
        self.said.setText(text)
        self.said.setVisible(bool(text))

    # ------------------------------------------------------------------ accepting

    def accept(self, row: PlaceRow) -> None:
        """Put this one note in its proposed theme (one undo step). A flagged note asks
        first; a "not sure" one goes to the best guess, as the facilitator chose it."""
        p = row.proposal
        confirmed: tuple[str, ...] = ()
        if p.flagged:
            if not self._confirm_flagged(p):
                return
            confirmed = (p.note_id,)
        self._tell("")
        self._place([p], f"Put “{short(p.note_text)}” in “{p.theme_name}”", confirmed)

    def accept_all_sure(self) -> None:
        """Accept every proposal marked sure (one undo step); not-sure, likely and flagged
        notes stay, and the panel says how many."""
        chosen = [r.proposal for r in self.rows if r.proposal.in_bulk]
        if not chosen:
            return
        flagged = sum(
            1 for r in self.rows if r.proposal.word == placement.SURE and r.proposal.flagged
        )
        others = sum(1 for r in self.rows if r.proposal.word != placement.SURE)
        op = self._place(chosen, f"Accept {notes_phrase(len(chosen))} proposed as sure", ())
        if op is None:
            return
        left = []
        if others:
            left.append(f"{notes_phrase(others)} likely or not sure, to accept one at a time")
        if flagged:
            are = "is" if flagged == 1 else "are"
            left.append(
                f"{notes_phrase(flagged)} flagged for safeguarding follow-up, which {are} "
                "never accepted in bulk: accept each on its own and confirm"
            )
        put = f"Put {notes_phrase(len(chosen))} in their themes."
        said = f"{put} Left: {'; '.join(left)}." if left else put
        op.then(lambda _before: self._tell(said))

    def reject(self, row: PlaceRow) -> None:
        """Drop a proposal; nothing on the board changes."""
        self._drop(row)
        self._say()

    def _place(
        self, chosen: Sequence[PlaceProposal], text: str, confirmed: Sequence[str]
    ) -> Op[Any] | None:
        """Put the chosen notes in their proposed themes, off the GUI thread (None: there
        is no board to put them on)."""
        p, sid = self.host.project, self.host.session_id()
        if self.host.board() is None or sid is None:
            return None
        places = {x.note_id: x.theme_id for x in chosen}
        return self.host.perform(
            text,
            lambda: board_service.place_proposed(p, sid, places, flagged_confirmed=confirmed),
            lambda before: board_service.place_notes(p, sid, before),
            # Redo asks for no confirmation: it never puts a flagged note in a theme unasked.
            redo=lambda _before: board_service.place_proposed(p, sid, places),
        ).then(self._placed)

    def _placed(self, before: Sequence[object]) -> None:
        self._placed_since += len(before)
        self._say()

    def _confirm_flagged(self, p: PlaceProposal) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Put a flagged note in a theme?",
            "",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("place-flagged")
        box.setTextFormat(Qt.TextFormat.PlainText)
        quoted = soft_breaks(short(p.note_text, 120))  # a long link wraps, all of it read
        box.setText(
            f"“{quoted}”\n\nThis note is flagged for safeguarding follow-up. "
            "The projector shows each theme's name and number of notes, so it will count "
            f"in “{p.theme_name}”; its words are not shown with the theme."
        )
        keep = box.addButton("Leave it where it is", QMessageBox.ButtonRole.RejectRole)
        put = box.addButton("Put it in the theme", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(keep)  # Enter leaves it
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is put
