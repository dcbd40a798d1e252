"""The evaluation survey: its questions, the answers a phone may send, and what the
results say (STYLE habit 13: one rule for the console, the phones and the documents).

A survey activity has questions of five kinds. Every closed answer is stored as a
number: the place of the chosen answer in `choices` (1 = the first); a free-text answer
is a note of the survey activity, so moderation, flags, taking back and the privacy
review apply to it as to any note (docs/decisions/026-survey-answers-as-notes.md).
Pure: the standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.model import Activity, ActivityState
from workshop_app.core.participation import NOTE_MAX, clean_note
from workshop_app.core.report import LeftOut, NoteFate, PrivacyReview
from workshop_app.core.scales import AGREEMENT
from workshop_app.core.shares import percent_down
from workshop_app.core.validate import clean_text

QUESTION_MAX = 300  # characters in a question
OPTION_MAX = 80  # characters in one answer of a choose-one question
OPTIONS_MIN, OPTIONS_MAX = 2, 8
QUESTIONS_MAX = 40  # in one survey
WE_DID_MAX = 600  # characters of what was done about one question
TEXT_ANSWER_MAX = NOTE_MAX


class QuestionKind(StrEnum):
    SMILEY = "smiley"  # five faces, unhappy to happy
    AGREE = "agree"  # five points, strongly disagree to strongly agree
    YES_NO = "yes_no"
    CHOICE = "choice"  # one of the options the panel wrote
    TEXT = "text"  # a short answer in the participant's own words

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def closed(self) -> bool:
        """Answered by choosing (a number), not by writing."""
        return self is not QuestionKind.TEXT


_KIND_LABELS = {
    QuestionKind.SMILEY: "Smiley faces (5, unhappy to happy)",
    QuestionKind.AGREE: "Agree or disagree (5 points)",
    QuestionKind.YES_NO: "Yes or no",
    QuestionKind.CHOICE: "Choose one answer",
    QuestionKind.TEXT: "Short answer in their own words",
}

SMILEY_WORDS = ("Really unhappy", "Unhappy", "In the middle", "Happy", "Really happy")
AGREE_WORDS = ("Strongly disagree", "Disagree", "Not sure", "Agree", "Strongly agree")
CHILD_AGREE_WORDS = AGREEMENT.faces  # "I really do not agree" … "I really agree"
YES_NO_WORDS = ("Yes", "No")
YES = 1


@dataclass(frozen=True, slots=True)
class QuestionFields:
    """What the youth panel writes for one question (the editor's and a file's)."""

    kind: QuestionKind
    text: str
    child_text: str = ""  # in children's words, shown to children's groups when set
    options: tuple[str, ...] = ()  # choose-one questions only
    required: bool = False


@dataclass(frozen=True, slots=True)
class SurveyQuestion:
    id: str
    activity_id: str
    position: int
    kind: QuestionKind
    text: str
    child_text: str
    options: tuple[str, ...]
    required: bool
    we_did: str  # what was done about it, written for the "you said, we did" page
    created_at: datetime
    updated_at: datetime

    @property
    def fields(self) -> QuestionFields:
        return QuestionFields(self.kind, self.text, self.child_text, self.options, self.required)

    def wording(self, child: bool) -> str:
        """The question as a reader of that age sees it."""
        return (self.child_text or self.text) if child else self.text


def clean_question(f: QuestionFields) -> QuestionFields:
    """The question checked and trimmed, or DomainError in plain words."""
    text = clean_text(" ".join(f.text.split()), "The question", QUESTION_MAX, required=True)
    child = clean_text(
        " ".join(f.child_text.split()), "The children's wording", QUESTION_MAX, required=False
    )
    options: tuple[str, ...] = ()
    if f.kind is QuestionKind.CHOICE:
        cleaned = [
            clean_text(" ".join(o.split()), "An answer", OPTION_MAX, required=False)
            for o in f.options
        ]
        options = tuple(o for o in cleaned if o)
        if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
            raise DomainError(
                f"A choose-one question needs {OPTIONS_MIN} to {OPTIONS_MAX} answers to choose "
                f"from; this one has {len(options)}."
            )
        seen = {o.casefold() for o in options}
        if len(seen) != len(options):
            raise DomainError("Two of the answers to choose from are the same.")
    elif any(o.strip() for o in f.options):
        raise DomainError("Only choose-one questions have answers to choose from.")
    return QuestionFields(f.kind, text, child, options, bool(f.required))


def clean_we_did(text: str) -> str:
    return clean_text(text, "What we did", WE_DID_MAX, required=False)


def choices(question: SurveyQuestion | QuestionFields, child: bool = False) -> tuple[str, ...]:
    """The answers a closed question offers, in order (value 1 first); () for free text."""
    kind = question.kind
    if kind is QuestionKind.SMILEY:
        return SMILEY_WORDS
    if kind is QuestionKind.AGREE:
        return CHILD_AGREE_WORDS if child else AGREE_WORDS
    if kind is QuestionKind.YES_NO:
        return YES_NO_WORDS
    if kind is QuestionKind.CHOICE:
        return question.options
    return ()


# ---------------------------------------------------------------- answers from a phone


Answer = int | str


def check_answers(questions: Sequence[SurveyQuestion], raw: object) -> dict[str, Answer]:
    """A phone's answers, question id -> a choice (1..n) or text, checked as a whole. An
    empty answer to an optional question is left out; to a required one it is refused,
    naming the question ("Question 2 needs an answer.")."""
    if not isinstance(raw, Mapping):
        raise DomainError("The answers must be a mapping from question to answer.")
    if len(raw) > QUESTIONS_MAX:
        raise DomainError("Too many answers at once.")
    by_id = {q.id: q for q in questions}
    for key in raw:
        if not isinstance(key, str) or key not in by_id:
            raise NotFoundError(
                "One of those questions is no longer in this survey; reload the page."
            )
    out: dict[str, Answer] = {}
    for number, q in enumerate(questions, 1):
        value = raw.get(q.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            if q.required:
                raise DomainError(f"Question {number} needs an answer.")
            continue
        if q.kind.closed:
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            n = len(choices(q))
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= n:
                raise DomainError(f"Question {number}: choose one of the {n} answers.")
            out[q.id] = value
        else:
            if not isinstance(value, str):
                raise DomainError(f"Question {number}: the answer must be text.")
            try:
                out[q.id] = clean_note(value)
            except DomainError as exc:
                raise DomainError(f"Question {number}: {exc}") from None
    return out


def cleared(questions: Sequence[SurveyQuestion], raw: Mapping[str, object]) -> set[str]:
    """The free-text questions a phone sent empty: an earlier answer is taken back."""
    return {
        q.id
        for q in questions
        if not q.kind.closed and isinstance(raw.get(q.id), str) and not str(raw[q.id]).strip()
    }


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Tally:
    """How many chose each answer of a closed question (index 0: the first answer)."""

    counts: tuple[int, ...]

    @property
    def answered(self) -> int:
        return sum(self.counts)

    def share(self, index: int) -> int | None:
        """The percentage who chose answer `index`, rounded down (core/shares.py)."""
        return percent_down(self.counts[index], self.answered)


def tally(question: SurveyQuestion, values: Sequence[int]) -> Tally:
    n = len(choices(question))
    counts = [0] * n
    for v in values:
        if 1 <= v <= n:
            counts[v - 1] += 1
    return Tally(tuple(counts))


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _of(part: int, whole: int) -> str:
    """ "7 out of 12 of you"."""
    return f"{part} out of {whole} of you"


def main_finding(question: SurveyQuestion, result: Tally | int) -> str:
    """The main finding in plain words a young person can read, computed from the counts
    (for a free-text question, `result` is how many wrote an answer)."""
    if isinstance(result, int):
        if result == 0:
            return "Nobody wrote an answer to this question."
        return f"{_people(result)} wrote an answer in their own words."
    total = result.answered
    if total == 0:
        return "Nobody answered this question."
    c = result.counts
    if question.kind is QuestionKind.SMILEY:
        happy = c[3] + c[4]
        unhappy = c[0] + c[1]
        if happy * 2 > total:
            return f"Most of you were happy: {_of(happy, total)} chose a happy face."
        if unhappy * 2 > total:
            return f"Most of you were not happy: {_of(unhappy, total)} chose an unhappy face."
        return (
            f"You had mixed feelings: {happy} chose a happy face, {unhappy} an unhappy face "
            f"and {c[2]} the face in the middle."
        )
    if question.kind is QuestionKind.AGREE:
        agree = c[3] + c[4]
        disagree = c[0] + c[1]
        if agree * 2 > total:
            return f"Most of you agreed: {_of(agree, total)}."
        if disagree * 2 > total:
            return f"Most of you did not agree: {_of(disagree, total)}."
        return (
            f"You did not all think the same: {agree} agreed, {disagree} did not agree and "
            f"{c[2]} were not sure."
        )
    if question.kind is QuestionKind.YES_NO:
        yes, no = c[0], c[1]
        if yes > no:
            return f"Most of you said yes: {_of(yes, total)}."
        if no > yes:
            return f"Most of you said no: {_of(no, total)}."
        return f"Half of you said yes and half said no ({yes} each)."
    top = max(c)
    firsts = [question.options[i] for i, n in enumerate(c) if n == top]
    if len(firsts) == 1:
        return f"The answer chosen most was “{firsts[0]}”: {_of(top, total)}."
    named = ", ".join(f"“{o}”" for o in firsts[:-1]) + f" and “{firsts[-1]}”"
    return f"{named} were chosen most, by {top} of you each ({total} answered)."


@dataclass(frozen=True, slots=True)
class GroupTally:
    """One stakeholder group's answers to a closed question; withheld below the
    project's smallest group shown (core/cells.py)."""

    name: str
    answered: int
    counts: tuple[int, ...]  # () when withheld
    withheld: bool


