"""assign: where new notes fit among existing, possibly edited, themes."""

from __future__ import annotations

from tests.themes.conftest import NOTES, NOTES_BY_THEME
from workshop_app.themes import Theme, ThemeEngine

THEMES = [Theme(name, notes) for name, notes in NOTES_BY_THEME.items()]


def test_new_notes_join_the_theme_they_paraphrase(engine: ThemeEngine) -> None:
    new = [
        "my grandma doesn't understand Instagram",
        "the police ignored our report",
        "teachers should be trained to spot grooming",
        "I need someone I trust to talk to",
    ]
    assert engine.assign(new, THEMES) == [0, 1, 2, 3]


def test_off_topic_notes_fit_nowhere(engine: ThemeEngine) -> None:
    new = ["the best pizza topping is pineapple", "the train to Leeds was late again"]
    assert engine.assign(new, THEMES) == [None, None]


def test_themes_can_be_names_only_or_plain_lists_of_notes(engine: ThemeEngine) -> None:
    names = ["police reports", "training for teachers"]
    assert engine.assign(["reporting to the police is slow"], names) == [0]
    lists = [NOTES_BY_THEME["someone to talk to"], NOTES_BY_THEME["parents and apps"]]
    assert engine.assign(["dad doesn't know what Roblox is"], lists) == [1]


def test_a_facilitator_edited_theme_is_used_as_edited(engine: ThemeEngine) -> None:
    suggestions = engine.suggest_themes(NOTES, 4)
    themes = [Theme.from_suggestion(s, NOTES) for s in suggestions]
    police = next(i for i, s in enumerate(suggestions) if 5 in s.members)
    themes[police] = Theme("Pizza", ["pizza toppings", "best pizza in town"])  # renamed
    assert engine.assign(["which pizza should we order"], themes) == [police]


def test_no_themes_means_nothing_fits(engine: ThemeEngine) -> None:
    assert engine.assign(["a note"], []) == [None]
    assert engine.assign(["a note"], [Theme(), "  "]) == [None]
