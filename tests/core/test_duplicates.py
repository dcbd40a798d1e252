"""The duplicate rule: exact repeats after normalising, paraphrases from a given similarity,
each later note a repeat of the earliest note directly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.duplicates import (
    PARAPHRASE_THRESHOLD,
    find_duplicates,
    negated,
    normalise,
    same_words,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("tell a teacher", "tell the teacher!!"),
        ("i would tell my mum", "Tell my mum"),
        ("Parents don't understand TikTok", "parents dont understand tiktok"),
        ("Block & report!!", "block and report"),
        ("tell a grown up", "Tell a grownup 👍"),
        ("Ｔｅｌｌ ａ ｔｅａｃｈｅｒ", "tell a teacher"),  # full-width letters (NFKC)
        ("STRASSE", "straße"),  # case folding, not lowering
        ("no one listens", "noone listens…"),
        ("keep it private\u200b", "keep it private"),  # a zero-width space
        ("tell my mum 👍🏽", "tell my mum"),  # an emoji with a skin tone
    ],
)
def test_these_are_exact_repeats(a, b):
    assert same_words(a, b)
    groups = find_duplicates([a, b])
    assert [(g.original, g.repeats, g.all_exact) for g in groups] == [(0, (1,), True)]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("tell a teacher", "tell the police"),
        ("I'd go to the police", "I wouldn't go to the police"),
        ("tell my dad", "tell my mum"),
        ("👍", "👍"),  # nothing left to compare
        ("!!!", "!!!"),
        ("", " "),
    ],
)
def test_these_are_not_exact_repeats(a, b):
    assert not same_words(a, b)
    assert find_duplicates([a, b]) == []


def test_emoji_only_notes_are_nobodys_repeat_even_when_the_model_calls_them_identical():
    assert find_duplicates(["👍", "❤️", "!!!"], lambda _i, _j: 1.0) == []


def test_a_paraphrase_needs_the_similarity_and_the_threshold():
    texts = ["talk to a trusted adult", "speak to an adult you trust"]
    assert find_duplicates(texts) == []  # no model: exact repeats only
    assert find_duplicates(texts, lambda _i, _j: PARAPHRASE_THRESHOLD - 0.01) == []
    (group,) = find_duplicates(texts, lambda _i, _j: PARAPHRASE_THRESHOLD)
    assert (group.original, group.repeats, group.exact, group.all_exact) == (
        0,
        (1,),
        frozenset(),
        False,
    )
    assert group.scores == (PARAPHRASE_THRESHOLD,)


def test_a_note_saying_not_is_never_a_paraphrase_of_one_that_does_not():
    assert negated("I wouldn't go to the police") and not negated("I'd go to the police")
    texts = ["I'd go to the police", "I wouldn't go to the police"]
    assert find_duplicates(texts, lambda _i, _j: 0.99) == []
    both = ["never share your password", "don't share your password with anyone"]
    assert len(find_duplicates(both, lambda _i, _j: 0.99)) == 1


def test_every_repeat_is_close_to_the_original_itself_never_along_a_chain():
    # a ~ b and b ~ c, but a and c are far apart: c is not proposed as a repeat of a.
    sims = {(0, 1): 0.9, (0, 2): 0.2, (1, 2): 0.95}
    texts = ["tell a teacher", "tell a teacher or a parent", "tell a parent"]
    groups = find_duplicates(texts, lambda i, j: sims[min(i, j), max(i, j)])
    assert [(g.original, g.repeats) for g in groups] == [(0, (1,))]


def test_a_note_joins_the_original_it_is_most_like():
    sims = {(0, 1): 0.1, (0, 2): 0.88, (1, 2): 0.95}
    groups = find_duplicates(["a b c", "d e f", "g h i"], lambda i, j: sims[min(i, j), max(i, j)])
    assert [(g.original, g.repeats) for g in groups] == [(1, (2,))]


def test_a_later_exact_repeat_of_a_paraphrase_joins_its_group_as_a_paraphrase():
    texts = [
        "talk to a trusted adult",
        "speak to an adult you trust",
        "Speak to an adult you trust!",
    ]
    sims = {(0, 1): 0.9, (0, 2): 0.9, (1, 2): 1.0}
    (group,) = find_duplicates(texts, lambda i, j: sims[min(i, j), max(i, j)])
    assert group.repeats == (1, 2) and group.exact == frozenset()


@given(st.lists(st.sampled_from(["Tell a teacher", "tell the teacher!!", "block them", "👍", "x"])))
def test_every_note_is_in_one_group_at_most_and_the_original_is_the_earliest(texts):
    groups = find_duplicates(texts)
    seen = [i for g in groups for i in (g.original, *g.repeats)]
    assert len(seen) == len(set(seen))
    for g in groups:
        assert g.repeats and all(r > g.original for r in g.repeats)
        assert list(g.repeats) == sorted(g.repeats)
        assert all(same_words(texts[g.original], texts[r]) for r in g.repeats)
    # every pair of exact repeats is found
    for i, a in enumerate(texts):
        for j in range(i + 1, len(texts)):
            if same_words(a, texts[j]):
                assert any(j in g.repeats for g in groups)


@given(st.text(max_size=40), st.sampled_from(["", "!!!", " 👍", "?!", " ❤️ ❤️", "..."]))
def test_trailing_noise_changes_nothing(text, noise):
    assert normalise(text + noise) == normalise(text)


@given(st.text(alphabet="abcdefghij ABCDEFGHIJ'.,!", max_size=30))
def test_case_and_punctuation_change_nothing(text):
    assert normalise(text.swapcase()) == normalise(text)
    assert normalise(text.replace(",", " ").replace("!", "...")) == normalise(text)
