"""Which notes say the same thing: exact repeats after normalising, and paraphrases.

A rule, nothing more: it proposes; the facilitator decides (services.moderation marks).

- **Exact repeats**: the same words once Unicode is normalised (NFKC), case folded, and
  punctuation, symbols (emoji), spaces, invisible characters, "a", "the", "my", "your"
  and a leading "I would" are left out: "Tell a teacher!!!", "tell the teacher 👍" and
  "I would tell my teacher" are the same note. A note with nothing left (only emoji or
  "!!!") is never anyone's repeat.
- **Paraphrases**: two notes whose embedding cosine is at least `PARAPHRASE_THRESHOLD`
  ("talk to a trusted adult" / "speak to an adult you trust"), unless one says "not" and
  the other does not. The similarity comes from outside (the theme model); without it
  only exact repeats are found.

Notes are grouped with the earliest as the original, and every later note of a group is
a repeat of *that* note directly (never along a chain A ~ B ~ C), because a false
"duplicate" takes a child's note off the projector. Standard library only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Cosine (L2-normalised MPNet embeddings) at or above which two notes are proposed as
#: saying the same thing. Chosen by measurement for precision: see docs/themes.md,
#: "Duplicates" (benchmarks/duplicates.py on tests/themes/data/duplicate_pairs.tsv).
PARAPHRASE_THRESHOLD = 0.90

#: Unicode categories that separate words: punctuation, symbols (emoji), separators
#: (spaces), controls and format characters (zero-width joiners).
_BREAKS = ("P", "S", "Z", "C")
#: Emoji variation selectors and skin-tone modifiers are marks, not letters.
_NOISE_MARKS = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0x1F3FB, 0x1F400))
#: Apostrophes join a word ("don't" -> "dont", as children often write it).
_APOSTROPHES = frozenset("'’ʼ`´")
#: How an answer to "what would you do?" often starts; it changes nothing ("I would tell
#: my mum" = "tell my mum"). Matched on whole words at the start only.
_FRAMES: tuple[tuple[str, ...], ...] = (
    ("i", "would"),
    ("i", "will"),
    ("id",),
    ("we", "need", "to"),
    ("we", "need"),
    ("we", "should"),
    ("i", "think"),
)
#: Words that change nothing in a short note: "tell a teacher" = "tell my teacher".
_ARTICLES = frozenset({"a", "an", "the", "my", "your"})
#: A note with one of these and a note without say opposite things ("I'd go to the
#: police" / "I wouldn't go to the police"), however close their embeddings are.
_NEGATIONS = frozenset(
    {"not", "no", "never", "nobody", "nothing", "none", "cannot", "dont", "doesnt", "didnt"}
    | {"wont", "wouldnt", "cant", "couldnt", "shouldnt", "isnt", "arent", "wasnt", "aint"}
)


def words(text: str) -> list[str]:
    """The text's words as compared: NFKC, case folded, "&" as "and", split at
    punctuation, symbols and spaces, apostrophes joining a word."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    kept: list[str] = []
    for ch in folded:
        if ch in _APOSTROPHES or ord(ch) in _NOISE_MARKS:
            continue
        kept.append(" " if unicodedata.category(ch)[0] in _BREAKS else ch)
    return "".join(kept).split()


def normalise(text: str) -> str:
    """The text as compared for exact repeats ("" when only noise is left): its `words`
    without a leading "I would"/"we need" and without "a", "the", "my" and "your", run
    together (so "no one"
    and "noone" match)."""
    found = words(text)
    for frame in _FRAMES:
        if tuple(found[: len(frame)]) == frame and len(found) > len(frame):
            found = found[len(frame) :]
            break
    return "".join(w for w in found if w not in _ARTICLES)


def negated(text: str) -> bool:
    """Does the note say "not", "never", "don't"...?"""
    return any(w in _NEGATIONS for w in words(text))


def same_words(a: str, b: str) -> bool:
    """Are two texts exact repeats of each other (after `normalise`)?"""
    key = normalise(a)
    return bool(key) and key == normalise(b)


Similarity = Callable[[int, int], float]
"""The cosine similarity of two notes, by their indices (from the theme model)."""


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """A note and the later notes that repeat it (indices into the texts given).

    `exact` holds the repeats that are the same text after normalising; the others are
    paraphrases, each with its cosine to the original in `scores` (1.0 for exact ones).
    """

    original: int
    repeats: tuple[int, ...]
    exact: frozenset[int]
    scores: tuple[float, ...]

    @property
    def all_exact(self) -> bool:
        return all(i in self.exact for i in self.repeats)


def find_duplicates(
    texts: Sequence[str],
    similarity: Similarity | None = None,
    threshold: float = PARAPHRASE_THRESHOLD,
) -> list[DuplicateGroup]:
    """Groups of notes that say the same thing, texts given oldest first.

    Each note, in order, joins the group of the earliest original it repeats exactly, or
    else the original it is most similar to (cosine >= `threshold`, only when
    `similarity` is given); otherwise it starts a group of its own. Groups of one are left
    out. The answer lists groups by their original, oldest first.
    """
    keys = [normalise(t) for t in texts]
    negation = [negated(t) for t in texts]
    originals: list[int] = []
    by_key: dict[str, int] = {}  # a text as normalised -> the original of its group
    members: dict[int, list[tuple[int, float, bool]]] = {}
    for i, key in enumerate(keys):
        if not key:
            continue  # only emoji or punctuation: nobody's repeat, nobody's original
        head = by_key.get(key)
        if head is not None:
            if keys[head] == key:
                members[head].append((i, 1.0, True))
            else:  # the same words as a paraphrase of the original
                assert similarity is not None
                members[head].append((i, float(similarity(head, i)), False))
            continue
        best, best_score = None, threshold
        if similarity is not None:
            for o in originals:
                if negation[o] != negation[i]:
                    continue  # one says "not": they say opposite things
                score = float(similarity(o, i))
                if score >= best_score:
                    best, best_score = o, score
        if best is not None:
            members[best].append((i, best_score, False))
            by_key.setdefault(key, best)  # a later exact repeat of it joins the same group
            continue
        originals.append(i)
        by_key[key] = i
        members[i] = []
    return [
        DuplicateGroup(
            original=o,
            repeats=tuple(i for i, _s, _e in found),
            exact=frozenset(i for i, _s, e in found if e),
            scores=tuple(s for _i, s, _e in found),
        )
        for o in originals
        if (found := members[o])
    ]
