"""Self-assessment against the framework (issue 16): setting up a service's
self-assessment, team members' views from phones, the team's answer the facilitator
settles, and what the projector shows. The project's areas and services: services/areas.py.

The facilitator's actions return what undo needs (the previous value); the phone's
submission is idempotent like every other (services/participation.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace

from workshop_app.core.assessment import (
    ActionItem,
    Area,
    Assessment,
    AssessmentAnswer,
    FrameworkStatement,
    Service,
    clean_actions,
    clean_evidence,
    clean_measures,
    disagree,
    parse_status,
)
from workshop_app.core.errors import DomainError, NotFoundError, StateError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import Activity, ActivityKind, ActivityState, Participant, Session
from workshop_app.core.redaction import DetailKind, find_personal_details
from workshop_app.services.events import Changed, Topic
from workshop_app.services.participation import Answer, Submitted, _open_activity, _submit
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, add_activity
from workshop_app.storage import assessment as repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage import standards as standard_repo
from workshop_app.storage.writer import Tx

# ---------------------------------------------------------------- setting up


def get_assessment(p: OpenProject, activity_id: str) -> Assessment | None:
    return repo.get_assessment(p.store.reader(), activity_id)


def _snapshot(tx: Tx) -> tuple[FrameworkStatement, ...]:
    """The framework version: every current standard's id, version, wording and measures."""
    statements = tuple(
        FrameworkStatement(s.id, s.version, s.title, s.statement, s.measures)
        for s in standard_repo.list_standards(tx.db)
    )
    if not statements:
        raise StateError(
            "The project has no standards yet: write the framework's statements (Project → "
            "Standards…) before a service assesses itself against them."
        )
    return statements


def set_up_assessment(p: OpenProject, activity_id: str, service_id: str) -> Assessment:
    """Make a self-assessment activity the service's. The first time, the framework
    version is taken: the standards as they are now (decision 024). Later, only the service
    changes, and not once the team has answered."""

    def job(tx: Tx) -> Assessment:
        activity = session_repo.get_activity(tx.db, activity_id)
        if activity.kind is not ActivityKind.ASSESS:
            raise DomainError("Only a self-assessment activity assesses a service.")
        repo.get_service(tx.db, service_id)
        now = utc_now()
        found = repo.get_assessment(tx.db, activity_id)
        if found is None:
            assessment = Assessment(activity_id, service_id, _snapshot(tx), now)
        else:
            if found.service_id != service_id and repo.list_answers(tx.db, activity_id):
                raise StateError(
                    "The team has already answered for its service; add another "
                    "self-assessment for a different service."
                )
            assessment = replace(found, service_id=service_id)
        repo.put_assessment(tx.db, assessment, now)
        tx.emit(Changed(Topic.ACTIVITIES, session_id=activity.session_id, item_id=activity_id))
        return assessment

    return p.store.write_now(job)


def add_assessment(p: OpenProject, session_id: str, service_id: str) -> Activity:
    """A self-assessment activity for `service_id` at the end of the session's agenda."""
    service = repo.get_service(p.store.reader(), service_id)
    activity = add_activity(
        p,
        session_id,
        ActivityFields(
            kind=ActivityKind.ASSESS,
            title=f"Self-assessment: {service.name}"[:200],
            prompt=(
                "For each statement, say whether your service meets it, the evidence, "
                "the measures' values and what you will do next."
            ),
        ),
    )
    set_up_assessment(p, activity.id, service_id)
    return activity


def show_statement(p: OpenProject, activity_id: str, standard_id: str | None) -> str | None:
    """The statement the room is looking at, for the projector (None: none). Returns the
    one shown before (for undo)."""

    def job(tx: Tx) -> str | None:
        activity = session_repo.get_activity(tx.db, activity_id)
        found = _assessment(tx, activity_id)
        if standard_id is not None:
            found.statement(standard_id)
        repo.put_assessment(tx.db, replace(found, current_standard_id=standard_id), utc_now())
        tx.emit(Changed(Topic.LIVE, session_id=activity.session_id, item_id=activity_id))
        return found.current_standard_id

    return p.store.write_now(job)


def _assessment(tx: Tx, activity_id: str) -> Assessment:
    found = repo.get_assessment(tx.db, activity_id)
    if found is None:
        raise StateError("Choose the service this self-assessment is for first.")
    return found


