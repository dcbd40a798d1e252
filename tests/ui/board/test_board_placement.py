"""Guided sorting on the theme board (ui/board/board_placement.py): "Propose places…" (P) over a
real project file with the real engine; proposals shown with their confidence, nothing
moved until accepted, one undo step each, flagged notes only one at a time and confirmed,
the panel following the board."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from tests.ui.board.test_theme_board import TEXTS, Rig, _make_rig
from tests.ui.conftest import with_dialog
from workshop_app.services import board as svc
from workshop_app.services import moderation, suggestions
from workshop_app.ui.board.board_placement import PlaceRow

# The engine's answers these tests rely on (checked as preconditions where used): the
# workshop notes go to their themes "sure"; a note about pizza and bare markup fit no theme,
# so they are "not sure" (guide.FIT_FLOOR).
PIZZA, MARKUP = len(TEXTS), len(TEXTS) + 1
PLACES_TEXTS = [*TEXTS, "we had pizza on friday", "<b>x</b>"]
CODEBOOK = ("Parents and apps", "Police and reporting", "School staff", "Someone safe to talk to")


@pytest.fixture(scope="module")
def engine() -> suggestions.ThemeEngine:
    engine = suggestions.ThemeEngine(suggestions.ThemeModel())
    suggestions.load_model(engine)
    return engine


@pytest.fixture
def rig(qtbot, project, engine, refresher) -> Iterator[Rig]:
    yield from _make_rig(qtbot, project, engine, refresher, PLACES_TEXTS)


def _codebook(rig: Rig) -> dict[str, str]:
    """Themes with names only, no notes (a codebook)."""
    return {name: rig.theme(name) for name in CODEBOOK}


def _propose(rig: Rig, qtbot) -> list[PlaceRow]:
    panel = rig.board.placement
    qtbot.waitUntil(lambda: rig.board.place_action.isEnabled(), timeout=30_000)
    rig.key(Qt.Key.Key_P)
    qtbot.waitUntil(lambda: panel.searched, timeout=30_000)
    return list(panel.rows)


def _row(rig: Rig, index: int) -> PlaceRow:
    return next(r for r in rig.board.placement.rows if r.proposal.note_id == rig.notes[index])


def _answer(button_text: str):
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        next(b for b in dialog.buttons() if b.text() == button_text).click()

    return fill


def test_proposing_shows_every_unplaced_note_with_a_theme_and_its_confidence(rig, qtbot):
    themes = _codebook(rig)
    before = rig.stored()
    rows = _propose(rig, qtbot)
    assert rig.board.placement.isVisible()
    assert [r.proposal.note_id for r in rows] == list(before.unthemed)
    assert len(rows) == len(PLACES_TEXTS), "names alone: every note gets a proposal"
    for row in rows:
        assert re.fullmatch(r"(sure|likely|not sure) · \d{1,3} %", row.confidence.text())
        assert row.proposal.theme_id in themes.values()
    police = _row(rig, 2)
    assert police.theme.text() == "→ “Police and reporting”"
    assert police.confidence.text().startswith("sure · ")
    pizza = _row(rig, PIZZA)
    assert pizza.proposal.word == "not sure", "precondition: the engine is not sure of pizza"
    assert pizza.theme.text().startswith("Best guess: “")
    assert not pizza.theme.isEnabled() and not pizza.confidence.isEnabled(), "greyed"
    assert rig.stored() == before and rig.stack.count() == 0, "proposing moves nothing"
    assert "nothing moves until you accept" in rig.board.placement.status.text()


def test_accepting_moves_exactly_that_note_one_undo_step(rig, qtbot):
    themes = _codebook(rig)
    _propose(rig, qtbot)
    before = rig.stored()
    row = _row(rig, 2)
    row.accept_button.click()
    after = rig.stored()
    assert after.theme_of(rig.notes[2]) == themes["Police and reporting"]
    moved = {n for n in rig.notes if after.theme_of(n) != before.theme_of(n)}
    assert moved == {rig.notes[2]}
    assert rig.stack.count() == 1
    assert rig.notes[2] not in {r.proposal.note_id for r in rig.board.placement.rows}
    assert "Propose again (P)" in rig.board.placement.status.text()
    rig.undo()
    assert rig.stored() == before
    rig.redo()
    assert rig.stored() == after


def test_rejecting_drops_the_proposal_and_moves_nothing(rig, qtbot):
    _codebook(rig)
    rows = _propose(rig, qtbot)
    before = rig.stored()
    _row(rig, 3).reject_button.click()
    assert len(rig.board.placement.rows) == len(rows) - 1
    assert rig.stored() == before and rig.stack.count() == 0


def test_accept_all_sure_skips_not_sure_likely_and_flagged_notes_and_says_so(rig, qtbot):
    themes = _codebook(rig)
    moderation.flag(rig.p, rig.notes[9], True, "talk to them after")
    rig.sync()
    rows = _propose(rig, qtbot)
    words = {r.proposal.note_id: r.proposal.word for r in rows}
    assert words[rig.notes[PIZZA]] == "not sure" and words[rig.notes[MARKUP]] == "not sure"
    assert words[rig.notes[9]] == "sure", "precondition: the flagged note is a sure one"
    assert _row(rig, 9).state.text().startswith("Flagged for safeguarding follow-up")
    bulk = {r.proposal.note_id: r.proposal.theme_id for r in rows if r.proposal.in_bulk}
    left = [r.proposal.note_id for r in rows if not r.proposal.in_bulk]
    before = rig.stored()
    rig.board.placement.accept_sure_button.click()
    after = rig.stored()
    assert {n: after.theme_of(n) for n in bulk} == bulk
    assert all(after.theme_of(n) is None for n in left)
    assert after.theme_of(rig.notes[9]) is None, "a flagged note is never accepted in bulk"
    assert rig.stack.count() == 1, "one undo step"
    others = sum(1 for r in rows if r.proposal.word != "sure")
    said = rig.board.placement.said.text()
    assert said.startswith(f"Put {len(bulk)} notes in their themes. Left: ")
    assert f"{others} notes likely or not sure" in said
    assert "1 note flagged for safeguarding follow-up" in said
    assert [r.proposal.note_id for r in rig.board.placement.rows] == left
    assert not rig.board.placement.accept_sure_button.isEnabled()
    assert set(themes.values()) >= set(bulk.values())
    rig.undo()
    assert rig.stored() == before


def test_a_flagged_note_is_placed_only_when_confirmed_and_redo_never_places_it_unasked(rig, qtbot):
    themes = _codebook(rig)
    flagged = rig.notes[3]
    moderation.flag(rig.p, flagged, True, "talk to them after")
    rig.sync()
    _propose(rig, qtbot)
    row = _row(rig, 3)
    with_dialog(row.accept_button.click, _answer("Leave it where it is"))
    assert rig.stored().theme_of(flagged) is None and rig.stack.count() == 0
    box: list[str] = []

    def put(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        assert dialog.textFormat() is Qt.TextFormat.PlainText
        box.append(dialog.text())
        _answer("Put it in the theme")(dialog)

    with_dialog(row.accept_button.click, put)
    assert "flagged for safeguarding follow-up" in box[0]
    assert rig.stored().theme_of(flagged) == themes["Police and reporting"]
    assert rig.stack.count() == 1
    rig.undo()
    assert rig.stored().theme_of(flagged) is None
    rig.redo()
    assert rig.stored().theme_of(flagged) is None, "redo asks for no confirmation"
    assert rig.errors and "flagged" in rig.errors[-1][1]


def test_names_only_and_then_placed_notes_proposing_again_refreshes(rig, qtbot):
    themes = _codebook(rig)
    rows = _propose(rig, qtbot)
    assert len(rows) == len(PLACES_TEXTS)
    svc.move_notes(rig.p, rig.session_id, [rig.notes[0], rig.notes[1]], themes["Parents and apps"])
    rig.sync()
    assert len(rig.board.placement.rows) == len(PLACES_TEXTS) - 2, "it follows the board"
    rig.board.placement.again_button.click()
    qtbot.waitUntil(lambda: rig.board.placement.searched, timeout=30_000)
    assert [r.proposal.note_id for r in rig.board.placement.rows] == list(rig.stored().unthemed)


def test_the_panel_follows_the_board(rig, qtbot):
    themes = _codebook(rig)
    _propose(rig, qtbot)
    school = _row(rig, 4).proposal.theme_id
    assert school == themes["School staff"], "precondition"
    moderation.hide(rig.p, rig.notes[2])  # hidden on the Notes tab
    svc.move_notes(rig.p, rig.session_id, [rig.notes[0]], themes["Parents and apps"])
    svc.rename_theme(rig.p, rig.session_id, school, "Teachers")
    moderation.flag(rig.p, rig.notes[6], True, "")
    rig.sync()
    ids = {r.proposal.note_id for r in rig.board.placement.rows}
    assert rig.notes[2] not in ids and rig.notes[0] not in ids
    assert _row(rig, 4).theme.text() == "→ “Teachers”"
    assert _row(rig, 6).proposal.flagged and not _row(rig, 6).proposal.in_bulk
    assert _row(rig, 6).state.isVisibleTo(rig.board.placement)
    svc.delete_theme(rig.p, rig.session_id, school)
    rig.sync()
    assert all(r.proposal.theme_id != school for r in rig.board.placement.rows)


def test_texts_are_plain_text_and_every_button_has_an_accessible_name(rig, qtbot):
    _codebook(rig)
    _propose(rig, qtbot)
    markup = _row(rig, MARKUP)
    assert markup.note.text() == "“<b>x</b>”"
    panel = rig.board.placement
    for label in panel.findChildren(QLabel):
        assert label.textFormat() is Qt.TextFormat.PlainText, label.text()
    for button in panel.findChildren(QPushButton):
        assert button.accessibleName(), button.text()
    assert markup.accept_button.accessibleName().startswith("Accept: put “<b>x</b>” in “")
    assert markup.accessibleName().startswith("Proposal for “<b>x</b>”: “")


def test_the_keyboard_accepts_and_moves_on_to_the_next_proposal(rig, qtbot):
    themes = _codebook(rig)
    _propose(rig, qtbot)
    first, second = rig.board.placement.rows[:2]
    first.accept_button.setFocus()
    QTest.keyClick(first.accept_button, Qt.Key.Key_Space)
    assert rig.stored().theme_of(first.proposal.note_id) in themes.values()
    assert second.accept_button.hasFocus(), "the next proposal's Accept has the focus"


def test_without_the_model_propose_places_is_off(qtbot, project, tmp_path, refresher):
    broken = suggestions.ThemeEngine(suggestions.ThemeModel(tmp_path / "no-model-here"))
    for rig in _make_rig(qtbot, project, broken, refresher):
        qtbot.waitUntil(lambda r=rig: r.board.model_state == "failed", timeout=10_000)
        assert not rig.board.place_action.isEnabled()
        assert "not available" in rig.board.place_action.toolTip()
        rig.key(Qt.Key.Key_P)
        assert rig.board.placement.isHidden()
