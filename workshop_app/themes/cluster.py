"""Clustering unit vectors: spherical k-means with restarts, then pseudo-label refinement.

All numpy. Rows of ``X`` are unit length, so the dot product is the cosine similarity.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
Labels = npt.NDArray[np.int64]


def normalise(x: Matrix) -> Matrix:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    out: Matrix = (x / np.clip(norms, 1e-12, None)).astype(np.float32)
    return out


def centroids(x: Matrix, labels: Labels, k: int) -> Matrix:
    onehot = np.zeros((k, x.shape[0]), dtype=np.float32)
    onehot[labels, np.arange(x.shape[0])] = 1.0
    return normalise(onehot @ x)


def _plus_plus(x: Matrix, k: int, rng: np.random.Generator) -> Matrix:
    """k-means++ seeding on the cosine distance (1 - similarity)."""
    n = x.shape[0]
    chosen = [int(rng.integers(n))]
    closest = 1.0 - x @ x[chosen[0]]
    for _ in range(1, k):
        weights = np.clip(closest, 0.0, None).astype(np.float64)
        total = weights.sum()
        pick = int(rng.integers(n)) if total <= 0 else int(rng.choice(n, p=weights / total))
        chosen.append(pick)
        closest = np.minimum(closest, 1.0 - x @ x[pick])
    return x[chosen].copy()


def fill_empty(labels: Labels, sims: Matrix, k: int) -> Labels:
    """Give every one of the ``k`` clusters a member (needs at least ``k`` rows).

    A cluster that lost every member takes the worst-served note of a cluster that has
    more than one, so a facilitator who asks for k themes gets k, never fewer.
    """
    n = len(labels)
    counts = np.bincount(labels, minlength=k)
    if n < k or (counts > 0).all():
        return labels
    labels = labels.copy()
    own = sims[np.arange(n), labels].astype(np.float64)
    for empty in np.flatnonzero(counts == 0):
        donors = np.flatnonzero(counts[labels] >= 2)
        worst = int(donors[np.argmin(own[donors])])
        counts[labels[worst]] -= 1
        labels[worst] = empty
        counts[empty] = 1
        own[worst] = np.inf  # it now founds a cluster: never moved again this round
    return labels


def spherical_kmeans(
    x: Matrix,
    k: int,
    *,
    rng: np.random.Generator,
    restarts: int = 5,
    max_iter: int = 50,
) -> tuple[Labels, float]:
    """Best of ``restarts`` runs (highest total cosine to the own centroid): labels, score."""
    n = x.shape[0]
    best_labels = np.zeros(n, dtype=np.int64)
    best_score = -np.inf
    for _ in range(restarts):
        c = _plus_plus(x, k, rng)
        labels = np.full(n, -1, dtype=np.int64)
        for _ in range(max_iter):
            sims = x @ c.T
            new = fill_empty(sims.argmax(axis=1), sims, k)
            if np.array_equal(new, labels):
                break
            labels = new
            c = centroids(x, labels, k)
        score = float((x * c[labels]).sum())
        if score > best_score:
            best_score, best_labels = score, labels
    return best_labels, best_score


def _softmax(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: npt.NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
    return out


def train_softmax(
    x: Matrix,
    labels: Labels,
    k: int,
    *,
    l2: float = 1e-3,
    steps: int = 150,
    lr: float = 0.5,
    temperature: float = 20.0,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Multinomial logistic regression by full-batch gradient descent with momentum.

    Inputs are unit vectors, so logits are scaled by ``temperature`` to let a linear model
    express confident decisions. Classes are weighted equally (balanced loss) so a big
    cluster cannot swallow its neighbours.
    """
    n = x.shape[0]
    xd = x.astype(np.float64)
    w = centroids(x, labels, k).T.astype(np.float64)  # start from the centroid classifier
    b = np.zeros(k)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    counts = np.maximum(onehot.sum(axis=0), 1.0)
    sample_w = (n / (k * counts))[labels][:, None] / n
    vw = np.zeros_like(w)
    vb = np.zeros_like(b)
    for _ in range(steps):
        p = _softmax(temperature * (xd @ w) + b)
        g = (p - onehot) * sample_w
        gw = temperature * (xd.T @ g) + l2 * w
        gb = g.sum(axis=0)
        vw = 0.9 * vw - lr * gw
        vb = 0.9 * vb - lr * gb
        w += vw
        b += vb
    return w, b


