"""The evaluation survey's questions and answers (schema v9).

Questions are soft-deleted (undo brings one back with its answers). A closed answer is a
number; a free-text answer is a note of the survey activity, linked here by `note_id`, so
it is read, moderated, withdrawn and reviewed as a note (decision 026).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlite_utils import Database

from workshop_app.core.errors import NotFoundError
from workshop_app.core.survey import QuestionFields, QuestionKind, SurveyQuestion
from workshop_app.storage.rows import Row, dumps, loads, parse_ts, query, ts


def _question(r: Row) -> SurveyQuestion:
    return SurveyQuestion(
        id=r["id"],
        activity_id=r["activity_id"],
        position=r["position"],
        kind=QuestionKind(r["kind"]),
        text=r["text"],
        child_text=r["child_text"],
        options=tuple(loads(r["options"])),
        required=bool(r["required"]),
        we_did=r["we_did"],
        created_at=parse_ts(r["created_at"]),
        updated_at=parse_ts(r["updated_at"]),
    )


def list_questions(db: Database, activity_id: str) -> list[SurveyQuestion]:
    """A survey's questions in order (not the deleted ones)."""
    return [
        _question(r)
        for r in query(
            db,
            "SELECT * FROM survey_questions WHERE activity_id = ? AND deleted_at IS NULL "
            "ORDER BY position, created_at, id",
            [activity_id],
        )
    ]


def get_question(
    db: Database, question_id: str, *, include_deleted: bool = False
) -> SurveyQuestion:
    sql = "SELECT * FROM survey_questions WHERE id = ?"
    if not include_deleted:
        sql += " AND deleted_at IS NULL"
    rows = list(query(db, sql, [question_id]))
    if not rows:
        raise NotFoundError("That question is not in the survey (it may have been deleted).")
    return _question(rows[0])


def next_position(db: Database, activity_id: str) -> int:
    (n,) = db.execute(
        "SELECT coalesce(max(position), 0) + 1 FROM survey_questions "
        "WHERE activity_id = ? AND deleted_at IS NULL",
        [activity_id],
    ).fetchone()
    return int(n)


def insert_question(db: Database, q: SurveyQuestion) -> None:
    db.execute(
        "INSERT INTO survey_questions (id, activity_id, position, kind, text, child_text, "
        "options, required, we_did, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            q.id,
            q.activity_id,
            q.position,
            q.kind.value,
            q.text,
            q.child_text,
            dumps(list(q.options)),
            int(q.required),
            q.we_did,
            ts(q.created_at),
            ts(q.updated_at),
        ],
    )


def update_question(db: Database, question_id: str, f: QuestionFields, now: datetime) -> None:
    db.execute(
        "UPDATE survey_questions SET kind = ?, text = ?, child_text = ?, options = ?, "
        "required = ?, updated_at = ? WHERE id = ?",
        [
            f.kind.value,
            f.text,
            f.child_text,
            dumps(list(f.options)),
            int(f.required),
            ts(now),
            question_id,
        ],
    )


def set_we_did(db: Database, question_id: str, text: str, now: datetime) -> None:
    db.execute(
        "UPDATE survey_questions SET we_did = ?, updated_at = ? WHERE id = ?",
        [text, ts(now), question_id],
    )


def set_deleted(db: Database, question_id: str, when: datetime | None, now: datetime) -> None:
    db.execute(
        "UPDATE survey_questions SET deleted_at = ?, updated_at = ? WHERE id = ?",
        [ts(when) if when else None, ts(now), question_id],
    )


def set_positions(db: Database, ordered_ids: Sequence[str], now: datetime) -> None:
    db.conn.executemany(
        "UPDATE survey_questions SET position = ?, updated_at = ? WHERE id = ?",
        [(i, ts(now), qid) for i, qid in enumerate(ordered_ids, 1)],
    )


# ---------------------------------------------------------------- answers


class MyAnswer(NamedTuple):
    choice: int | None
    note_id: str | None
    text: str  # the note's text for a free-text answer ("" when withdrawn or none)


