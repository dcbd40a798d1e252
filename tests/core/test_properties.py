"""Property-based tests (STYLE habit 16) for the rules with an input space that live once in
core: the median and the IQR, the 1–3/4–6/7–9 bands and their shares, the consensus verdict,
dot-vote allocation and the equal-weight score, and redaction. CSV neutralising is in
tests/export/test_tabular_properties.py."""

from __future__ import annotations

import itertools
import statistics
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_app.core.consensus import (
    ConsensusRules,
    RatingCounts,
    Verdict,
    classify,
    distribution,
    median,
    quartiles,
)
from workshop_app.core.errors import DomainError
from workshop_app.core.model import ActivityState
from workshop_app.core.redaction import REMOVED, apply, find_personal_details
from workshop_app.core.scales import BANDS, HIGH, LOW, MIDDLE, SCALE_POINTS, band_of
from workshop_app.core.voting import (
    check_allocation,
    default_budget,
    equal_weight_scores,
    rules_locked_reason,
)

FAST = settings(max_examples=150, deadline=None)

ratings = st.lists(st.integers(1, SCALE_POINTS), max_size=60)
some_ratings = st.lists(st.integers(1, SCALE_POINTS), min_size=1, max_size=60)


# ---------------------------------------------------------------- the median and the IQR


@FAST
@given(some_ratings)
def test_the_median_lies_between_the_lowest_and_the_highest_rating(values: list[int]) -> None:
    m = median(values)
    assert m is not None and min(values) <= m <= max(values)


@FAST
@given(some_ratings, st.randoms(use_true_random=False))
def test_the_median_does_not_depend_on_the_order_of_the_ratings(values, rnd) -> None:
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert median(shuffled) == median(values)