# ---------------------------------------------------------------- answers


@dataclass(frozen=True, slots=True)
class Draft:
    """An answer as typed, before it is checked."""

    status: object
    evidence: object = ""
    measures: object = None
    actions: object = None


def clean_answer(
    activity_id: str,
    statement: FrameworkStatement,
    participant_id: str | None,
    draft: Draft,
) -> AssessmentAnswer:
    return AssessmentAnswer(
        activity_id,
        statement.standard_id,
        participant_id,
        parse_status(draft.status),
        clean_evidence(draft.evidence),
        clean_measures(draft.measures, statement.measures),
        clean_actions(draft.actions),
        utc_now(),
    )


def name_warnings(actions: Sequence[ActionItem]) -> tuple[str, ...]:
    """Who does an action should be a role; a warning for each that looks like a person's
    name (the privacy review's detector)."""
    out = []
    for n, a in enumerate(actions, start=1):
        names = [f.fragment for f in find_personal_details(a.who) if f.kind is DetailKind.NAME]
        if names:
            out.append(
                f"Action {n}: “{names[0]}” looks like a person's name. Write a role instead "
                "(for example “designated safeguarding lead”)."
            )
    return tuple(out)


def give_view(
    p: OpenProject,
    participant_id: str,
    activity_id: str,
    standard_id: object,
    draft: Draft,
    key: object,
) -> Future[Submitted]:
    """A team member's view of one statement, from their phone (replacing their earlier
    view of it)."""

    def act(tx: Tx, who: Participant, session: Session) -> Answer:
        activity = _open_activity(tx, session, activity_id, ActivityKind.ASSESS)
        found = _assessment(tx, activity.id)
        if not isinstance(standard_id, str):
            raise NotFoundError("That statement is not part of this self-assessment.")
        answer = clean_answer(activity.id, found.statement(standard_id), who.id, draft)
        repo.put_answer(tx.db, new_id(), answer)
        tx.emit(Changed(Topic.CONTENT, session_id=session.id, item_id=activity.id))
        return {
            "statement": standard_id,
            "status": answer.status.value,
            "warnings": list(name_warnings(answer.actions)),
        }

    return _submit(p, participant_id, key, act)


@dataclass(frozen=True, slots=True)
class Settled:
    """The team's answer now, and the one before (for undo; None: there was none)."""

    answer: AssessmentAnswer
    previous: AssessmentAnswer | None
    warnings: tuple[str, ...] = ()


def settle(p: OpenProject, activity_id: str, standard_id: str, draft: Draft) -> Settled:
    """The facilitator settles the team's answer to one statement (typed together on the
    projector, or chosen among the team members' views)."""

    def job(tx: Tx) -> Settled:
        activity = session_repo.get_activity(tx.db, activity_id)
        found = _assessment(tx, activity_id)
        answer = clean_answer(activity_id, found.statement(standard_id), None, draft)
        previous = _settled(tx, activity_id, standard_id)
        repo.put_answer(tx.db, new_id(), answer)
        tx.emit(Changed(Topic.CONTENT, session_id=activity.session_id, item_id=activity_id))
        return Settled(answer, previous, name_warnings(answer.actions))

    return p.store.write_now(job)


def restore_settled(
    p: OpenProject, answer: AssessmentAnswer | None, standard_id: str, activity_id: str
) -> None:
    """Put a settled answer back as it was (undo): `answer`, or none at all."""

    def job(tx: Tx) -> None:
        activity = session_repo.get_activity(tx.db, activity_id)
        if answer is None:
            repo.clear_settled(tx.db, activity_id, standard_id, utc_now())
        else:
            repo.put_answer(tx.db, new_id(), replace(answer, updated_at=utc_now()))
        tx.emit(Changed(Topic.CONTENT, session_id=activity.session_id, item_id=activity_id))

    p.store.write_now(job)


def _settled(tx: Tx, activity_id: str, standard_id: str) -> AssessmentAnswer | None:
    for a in repo.list_answers(tx.db, activity_id):
        if a.participant_id is None and a.standard_id == standard_id:
            return a
    return None


# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class StatementAnswers:
    """One statement: the team members' views side by side and the settled answer."""

    statement: FrameworkStatement
    views: tuple[tuple[str, AssessmentAnswer], ...]  # ("Member 1", view), in order given
    settled: AssessmentAnswer | None

    @property
    def disagreement(self) -> bool:
        return disagree(v for _, v in self.views)


