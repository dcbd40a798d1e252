"""The demo project's youth evaluation: a closed session in which children and young people
answered the youth panel's survey about the workshops (resources/demo/evaluation.json),
with what was done about each question written for "you said, we did". Invented, like the
rest of the demo (services/demo_content.py)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from workshop_app.core.ids import new_join_token
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivitySettings,
    ActivityState,
    ModerationMode,
    Note,
    NoteSource,
    NoteStatus,
    Participant,
    Session,
    SessionState,
)
from workshop_app.core.survey import QuestionKind, SurveyQuestion
from workshop_app.services.demo_content import EVALUATION
from workshop_app.storage import Database, contributions, sessions
from workshop_app.storage import survey as survey_repo


@dataclass(frozen=True, slots=True)
class Evaluated:
    participants: int
    notes: int


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(16, 30), tzinfo=UTC) + timedelta(minutes=minutes)


def insert_evaluation(
    db: Database, new_id: Callable[[], str], rng: random.Random, group_ids: Mapping[str, str]
) -> Evaluated:
    spec: dict[str, Any] = EVALUATION
    day = date.fromisoformat(spec["date"])
    session = Session(
        id=new_id(),
        title=spec["title"],
        date=day,
        venue=spec["venue"],
        plan_id="",
        state=SessionState.CLOSED,
        join_token=new_join_token(),
        moderation=ModerationMode.APPROVE_FIRST,  # children's groups: read first
        group_ids=tuple(group_ids[k] for k in spec["groups"]),
        created_at=_at(day - timedelta(days=14), 0),
        updated_at=_at(day, 90),
    )
    sessions.insert_session(db, session)
    activities = []
    for position, (kind, part) in enumerate(
        ((ActivityKind.INFO, spec["info"]), (ActivityKind.SURVEY, spec["survey"]))
    ):
        activity = Activity(
            id=new_id(),
            session_id=session.id,
            position=position,
            kind=kind,
            title=part["title"],
            prompt=part["prompt"],
            child_prompt=part["child_prompt"],
            settings=ActivitySettings(timer_seconds=15 * 60),
            state=ActivityState.CLOSED,
            facilitator_notes="",
            created_at=session.created_at,
            updated_at=session.updated_at,
        )
        sessions.insert_activity(db, activity)
        activities.append(activity)
    survey = activities[1]

    people: dict[str, list[str]] = {}
    for key, n in spec["participants"].items():
        for i in range(n):
            pid = new_id()
            contributions.insert_participant(
                db, Participant(pid, session.id, group_ids[key], _at(day, 2 + i % 6))
            )
            people.setdefault(key, []).append(pid)

    notes = 0
    for position, q in enumerate(spec["questions"], 1):
        question = SurveyQuestion(
            id=new_id(),
            activity_id=survey.id,
            position=position,
            kind=QuestionKind(q["kind"]),
            text=q["text"],
            child_text=q.get("child_text", ""),
            options=tuple(q.get("options", ())),
            required=bool(q.get("required", False)),
            we_did=q["we_did"],
            created_at=session.created_at,
            updated_at=_at(day, 200),
        )
        survey_repo.insert_question(db, question)
        for key, counts in q.get("answers", {}).items():
            who = list(people[key])
            rng.shuffle(who)
            values = [v for v, n in enumerate(counts, 1) for _ in range(n)]
            for pid, value in zip(who, values, strict=False):
                survey_repo.put_answer(
                    db, question.id, pid, choice=value, note_id=None, now=_at(day, 20)
                )
        for i, written in enumerate(q.get("written", ())):
            authors = people[written["group"]]
            when = _at(day, 25 + i)
            note = Note(
                id=new_id(),
                activity_id=survey.id,
                participant_id=authors[i % len(authors)],
                group_id=group_ids[written["group"]],
                text=written["text"],
                original_text=written["text"],
                source=NoteSource.PHONE,
                status=NoteStatus.SHOWN,
                idempotency_key=None,
                created_at=when,
                updated_at=when,
            )
            contributions.insert_note(db, note)
            survey_repo.put_answer(
                db, question.id, note.participant_id or "", choice=None, note_id=note.id, now=when
            )
            notes += 1
    return Evaluated(participants=sum(len(v) for v in people.values()), notes=notes)
