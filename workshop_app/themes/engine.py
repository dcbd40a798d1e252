"""The theme engine: suggest themes, rank notes like some anchors, assign newcomers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from workshop_app.themes.choose import SMALL, choose_k, components
from workshop_app.themes.cluster import Matrix, centroids, normalise, spherical_kmeans
from workshop_app.themes.features import cluster_view
from workshop_app.themes.guide import place
from workshop_app.themes.labels import keywords_per_theme, label_from
from workshop_app.themes.model import ThemeModel

#: k-means restarts for the final clustering (the best objective wins).
RESTARTS = 8
#: A new note joins a theme only if its fit score reaches this (cosine scale).
ASSIGN_THRESHOLD = 0.35


@dataclass(frozen=True)
class ThemeSuggestion:
    """One suggested theme: indices into the texts given, a short label and its words."""

    members: list[int]
    label: str
    keywords: list[str]
    representative: int


@dataclass(frozen=True)
class Placement:
    """Where one note could go among existing themes: ``theme`` is the proposal (an index
    into the names given), or None for "not sure"; ``guess`` is the best theme even then;
    ``confidence`` (0–1) is how far the engine trusts it."""

    note: int
    theme: int | None
    guess: int
    confidence: float


@dataclass(frozen=True)
class Theme:
    """An existing theme as a facilitator sees it: a name and/or some member texts."""

    name: str = ""
    texts: Sequence[str] = field(default_factory=tuple)

    @classmethod
    def from_suggestion(cls, suggestion: ThemeSuggestion, texts: Sequence[str]) -> Theme:
        return cls(suggestion.label, tuple(texts[i] for i in suggestion.members))


ThemeLike = Theme | ThemeSuggestion | str | Sequence[str]


class ThemeEngine:
    """Theme suggestions over one embedding model. Thread-safe; the model loads lazily."""

    def __init__(self, model: ThemeModel | None = None) -> None:
        self.model = model if model is not None else ThemeModel()

    @property
    def identity(self) -> str:
        """Names the vectors :meth:`encode` makes; cached vectors are valid only for it."""
        return self.model.identity

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Unit-length vectors, one row per text; a row depends on its text alone (never on
        the batch), so rows may be computed once per note and cached."""
        return self.model.encode([t if isinstance(t, str) else str(t) for t in texts])

    def _vectors(self, texts: Sequence[str], vectors: Matrix | None) -> Matrix:
        if vectors is None:
            return self.encode(texts)
        if vectors.shape[0] != len(texts):
            raise ValueError(f"{vectors.shape[0]} vectors for {len(texts)} texts")
        return normalise(np.asarray(vectors, dtype=np.float32))

    # -- suggestions -------------------------------------------------------------------

    def suggest_themes(
        self,
        texts: Sequence[str],
        k: int | None = None,
        *,
        seed: int = 0,
        vectors: Matrix | None = None,
    ) -> list[ThemeSuggestion]:
        """Group ``texts`` into themes; every index is in exactly one suggestion.

        ``k=None`` chooses the number of themes; a ``k`` larger than the number of distinct
        notes is reduced to it. Suggestions come largest first. Deterministic for a seed.
        ``vectors``: the texts' vectors from :meth:`encode` when cached (one row per text),
        so that only the clustering runs.
        """
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        n = len(texts)
        if n == 0:
            return []
        embeddings = self._vectors(texts, vectors)
        labels = self._labels(texts, embeddings, k, seed)
        return self._describe(texts, embeddings, labels)

    def _labels(self, texts: list[str], embeddings: Matrix, k: int | None, seed: int) -> np.ndarray:
        n = len(texts)
        distinct_texts = {" ".join(t.lower().split()) for t in texts}
        distinct = len(distinct_texts)
        rng = np.random.default_rng(seed)
        if n == 1:
            return np.zeros(1, dtype=np.int64)
        if k is None and n < SMALL:
            return components(embeddings)
        view = cluster_view(embeddings, texts, seed=seed)
        if k is None:
            k = choose_k(view, distinct, rng=rng)
        k = max(1, min(int(k), distinct, n))
        if k == 1:
            return np.zeros(n, dtype=np.int64)
        labels, _ = spherical_kmeans(view, k, rng=rng, restarts=RESTARTS)
        return labels

    def _describe(
        self, texts: list[str], embeddings: Matrix, labels: np.ndarray
    ) -> list[ThemeSuggestion]:
        groups = [np.flatnonzero(labels == j) for j in range(int(labels.max()) + 1)]
        groups = [g for g in groups if len(g)]
        # Largest first; ties by first member so the order is stable.
        groups.sort(key=lambda g: (-len(g), int(g[0])))
        member_lists = [[int(i) for i in g] for g in groups]
        keywords = keywords_per_theme(texts, member_lists)
        out = []
        for members, words in zip(member_lists, keywords, strict=True):
            vectors = embeddings[members]
            centre = normalise(vectors.sum(axis=0, keepdims=True))[0]
            representative = members[int(np.argmax(vectors @ centre))]
            out.append(
                ThemeSuggestion(
                    members=members,
                    label=label_from(words, texts[representative]),
                    keywords=list(words),
                    representative=representative,
                )
            )
        return out

    # -- duplicates --------------------------------------------------------------------

    def cosines(self, texts: Sequence[str], *, vectors: Matrix | None = None) -> Matrix:
        """The cosine similarity of every pair of texts (a square matrix; a note's vector
        depends on the note alone, so a pair's cosine does not depend on the others)."""
        x = self._vectors(texts, vectors)
        out: Matrix = x @ x.T
        return out

    # -- "notes like these" ------------------------------------------------------------

    def rank_similar(
        self,
        texts: Sequence[str],
        anchors: Sequence[int],
        top: int = 10,
        *,
        vectors: Matrix | None = None,
    ) -> list[int]:
        """Indices of the ``top`` notes most like the anchor notes, best first, anchors
        excluded. Scores blend similarity to the anchors' centre and to the nearest anchor.
        """
        n = len(texts)
        anchor_set = sorted({int(a) for a in anchors})
        for a in anchor_set:
            if not 0 <= a < n:
                raise ValueError(f"anchor {a} is not an index into {n} texts")
        if not anchor_set or top <= 0 or n <= len(anchor_set):
            return []
        embeddings = self._vectors(texts, vectors)
        sims = embeddings @ embeddings[anchor_set].T
        centre = normalise(embeddings[anchor_set].sum(axis=0, keepdims=True))[0]
        score = 0.5 * (embeddings @ centre) + 0.5 * sims.max(axis=1)
        score[anchor_set] = -np.inf
        order = np.argsort(-score, kind="stable")
        return [int(i) for i in order[: min(top, n - len(anchor_set))]]

    # -- guided sorting ----------------------------------------------------------------

    def place(
        self,
        texts: Sequence[str],
        names: Sequence[str],
        placed: Mapping[int, int],
        *,
        vectors: Matrix | None = None,
    ) -> list[Placement]:
        """Propose a theme for every note not yet placed (never moves anything itself).

        ``texts``: all the notes of the board, placed or not; ``names``: the existing
        themes' names (a name may be empty); ``placed``: note index -> theme index for the
        notes the facilitator has already put in a theme. Works from the names alone (a
        codebook, themes brought from an earlier session), from a few placed notes, or both;
        it improves as more notes are placed. Returns one :class:`Placement` per unplaced
        note, in index order; ``theme`` is None ("not sure") when the confidence is below
        :data:`workshop_app.themes.guide.SURE`.
        """
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        k = len(names)
        for note, theme in placed.items():
            if not (0 <= note < len(texts) and 0 <= theme < k):
                raise ValueError(f"placement {note} -> {theme} is out of range")
        todo = [i for i in range(len(texts)) if i not in placed]
        if not todo or k == 0:
            return []
        x = self._vectors(texts, vectors)
        named = [j for j in range(k) if str(names[j]).strip()]
        name_vectors = np.zeros((k, x.shape[1]), dtype=np.float32)
        if named:
            name_vectors[named] = self.encode([str(names[j]) for j in named])
        return [
            Placement(note, theme, guess, confidence)
            for note, theme, guess, confidence in place(x, name_vectors, dict(placed), todo)
        ]

    # -- newcomers ---------------------------------------------------------------------

    def assign(
        self,
        new_texts: Sequence[str],
        themes: Sequence[ThemeLike],
        *,
        threshold: float = ASSIGN_THRESHOLD,
    ) -> list[int | None]:
        """For each new text, the index of the theme it fits best, or None if none fits.

        A theme may be a :class:`Theme` (name and/or member texts), a plain name, or a list
        of member texts; a :class:`ThemeSuggestion` needs its texts, so pass
        ``Theme.from_suggestion(s, texts)``. A theme's fit is the mean of the similarity
        to its centre and to its closest member (or name).
        """
        if not new_texts:
            return []
        theme_texts = [_texts_of(t) for t in themes]
        if not any(theme_texts):
            return [None] * len(new_texts)
        flat = [t for group in theme_texts for t in group]
        vectors = self.model.encode([*map(str, new_texts), *flat])
        new_vectors, member_vectors = vectors[: len(new_texts)], vectors[len(new_texts) :]
        owner = np.repeat(np.arange(len(theme_texts)), [len(g) for g in theme_texts])
        score = np.full((len(new_texts), len(theme_texts)), -np.inf, dtype=np.float32)
        sims = new_vectors @ member_vectors.T
        centres = centroids(member_vectors, owner, len(theme_texts))
        for j in range(len(theme_texts)):
            mine = owner == j
            if mine.any():
                score[:, j] = 0.5 * (new_vectors @ centres[j]) + 0.5 * sims[:, mine].max(axis=1)
        best = score.argmax(axis=1)
        return [int(b) if score[i, b] >= threshold else None for i, b in enumerate(best)]


def _texts_of(theme: ThemeLike) -> list[str]:
    if isinstance(theme, Theme):
        texts = [t for t in theme.texts if t.strip()]
        return [theme.name, *texts] if theme.name.strip() else texts
    if isinstance(theme, ThemeSuggestion):
        return [theme.label]
    if isinstance(theme, str):
        return [theme] if theme.strip() else []
    return [str(t) for t in theme if str(t).strip()]
