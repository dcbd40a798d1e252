"""Theme labels: class-based TF-IDF over the words of each theme's notes.

A word scores high for a theme when many of its notes use it and the other themes rarely
do (BERTopic's c-TF-IDF, counted per note so one repetitive note cannot dominate).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from workshop_app.themes.lexical import words

MAX_KEYWORDS = 6
LABEL_WORDS = 3
#: Longer "words" are URLs, hashes or keyboard mashing, not theme names.
MAX_WORD_LENGTH = 24


def keywords_per_theme(texts: Sequence[str], groups: Sequence[Sequence[int]]) -> list[list[str]]:
    """Up to MAX_KEYWORDS distinguishing words per group, best first; every word occurs in
    at least one of the group's notes."""
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
