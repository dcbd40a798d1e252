"""Self-assessment against the framework: the nouns and the rules (issue 16).

A team from one service (an organisation, never a person) says, for each statement of the
framework version it was given, whether the service meets it, with its evidence, the values
of the statement's measures over a period, and the actions it will take. Team members may
each give their view on their phones; the facilitator settles the team's answer, which is
what reports use. The rules here are the only ones: what an answer may hold, when views
disagree, a measure's percentage, and which statements most services find hard to meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction

from workshop_app.core.errors import DomainError, LimitError, NotFoundError
from workshop_app.core.model import Measure
from workshop_app.core.participation import _plain_lines
from workshop_app.core.shares import percent_text
from workshop_app.core.validate import clean_text

NAME_MAX = 120
EVIDENCE_MAX = 2000
PERIOD_MAX = 60
WHAT_MAX = 300
WHO_MAX = 80
ACTIONS_MAX = 10
COUNT_MAX = 10_000_000


class ServiceKind(StrEnum):
    POLICE = "police"
    SOCIAL_CARE = "social_care"
    SCHOOL = "school"
    HEALTH = "health"
    YOUTH = "youth"
    VOLUNTARY = "voluntary"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _SERVICE_KIND_LABELS[self]


_SERVICE_KIND_LABELS = {
    ServiceKind.POLICE: "Police",
    ServiceKind.SOCIAL_CARE: "Social care",
    ServiceKind.SCHOOL: "School",
    ServiceKind.HEALTH: "Health",
    ServiceKind.YOUTH: "Youth service",
    ServiceKind.VOLUNTARY: "Voluntary group",
    ServiceKind.OTHER: "Other",
}


class AssessStatus(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return _STATUS[self][0]

    @property
    def symbol(self) -> str:
        """A mark that reads without colour (printed in black and white)."""
        return _STATUS[self][1]

    @property
    def colour(self) -> str:
        """Background colour (hex, no '#'), light enough for black text."""
        return _STATUS[self][2]

    @property
    def hard(self) -> bool:
        """Not (fully) met: what the comparison counts as finding a statement hard."""
        return self in (AssessStatus.PARTLY_MET, AssessStatus.NOT_MET)


_STATUS = {
    AssessStatus.MET: ("Met", "✓", "C6EFCE"),
    AssessStatus.PARTLY_MET: ("Partly met", "◐", "FFEB9C"),
    AssessStatus.NOT_MET: ("Not met", "✗", "FFC7CE"),
    AssessStatus.NOT_APPLICABLE: ("Not applicable", "–", "E7E6E6"),
}


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    name: str
    position: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Service:
    """An organisation taking part in the pilot (never a person)."""

    id: str
    name: str
    kind: ServiceKind
    area_id: str | None
    position: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FrameworkStatement:
    """One statement as it stood when the self-assessment was set up (its version)."""

    standard_id: str
    version: int
    title: str
    statement: str
    measures: tuple[Measure, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """A self-assessment activity: the service and the framework version it assesses."""

    activity_id: str
    service_id: str
    statements: tuple[FrameworkStatement, ...]
    created_at: datetime
    current_standard_id: str | None = None  # on the projector while filled together

    def statement(self, standard_id: str) -> FrameworkStatement:
        for s in self.statements:
            if s.standard_id == standard_id:
                return s
        raise NotFoundError("That statement is not part of this self-assessment.")


@dataclass(frozen=True, slots=True)
class MeasureValue:
    """A measure's value over a period: numerator of denominator (either may be missing)."""

    numerator: int | None = None
    denominator: int | None = None
    period: str = ""

    @property
    def empty(self) -> bool:
        return self.numerator is None and self.denominator is None and not self.period

    @property
    def percent(self) -> str:
        """'69%' rounded down (core/shares.py), or '' without both numbers."""
        if self.numerator is None or self.denominator is None:
            return ""
        return percent_text(self.numerator, self.denominator)

    @property
    def text(self) -> str:
        """'45 of 60 (75%), April to June 2026', or '' when nothing was given."""
        parts = []
        if self.numerator is not None and self.denominator is not None:
            parts.append(f"{self.numerator} of {self.denominator} ({self.percent})")
        elif self.numerator is not None:
            parts.append(f"{self.numerator} (no denominator given)")
        elif self.denominator is not None:
            parts.append(f"out of {self.denominator} (no numerator given)")
        if self.period:
            parts.append(self.period)
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class ActionItem:
    """What will be done, who (a role, never a person's name) and by when."""

    what: str
    who: str = ""
    by: date | None = None


