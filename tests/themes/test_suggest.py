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
        if s.unsure:  # notes the model cannot read, held apart and said so
            assert s.label.startswith("Written in ") and not s.keywords
        else:
            assert 2 <= len(s.label.split()) <= 5


@pytest.mark.parametrize("k", [None, 1, 2, 4, 7])
def test_every_note_is_in_exactly_one_theme(engine: ThemeEngine, k: int | None) -> None:
    suggestions = engine.suggest_themes(NOTES, k)
    assert_partition(suggestions, len(NOTES))
    if k is not None:
        assert len(suggestions) == k


def test_the_same_seed_gives_the_same_themes(engine: ThemeEngine) -> None:
    assert engine.suggest_themes(NOTES, seed=3) == engine.suggest_themes(NOTES, seed=3)
    assert engine.suggest_themes(NOTES, 4, seed=5) == engine.suggest_themes(NOTES, 4, seed=5)


def majority_counts(suggestions: list[ThemeSuggestion]) -> list[tuple[int, int, int]]:
    """(written theme most of a suggestion's notes come from, how many, suggestion size)."""
    out = []
    for s in suggestions:
        themes = [TRUTH[i] for i in s.members]
        top = max(set(themes), key=themes.count)
        out.append((top, themes.count(top), len(themes)))
    return out


# Clustering is judged by properties with some tolerance, not one exact partition: a
# borderline note ("kids need someone safe they can tell" is about trust but shares "safe"
# with "keeping pupils safe online") may go either way. Exact figures are the benchmark's.
MAX_MISPLACED = 2


def test_paraphrased_notes_end_up_together_when_asked_for_four_themes(
    engine: ThemeEngine,
) -> None:
    counts = majority_counts(engine.suggest_themes(NOTES, 4))
    # Each suggestion is led by a different written theme: no theme split, none swallowed.
    assert sorted(top for top, _, _ in counts) == [0, 1, 2, 3]
    misplaced = sum(size - agree for _, agree, size in counts)
    assert misplaced <= MAX_MISPLACED, counts


def test_the_number_of_themes_is_found_automatically_without_mixing_themes(
    engine: ThemeEngine,
) -> None:
    suggestions = engine.suggest_themes(NOTES)
    # Four themes were written; splitting one (teachers vs school staff) is fair, merging
    # two or collapsing to two or three big themes is not.
    assert len(NOTES_BY_THEME) <= len(suggestions) <= len(NOTES_BY_THEME) + 1
    counts = majority_counts(suggestions)
    assert {top for top, _, _ in counts} == {0, 1, 2, 3}, "every written theme leads one"
    assert sum(size - agree for _, agree, size in counts) <= MAX_MISPLACED, counts


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


@pytest.mark.parametrize("k", [2, 5, 7, 8])
def test_asking_for_k_themes_of_at_least_k_different_notes_gives_exactly_k(
    engine: ThemeEngine, k: int
) -> None:
    # Eight notes from two written themes: k-means alone leaves clusters empty here.
    texts = [*NOTES_BY_THEME["parents and apps"][:4], *NOTES_BY_THEME["reporting to police"][:4]]
    suggestions = engine.suggest_themes(texts, k)
    assert len(suggestions) == k
    assert_partition(suggestions, len(texts))


OTHER_LANGUAGES = {
    "nie wiem co robic jak ktos pisze do mojego syna": "Polish",
    "rodzice nie rozumieja tych aplikacji": "Polish",
    "میرے بیٹے کو گیم میں اجنبی لوگ پیغام بھیجتے ہیں": "Urdu",
}


@pytest.mark.parametrize("k", [None, 4])
def test_notes_the_model_cannot_read_are_held_apart_never_mixed_into_a_theme(
    engine: ThemeEngine, k: int | None
) -> None:
    texts = [*NOTES, *OTHER_LANGUAGES]
    found = engine.suggest_themes(texts, k)
    assert_partition(found, len(texts))
    foreign = set(range(len(NOTES), len(texts)))
    unsure = [s for s in found if s.unsure]
    assert {i for s in unsure for i in s.members} == foreign
    assert [s.label for s in unsure] == [
        "Written in Polish: not sure of the theme",
        "Written in Urdu: not sure of the theme",
    ]
    themes = [s for s in found if not s.unsure]
    assert all(not foreign & set(s.members) for s in themes)
    if k is not None:
        assert len(themes) == k, "k counts the themes of notes the model can read"


def test_guided_sorting_is_never_sure_of_a_note_the_model_cannot_read(engine: ThemeEngine) -> None:
    texts = [*NOTES, *OTHER_LANGUAGES]
    names = list(NOTES_BY_THEME)
    placed = {i: TRUTH[i] for i in range(0, len(NOTES), 5)}
    out = {p.note: p for p in engine.place(texts, names, placed)}
    for i in range(len(NOTES), len(texts)):
        assert out[i].theme is None and out[i].confidence == 0.0
    right = [out[i].theme == TRUTH[i] for i in range(len(NOTES)) if i not in placed]
    assert sum(right) >= 0.8 * len(right), "the English notes are still placed"
