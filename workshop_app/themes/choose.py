"""Choosing the number of themes automatically."""

from __future__ import annotations

import numpy as np

from workshop_app.themes.cluster import Labels, Matrix, spherical_kmeans

#: Never suggest more themes than this automatically; a facilitator can ask for more.
MAX_AUTO_K = 16
#: Choose k on at most this many notes (a random subset), then cluster them all.
CHOOSE_SAMPLE = 600
#: Relative silhouette shortfall still counted as "as good as the best".
TOLERANCE = 0.06
#: k-means restarts per candidate k (3 let one unlucky start decide; docs/themes.md).
CHOOSE_RESTARTS = 8
#: Iterations per k-means run while choosing k: 20 chose the same k as 50 on the workshop
#: notes, the demo sessions and 15 of 16 public-set draws, in half the time.
CHOOSE_MAX_ITER = 20
#: Fewer notes than this: group only near-duplicates.
SMALL = 6
#: Cosine similarity above which two notes count as saying the same thing.
SAME = 0.75


def silhouette(x: Matrix, labels: Labels) -> float:
    """Mean silhouette with cosine distance (0 for a single cluster)."""
    k = int(labels.max()) + 1
    if k < 2:
        return 0.0
    dist = 1.0 - x @ x.T
    n = len(labels)
    onehot = np.zeros((n, k), dtype=np.float32)
    onehot[np.arange(n), labels] = 1.0
    sums = dist @ onehot
    sizes = onehot.sum(axis=0)
    own = sizes[labels]
    a = sums[np.arange(n), labels] / np.maximum(own - 1, 1)
    other = sums / np.maximum(sizes, 1)
    other[np.arange(n), labels] = np.inf
    b = other.min(axis=1)
    s = (b - a) / np.maximum(np.maximum(a, b), 1e-12)
    s[own <= 1] = 0.0
    return float(s.mean())


def components(x: Matrix, threshold: float = SAME) -> Labels:
    """Connected groups of notes whose similarity is at least ``threshold``."""
    n = x.shape[0]
    labels = np.arange(n)
    linked = (x @ x.T) >= threshold
    changed = True
    while changed:
        new = np.array([labels[linked[i]].min() for i in range(n)])
        changed = not np.array_equal(new, labels)
        labels = new
    _, dense = np.unique(labels, return_inverse=True)
    return dense.astype(np.int64)


def k_range(n: int, distinct: int) -> range:
    upper = min(MAX_AUTO_K, distinct - 1, max(2, n // 4))
    return range(2, max(2, upper) + 1)


def choose_k(x: Matrix, distinct: int, *, rng: np.random.Generator) -> int:
    """The fewest themes whose cosine silhouette is within TOLERANCE of the best k's.

    Silhouette is computed on the smoothed clustering view, where it does not collapse
    to 2-3 themes as it does on raw embeddings.
    """
    n = x.shape[0]
    if distinct <= 2:
        return distinct
    sample = x
    if n > CHOOSE_SAMPLE:
        sample = x[np.sort(rng.choice(n, CHOOSE_SAMPLE, replace=False))]
    scores = {}
    for k in k_range(n, distinct):
        labels, _ = spherical_kmeans(
            sample, k, rng=rng, restarts=CHOOSE_RESTARTS, max_iter=CHOOSE_MAX_ITER
        )
        scores[k] = silhouette(sample, labels)
    # Parsimony: the silhouette curve is flat and noisy near its top, so take the fewest
    # themes that score within TOLERANCE of the best rather than the noisy maximum.
    best = max(scores.values())
    return min(k for k, s in scores.items() if s >= best - TOLERANCE * abs(best))
