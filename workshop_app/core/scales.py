"""The words of a rating scale, defined once (STYLE habit 13).

A rate activity asks about one thing, chosen in its plan or in the activity editor:
*importance* ("how important is this?") or *agreement* ("how far do you agree?"). The
phone, the console, the Word documents and docs/consensus.md all take their words from
`words_for`, so a statement is never asked about importance and reported as agreement.

Adults rate 1–9; children rate the same question on five faces, which are mapped onto
1–9 (`SMILEY_TO_NINE` in core/consensus.py). That mapping is an assumption of the method,
not a measurement, and the documents say so (`SMILEY_ASSUMPTION`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RatingQuestion(StrEnum):
    IMPORTANCE = "importance"
    AGREEMENT = "agreement"

    @property
    def label(self) -> str:
        """What the activity editor offers."""
        return _QUESTION_LABELS[self]


_QUESTION_LABELS = {
    RatingQuestion.IMPORTANCE: "Importance: how important is each statement?",
    RatingQuestion.AGREEMENT: "Agreement: how far do people agree with each statement?",
}

# Rate activities saved before the question was a choice asked about importance: the
# phone's only words then were "1 = not important, 9 = critical".
DEFAULT_QUESTION = RatingQuestion.IMPORTANCE

# Adults rate 1..SCALE_POINTS; children's five faces are mapped onto the same points.
SCALE_POINTS = 9


@dataclass(frozen=True, slots=True)
class Band:
    """One of the three bands a 1–9 rating falls in, the unit of every consensus rule."""

    first: int
    last: int

    @property
    def label(self) -> str:
        """ "1–3"."""
        return f"{self.first}–{self.last}"

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.first <= value <= self.last


# The bands, defined once: low (1–3), middle (4–6) and high (7–9). The consensus rules
# (core.consensus), the console, the phones' Delphi feedback and the documents all count
# ratings by these.
LOW, MIDDLE, HIGH = BANDS = (Band(1, 3), Band(4, 6), Band(7, 9))


def band_of(value: int) -> Band:
    """The band a rating on 1–9 falls in; ValueError outside the scale."""
    for band in BANDS:
        if value in band:
            return band
    raise ValueError(f"A rating must be 1 to {SCALE_POINTS}, not {value}.")


@dataclass(frozen=True, slots=True)
class ScaleWords:
    """Every sentence and label one question needs, for adults and for children."""

    question: RatingQuestion
    noun: str  # "importance"
    one: str  # what 1 means: "not important at all"
    nine: str  # what 9 means: "critical"
    low: str  # the band 1–3: "not important"
    middle: str  # 4–6
    high: str  # 7–9
    faces: tuple[str, str, str, str, str]  # children's five faces, saddest first
    child_low: str  # the bands in children's words
    child_middle: str
    child_high: str
    child_hint: str  # how children answer, on their phone

    @property
    def range_text(self) -> str:
        """ "1 (not important at all) to 9 (critical)"."""
        return f"1 ({self.one}) to 9 ({self.nine})"

    @property
    def hint(self) -> str:
        """The line above the 1–9 buttons on adults' phones."""
        return f"1 = {self.one}, 9 = {self.nine}."

    @property
    def bands(self) -> tuple[str, str, str]:
        """ "1–3 (not important)", "4–6 (…)", "7–9 (…)"."""
        low, middle, high = (band.label for band in BANDS)
        return (f"{low} ({self.low})", f"{middle} ({self.middle})", f"{high} ({self.high})")

    def band_words(self, child: bool) -> tuple[str, str, str]:
        """The three bands as a participant of that age reads them."""
        if child:
            return (self.child_low, self.child_middle, self.child_high)
        return self.bands

    def face(self, value: int) -> str:
        """The words of face 1-5 (its alt text on the phone)."""
        return self.faces[value - 1]

    def describe(self) -> str:
        """One sentence for reports' methods: what was asked and on what scale."""
        return (
            f"Statements were rated for {self.noun} on a scale of {self.range_text}; "
            f"1–3 is read as “{self.low}”, 4–6 as “{self.middle}” and 7–9 as "
            f"“{self.high}”. Children were asked the same question in their own words on "
            f"five faces, from “{self.faces[0]}” to “{self.faces[4]}”."
        )


IMPORTANCE = ScaleWords(
    question=RatingQuestion.IMPORTANCE,
    noun="importance",
    one="not important",
    nine="critical",
    low="not important",
    middle="important but not critical",
    high="critical",
    faces=(
        "Really not important",
        "Not very important",
        "In the middle",
        "Important",
        "Really important",
    ),
    child_low="Not important",
    child_middle="In the middle",
    child_high="Important",
    child_hint=(
        "Tap one face for each. A sad face means not important. A big smile means really important."
    ),
)

AGREEMENT = ScaleWords(
    question=RatingQuestion.AGREEMENT,
    noun="agreement",
    one="strongly disagree",
    nine="strongly agree",
    low="disagree",
    middle="unsure",
    high="agree",
    faces=(
        "I really do not agree",
        "I do not agree",
        "Not sure",
        "I agree",
        "I really agree",
    ),
    child_low="Do not agree",
    child_middle="Not sure",
    child_high="Agree",
    child_hint=(
        "Tap one face for each. A sad face means you do not agree. A big smile means you "
        "really agree."
    ),
)

_WORDS = {RatingQuestion.IMPORTANCE: IMPORTANCE, RatingQuestion.AGREEMENT: AGREEMENT}


def words_for(question: RatingQuestion | None) -> ScaleWords:
    """The words of `question` (None: a rate activity from before it was a choice)."""
    return _WORDS[question or DEFAULT_QUESTION]


SMILEY_ASSUMPTION = (
    "Assumption: children chose one of five faces, and each face was counted as a point "
    "on the 1–9 scale (table below), as if the faces were evenly spaced across it. This "
    "mapping is a choice of the method, not a measurement: it has not been tested against "
    "how the same children would use a 1–9 scale, and a different mapping could move a "
    "statement across a consensus threshold. Children's ratings are pooled with adults' "
    "on this assumption."
)