def predict_softmax(
    x: Matrix,
    model: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]],
    temperature: float = 20.0,
) -> npt.NDArray[np.float64]:
    w, b = model
    return _softmax(temperature * (x.astype(np.float64) @ w) + b)


def refine(
    x: Matrix,
    labels: Labels,
    k: int,
    *,
    rounds: int = 5,
    keep: float = 0.5,
    l2: float = 1e-3,
) -> Labels:
    """Pseudo-label refinement: train on each cluster's most central members, reassign all.

    Stops early when the labels stop changing. Empty clusters keep their old members so the
    number of themes never shrinks behind the caller's back.
    """
    for _ in range(rounds):
        c = centroids(x, labels, k)
        own = (x * c[labels]).sum(axis=1)
        confident = np.zeros(len(labels), dtype=bool)
        for j in range(k):
            members = np.flatnonzero(labels == j)
            if len(members) == 0:
                continue
            take = max(1, int(np.ceil(keep * len(members))))
            confident[members[np.argsort(-own[members], kind="stable")[:take]]] = True
        model = train_softmax(x[confident], labels[confident], k, l2=l2)
        new = predict_softmax(x, model).argmax(axis=1)
        counts = np.bincount(new, minlength=k)
        if (counts == 0).any():
            break
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


#: Neighbours per note in the similarity graph of spectral clustering (decision 020: 15
#: measured best on 160 workshop notes; small sets use at most a quarter of their notes).
GRAPH_NEIGHBOURS = 15


def knn_graph(x: Matrix, neighbours: int = GRAPH_NEIGHBOURS) -> npt.NDArray[np.float64]:
    """A symmetric 0/1 graph: an edge where either note is among the other's ``neighbours``
    most similar notes (at most a quarter of the notes, at least 3)."""
    n = x.shape[0]
    m = max(1, min(neighbours, max(3, n // 4), n - 1))
    sims = x @ x.T
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argpartition(-sims, m - 1, axis=1)[:, :m]
    a = np.zeros((n, n))
    a[np.repeat(np.arange(n), m), nearest.ravel()] = 1.0
    return np.maximum(a, a.T)


Spectrum = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]


def spectrum(a: npt.NDArray[np.float64]) -> Spectrum:
    """Eigenvalues (largest first) and eigenvectors (as columns, same order) of the
    normalised affinity D^-1/2 A D^-1/2 (Ng, Jordan & Weiss); numpy only."""
    d = 1.0 / np.sqrt(np.maximum(a.sum(axis=1), 1e-12))
    values, vectors = np.linalg.eigh(a * d[:, None] * d[None, :])
    order = np.argsort(-values, kind="stable")
    return values[order], vectors[:, order]


def spectral(
    x: Matrix,
    k: int,
    *,
    rng: np.random.Generator,
    restarts: int = 10,
    eigen: Spectrum | None = None,
) -> Labels:
    """Spectral clustering of unit vectors on their kNN cosine graph into ``k`` groups
    (``eigen``: the graph's :func:`spectrum`, when the caller has it already)."""
    n = x.shape[0]
    if k <= 1 or n <= k:
        return np.arange(n, dtype=np.int64) if n <= k else np.zeros(n, dtype=np.int64)
    _, vectors = eigen if eigen is not None else spectrum(knn_graph(x))
    u = normalise(vectors[:, :k].astype(np.float32))
    labels, _ = spherical_kmeans(u, k, rng=rng, restarts=restarts)
    return fill_empty(labels, u @ centroids(u, labels, k).T, k)
