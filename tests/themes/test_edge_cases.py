"""Awkward input never raises and still gives a sensible answer."""

from __future__ import annotations

import pytest

from tests.themes.conftest import NOTES
from tests.themes.test_suggest import assert_partition
from workshop_app.themes import Theme, ThemeEngine

AWKWARD = {
    "one note": ["just one note"],
    "duplicates": ["same note"] * 6,
    "emoji only": ["🙂", "🎉🎉", "😢😢😢", "👍"],
    "blank notes": ["", "   ", "\n", "real words here"],
    "very long note": ["word " * 5000, "a short one", "another short note"],
    "non-English": [
        "Les parents ne comprennent pas les applications",
        "Los padres no entienden las aplicaciones",
        "Eltern verstehen die Apps nicht",
        "警察はすぐに返事をしない",
        "الشرطة لا ترد على البلاغات",
        "Die Polizei antwortet nie auf Anzeigen",
    ],
    "lone surrogate": ["broken \ud800 text", "fine text"],
    "numbers and symbols": ["1234", "!!!", "#$%&", "42"],
}


@pytest.mark.parametrize("texts", AWKWARD.values(), ids=AWKWARD.keys())
@pytest.mark.parametrize("k", [None, 2])
def test_awkward_notes_still_form_a_partition(
    engine: ThemeEngine, texts: list[str], k: int | None
) -> None:
    assert_partition(engine.suggest_themes(texts, k), len(texts))


@pytest.mark.parametrize("texts", AWKWARD.values(), ids=AWKWARD.keys())
def test_awkward_notes_can_be_ranked_and_assigned(engine: ThemeEngine, texts: list[str]) -> None:
    ranked = engine.rank_similar(texts, [0], top=3)
    assert 0 not in ranked and len(ranked) == min(3, len(texts) - 1)
    fits = engine.assign(texts, [Theme("parents and apps", NOTES[:5])])
    assert len(fits) == len(texts) and all(f in (0, None) for f in fits)


def test_no_notes_give_no_themes(engine: ThemeEngine) -> None:
    assert engine.suggest_themes([]) == []
    assert engine.suggest_themes([], 3) == []
    assert engine.rank_similar([], [], 5) == []
    assert engine.assign([], [Theme("x", ["y"])]) == []


def test_one_note_is_its_own_theme(engine: ThemeEngine) -> None:
    (only,) = engine.suggest_themes(["Teachers need training"])
    assert only.members == [0] and only.representative == 0
    assert "teachers" in only.label or "training" in only.label


def test_identical_notes_form_one_theme(engine: ThemeEngine) -> None:
    assert [s.members for s in engine.suggest_themes(["same note"] * 6)] == [list(range(6))]
