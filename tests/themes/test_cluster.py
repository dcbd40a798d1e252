"""Spherical k-means: exactly k non-empty clusters whenever there are at least k rows."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_app.themes.cluster import fill_empty, normalise, spherical_kmeans


@st.composite
def points_and_k(draw: st.DrawFn) -> tuple[np.ndarray, int]:
    n = draw(st.integers(1, 24))
    distinct = draw(st.integers(1, n))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    # Few distinct directions, repeated: the case where k-means leaves clusters empty.
    base = normalise(rng.normal(size=(distinct, 6)).astype(np.float32))
    rows = base[rng.integers(0, distinct, size=n)]
    rows[:distinct] = base  # every distinct direction appears at least once
    k = draw(st.integers(1, distinct))
    return rows, k


@settings(max_examples=200, deadline=None)
@given(points_and_k(), st.integers(0, 1000))
def test_k_means_gives_k_non_empty_clusters(data: tuple[np.ndarray, int], seed: int) -> None:
    rows, k = data
    labels, _ = spherical_kmeans(rows, k, rng=np.random.default_rng(seed), restarts=2)
    assert sorted(set(labels.tolist())) == list(range(k))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_filling_empty_clusters_never_empties_another(n: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, max(1, k // 3), size=n)  # most clusters start empty
    sims = rng.uniform(-1, 1, size=(n, k)).astype(np.float32)
    filled = fill_empty(labels, sims, k)
    if n >= k:
        assert sorted(set(filled.tolist())) == list(range(k))
    else:
        assert np.array_equal(filled, labels)
