"""rank_similar: "notes like these"."""

from __future__ import annotations

import pytest

from tests.themes.conftest import NOTES, TRUTH
from workshop_app.themes import ThemeEngine


def test_anchors_are_never_returned(engine: ThemeEngine) -> None:
    ranked = engine.rank_similar(NOTES, [0, 5, 10], top=len(NOTES))
    assert sorted(ranked) == sorted(set(range(len(NOTES))) - {0, 5, 10})


def test_paraphrases_of_the_anchors_come_first(engine: ThemeEngine) -> None:
    anchors = [5, 6, 7]  # three notes about reporting to the police
    ranked = engine.rank_similar(NOTES, anchors, top=2)
    assert [TRUTH[i] for i in ranked] == [1, 1]


def test_top_limits_the_answer(engine: ThemeEngine) -> None:
    assert len(engine.rank_similar(NOTES, [0], top=4)) == 4
    assert engine.rank_similar(NOTES, [0], top=0) == []
    assert engine.rank_similar(NOTES, [], top=4) == []


def test_an_anchor_outside_the_notes_is_a_programming_error(engine: ThemeEngine) -> None:
    with pytest.raises(ValueError, match="anchor 99"):
        engine.rank_similar(NOTES, [99])
