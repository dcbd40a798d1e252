"""The evaluation survey in the console: the youth panel's questions (written in the
console or brought as a file), what was done about each, and the results.

Every change is one writer job, returns what the console needs to undo it, and publishes
`Changed(ACTIVITIES)` for the question list or `Changed(CONTENT)` for answers. A
question's kind and answers to choose from are locked once someone has answered it (its
answers would mean something else); its wording can still be polished. What phones do is
in services/participation.py (`answer_survey`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from workshop_app.core.cells import suppressed
from workshop_app.core.consensus import NO_GROUP
from workshop_app.core.errors import DomainError, LimitError, NotFoundError, StateError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import Activity, ActivityKind, Note
from workshop_app.core.report import note_fate
from workshop_app.core.survey import (
    QUESTIONS_MAX,
    GroupTally,
    QuestionFields,
    QuestionResult,
    SurveyQuestion,
    SurveyResults,
    WrittenAnswer,
    choices,
    clean_question,
    clean_we_did,
    main_finding,
    tally,
)
from workshop_app.core.survey_file import SurveyFileError, parse_questions
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject, get_settings
from workshop_app.storage import Database
from workshop_app.storage import moderation as moderation_repo
from workshop_app.storage import projects as project_repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage import survey as repo
from workshop_app.storage.writer import Tx

FILE_MAX_BYTES = 256 * 1024
LOCKED = (
    "People have answered this question, so its kind and the answers to choose from can no "
    "longer change (their answers would mean something else). The wording can still change."
)


# ---------------------------------------------------------------- questions


def list_questions(p: OpenProject, activity_id: str) -> list[SurveyQuestion]:
    return repo.list_questions(p.store.reader(), activity_id)


def add_question(
    p: OpenProject, activity_id: str, fields: QuestionFields, position: int | None = None
) -> SurveyQuestion:
    """A new question at the end (or at `position`, 1-based)."""
    fields = clean_question(fields)

    def job(tx: Tx) -> SurveyQuestion:
        activity = _survey(tx.db, activity_id)
        return _insert(tx, activity, [fields], position)[0]

    return p.store.write_now(job)


def import_questions(p: OpenProject, activity_id: str, path: Path) -> list[SurveyQuestion]:
    """The questions of a .toml or .csv file, added at the end: all of them or, when the
    file has a mistake, none (SurveyFileError naming each line)."""
    try:
        if path.stat().st_size > FILE_MAX_BYTES:
            raise SurveyFileError([f"{path.name}: the file is too large for a questions file"])
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SurveyFileError(
            [f"{path.name}: the file is not plain text in UTF-8 (save it as UTF-8 and try again)"]
        ) from None
    except FileNotFoundError:
        raise NotFoundError(f"There is no file {path}.") from None
    found = parse_questions(text, path.name)

    def job(tx: Tx) -> list[SurveyQuestion]:
        return _insert(tx, _survey(tx.db, activity_id), found, None)

    return p.store.write_now(job)


def _insert(
    tx: Tx, activity: Activity, fields: Sequence[QuestionFields], position: int | None
) -> list[SurveyQuestion]:
    existing = repo.list_questions(tx.db, activity.id)
    if len(existing) + len(fields) > QUESTIONS_MAX:
        raise LimitError(
            f"A survey holds at most {QUESTIONS_MAX} questions; this one has {len(existing)}."
        )
    now = utc_now()
    made = [
        SurveyQuestion(
            id=new_id(),
            activity_id=activity.id,
            position=0,
            kind=f.kind,
            text=f.text,
            child_text=f.child_text,
            options=f.options,
            required=f.required,
            we_did="",
            created_at=now,
            updated_at=now,
        )
        for f in fields
    ]
    for q in made:
        repo.insert_question(tx.db, q)
    ids = [q.id for q in existing]
    at = len(ids) if position is None else max(0, min(position - 1, len(ids)))
    ids[at:at] = [q.id for q in made]
    repo.set_positions(tx.db, ids, now)
    tx.emit(Changed(Topic.ACTIVITIES, session_id=activity.session_id, item_id=activity.id))
    return [repo.get_question(tx.db, q.id) for q in made]


def update_question(p: OpenProject, question_id: str, fields: QuestionFields) -> SurveyQuestion:
    """Change a question; returns it as it was before (for undo)."""
    fields = clean_question(fields)

    def job(tx: Tx) -> SurveyQuestion:
        before = repo.get_question(tx.db, question_id)
        activity = _survey(tx.db, before.activity_id)
        answered = _has_answers(tx.db, question_id)
        if answered and (fields.kind is not before.kind or fields.options != before.options):
            raise StateError(LOCKED)
        repo.update_question(tx.db, question_id, fields, utc_now())
        tx.emit(Changed(Topic.ACTIVITIES, session_id=activity.session_id, item_id=activity.id))
        return before

    return p.store.write_now(job)


def set_we_did(p: OpenProject, question_id: str, text: str) -> str:
    """What was done about a question ("we did"); returns the text before (for undo)."""
    text = clean_we_did(text)

    def job(tx: Tx) -> str:
        before = repo.get_question(tx.db, question_id)
        activity = _activity(tx.db, before.activity_id)
        repo.set_we_did(tx.db, question_id, text, utc_now())
        tx.emit(Changed(Topic.ACTIVITIES, session_id=activity.session_id, item_id=activity.id))
        return before.we_did

    return p.store.write_now(job)


def delete_question(p: OpenProject, question_id: str) -> SurveyQuestion:
    """Soft delete: its answers stay in the project and come back with an undo."""
    return _set_deleted(p, [question_id], deleted=True)[0]


def delete_questions(p: OpenProject, question_ids: Sequence[str]) -> list[SurveyQuestion]:
    return _set_deleted(p, question_ids, deleted=True)


def restore_questions(p: OpenProject, question_ids: Sequence[str]) -> list[SurveyQuestion]:
    return _set_deleted(p, question_ids, deleted=False)


def _set_deleted(
    p: OpenProject, question_ids: Sequence[str], *, deleted: bool
) -> list[SurveyQuestion]:
    def job(tx: Tx) -> list[SurveyQuestion]:
        now = utc_now()
        out = []
        for qid in question_ids:
            q = repo.get_question(tx.db, qid, include_deleted=True)
            activity = _activity(tx.db, q.activity_id)
            if not deleted and len(repo.list_questions(tx.db, activity.id)) >= QUESTIONS_MAX:
                raise LimitError(f"A survey holds at most {QUESTIONS_MAX} questions.")
            repo.set_deleted(tx.db, qid, now if deleted else None, now)
            tx.emit(Changed(Topic.ACTIVITIES, session_id=activity.session_id, item_id=activity.id))
            out.append(q)
        return out

    return p.store.write_now(job)


def move_question(p: OpenProject, question_id: str, new_position: int) -> int:
    """Put a question at `new_position` (1-based); returns its position before."""

    def job(tx: Tx) -> int:
        q = repo.get_question(tx.db, question_id)
        activity = _activity(tx.db, q.activity_id)
        ids = [x.id for x in repo.list_questions(tx.db, q.activity_id)]
        before = ids.index(question_id) + 1
        ids.remove(question_id)
        ids.insert(max(0, min(new_position - 1, len(ids))), question_id)
        repo.set_positions(tx.db, ids, utc_now())
        tx.emit(Changed(Topic.ACTIVITIES, session_id=activity.session_id, item_id=activity.id))
        return before

    return p.store.write_now(job)


def _has_answers(db: Database, question_id: str) -> bool:
    row = db.execute(
        "SELECT EXISTS(SELECT 1 FROM survey_answers WHERE question_id = ?)", [question_id]
    ).fetchone()
    return bool(row[0])


def _activity(db: Database, activity_id: str) -> Activity:
    return session_repo.get_activity(db, activity_id)


def _survey(db: Database, activity_id: str) -> Activity:
    activity = _activity(db, activity_id)
    if activity.kind is not ActivityKind.SURVEY:
        raise DomainError("Questions belong to survey activities only.")
    return activity


# ---------------------------------------------------------------- results


def survey_results(
    p: OpenProject, activity_id: str, texts: dict[str, str] | None = None
) -> SurveyResults:
    """Every question's results. `texts` (note id -> export text, from the privacy
    review) replaces the stored text of free-text answers; without it the stored text is
    used (the console, which shows the project as it is)."""
    db = p.store.reader()
    activity = _survey(db, activity_id)
    session = session_repo.get_session(db, activity.session_id, include_deleted=True)
    min_cell = get_settings(p).min_cell_size
    names = moderation_repo.group_names(db)  # removed groups too: answers keep theirs
    order = {g.id: g.position for g in project_repo.list_groups(db)}
    by_question: dict[str, list[tuple[str | None, int]]] = defaultdict(list)
    for row in repo.choice_answers(db, activity_id):
        by_question[row.question_id].append((row.group_id, row.choice))
    texts_of: dict[str, list[str]] = defaultdict(list)
    for row_text in repo.text_answers(db, activity_id):
        texts_of[row_text.question_id].append(row_text.note_id)
    notes = moderation_repo.get_notes(db, [n for ids in texts_of.values() for n in ids])
    results = []
    for number, q in enumerate(repo.list_questions(db, activity_id), 1):
        if q.kind.closed:
            answers = by_question.get(q.id, [])
            t = tally(q, [v for _g, v in answers])
            results.append(
                QuestionResult(
                    number,
                    q,
                    choices(q),
                    t,
                    _groups(q, answers, names, order, min_cell),
                    (),
                    main_finding(q, t),
                )
            )
        else:
            written = tuple(
                _written(notes[n], texts, names) for n in texts_of.get(q.id, []) if n in notes
            )
            count = sum(1 for w in written if not w.withdrawn)
            results.append(QuestionResult(number, q, (), None, (), written, main_finding(q, count)))
    return SurveyResults(
        activity=activity,
        session_title=session.title,
        respondents=repo.respondents(db, activity_id),
        questions=tuple(results),
        min_cell=min_cell,
    )


def _groups(
    q: SurveyQuestion,
    answers: list[tuple[str | None, int]],
    names: dict[str, str],
    order: dict[str, int],
    min_cell: int,
) -> tuple[GroupTally, ...]:
    by_group: dict[str | None, list[int]] = defaultdict(list)
    for group_id, value in answers:
        by_group[group_id].append(value)
    ordered = sorted(by_group, key=lambda g: (g is None, order.get(g or "", len(order))))
    out = []
    for g in ordered:
        values = by_group[g]
        withheld = suppressed(len(values), min_cell)
        out.append(
            GroupTally(
                name=names.get(g, NO_GROUP) if g else NO_GROUP,
                answered=len(values),
                counts=() if withheld else tally(q, values).counts,
                withheld=withheld,
            )
        )
    return tuple(out)


def _written(note: Note, texts: dict[str, str] | None, names: dict[str, str]) -> WrittenAnswer:
    return WrittenAnswer(
        note_id=note.id,
        text=(texts or {}).get(note.id, note.text),
        group=names.get(note.group_id, NO_GROUP) if note.group_id else NO_GROUP,
        fate=note_fate(note.status, note.withdrawn),
    )


def answer_counts(p: OpenProject, activity_id: str) -> tuple[int, dict[str, int]]:
    """How many people answered, and how many answered each question: what the console
    shows live while the survey is open (no results until the facilitator asks)."""
    r = survey_results(p, activity_id)
    return r.respondents, {q.question.id: q.answered for q in r.questions}


def list_surveys(p: OpenProject, session_id: str) -> list[Activity]:
    """The survey activities of a session, in agenda order."""
    return [
        a
        for a in session_repo.list_activities(p.store.reader(), session_id)
        if a.kind is ActivityKind.SURVEY
    ]


def resolve_survey(p: OpenProject, session_id: str, number: int) -> Activity:
    """Activity `number` of a session's agenda, which must be a survey (for the CLI)."""
    activities = session_repo.list_activities(p.store.reader(), session_id)
    if not 1 <= number <= len(activities):
        raise NotFoundError(f"The session has {len(activities)} activities, not {number}.")
    activity = activities[number - 1]
    if activity.kind is not ActivityKind.SURVEY:
        raise DomainError(f"Activity {number} (“{activity.title}”) is not a survey.")
    return activity


def with_we_did(result: SurveyResults) -> bool:
    """Whether anything has been written about what was done (any question)."""
    return any(q.question.we_did for q in result.questions)
