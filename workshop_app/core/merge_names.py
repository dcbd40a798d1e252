"""Which stakeholder groups of another laptop's project are the same as this project's.

Two laptops make their groups separately, so the same group has two ids and, often, two
spellings: "Parents & carers" and "parents and carers", "Youth Group" and "Youth group",
"Practitioner" and "Practitioners". A merge offers such pairs for matching; the
facilitator (or `--match-groups`) decides. A group spelled exactly the same, of the same
kind, is the same group without asking. Numbers must agree: "Children 8–12" is never
offered for "Children 13–18", however alike the words look.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

#: How alike two normalised names must be (difflib's ratio) to be offered as one group.
SIMILAR = 0.85

_AND = re.compile(r"\s*(?:&|\+|\band\b)\s*")
_NOT_WORD = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class GroupName:
    id: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class GroupMatch:
    """A source group and the target group it is (or may be) the same as."""

    source: GroupName
    target: GroupName
    exact: bool  # spelled the same and of the same kind: matched without asking

    @property
    def label(self) -> str:
        return f"“{self.source.name}” → “{self.target.name}”"


def normalise(name: str) -> str:
    """A group name reduced to what spelling does not change: case, accents, '&' for
    'and', punctuation, spacing and a plural 's' on each word."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("’", "'").replace("'s", "s")
    text = _AND.sub(" and ", text)
    text = _NOT_WORD.sub(" ", text)
    words = [_singular(w) for w in _SPACE.split(text.strip()) if w]
    return " ".join(words)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def same_spelling(a: str, b: str) -> bool:
    """Identical after trimming and collapsing spaces (case and words as written)."""
    return " ".join(a.split()) == " ".join(b.split())


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0 to 1; 0 when their numbers differ."""
    na, nb = normalise(a), normalise(b)
    if _NUMBER.findall(na) != _NUMBER.findall(nb):
        return 0.0
    if na == nb:
        return 1.0
    # difflib's ratio can depend on which name comes first: take the better of the two
    return max(
        SequenceMatcher(None, na, nb, autojunk=False).ratio(),
        SequenceMatcher(None, nb, na, autojunk=False).ratio(),
    )


def propose_matches(
    source: Sequence[GroupName], target: Sequence[GroupName], *, threshold: float = SIMILAR
) -> list[GroupMatch]:
    """For each source group, the most alike target group (if alike enough): exact
    matches first, then the rest by likeness. A target group is offered to at most one
    source group (two source groups both "Parents" would otherwise fold into one)."""
    taken: set[str] = set()
    found: list[GroupMatch] = []
    candidates: list[tuple[int, float, int, int]] = []
    for i, s in enumerate(source):
        for j, t in enumerate(target):
            exact = same_spelling(s.name, t.name) and s.kind == t.kind
            score = 1.0 if exact else similarity(s.name, t.name)
            if exact or score >= threshold:
                candidates.append((0 if exact else 1, -score, i, j))
    matched: set[int] = set()
    for rank, _score, i, j in sorted(candidates):
        if i in matched or target[j].id in taken:
            continue
        matched.add(i)
        taken.add(target[j].id)
        found.append(GroupMatch(source[i], target[j], exact=rank == 0))
    return sorted(found, key=lambda m: (not m.exact, m.source.name.casefold(), m.source.id))
