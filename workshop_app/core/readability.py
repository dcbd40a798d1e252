"""Child-friendly wording checks for what a youth panel writes: sentence length, long words
and a reading age, worked out as they type (docs/decisions/025-survey-wording-checks.md).

The reading age is the Flesch–Kincaid grade level plus five years (a US school grade
starts at about six, grade 1), with syllables counted by a small English rule set. It is
a rough guide for short questions, not a measurement: the console says "about". Pure:
the standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_WORDS_TARGET = 15  # a sentence of this many words or more is flagged: "try under 15"
LONG_WORD_SYLLABLES = 4  # words of this many syllables or more are flagged
READING_AGE_TARGET = 11  # the youngest readers a youth evaluation usually has in mind
YOUNGEST_AGE = 5  # a reading age is never shown below this
OLDEST_AGE = 18  # above this the text is for adults: "over 18"
GRADE_TO_AGE = 5  # a US grade level plus five is the age of its readers

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n+")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """English syllables in one word, by rule (at least one): vowel groups, less a silent
    final e, plus "-le" after a consonant ("little") and "-ed" not counted after most
    letters ("jumped" has one, "wanted" two)."""
    w = word.lower().replace("’", "'").split("'")[0]
    if not w:
        return 1
    if len(w) <= 3:
        return 1
    count = len(_VOWEL_GROUP.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    elif w.endswith("le") and len(w) > 2 and w[-3] not in "aeiouy" and count == 1:
        count += 1
    if w.endswith("ed") and not w.endswith(("ted", "ded")) and count > 1:
        count -= 1
    if w.endswith("es") and not w.endswith(("ses", "zes", "ces", "ges", "xes")) and count > 1:
        count -= 1
    return max(1, count)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences_of(text: str) -> list[str]:
    """The sentences of `text`: split after . ! ? or a line break; empty ones dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if words_of(s)]


@dataclass(frozen=True, slots=True)
class WordingCheck:
    """What the checks found in one text."""

    sentences: int
    words: int
    syllables: int
    longest_sentence: int  # in words
    long_sentences: int  # sentences of SENTENCE_WORDS_TARGET words or more
    long_words: tuple[str, ...]  # distinct, in the order they first appear
    grade: float | None  # Flesch–Kincaid grade level (None: no words)

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def reading_age(self) -> int | None:
        """The grade plus five, rounded, from YOUNGEST_AGE to OLDEST_AGE + 1 (which reads
        "over 18"); None: no words."""
        if self.grade is None:
            return None
        return min(OLDEST_AGE + 1, max(YOUNGEST_AGE, round(self.grade + GRADE_TO_AGE)))


def check_wording(text: str) -> WordingCheck:
    sentences = sentences_of(text)
    lengths = [len(words_of(s)) for s in sentences]
    words = words_of(text)
    syllable_count = sum(syllables(w) for w in words)
    long_words: list[str] = []
    for w in words:
        if syllables(w) >= LONG_WORD_SYLLABLES and w.lower() not in (x.lower() for x in long_words):
            long_words.append(w)
    grade = None
    if words and sentences:
        grade = 0.39 * len(words) / len(sentences) + 11.8 * syllable_count / len(words) - 15.59
    return WordingCheck(
        sentences=len(sentences),
        words=len(words),
        syllables=syllable_count,
        longest_sentence=max(lengths, default=0),
        long_sentences=sum(1 for n in lengths if n >= SENTENCE_WORDS_TARGET),
        long_words=tuple(long_words),
        grade=grade,
    )


def advice(check: WordingCheck) -> list[str]:
    """The checks in plain words, one sentence each, for the console to show while a
    question is written: "Reading age about 9.", "One sentence has 24 words — try under 15."."""
    if check.reading_age is None:
        return []
    if check.reading_age > OLDEST_AGE:
        out = [f"Reading age over {OLDEST_AGE}: written for adults."]
    else:
        out = [f"Reading age about {check.reading_age}."]
    if check.long_sentences == 1:
        out.append(
            f"One sentence has {check.longest_sentence} words — try under {SENTENCE_WORDS_TARGET}."
        )
    elif check.long_sentences > 1:
        out.append(
            f"{check.long_sentences} sentences have {SENTENCE_WORDS_TARGET} words or more "
            f"(the longest {check.longest_sentence}) — try under {SENTENCE_WORDS_TARGET}."
        )
    if check.long_words:
        shown = ", ".join(f"“{w}”" for w in check.long_words[:3])
        more = f" and {len(check.long_words) - 3} more" if len(check.long_words) > 3 else ""
        out.append(f"Long words: {shown}{more} — is there a shorter word?")
    if check.reading_age > READING_AGE_TARGET and not check.long_sentences and not check.long_words:
        out.append("Shorter words or sentences would make it easier to read.")
    return out


def summary(text: str) -> str:
    """All the advice on one line ("" for text without words)."""
    return " ".join(advice(check_wording(text)))
