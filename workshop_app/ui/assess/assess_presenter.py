"""What the Self-assessment tab shows and decides, without a widget (issue 16).

The tab follows a session's self-assessment activities. For each statement it shows the
team's settled answer beside the team members' views (numbered, never named), says when
they differ, and turns a view or the settled answer into the editor's fields; settling is
undoable (services/assessment.py returns the answer it replaced).
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop_app.core.assessment import (
    ActionItem,
    AssessmentAnswer,
    AssessStatus,
    FrameworkStatement,
    MeasureValue,
    Service,
)
from workshop_app.core.model import ActivityKind
from workshop_app.services import areas
from workshop_app.services import assessment as svc
from workshop_app.services import sessions as session_service
from workshop_app.services.assessment import AssessmentState, Draft, StatementAnswers
from workshop_app.services.project import OpenProject

NOT_SETTLED = "Not settled yet"
ACTION_ROWS = 5  # action lines the editor offers


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the statements table."""

    standard_id: str
    title: str
    settled: str  # "✓ Met", or NOT_SETTLED
    views: str  # "3 views: 2 met, 1 partly met" or "No views"
    differ: bool


@dataclass(frozen=True, slots=True)
class Fields:
    """The editor's fields, as text (what the widgets hold)."""

    status: AssessStatus | None
    evidence: str
    measures: tuple[tuple[str, str, str], ...]  # (numerator, denominator, period) per measure
    actions: tuple[tuple[str, str, str], ...]  # (what, who, by) per line, ACTION_ROWS lines


def settled_words(answer: AssessmentAnswer | None) -> str:
    return NOT_SETTLED if answer is None else f"{answer.status.symbol} {answer.status.label}"


def views_words(row: StatementAnswers) -> str:
    if not row.views:
        return "No views"
    counts = {s: 0 for s in AssessStatus}
    for _, v in row.views:
        counts[v.status] += 1
    said = ", ".join(f"{n} {s.label.lower()}" for s, n in counts.items() if n)
    return f"{len(row.views)} {'view' if len(row.views) == 1 else 'views'}: {said}"


def rows_of(state: AssessmentState) -> list[Row]:
    return [
        Row(
            r.statement.standard_id,
            r.statement.title,
            settled_words(r.settled),
            views_words(r),
            r.disagreement,
        )
        for r in state.statements
    ]


def view_text(name: str, answer: AssessmentAnswer, statement: FrameworkStatement) -> str:
    """One team member's view in plain words, for the side-by-side list."""
    lines = [f"{name}: {answer.status.label}"]
    if answer.evidence:
        lines.append(f"Evidence: {answer.evidence}")
    for m, v in zip(statement.measures, answer.measures, strict=False):
        if not v.empty:
            lines.append(f"{m.description}: {v.text}")
    for a in answer.actions:
        lines.append("Action: " + action_text(a))
    return "\n".join(lines)


def action_text(a: ActionItem) -> str:
    parts = [a.what]
    if a.who:
        parts.append(f"({a.who})")
    if a.by:
        parts.append(f"by {a.by.isoformat()}")
    return " ".join(parts)


def fields_of(answer: AssessmentAnswer | None, statement: FrameworkStatement) -> Fields:
    """The editor filled from an answer (a view or the settled one), or empty."""
    measures = list(answer.measures if answer else ())
    measures += [MeasureValue()] * (len(statement.measures) - len(measures))
    actions = [
        (a.what, a.who, a.by.isoformat() if a.by else "")
        for a in (answer.actions if answer else ())
    ]
    actions += [("", "", "")] * (ACTION_ROWS - len(actions))
    return Fields(
        answer.status if answer else None,
        answer.evidence if answer else "",
        tuple(
            (
                "" if m.numerator is None else str(m.numerator),
                "" if m.denominator is None else str(m.denominator),
                m.period,
            )
            for m in measures[: len(statement.measures)]
        ),
        tuple(actions[:ACTION_ROWS]),
    )


def draft_of(fields: Fields) -> Draft:
    return Draft(
        fields.status.value if fields.status else "",
        fields.evidence,
        [{"numerator": n, "denominator": d, "period": p} for n, d, p in fields.measures],
        [{"what": w, "who": who, "by": by} for w, who, by in fields.actions],
    )


def empty_words(session_chosen: bool, services: int) -> str:
    """What the tab says while no self-assessment is shown: the next step, from what the
    project has (a session chosen, services named), never a fixed instruction."""
    if not session_chosen:
        return "Choose a session to see its self-assessments."
    if not services:
        return (
            "This session has no self-assessment. Name the services taking part (Areas and "
            "services…), then add a self-assessment for one of them."
        )
    return (
        "This session has no self-assessment yet: choose the service above and press "
        "Add a self-assessment for this service."
    )


class AssessPresenter:
    """The tab's state: the session followed, the self-assessment chosen, its answers."""

    def __init__(self, project: OpenProject):
        self.project = project
        self.session_id: str | None = None
        self.state: AssessmentState | None = None

    def entries(self) -> list[tuple[str, str]]:
        """(activity id, title) of the session's self-assessments, in agenda order."""
        if self.session_id is None:
            return []
        return [
            (a.id, f"{a.position + 1}. {a.title}")
            for a in session_service.list_activities(self.project, self.session_id)
            if a.kind is ActivityKind.ASSESS
        ]

    def read(self, activity_id: str | None) -> AssessmentState | None:
        self.state = (
            None if activity_id is None else svc.assessment_state(self.project, activity_id)
        )
        return self.state

    def services(self) -> list[Service]:
        return areas.list_services(self.project)

    def statement(self, standard_id: str) -> StatementAnswers | None:
        if self.state is None:
            return None
        return next(
            (s for s in self.state.statements if s.statement.standard_id == standard_id), None
        )

    def heading(self) -> str:
        s = self.state
        if s is None:
            return ""
        where = f", {s.area.name}" if s.area else ""
        return (
            f"{s.service.name} ({s.service.kind.label}{where}): {s.settled_count} of "
            f"{len(s.statements)} statements settled"
        )
