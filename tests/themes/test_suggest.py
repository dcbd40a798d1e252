"""suggest_themes: a partition of the notes, deterministic, with words from the notes."""

from __future__ import annotations

import re

import pytest

from tests.themes.conftest import NOTES, NOTES_BY_THEME, TRUTH
from workshop_app.themes import ThemeEngine, ThemeSuggestion


def assert_partition(suggestions: list[ThemeSuggestion], n: int) -> None:
    members = sorted(i for s in suggestions for i in s.members)
    assert members == list(range(n))
    for s in suggestions:
        assert s.members, "no empty theme"
        assert s.representative in s.members
        assert 2 <= len(s.label.split()) <= 4


@pytest.mark.parametrize("k", [None, 1, 2, 4, 7])
def test_every_note_is_in_exactly_one_theme(engine: ThemeEngine, k: int | None) -> None:
    suggestions = engine.suggest_themes(NOTES, k)
    assert_partition(suggestions, len(NOTES))
    if k is not None:
        assert len(suggestions) == k


def test_the_same_seed_gives_the_same_themes(engine: ThemeEngine) -> None:
    assert engine.suggest_themes(NOTES, seed=3) == engine.suggest_themes(NOTES, seed=3)
    assert engine.suggest_themes(NOTES, 4, seed=5) == engine.suggest_themes(NOTES, 4, seed=5)


def test_paraphrased_notes_end_up_together_when_asked_for_four_themes(
    engine: ThemeEngine,
) -> None:
    suggestions = engine.suggest_themes(NOTES, 4)
    groups = sorted(sorted({TRUTH[i] for i in s.members}) for s in suggestions)
    assert groups == [[0], [1], [2], [3]]


def test_the_number_of_themes_is_found_automatically_without_mixing_themes(
    engine: ThemeEngine,
) -> None:
    suggestions = engine.suggest_themes(NOTES)
    # Four themes were written; splitting one (teachers vs school staff) is fair, merging
    # two or collapsing to two or three big themes is not.
    assert len(NOTES_BY_THEME) <= len(suggestions) <= len(NOTES_BY_THEME) + 1
    assert all(len({TRUTH[i] for i in s.members}) == 1 for s in suggestions)


def test_labels_and_keywords_are_words_from_the_theme_notes(engine: ThemeEngine) -> None:
    for s in engine.suggest_themes(NOTES, 4):
        member_words = set(re.findall(r"[\w']+", " ".join(NOTES[i] for i in s.members).lower()))
        assert set(s.label.split()) <= member_words
        assert s.keywords and set(s.keywords) <= member_words


def test_labels_name_what_distinguishes_the_theme(engine: ThemeEngine) -> None:
    labels = {TRUTH[s.members[0]]: s.label for s in engine.suggest_themes(NOTES, 4)}
    assert "police" in labels[1]
    assert any(w in labels[2] for w in ("teachers", "grooming", "training", "school"))


def test_asking_for_more_themes_than_distinct_notes_gives_one_per_distinct_note(
    engine: ThemeEngine,
) -> None:
    texts = ["online safety lessons", "Online safety  lessons", "police reports"]
    suggestions = engine.suggest_themes(texts, 10)
    assert sorted(sorted(s.members) for s in suggestions) == [[0, 1], [2]]