@dataclass(frozen=True, slots=True)
class WrittenAnswer:
    """A free-text answer as a report may use it."""

    note_id: str
    text: str  # the privacy review's export text
    group: str
    fate: NoteFate  # quoted only when shown on the wall (core.report.note_fate)

    @property
    def quotable(self) -> bool:
        return self.fate is NoteFate.QUOTED

    @property
    def withdrawn(self) -> bool:
        return self.fate is NoteFate.WITHDRAWN


@dataclass(frozen=True, slots=True)
class QuestionResult:
    number: int
    question: SurveyQuestion
    choices: tuple[str, ...]  # () for free text
    tally: Tally | None  # closed questions
    groups: tuple[GroupTally, ...]
    written: tuple[WrittenAnswer, ...]  # free text (withdrawn ones too, marked)
    finding: str  # the main finding in young people's words, computed from the counts

    @property
    def answered(self) -> int:
        if self.tally is not None:
            return self.tally.answered
        return sum(1 for w in self.written if not w.withdrawn)

    @property
    def quotes(self) -> tuple[WrittenAnswer, ...]:
        return tuple(w for w in self.written if w.quotable)


@dataclass(frozen=True, slots=True)
class SurveyResults:
    activity: Activity
    session_title: str
    respondents: int
    questions: tuple[QuestionResult, ...]
    min_cell: int

    @property
    def final(self) -> bool:
        """Closed (or shown): nobody can change an answer now."""
        return self.activity.state in (ActivityState.CLOSED, ActivityState.REVEALED)


@dataclass(frozen=True, slots=True)
class SurveyReport:
    """What the evaluation report and the "you said, we did" page print (plain data)."""

    project_title: str
    session_title: str
    session_date: date | None
    results: SurveyResults
    privacy: PrivacyReview  # of the survey's session (core/report.py)
    left_out: LeftOut  # written answers not quoted: hidden, never approved, taken back
    generated: date
    protection: str = ""  # how the project file is protected and until when it is kept
