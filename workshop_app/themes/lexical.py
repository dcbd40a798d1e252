"""Lexical features: words and character n-grams, TF-IDF, reduced by a randomised SVD (LSA).

Notes share exact keywords ("matlab", "svn", "TikTok") that a sentence model blurs; a small
dense LSA view of word and character TF-IDF, concatenated with the sentence embedding, lets
clustering use both. Dense numpy throughout: the vocabulary is capped, so a 3,000-note
matrix stays small.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from workshop_app.themes.stopwords import STOP_WORDS

Matrix = npt.NDArray[np.float32]

_WORD = re.compile(r"[^\W_](?:[\w'’+#]*[^\W_+#'’]|[+#]+)?")
MAX_WORD_FEATURES = 2000
MAX_CHAR_FEATURES = 4000
CHAR_NGRAMS = (3, 4, 5)


def words(text: str) -> list[str]:
    """Lower-cased words of two or more characters, without stop words or bare numbers."""
    out = []
    for match in _WORD.finditer(text.lower()):
        w = match.group().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) < 2 or w in STOP_WORDS or w.isdigit():
            continue
        out.append(w)
    return out


def char_ngrams(text: str) -> list[str]:
    """Character n-grams inside word boundaries (each word padded with spaces)."""
    out: list[str] = []
    for token in text.lower().split():
        out.extend(_word_ngrams(token))
    return out


def _word_ngrams(token: str) -> list[str]:
    padded = f" {token} "
    size = len(padded)
    if size < CHAR_NGRAMS[0]:
        return [padded]
    return [padded[i : i + n] for n in CHAR_NGRAMS for i in range(size - n + 1)]


class _Terms:
    """Term ids for documents; character n-grams are worked out once per distinct word."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self._by_word: dict[str, list[int]] = {}

    def ids(self, terms: Sequence[str]) -> list[int]:
        index = self.index
        return [index.setdefault(t, len(index)) for t in terms]

    def char_ids(self, text: str) -> list[int]:
        out: list[int] = []
        for token in text.lower().split():
            cached = self._by_word.get(token)
            if cached is None:
                cached = self._by_word[token] = self.ids(_word_ngrams(token))
            out.extend(cached)
        return out


def tfidf(
    docs: Sequence[Sequence[str]], *, min_df: int = 2, max_features: int = MAX_WORD_FEATURES
) -> tuple[Matrix, list[str]]:
    """Row-normalised sublinear TF-IDF over terms in at least ``min_df`` documents.

    Keeps the ``max_features`` terms found in most documents (ties broken by first
    appearance, so the result never depends on hash order). A document with no kept term
    gets a zero row. Returns the dense matrix and its vocabulary.
    """
    terms = _Terms()
    ids = [terms.ids(d) for d in docs]
    sparse = _Sparse.tfidf(ids, list(terms.index), min_df=min_df, max_features=max_features)
    matrix = np.zeros((len(docs), len(sparse.vocab)), dtype=np.float32)
    sparse.write(matrix, 0)
    return matrix, sparse.vocab


class _Sparse:
    """A TF-IDF matrix as (row, column, value) triplets, so blocks can be laid side by side
    in one dense matrix without copying."""

    def __init__(
        self,
        rows: npt.NDArray[np.int64],
        cols: npt.NDArray[np.int64],
        values: npt.NDArray[np.float64],
        vocab: list[str],
    ) -> None:
        self.rows, self.cols, self.values, self.vocab = rows, cols, values, vocab

    def write(self, matrix: Matrix, offset: int) -> None:
        matrix[self.rows, self.cols + offset] = self.values

    @classmethod
    def tfidf(
        cls, docs: Sequence[list[int]], names: list[str], *, min_df: int, max_features: int
    ) -> _Sparse:
        n = len(docs)
        size = max(len(names), 1)
        rows = np.repeat(np.arange(n, dtype=np.int64), [len(d) for d in docs])
        flat = np.fromiter(itertools.chain.from_iterable(docs), dtype=np.int64, count=len(rows))
        pairs, tf = np.unique(rows * size + flat, return_counts=True)
        pair_rows, pair_terms = np.divmod(pairs, size)
        df = np.bincount(pair_terms, minlength=size)
        candidates = np.flatnonzero(df >= min_df)
        order = candidates[np.argsort(-df[candidates], kind="stable")][:max_features]
        column = np.full(size, -1, dtype=np.int64)
        column[order] = np.arange(len(order))
        keep = column[pair_terms] >= 0
        pair_rows, pair_terms, tf = pair_rows[keep], pair_terms[keep], tf[keep]
        weight = (1.0 + np.log(tf)) * (np.log((1.0 + n) / (1.0 + df[pair_terms])) + 1.0)
        norms = np.sqrt(np.bincount(pair_rows, weights=weight * weight, minlength=n))
        values = weight / norms[pair_rows]
        return cls(pair_rows, column[pair_terms], values, [names[i] for i in order])


def _rows_unit(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def lsa(matrix: Matrix, dims: int, *, seed: int = 0, power_iterations: int = 1) -> Matrix:
    """Randomised truncated SVD (Halko et al.): the rows projected on the top ``dims``
    singular directions, scaled by the singular values (as TruncatedSVD.fit_transform)."""
    n, v = matrix.shape
    rank = min(dims, n, v)
    if rank == 0:
        return np.zeros((n, 0), dtype=np.float32)
    rng = np.random.default_rng(seed)
    sketch = min(rank + 10, n, v)
    q = np.linalg.qr(matrix @ rng.standard_normal((v, sketch)).astype(np.float32))[0]
    for _ in range(power_iterations):
        q = np.linalg.qr(matrix.T @ q)[0]
        q = np.linalg.qr(matrix @ q)[0]
    u, s, _ = np.linalg.svd(q.T @ matrix, full_matrices=False)
    out: Matrix = ((q @ u[:, :rank]) * s[:rank]).astype(np.float32)
    return out


def lexical_view(texts: Sequence[str], *, dims: int = 96, seed: int = 0) -> Matrix:
    """Unit rows of the LSA of word TF-IDF and character TF-IDF (equal weight each).

    A note that shares no term with any other gets a zero row.
    """
    word_terms, char_terms = _Terms(), _Terms()
    word_ids = [word_terms.ids(words(t)) for t in texts]
    char_ids = [char_terms.char_ids(t) for t in texts]
    word_m = _Sparse.tfidf(
        word_ids, list(word_terms.index), min_df=2, max_features=MAX_WORD_FEATURES
    )
    char_m = _Sparse.tfidf(
        char_ids, list(char_terms.index), min_df=2, max_features=MAX_CHAR_FEATURES
    )
    both = np.zeros((len(texts), len(word_m.vocab) + len(char_m.vocab)), dtype=np.float32)
    word_m.write(both, 0)
    char_m.write(both, len(word_m.vocab))
    return _rows_unit(lsa(both, dims, seed=seed))
