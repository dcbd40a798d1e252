"""Theme labels: class-based TF-IDF over the words of each theme's notes.

A word scores high for a theme when many of its notes use it and the other themes rarely
do (BERTopic's c-TF-IDF, counted per note so one repetitive note cannot dominate).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from workshop_app.themes.lexical import words
from workshop_app.themes.stopwords import STOP_WORDS

MAX_KEYWORDS = 6
LABEL_WORDS = 3
#: Longer "words" are URLs, hashes or keyboard mashing, not theme names.
MAX_WORD_LENGTH = 24


def word_counts(
    texts: Sequence[str], groups: Sequence[Sequence[int]]
) -> tuple[list[Counter[str]], Counter[str]]:
    """For each group, in how many of its notes each word occurs; and the same over all
    groups (the counts class-based TF-IDF needs, counted per note)."""
    per_note = [{w for w in words(t) if len(w) <= MAX_WORD_LENGTH} for t in texts]
    counts: list[Counter[str]] = []
    for members in groups:
        c: Counter[str] = Counter()
        for i in members:
            c.update(per_note[i])
        counts.append(c)
    total: Counter[str] = Counter()
    for c in counts:
        total.update(c)
    return counts, total


def keywords_per_theme(texts: Sequence[str], groups: Sequence[Sequence[int]]) -> list[list[str]]:
    """Up to MAX_KEYWORDS distinguishing words per group, best first; every word occurs in
    at least one of the group's notes."""
    counts, total = word_counts(texts, groups)
    sizes = [max(1, len(m)) for m in groups]
    average = sum(total.values()) / max(1, len(groups))
    result = []
    for c, size, members in zip(counts, sizes, groups, strict=True):
        # A word used by a single note of a bigger theme describes that note, not the theme.
        floor = 2 if len(members) >= 4 else 1
        scored = [
            ((n / size) * math.log(1.0 + average / total[w]), w) for w, n in c.items() if n >= floor
        ]
        if not scored:
            scored = [((n / size) * math.log(1.0 + average / total[w]), w) for w, n in c.items()]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        result.append([w for _, w in scored[:MAX_KEYWORDS]])
    return result


def label_from(keywords: Sequence[str], representative_text: str) -> str:
    """Two to four words: the top keywords, topped up from the representative note."""
    chosen = list(keywords[:LABEL_WORDS])
    if len(chosen) < 2:
        for w in words(representative_text) or representative_text.split():
            if len(w) > MAX_WORD_LENGTH:
                continue
            if w not in chosen:
                chosen.append(w)
            if len(chosen) >= 2:
                break
    if not chosen:
        return "other notes"
    if len(chosen) == 1:
        return f"{chosen[0]} notes"
    return " ".join(chosen[:4])


# -- names: a short phrase in the notes' own words ------------------------------------------

_TOKEN = re.compile(r"[^\W_][\w'’]*", re.UNICODE)
_BREAK = re.compile(r"[.!?;:,()\[\]\"“”…\n]+|\s[-–—]\s")
#: A phrase is this many words long (a theme title, not a sentence).
PHRASE_WORDS = (2, 5)
#: Words a title never starts or ends with (it may have them inside: "someone to tell").
#: Longer phrases are divided by (1 + this × words); 0 measured best (docs/themes.md).
LENGTH_PENALTY = 0.0
EDGE_WORDS = (STOP_WORDS - {"someone", "nobody", "everyone", "anyone", "adults", "online"}) | {
    # text-speak and fillers that end a run of words but never a title
    "u", "ur", "r", "im", "ppl", "yr", "yrs", "vs", "etc", "ok", "lol", "tho", "cos", "coz",
    "dont", "doesnt", "didnt", "cant", "wont", "isnt", "arent", "saying", "said", "says",
    "next", "later", "first", "last", "really", "always", "never", "maybe", "even",
}  # fmt: skip


def _chunks(text: str) -> list[list[str]]:
    """Lower-cased word runs of a note, split at punctuation (a phrase never crosses it)."""
    out = []
    for chunk in _BREAK.split(text.lower().replace("’", "'")):
        tokens = [t for t in _TOKEN.findall(chunk) if len(t) <= MAX_WORD_LENGTH]
        if tokens:
            out.append(tokens)
    return out


def phrases_of(text: str) -> set[tuple[str, ...]]:
    """Every 2–5-word run of the note that starts and ends with a content word."""
    low, high = PHRASE_WORDS
    found: set[tuple[str, ...]] = set()
    for tokens in _chunks(text):
        for i, first in enumerate(tokens):
            if first in EDGE_WORDS or first.isdigit() or len(first) < 3:
                continue
            for n in range(low, min(high, len(tokens) - i) + 1):
                last = tokens[i + n - 1]
                phrase = tuple(tokens[i : i + n])
                if last in EDGE_WORDS or last.isdigit() or len(last) < 3 or len(set(phrase)) < n:
                    continue  # "word word word" is no title
                found.add(phrase)
    return found


def name_phrase(
    texts: Sequence[str],
    groups: Sequence[Sequence[int]],
    weights: Sequence[Sequence[float]] | None = None,
) -> list[str]:
    """A short title for each group in the words of its own notes, e.g. "someone to tell".

    A phrase scores by how many of the group's notes share its content words (weighted by
    how central each note is, ``weights`` per member, 1 by default) against how common
    those words are in the other groups (class-based TF-IDF, as the keywords), with a small
    bonus when several notes use the very phrase. Falls back to :func:`label_from`.
    """
    counts, total = word_counts(texts, groups)
    average = sum(total.values()) / max(1, len(groups))
    keywords = keywords_per_theme(texts, groups)
    names = []
    for g, members in enumerate(groups):
        size = max(1, len(members))
        w = weights[g] if weights is not None else [1.0] * len(members)
        weight_of = dict(zip(members, w, strict=True))

        def word_score(word: str, g: int = g, size: int = size) -> float:
            return (counts[g][word] / size) * math.log(1.0 + average / max(1, total[word]))

        seen: Counter[tuple[str, ...]] = Counter()
        where: dict[tuple[str, ...], float] = {}
        for i in members:
            for phrase in phrases_of(texts[i]):
                seen[phrase] += 1
                where[phrase] = max(where.get(phrase, 0.0), weight_of[i])
        best: tuple[float, tuple[str, ...]] | None = None
        for phrase, n in seen.items():
            content = [t for t in phrase if t not in STOP_WORDS]
            if not content:
                continue
            lexical = sum(word_score(t) for t in set(content)) / (1 + LENGTH_PENALTY * len(phrase))
            score = lexical * (1.0 + 0.5 * (n - 1)) * where[phrase]
            if best is None or (score, phrase) > best:
                best = (score, phrase)
        if best is None or best[0] <= 0:
            names.append(label_from(keywords[g], texts[members[0]] if members else ""))
        else:
            names.append(" ".join(best[1]))
    return names
