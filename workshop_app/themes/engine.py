"""The theme engine: suggest themes, rank notes like some anchors, assign newcomers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from workshop_app.themes.choose import SMALL, choose_k, components, silhouette
from workshop_app.themes.cluster import (
    Matrix,
    centroids,
    normalise,
    spectral,
    spherical_kmeans,
)
from workshop_app.themes.features import cluster_view, row_space
from workshop_app.themes.guide import place
from workshop_app.themes.labels import keywords_per_theme, name_phrase
from workshop_app.themes.language import language_of
from workshop_app.themes.lexical import lexical_view
from workshop_app.themes.model import ThemeModel

#: k-means restarts for the final clustering (the best objective wins).
RESTARTS = 8
#: Up to this many notes (a workshop's board) the themes may come from spectral clustering
#: of the sentence vectors' neighbour graph instead of k-means on the word-weighted view
#: (decision 020, docs/themes.md); above it the graph's eigenvectors cost too much.
SPECTRAL_MAX = 600
#: Spectral's partition is kept only if the notes' own words do not separate the k-means
#: partition better by more than this silhouette (keyword themes such as "matlab" or
#: "svn" are carried by words, workshop themes are not).
WORDS_CARRY = 0.025
#: k-means restarts on the graph's eigenvectors (cheap: n × k numbers). 10 left the
#: workshop-notes NMI at 0.49–0.51 by seed; 100 steadies it (docs/themes.md).
SPECTRAL_RESTARTS = 100
#: A new note joins a theme only if its fit score reaches this (cosine scale).
ASSIGN_THRESHOLD = 0.35


@dataclass(frozen=True)
class ThemeSuggestion:
    """One suggested theme: indices into the texts given, a short label and its words.

    ``unsure``: not a theme but notes the model cannot read (written in another language,
    named in the label); they are never mixed into a theme of English notes.
    """

    members: list[int]
    label: str
    keywords: list[str]
    representative: int
    unsure: bool = False


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
        Notes the model cannot read (another language) are not counted in ``k``: they come
        last, one ``unsure`` suggestion per language.
        ``vectors``: the texts' vectors from :meth:`encode` when cached (one row per text),
        so that only the clustering runs.
        """
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        n = len(texts)
        if n == 0:
            return []
        embeddings = self._vectors(texts, vectors)
        languages = [language_of(t) for t in texts]
        readable = [i for i in range(n) if languages[i].readable]
        found: list[ThemeSuggestion] = []
        if readable:
            sub = [texts[i] for i in readable]
            labels = self._labels(sub, embeddings[readable], k, seed)
            found = [
                _reindex(s, readable) for s in self._describe(sub, embeddings[readable], labels)
            ]
        by_language: dict[str, list[int]] = {}
        for i in range(n):
            if not languages[i].readable:
                by_language.setdefault(languages[i].name, []).append(i)
        for name, members in sorted(by_language.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            found.append(
                ThemeSuggestion(
                    members=members,
                    label=f"Written in {name}: not sure of the theme",
                    keywords=[],
                    representative=members[0],
                    unsure=True,
                )
            )
        return found

    def _labels(self, texts: list[str], embeddings: Matrix, k: int | None, seed: int) -> np.ndarray:
        n = len(texts)
        distinct_texts = {" ".join(t.lower().split()) for t in texts}
        distinct = len(distinct_texts)
        rng = np.random.default_rng(seed)
        if n == 1:
            return np.zeros(1, dtype=np.int64)
        if k is None and n < SMALL:
            return components(embeddings)
        words = lexical_view(texts, seed=seed) if n > 2 else None
        # k-means and the silhouette see only dot products: drop the dimensions the notes
        # do not span (exact, and ~3x faster for 300 notes).
        view = row_space(cluster_view(embeddings, texts, seed=seed, words=words))
        if k is None:
            k = choose_k(view, distinct, rng=rng)
        k = max(1, min(int(k), distinct, n))
        if k == 1:
            return np.zeros(n, dtype=np.int64)
        labels, _ = spherical_kmeans(view, k, rng=rng, restarts=RESTARTS)
        if words is None or n > SPECTRAL_MAX or n < 2 * k:
            return labels
        graph = spectral(embeddings, k, rng=rng, restarts=SPECTRAL_RESTARTS)
        # The graph's partition wins when the sentence vectors hold it together at least as
        # well and the words do not clearly prefer k-means' (docs/themes.md, "Grouping").
        if (
            silhouette(embeddings, graph) >= silhouette(embeddings, labels)
            and silhouette(normalise(words), graph)
            > silhouette(normalise(words), labels) - WORDS_CARRY
        ):
            return graph
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
        centrality: list[list[float]] = []
        representatives: list[int] = []
        for members in member_lists:
            vectors = embeddings[members]
            centre = normalise(vectors.sum(axis=0, keepdims=True))[0]
            fit = vectors @ centre
            centrality.append([max(0.0, float(f)) for f in fit])
            representatives.append(members[int(np.argmax(fit))])
        names = name_phrase(texts, member_lists, centrality)
        out = []
        for members, words, name, representative in zip(
            member_lists, keywords, names, representatives, strict=True
        ):
            out.append(
                ThemeSuggestion(
                    members=members,
                    label=name,
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
        out = []
        for note, proposed, guess, confidence in place(x, name_vectors, dict(placed), todo):
            if not language_of(texts[note]).readable:
                proposed, confidence = None, 0.0  # the model cannot read it: never a guess
            out.append(Placement(note, proposed, guess, confidence))
        return out

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


def _reindex(s: ThemeSuggestion, rows: Sequence[int]) -> ThemeSuggestion:
    """A suggestion over a subset of the texts, its indices mapped back to the full list."""
    return ThemeSuggestion(
        members=[rows[i] for i in s.members],
        label=s.label,
        keywords=s.keywords,
        representative=rows[s.representative],
        unsure=s.unsure,
    )


def _texts_of(theme: ThemeLike) -> list[str]:
    if isinstance(theme, Theme):
        texts = [t for t in theme.texts if t.strip()]
        return [theme.name, *texts] if theme.name.strip() else texts
    if isinstance(theme, ThemeSuggestion):
        return [theme.label]
    if isinstance(theme, str):
        return [theme] if theme.strip() else []
    return [str(t) for t in theme if str(t).strip()]
