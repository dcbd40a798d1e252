"""Guided sorting (services/placement.py, and board.place_proposed that accepts a proposal),
with the real engine over real project files read back."""

from __future__ import annotations

import pytest

from tests.services.test_board import TEXTS, Room
from workshop_app.core.errors import DomainError, FlaggedNoteError
from workshop_app.core.model import ActivityKind, NoteStatus
from workshop_app.services import board as svc
from workshop_app.services import moderation, suggestions
from workshop_app.services.board import Board, BoardNote, BoardTheme
from workshop_app.services.placement import (
    SURE_AT,
    PlaceProposal,
    propose_places,
    usable_themes,
)


@pytest.fixture(scope="module")
def engine() -> suggestions.ThemeEngine:
    engine = suggestions.ThemeEngine(suggestions.ThemeModel())
    suggestions.load_model(engine)
    return engine


@pytest.fixture
def room(project) -> Room:
    return Room(project)


def _themes(room: Room) -> dict[str, str]:
    """Four themes with names only (a codebook): no notes in any of them."""
    return {
        name: room.theme(name)
        for name in ("Parents and apps", "Police and reporting", "School staff", "Trusted adults")
    }


def test_names_alone_give_every_unplaced_note_a_proposal_with_its_confidence(room, engine):
    themes = _themes(room)
    b = room.board()
    found = propose_places(b, engine)
    assert [x.note_id for x in found] == list(b.unthemed)
    assert set(b.unthemed) == set(room.notes)
    assert all(0.0 <= x.confidence <= 1.0 for x in found)
    assert all(x.theme_id in themes.values() for x in found), "the best guess, sure or not"
    assert all(x.theme_name == b.theme(x.theme_id).name for x in found)  # type: ignore[union-attr]
    assert [x.note_text for x in found] == [b.note(n).text for n in b.unthemed]  # type: ignore[union-attr]
    by_note = {x.note_id: x for x in found}
    assert by_note[room.notes[2]].theme_id == themes["Police and reporting"]
    assert by_note[room.notes[4]].theme_id == themes["School staff"]
    assert room.board() == b, "proposing moves nothing"


def test_only_notes_not_yet_in_a_theme_are_proposed_and_placed_ones_teach(room, engine):
    parents = room.theme("Parents", 0)
    police = room.theme("Police", 2)
    room.theme("School", 4)
    moderation.hide(room.p, room.notes[7])
    b = room.board()
    found = propose_places(b, engine)
    assert [x.note_id for x in found] == list(b.unthemed)
    assert set(b.unthemed) == {room.notes[i] for i in (1, 3, 5, 6)}
    by_note = {x.note_id: x for x in found}
    assert by_note[room.notes[1]].theme_id == parents
    assert by_note[room.notes[3]].theme_id == police


def test_waiting_and_flagged_notes_are_proposed_and_say_so(room, engine):
    room.theme("Police", 2)
    moderation.set_status(room.p, room.notes[3], NoteStatus.PENDING)
    moderation.flag(room.p, room.notes[5], True, "talk to them after")
    found = {x.note_id: x for x in propose_places(room.board(), engine)}
    assert found[room.notes[3]].waiting and not found[room.notes[3]].flagged
    assert found[room.notes[5]].flagged and not found[room.notes[5]].in_bulk


def test_nothing_to_propose_without_themes_or_without_unplaced_notes(room, engine):
    assert propose_places(room.board(), engine) == ()
    room.theme("Everything", *range(len(TEXTS)))
    assert propose_places(room.board(), engine) == ()


def test_a_theme_with_neither_a_name_nor_notes_is_never_proposed(engine):
    notes = tuple(BoardNote(f"n{i}", t, "", "a") for i, t in enumerate(TEXTS[:3]))
    themes = (
        BoardTheme("blank", "", "#F28482", 0, ()),
        BoardTheme("police", "Police", "#8ECAE6", 1, ()),
        BoardTheme("unnamed", " ", "#F7D06B", 2, ("n0",)),
    )
    b = Board("s", "a", themes, notes)
    assert [t.id for t in usable_themes(b)] == ["police", "unnamed"]
    found = propose_places(b, engine)
    assert [x.note_id for x in found] == ["n1", "n2"]
    assert {x.theme_id for x in found} <= {"police", "unnamed"}


