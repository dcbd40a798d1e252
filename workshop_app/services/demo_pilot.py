"""The demo's pilot (issue 16): two areas, three services and a closed workshop in which each
service's team assessed itself against the framework as it stood after round 2, some views
given on phones, every answer settled. Fictional, like the rest of the demo; the content is
`resources/demo/pilot.json`. Called by services/demo.py inside its one job, after the
standards, with its seeded builder, so the demo stays deterministic."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from workshop_app.core.assessment import (
    ActionItem,
    Area,
    Assessment,
    AssessmentAnswer,
    AssessStatus,
    FrameworkStatement,
    MeasureValue,
    Service,
    ServiceKind,
)
from workshop_app.core.ids import new_join_token
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivitySettings,
    ActivityState,
    ModerationMode,
    Participant,
    Session,
    SessionState,
)
from workshop_app.services.demo_content import demo_dir
from workshop_app.storage import Database, contributions, sessions
from workshop_app.storage import assessment as repo
from workshop_app.storage import standards as standard_repo

PROMPT = (
    "For each statement, say whether your service meets it, the evidence, the measures' "
    "values and what you will do next."
)


@dataclass(frozen=True, slots=True)
class PilotSummary:
    sessions: int
    participants: int
    activities: int


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((demo_dir() / "pilot.json").read_text(encoding="utf-8"))
    return data


def insert_pilot(db: Database, new_id: Callable[[], str]) -> PilotSummary:
    spec = load()
    day = date.fromisoformat(spec["session"]["date"])

    def at(minutes: int) -> datetime:
        return datetime.combine(day, time(10, 0), tzinfo=UTC) + timedelta(minutes=minutes)

    created = at(-14 * 24 * 60)
    areas = [Area(new_id(), name, i, created) for i, name in enumerate(spec["areas"])]
    for a in areas:
        repo.insert_area(db, a)
    framework = tuple(
        FrameworkStatement(s.id, s.version, s.title, s.statement, s.measures)
        for s in standard_repo.list_standards(db)
    )
    session = Session(
        id=new_id(),
        title=spec["session"]["title"],
        date=day,
        venue=spec["session"]["venue"],
        plan_id="",
        state=SessionState.CLOSED,
        join_token=new_join_token(),
        moderation=ModerationMode.APPROVE_FIRST,
        group_ids=(),
        created_at=created,
        updated_at=at(240),
    )
    sessions.insert_session(db, session)
    people = 0
    for position, s in enumerate(spec["services"]):
        service = Service(
            new_id(), s["name"], ServiceKind(s["kind"]), areas[s["area"]].id, position, created
        )
        repo.insert_service(db, service)
        activity = Activity(
            id=new_id(),
            session_id=session.id,
            position=position,
            kind=ActivityKind.ASSESS,
            title=f"Self-assessment: {service.name}",
            prompt=PROMPT,
            child_prompt="",
            settings=ActivitySettings(),
            state=ActivityState.CLOSED,
            facilitator_notes="",
            created_at=created,
            updated_at=at(240),
        )
        sessions.insert_activity(db, activity)
        repo.put_assessment(db, Assessment(activity.id, service.id, framework, at(0)), at(0))
        members = [new_id() for _ in range(s["members"])]
        for i, pid in enumerate(members):
            contributions.insert_participant(db, Participant(pid, session.id, None, at(5 + i)))
        people += len(members)
        for n, (st, answer) in enumerate(zip(framework, s["answers"], strict=True)):
            minute = 20 + 30 * position + 4 * n
            for pid, status in zip(members, answer["views"], strict=False):
                repo.put_answer(
                    db,
                    new_id(),
                    AssessmentAnswer(
                        activity.id,
                        st.standard_id,
                        pid,
                        AssessStatus(status),
                        "",
                        (),
                        (),
                        at(minute),
                    ),
                )
            repo.put_answer(db, new_id(), _settled(activity.id, st, answer, at(minute + 2)))
    return PilotSummary(sessions=1, participants=people, activities=len(spec["services"]))


def _settled(
    activity_id: str, st: FrameworkStatement, answer: dict[str, Any], when: datetime
) -> AssessmentAnswer:
    values = [MeasureValue(n, d, p) for n, d, p in answer.get("measures", [])]
    values += [MeasureValue()] * (len(st.measures) - len(values))
    return AssessmentAnswer(
        activity_id,
        st.standard_id,
        None,
        AssessStatus(answer["status"]),
        answer["evidence"],
        tuple(values[: len(st.measures)]),
        tuple(
            ActionItem(what, who, date.fromisoformat(by))
            for what, who, by in answer.get("actions", [])
        ),
        when,
    )