@FAST
@given(some_ratings.filter(lambda v: len(v) % 2 == 1))
def test_the_median_of_an_odd_number_of_ratings_is_the_middle_one(values: list[int]) -> None:
    assert median(values) == sorted(values)[len(values) // 2]


@FAST
@given(some_ratings)
def test_the_median_is_the_standard_librarys(values: list[int]) -> None:
    assert median(values) == statistics.median(values)


def test_nobody_rating_has_no_median_and_no_iqr() -> None:
    assert median([]) is None and quartiles([]) is None and RatingCounts().median is None


@FAST
@given(st.lists(st.integers(1, SCALE_POINTS), min_size=2, max_size=60))
def test_the_quartiles_are_the_inclusive_method_and_surround_the_median(values) -> None:
    q = quartiles(values)
    assert q is not None
    q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert q == pytest.approx((q1, q3))
    m = median(values)
    assert m is not None and min(values) <= q[0] <= m <= q[1] <= max(values)


@FAST
@given(st.lists(st.integers(0, 20), min_size=SCALE_POINTS, max_size=SCALE_POINTS))
def test_a_spread_of_counts_has_the_median_and_bands_of_its_ratings(counts: list[int]) -> None:
    spread = RatingCounts(tuple(counts))
    values = [v for v, c in enumerate(counts, start=1) for _ in range(c)]
    assert spread.count == len(values)
    assert spread.median == median(values)
    assert spread.quartiles == quartiles(values)
    assert spread.bands == distribution(values)


# ---------------------------------------------------------------- the bands


@given(st.integers(1, SCALE_POINTS))
def test_every_rating_falls_in_exactly_one_band(value: int) -> None:
    assert sum(value in band for band in BANDS) == 1
    assert value in band_of(value)


@given(st.integers().filter(lambda v: not 1 <= v <= SCALE_POINTS))
def test_a_rating_off_the_scale_has_no_band(value: int) -> None:
    assert not any(value in band for band in BANDS)
    with pytest.raises(ValueError, match="must be 1 to 9"):
        band_of(value)
    with pytest.raises(DomainError):
        distribution([value])


def test_the_bands_cover_the_scale_in_order() -> None:
    assert (LOW, MIDDLE, HIGH) == BANDS
    assert [v for band in BANDS for v in range(band.first, band.last + 1)] == list(
        range(1, SCALE_POINTS + 1)
    )
    assert [band.label for band in BANDS] == ["1–3", "4–6", "7–9"]


@FAST
@given(ratings)
def test_the_band_counts_add_up_to_the_raters(values: list[int]) -> None:
    d = distribution(values)
    assert d.raters == len(values) == d.low + d.middle + d.high
    assert d.low == sum(v in LOW for v in values)
    assert d.high == sum(v in HIGH for v in values)


@FAST
@given(ratings)
def test_the_shares_of_the_bands_are_rounded_down_and_never_pass_100(values) -> None:
    d = distribution(values)
    s = d.shares()
    total = s.low + s.middle + s.high
    if not values:
        assert total == 0 and not s.rounded_off
        return
    for share, count in ((s.low, d.low), (s.middle, d.middle), (s.high, d.high)):
        assert share * d.raters <= count * 100 < (share + 1) * d.raters
    assert 100 - 3 < total <= 100
    assert s.rounded_off is (total < 100)


# ---------------------------------------------------------------- the verdict

rules = st.builds(
    ConsensusRules, st.integers(1, 100), st.integers(0, 99), st.integers(1, 10)
).filter(lambda r: r.disagree_max_percent < r.agree_min_percent)


@FAST
@given(ratings, rules)
def test_a_verdict_is_judged_on_the_counts_in_whole_numbers(values, r) -> None:
    d = distribution(values)
    verdict = classify(values, r)
    agree = d.raters > 0 and d.high * 100 >= r.agree_min_percent * d.raters
    few_against = d.low * 100 < r.disagree_max_percent * d.raters
    if verdict is Verdict.IN:
        assert agree and few_against
    if verdict is Verdict.OUT:
        assert d.low * 100 >= r.agree_min_percent * d.raters
        assert d.high * 100 < r.disagree_max_percent * d.raters
    if agree and few_against:
        assert verdict is Verdict.IN


@FAST
@given(ratings)
def test_mirroring_every_rating_mirrors_the_verdict(values: list[int]) -> None:
    mirrored = [SCALE_POINTS + 1 - v for v in values]
    flip = {Verdict.IN: Verdict.OUT, Verdict.OUT: Verdict.IN, Verdict.NONE: Verdict.NONE}
    assert classify(mirrored, ConsensusRules()) is flip[classify(values, ConsensusRules())]


# ---------------------------------------------------------------- dot votes

allocations = st.dictionaries(st.sampled_from("abcdefgh"), st.integers(-2, 12), max_size=8)


@FAST
@given(allocations, st.integers(0, 30), st.one_of(st.none(), st.integers(1, 10)))
def test_an_allocation_is_accepted_exactly_when_it_keeps_every_rule(dots, budget, cap) -> None:
    fits = (
        all(d >= 0 for d in dots.values())
        and (cap is None or all(d <= cap for d in dots.values()))
        and sum(dots.values()) <= budget
    )
    try:
        total = check_allocation(dots, budget, cap)
    except DomainError:
        assert not fits
    else:
        assert fits and total == sum(dots.values()) <= budget


@given(st.integers(-5, 500), st.integers(1, 20))
def test_the_automatic_budget_is_a_third_of_the_items_within_the_cap(items, cap) -> None:
    budget = default_budget(items, cap)
    assert 1 <= budget <= max(1, cap)
    if items > 0 and budget < cap:
        assert budget * 3 >= items > (budget - 1) * 3


@FAST
@given(
    st.dictionaries(
        st.sampled_from("abcdef"),
        st.dictionaries(st.sampled_from(["g1", "g2", "g3", None]), st.integers(0, 9)),
        max_size=6,
    )
)
def test_every_group_that_voted_gives_the_equal_weight_scores_one_whole(dots) -> None:
    scores = equal_weight_scores(dots)
    voted = any(n for by_group in dots.values() for g, n in by_group.items() if g is not None)
    if not voted:
        assert scores == {}
        return
    assert set(scores) == set(dots)
    assert all(0 <= s <= 1 for s in scores.values())
    assert sum(scores.values(), Fraction(0)) == 1


@given(st.sampled_from(ActivityState), st.booleans())
def test_a_vote_that_has_opened_or_has_votes_has_fixed_rules(state, has_votes) -> None:
    fixed = state is not ActivityState.PENDING or has_votes
    assert bool(rules_locked_reason(state, has_votes)) is fixed


# ---------------------------------------------------------------- redaction

# Letters that "[removed]" does not use, so a fragment can never be found inside the marker.
PLAIN = "abcfghijklnpqstuwxyz ABC0123@._-'\n"
texts = st.text(alphabet=PLAIN, max_size=80)
fragments = st.lists(st.text(alphabet=PLAIN, min_size=1, max_size=6), max_size=5)


@FAST
@given(texts, fragments)
def test_redacted_text_never_contains_a_removed_fragment(text, found) -> None:
    redacted = apply(text, found)
    for fragment in found:
        assert fragment not in redacted
    if not any(f in text for f in found):
        assert redacted == text


@FAST
@given(texts, fragments)
def test_redacting_twice_changes_nothing_more(text, found) -> None:
    once = apply(text, found)
    assert apply(once, found) == once


@FAST
@given(texts, fragments)
def test_redaction_only_ever_replaces_words_with_the_marker(text, found) -> None:
    # what is left, outside the markers, is the original text in order
    kept = apply(text, found).split(REMOVED)
    rest = text
    for piece in kept:
        at = rest.find(piece)
        assert at >= 0
        rest = rest[at + len(piece) :]


details = st.sampled_from(
    [
        "Sam Jones",
        "07700 900123",
        "me@example.com",
        "www.example.org",
        "@sam_99",
        "LS6 1AA",
        "Riverside Academy",
        "I live in LS6",
        "Grace",
    ]
)
notes = st.lists(st.one_of(details, st.text(alphabet=PLAIN, max_size=12)), max_size=8).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(notes)
def test_what_the_detectors_find_is_where_they_say_and_can_be_removed(text: str) -> None:
    found = find_personal_details(text)
    assert [f.start for f in found] == sorted(f.start for f in found)
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start, "findings never overlap"
    for f in found:
        assert text[f.start : f.end] == f.fragment and f.fragment
    redacted = apply(text, [f.fragment for f in found])
    for f in found:
        assert f.fragment not in redacted or f.fragment in REMOVED