@pytest.mark.parametrize(
    ("confidence", "sure", "word", "percent", "in_bulk"),
    [
        (0.97, True, "sure", 97, True),
        (SURE_AT, True, "sure", 80, True),
        (0.7999, True, "likely", 79, False),
        (0.51, True, "likely", 51, False),
        (0.4999, False, "not sure", 49, False),
        (0.95, False, "not sure", 95, False),  # the engine's word decides "not sure"
        (1.0, True, "sure", 100, True),
        (0.0, False, "not sure", 0, False),
    ],
)
def test_how_sure_a_proposal_reads(confidence, sure, word, percent, in_bulk):
    x = PlaceProposal("n", "text", "t", "Theme", confidence, sure)
    assert (x.word, x.percent, x.in_bulk) == (word, percent, in_bulk)


def test_a_flagged_sure_proposal_is_never_taken_in_bulk():
    x = PlaceProposal("n", "text", "t", "Theme", 0.99, True, flagged=True)
    assert x.word == "sure" and not x.in_bulk


# ---------------------------------------------------------------- accepting


def test_accepting_moves_exactly_that_note_and_place_notes_puts_it_back(room):
    police = room.theme("Police")
    before = room.board()
    previous = svc.place_proposed(room.p, room.session_id, {room.notes[2]: police})
    after = room.board()
    assert after.theme_of(room.notes[2]) == police
    assert {n: after.theme_of(n) for n in room.notes if n != room.notes[2]} == {
        n: None for n in room.notes if n != room.notes[2]
    }
    assert previous == {room.notes[2]: None}
    svc.place_notes(room.p, room.session_id, previous)
    assert room.board() == before


def test_a_note_placed_hidden_or_gone_meanwhile_is_left_where_it_is(room):
    police, school = room.theme("Police"), room.theme("School", 4)
    moderation.hide(room.p, room.notes[3])
    previous = svc.place_proposed(
        room.p,
        room.session_id,
        {room.notes[2]: police, room.notes[3]: police, room.notes[4]: police},
    )
    b = room.board()
    assert previous == {room.notes[2]: None}
    assert b.theme_of(room.notes[4]) == school, "the facilitator's own placing stays"
    with pytest.raises(DomainError, match="nothing was changed"):
        svc.place_proposed(room.p, room.session_id, {room.notes[4]: police})


def test_a_flagged_note_goes_into_a_theme_only_when_confirmed_for_that_note(room):
    police = room.theme("Police")
    flagged = room.notes[3]
    moderation.flag(room.p, flagged, True, "talk to them after")
    with pytest.raises(FlaggedNoteError):
        svc.place_proposed(room.p, room.session_id, {flagged: police})
    assert room.board().theme_of(flagged) is None
    # in a batch (Accept all sure, a redo) it is left out, the others go
    previous = svc.place_proposed(room.p, room.session_id, {room.notes[2]: police, flagged: police})
    assert previous == {room.notes[2]: None}
    assert room.board().theme_of(flagged) is None
    # another note's confirmation is not this one's
    with pytest.raises(FlaggedNoteError):
        svc.place_proposed(
            room.p, room.session_id, {flagged: police}, flagged_confirmed=(room.notes[2],)
        )
    svc.place_proposed(room.p, room.session_id, {flagged: police}, flagged_confirmed=(flagged,))
    assert room.board().theme_of(flagged) == police


def test_placing_a_flagged_note_never_puts_its_words_on_the_projector(room):
    from workshop_app.services import live
    from workshop_app.services.projection import projector_view

    police = room.theme("Police")
    flagged = room.notes[3]
    moderation.flag(room.p, flagged, True, "talk to them after")
    svc.place_proposed(room.p, room.session_id, {flagged: police}, flagged_confirmed=(flagged,))
    cluster = next(a for a in room.activities if a.kind is ActivityKind.CLUSTER)
    live.go_live(room.p, room.session_id)
    live.show_activity(room.p, cluster.id)
    view = projector_view(room.p, room.session_id)
    assert view.themes == (("Police", 1),)
    assert TEXTS[3] not in repr(view)