def participant_answers(db: Database, activity_id: str, participant_id: str) -> dict[str, MyAnswer]:
    """A participant's answers to a survey, by question id (a withdrawn text: none)."""
    return {
        r["question_id"]: MyAnswer(r["choice"], r["note_id"], r["text"] or "")
        for r in query(
            db,
            "SELECT sa.question_id, sa.choice, sa.note_id, n.text FROM survey_answers sa "
            "JOIN survey_questions q ON q.id = sa.question_id "
            "LEFT JOIN notes n ON n.id = sa.note_id "
            "WHERE q.activity_id = ? AND sa.participant_id = ? "
            "AND (sa.note_id IS NULL OR n.withdrawn_at IS NULL)",
            [activity_id, participant_id],
        )
    }


def put_answer(
    db: Database,
    question_id: str,
    participant_id: str,
    *,
    choice: int | None,
    note_id: str | None,
    now: datetime,
) -> None:
    """A participant's answer to one question replaces any earlier one."""
    db.execute(
        "INSERT INTO survey_answers (question_id, participant_id, choice, note_id, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?) ON CONFLICT (question_id, participant_id) DO UPDATE "
        "SET choice = excluded.choice, note_id = excluded.note_id, "
        "updated_at = excluded.updated_at",
        [question_id, participant_id, choice, note_id, ts(now), ts(now)],
    )


def delete_answer(db: Database, question_id: str, participant_id: str) -> None:
    db.execute(
        "DELETE FROM survey_answers WHERE question_id = ? AND participant_id = ?",
        [question_id, participant_id],
    )


class ChoiceRow(NamedTuple):
    question_id: str
    group_id: str | None  # the participant's group
    choice: int


class TextRow(NamedTuple):
    question_id: str
    note_id: str


def choice_answers(db: Database, activity_id: str) -> list[ChoiceRow]:
    """Every closed answer to the survey's questions (not deleted), with the group."""
    return [
        ChoiceRow(r["question_id"], r["group_id"], r["choice"])
        for r in query(
            db,
            "SELECT sa.question_id, p.group_id, sa.choice FROM survey_answers sa "
            "JOIN survey_questions q ON q.id = sa.question_id AND q.deleted_at IS NULL "
            "JOIN participants p ON p.id = sa.participant_id "
            "WHERE q.activity_id = ? AND sa.choice IS NOT NULL",
            [activity_id],
        )
    ]


def text_answers(db: Database, activity_id: str) -> list[TextRow]:
    """Every free-text answer's note (withdrawn ones too: the note says so)."""
    return [
        TextRow(r["question_id"], r["note_id"])
        for r in query(
            db,
            "SELECT sa.question_id, sa.note_id FROM survey_answers sa "
            "JOIN survey_questions q ON q.id = sa.question_id AND q.deleted_at IS NULL "
            "JOIN notes n ON n.id = sa.note_id "
            "WHERE q.activity_id = ? AND sa.note_id IS NOT NULL "
            "ORDER BY n.created_at, n.id",
            [activity_id],
        )
    ]


def respondents(db: Database, activity_id: str) -> int:
    """How many people answered at least one question (a withdrawn text does not count)."""
    (n,) = db.execute(
        "SELECT count(DISTINCT sa.participant_id) FROM survey_answers sa "
        "JOIN survey_questions q ON q.id = sa.question_id AND q.deleted_at IS NULL "
        "LEFT JOIN notes n ON n.id = sa.note_id "
        "WHERE q.activity_id = ? AND (sa.note_id IS NULL OR n.withdrawn_at IS NULL)",
        [activity_id],
    ).fetchone()
    return int(n)


def question_of_notes(db: Database, note_ids: Sequence[str]) -> dict[str, str]:
    """note id -> the question it answers, for the notes that are survey answers."""
    if not note_ids:
        return {}
    marks = ",".join("?" * len(note_ids))
    return {
        r["note_id"]: r["question_id"]
        for r in query(
            db,
            f"SELECT note_id, question_id FROM survey_answers WHERE note_id IN ({marks})",
            list(note_ids),
        )
    }