@dataclass(frozen=True, slots=True)
class AssessmentAnswer:
    """A team member's view (participant_id) or the team's settled answer (None)."""

    activity_id: str
    standard_id: str
    participant_id: str | None
    status: AssessStatus
    evidence: str
    measures: tuple[MeasureValue, ...]
    actions: tuple[ActionItem, ...]
    updated_at: datetime


# ---------------------------------------------------------------- checking what is typed


def clean_name(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise DomainError(f"{what} must be text.")
    return clean_text(value, what, NAME_MAX, required=True)


def parse_status(value: object) -> AssessStatus:
    try:
        return AssessStatus(str(value))
    except ValueError:
        raise DomainError("Choose met, partly met, not met or not applicable.") from None


def clean_evidence(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError("The evidence must be text.")
    text = _plain_lines(value).strip()
    if len(text) > EVIDENCE_MAX:
        raise LimitError(
            f"The evidence is {len(text)} characters long; the limit is {EVIDENCE_MAX}."
        )
    return clean_text(text, "The evidence", EVIDENCE_MAX, required=False)


def _count(value: object, what: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", "")
        if not value.isdigit():
            raise DomainError(f"The {what} must be a whole number (0 or more).")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DomainError(f"The {what} must be a whole number (0 or more).")
    if value > COUNT_MAX:
        raise LimitError(f"The {what} is larger than {COUNT_MAX:,}; check the number.")
    return value


def clean_measure(raw: object, measure: Measure, n: int) -> MeasureValue:
    """One measure's value: numbers of 0 or more, a numerator no larger than its
    denominator, a short period."""
    if raw is None:
        return MeasureValue()
    if not isinstance(raw, Mapping):
        raise DomainError(f"Measure {n}: send its numerator, denominator and period.")
    unknown = set(raw) - {"numerator", "denominator", "period"}
    if unknown:
        raise DomainError(f"Measure {n}: unknown field {sorted(unknown)[0][:40]!r}.")
    numerator = _count(raw.get("numerator"), f"numerator of measure {n}")
    denominator = _count(raw.get("denominator"), f"denominator of measure {n}")
    period_raw = raw.get("period") or ""
    if not isinstance(period_raw, str):
        raise DomainError(f"Measure {n}: the period must be text.")
    period = clean_text(
        _plain_lines(period_raw), f"The period of measure {n}", PERIOD_MAX, required=False
    )
    if denominator == 0 and numerator is not None:
        raise DomainError(f"Measure {n}: a denominator of 0 leaves nothing to count.")
    if numerator is not None and denominator is not None and numerator > denominator:
        raise DomainError(
            f"Measure {n} ({measure.description[:60]}): the numerator ({numerator}) is larger "
            f"than the denominator ({denominator})."
        )
    return MeasureValue(numerator, denominator, period)


def clean_measures(raw: object, measures: Sequence[Measure]) -> tuple[MeasureValue, ...]:
    """One value per measure of the statement, in its order (missing ones empty)."""
    if raw is None:
        raw = []
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise DomainError("The measures must be a list, one entry per measure.")
    if len(raw) > len(measures):
        raise DomainError(f"This statement has {len(measures)} measure(s); {len(raw)} were sent.")
    padded = list(raw) + [None] * (len(measures) - len(raw))
    return tuple(
        clean_measure(r, m, i + 1) for i, (r, m) in enumerate(zip(padded, measures, strict=True))
    )


def clean_actions(raw: object) -> tuple[ActionItem, ...]:
    """The action plan: each line needs what will be done; who is a role; by when a date.
    Blank lines are dropped."""
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise DomainError("The actions must be a list.")
    out: list[ActionItem] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise DomainError(f"Action {n}: send what, who and by when.")
        unknown = set(item) - {"what", "who", "by"}
        if unknown:
            raise DomainError(f"Action {n}: unknown field {sorted(unknown)[0][:40]!r}.")
        texts = []
        for field, limit in (("what", WHAT_MAX), ("who", WHO_MAX)):
            value = item.get(field) or ""
            if not isinstance(value, str):
                raise DomainError(f"Action {n}: {field} must be text.")
            texts.append(
                clean_text(
                    " ".join(_plain_lines(value).split()),
                    f"Action {n}'s {field}",
                    limit,
                    required=False,
                )
            )
        what, who = texts
        by = _day(item.get("by"), n)
        if not what and not who and by is None:
            continue
        if not what:
            raise DomainError(f"Action {n}: say what will be done.")
        out.append(ActionItem(what, who, by))
    if len(out) > ACTIONS_MAX:
        raise LimitError(f"At most {ACTIONS_MAX} actions for one statement.")
    return tuple(out)


def _day(value: object, n: int) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DomainError(f"Action {n}: 'by when' must be a date (YYYY-MM-DD).")


# ---------------------------------------------------------------- rules over answers


def disagree(views: Iterable[AssessmentAnswer]) -> bool:
    """Team members' views disagree when they give more than one status."""
    return len({v.status for v in views}) > 1


def status_counts(answers: Iterable[AssessmentAnswer]) -> dict[AssessStatus, int]:
    counts = dict.fromkeys(AssessStatus, 0)
    for a in answers:
        counts[a.status] += 1
    return counts


#: The least number of services that must have assessed a statement (other than "not
#: applicable") before it can be called hard to meet: one service is not "most services".
HARD_MIN_SERVICES = 2


@dataclass(frozen=True, slots=True)
class Hardness:
    """How many services assessed a statement (applicable to them) and how many did not
    fully meet it."""

    standard_id: str
    title: str
    assessed: int  # services whose settled answer is met, partly met or not met
    not_fully_met: int  # of those, partly met or not met

    @property
    def hard(self) -> bool:
        """Hard to meet: at least HARD_MIN_SERVICES services assessed it and more than half
        of them did not fully meet it (counts, never rounded shares)."""
        return self.assessed >= HARD_MIN_SERVICES and 2 * self.not_fully_met > self.assessed

    @property
    def share(self) -> str:
        return percent_text(self.not_fully_met, self.assessed)


def hard_rule_text() -> str:
    return (
        "A statement is counted as hard to meet when at least "
        f"{HARD_MIN_SERVICES} services assessed it (an answer other than not applicable) "
        "and more than half of them found it only partly met or not met. The rule is judged "
        "on the counts; percentages are rounded down."
    )


def hardness(standard_id: str, title: str, settled: Iterable[AssessStatus | None]) -> Hardness:
    """One statement's hardness from each service's settled status (None: not settled)."""
    applicable = [s for s in settled if s is not None and s is not AssessStatus.NOT_APPLICABLE]
    return Hardness(standard_id, title, len(applicable), sum(1 for s in applicable if s.hard))


def hardest(rows: Iterable[Hardness]) -> list[Hardness]:
    """The hard statements, the largest share of services not fully meeting them first
    (compared exactly), then the most services, then by title."""
    hard = [r for r in rows if r.hard]
    return sorted(
        hard, key=lambda r: (-Fraction(r.not_fully_met, r.assessed), -r.assessed, r.title)
    )