@dataclass(frozen=True, slots=True)
class AssessmentState:
    activity: Activity
    assessment: Assessment
    service: Service
    area: Area | None
    statements: tuple[StatementAnswers, ...]

    @property
    def settled_count(self) -> int:
        return sum(1 for s in self.statements if s.settled is not None)


def assessment_state(p: OpenProject, activity_id: str) -> AssessmentState | None:
    """Everything the console shows of a self-assessment (None: no service chosen yet).
    Team members are numbered in the order they first gave a view: never their ids."""
    db = p.store.reader()
    activity = session_repo.get_activity(db, activity_id, include_deleted=True)
    found = repo.get_assessment(db, activity_id)
    if found is None:
        return None
    service = repo.get_service(db, found.service_id, include_deleted=True)
    area = repo.get_area(db, service.area_id, include_deleted=True) if service.area_id else None
    answers = repo.list_answers(db, activity_id)
    members: dict[str, str] = {}
    for a in answers:
        if a.participant_id is not None and a.participant_id not in members:
            members[a.participant_id] = f"Member {len(members) + 1}"
    rows = []
    for st in found.statements:
        mine = [a for a in answers if a.standard_id == st.standard_id]
        views = tuple(
            sorted(
                ((members[a.participant_id], a) for a in mine if a.participant_id is not None),
                key=lambda v: int(v[0].split()[-1]),
            )
        )
        settled = next((a for a in mine if a.participant_id is None), None)
        rows.append(StatementAnswers(st, views, settled))
    return AssessmentState(activity, found, service, area, tuple(rows))


@dataclass(frozen=True, slots=True)
class PhoneAssessment:
    """What a team member's phone shows: the service, the statements, their own views."""

    service: Service
    statements: tuple[FrameworkStatement, ...]
    mine: dict[str, AssessmentAnswer]


def phone_assessment(
    p: OpenProject, activity_id: str, participant_id: str
) -> PhoneAssessment | None:
    db = p.store.reader()
    found = repo.get_assessment(db, activity_id)
    if found is None:
        return None
    return PhoneAssessment(
        repo.get_service(db, found.service_id, include_deleted=True),
        found.statements,
        repo.participant_answers(db, activity_id, participant_id),
    )


def open_for_views(activity: Activity | None) -> bool:
    return (
        activity is not None
        and activity.kind is ActivityKind.ASSESS
        and activity.state is ActivityState.OPEN
    )


# ---------------------------------------------------------------- the projector


@dataclass(frozen=True, slots=True)
class Projected:
    prompt: str  # the statement on screen ("" when none is chosen)
    lines: tuple[str, ...]  # the team's settled answer, line by line
    status: str


def projector_lines(p: OpenProject, activity_id: str) -> Projected:
    """What the room sees of a self-assessment: the statement the facilitator put up, its
    measures and the team's settled answer (typed or settled by the facilitator). Team
    members' views from phones never reach the projector."""
    db = p.store.reader()
    found = repo.get_assessment(db, activity_id)
    if found is None or found.current_standard_id is None:
        return Projected("", (), "We are going through the framework's statements together.")
    st = found.statement(found.current_standard_id)
    number = [s.standard_id for s in found.statements].index(st.standard_id) + 1
    settled = next(
        (
            a
            for a in repo.list_answers(db, activity_id)
            if a.participant_id is None and a.standard_id == st.standard_id
        ),
        None,
    )
    lines = [f"Measure: {m.description}" for m in st.measures]
    if settled is None:
        lines.append("Team answer: not settled yet")
    else:
        lines.append(f"Team answer: {settled.status.symbol} {settled.status.label}")
        if settled.evidence:
            lines.append(f"Evidence: {settled.evidence}")
        for m, v in zip(st.measures, settled.measures, strict=False):
            if not v.empty:
                lines.append(f"{m.description}: {v.text}")
        lines += [
            "Action: "
            + " · ".join(x for x in (a.what, a.who, a.by.isoformat() if a.by else "") if x)
            for a in settled.actions
        ]
    return Projected(
        f"{st.title}: {st.statement}",
        tuple(lines),
        f"Statement {number} of {len(found.statements)}. Give your own view on your phone "
        "if you have one; the facilitator settles the team's answer with you.",
    )
