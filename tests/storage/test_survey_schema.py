"""Schema step 11 (the evaluation survey) from a stored v10 file, and the stored v11 file's
survey read back through the repository."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from workshop_app.storage import survey as repo
from workshop_app.storage.db import check_and_upgrade
from workshop_app.storage.schema import MIGRATIONS

FIXTURES = Path(__file__).parent / "fixtures"


def test_step_11_adds_empty_survey_tables_and_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / "project-v10.cground", path)
    conn = sqlite3.connect(path)
    notes_before = conn.execute("SELECT id, text FROM notes ORDER BY id").fetchall()
    conn.close()

    check_and_upgrade(path, MIGRATIONS[:11])

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 11
    for table in ("survey_questions", "survey_answers"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert conn.execute("SELECT id, text FROM notes ORDER BY id").fetchall() == notes_before
    conn.close()


def test_the_stored_v11_file_keeps_its_survey_and_the_written_answer_is_a_note(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v11.cground"
    shutil.copy(FIXTURES / "project-v11.cground", path)
    check_and_upgrade(path)
    db = Database(sqlite3.connect(path))
    (activity_id,) = db.execute("SELECT id FROM activities WHERE kind = 'survey'").fetchone()
    questions = repo.list_questions(db, activity_id)
    assert [(q.kind.value, q.text) for q in questions] == [
        ("smiley", "How did today feel?"),
        ("text", "What should we change?"),
    ]
    assert questions[1].we_did == "We moved the sessions to the evening."
    assert [r.choice for r in repo.choice_answers(db, activity_id)] == [4]
    (written,) = repo.text_answers(db, activity_id)
    text = db.execute("SELECT text FROM notes WHERE id = ?", [written.note_id]).fetchone()[0]
    assert text == "Later in the day"
    assert repo.respondents(db, activity_id) == 1
    db.close()
