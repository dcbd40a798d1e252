"""Migrations: every step from a stored older file, backups first, one transaction each."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from workshop_app.storage import assessment as assessment_repo
from workshop_app.storage.db import check_and_upgrade, create_file
from workshop_app.storage.participation import PROJECTABLE
from workshop_app.storage.schema import CURRENT_VERSION, MIGRATIONS, Migration
from workshop_app.storage.standards import get_standard, list_standards
from workshop_app.storage.suggestions import proposals_of_notes
from workshop_app.storage.vectors import backlog

FIXTURES = Path(__file__).parent / "fixtures"


def schema_of(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
    ).fetchall()
    conn.close()
    return {(name, re.sub(r"\s+", " ", sql)) for name, sql in rows}


def test_versions_are_consecutive_from_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, CURRENT_VERSION + 1))


@pytest.mark.parametrize("version", range(1, CURRENT_VERSION + 1))
def test_a_stored_file_exists_for_every_schema_version(version: int) -> None:
    assert (FIXTURES / f"project-v{version}.cground").is_file()


@pytest.mark.parametrize("version", range(1, CURRENT_VERSION + 1))
def test_each_stored_older_file_upgrades_to_the_current_schema_and_keeps_its_data(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / f"project-v{version}.cground", path)
    before = Database(sqlite3.connect(path))
    sessions_before = [r["title"] for r in before.query("SELECT title FROM sessions")]
    before.close()

    backup = check_and_upgrade(path)

    fresh = tmp_path / "fresh.cground"
    create_file(fresh)
    assert schema_of(path) == schema_of(fresh)
    after = Database(sqlite3.connect(path))
    assert [r["title"] for r in after.query("SELECT title FROM sessions")] == sessions_before
    assert after.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    after.close()
    if version < CURRENT_VERSION:
        assert backup is not None and backup.exists()
    else:
        assert backup is None


def _add_notes_column(db: Database) -> None:
    db.execute("ALTER TABLE sessions ADD COLUMN weather TEXT NOT NULL DEFAULT 'dry'")


def _broken_step(db: Database) -> None:
    db.execute("ALTER TABLE sessions ADD COLUMN half_done TEXT")
    raise RuntimeError("a bug in the middle of a migration")


def test_an_older_file_is_backed_up_before_it_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / f"project-v{CURRENT_VERSION}.cground", path)
    original = path.read_bytes()
    steps = (*MIGRATIONS, Migration(CURRENT_VERSION + 1, "add weather", _add_notes_column))

    backup = check_and_upgrade(path, steps)

    assert backup is not None
    assert re.fullmatch(rf"old\.v{CURRENT_VERSION}-backup-\d{{8}}T\d{{6}}Z\.cground", backup.name)
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION + 1
    assert {r[0] for r in conn.execute("SELECT weather FROM sessions")} == {"dry"}
    conn.close()
    assert len(original) > 0


def test_a_failing_step_leaves_the_file_at_its_last_good_version(tmp_path: Path) -> None:
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / f"project-v{CURRENT_VERSION}.cground", path)
    steps = (*MIGRATIONS, Migration(CURRENT_VERSION + 1, "broken", _broken_step))

    with pytest.raises(RuntimeError, match="a bug in the middle"):
        check_and_upgrade(path, steps)

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    columns = [r[1] for r in conn.execute("PRAGMA table_info(sessions)")]
    assert "half_done" not in columns
    conn.close()
    backups = list(tmp_path.glob("old.v*-backup-*.cground"))
    assert len(backups) == 1


def test_two_migrations_in_the_same_second_get_distinct_backups(tmp_path: Path) -> None:
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / f"project-v{CURRENT_VERSION}.cground", path)
    v2 = (*MIGRATIONS, Migration(CURRENT_VERSION + 1, "add weather", _add_notes_column))
    first = check_and_upgrade(path, v2)
    shutil.copy(FIXTURES / f"project-v{CURRENT_VERSION}.cground", path)
    second = check_and_upgrade(path, v2)
    assert first != second and first is not None and second is not None
    assert first.exists() and second.exists()


def test_step_5_gives_standards_an_empty_child_wording_and_keeps_them(tmp_path: Path) -> None:
    """v5: a child wording for each standard; those written before have none (NULL), so
    children go on seeing the statement."""
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / "project-v4.cground", path)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO standards (id, title, statement, level, position, created_at, updated_at) "
        "VALUES ('s1', 'Trusted adult', 'Children can name one.', 'expected', 0, "
        "'2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
    )
    conn.commit()
    conn.close()

    check_and_upgrade(path, MIGRATIONS[:5])

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    columns = {r[1]: r for r in conn.execute("PRAGMA table_info(standards)")}
    assert columns["child_wording"][2] == "TEXT" and columns["child_wording"][3] == 0  # nullable
    rows = conn.execute("SELECT title, statement, child_wording FROM standards").fetchall()
    assert rows == [("Trusted adult", "Children can name one.", None)]
    conn.close()
    db = Database(sqlite3.connect(path))
    assert get_standard(db, "s1").child_wording is None
    db.close()


def test_the_stored_v5_file_keeps_its_child_wording(tmp_path: Path) -> None:
    path = tmp_path / "v5.cground"
    shutil.copy(FIXTURES / "project-v5.cground", path)
    check_and_upgrade(path)
    db = Database(sqlite3.connect(path))
    [standard] = list_standards(db)
    assert standard.child_wording == (
        "You know a grown-up you can tell if something online worries you."
    )
    db.close()


def test_step_6_adds_an_empty_suggestion_audit_and_keeps_the_themes(tmp_path: Path) -> None:
    """v6: the theme-suggestion audit. Suggestions shown before it are not known: a file
    from v5 gets empty tables, and its themes and notes are as they were."""
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / "project-v5.cground", path)
    conn = sqlite3.connect(path)
    themes_before = conn.execute("SELECT id, name FROM themes ORDER BY id").fetchall()
    members_before = conn.execute("SELECT * FROM theme_notes ORDER BY 1, 2").fetchall()
    conn.close()

    check_and_upgrade(path, MIGRATIONS[:6])

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    assert conn.execute("SELECT count(*) FROM theme_suggestions").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM theme_suggestion_notes").fetchone()[0] == 0
    assert conn.execute("SELECT id, name FROM themes ORDER BY id").fetchall() == themes_before
    assert conn.execute("SELECT * FROM theme_notes ORDER BY 1, 2").fetchall() == members_before
    conn.close()


def test_the_stored_v6_file_keeps_its_accepted_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "v6.cground"
    shutil.copy(FIXTURES / "project-v6.cground", path)
    check_and_upgrade(path)
    db = Database(sqlite3.connect(path))
    note_ids = [r["note_id"] for r in db.query("SELECT note_id FROM theme_suggestion_notes")]
    found = proposals_of_notes(db, note_ids)
    db.close()
    assert len(found) == 2
    for [proposal] in found.values():
        assert proposal.label == "apps change fast"
        assert proposal.keywords == ("apps", "change", "fast")
        assert proposal.accepted and proposal.taken and proposal.theme_id


def test_step_7_gives_standards_no_external_references_and_keeps_them(tmp_path: Path) -> None:
    """v7: a standard can cite external guidance and evidence; those written before cite
    none ('[]'), and keep everything else."""
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / "project-v6.cground", path)
    conn = sqlite3.connect(path)
    before = conn.execute("SELECT id, title, statement, child_wording FROM standards").fetchall()
    conn.close()
    assert before

    check_and_upgrade(path, MIGRATIONS[:7])

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    assert conn.execute("SELECT id, title, statement, child_wording FROM standards").fetchall() == (
        before
    )
    assert {r[0] for r in conn.execute("SELECT external_references FROM standards")} == {"[]"}
    conn.close()
    db = Database(sqlite3.connect(path))
    assert [s.references for s in list_standards(db)] == [()]
    db.close()


def test_the_stored_v7_file_keeps_its_external_reference(tmp_path: Path) -> None:
    path = tmp_path / "v7.cground"
    shutil.copy(FIXTURES / "project-v7.cground", path)
    check_and_upgrade(path)
    db = Database(sqlite3.connect(path))
    [standard] = list_standards(db)
    assert standard.references == ("Working Together to Safeguard Children (2023)",)
    db.close()


def test_step_8_adds_an_empty_vector_cache_and_keeps_the_notes(tmp_path: Path) -> None:
    """v8: notes' vectors are kept for theme suggestions. A file from v7 has none yet
    (the app embeds them lazily), and its notes are as they were."""
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / "project-v7.cground", path)
    conn = sqlite3.connect(path)
    notes_before = conn.execute("SELECT * FROM notes ORDER BY id").fetchall()
    conn.close()
    assert notes_before

    check_and_upgrade(path, MIGRATIONS[:8])

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 8
    assert conn.execute("SELECT count(*) FROM note_vectors").fetchone()[0] == 0
    assert conn.execute("SELECT * FROM notes ORDER BY id").fetchall() == notes_before
    conn.close()
    db = Database(sqlite3.connect(path))
    todo = backlog(db, "mpnet-base-v2.int8-weights:2123fd15c4671a0d")
    db.close()
    assert todo.total == len(notes_before) and len(todo.missing) == todo.total


def test_the_stored_v8_file_keeps_its_vectors_and_they_go_with_their_note(tmp_path: Path) -> None:
    path = tmp_path / "v8.cground"
    shutil.copy(FIXTURES / "project-v8.cground", path)
    check_and_upgrade(path)
    db = Database(sqlite3.connect(path))
    db.execute("PRAGMA foreign_keys = ON")
    rows = db.execute("SELECT note_id, model, dimension FROM note_vectors").fetchall()
    assert rows and {(m, d) for _, m, d in rows} == {
        ("mpnet-base-v2.int8-weights:2123fd15c4671a0d", 768)
    }
    assert not backlog(db, rows[0][1]).missing
    # a vector cannot outlive its note (no code deletes notes today; the schema says so)
    note_id = rows[0][0]
    for table in ("theme_notes", "theme_suggestion_notes", "note_edits", "redactions"):
        db.execute(f"DELETE FROM {table} WHERE note_id = ?", [note_id])
    db.execute("UPDATE notes SET duplicate_of = NULL WHERE duplicate_of = ?", [note_id])
    db.execute("DELETE FROM notes WHERE id = ?", [note_id])
    assert note_id not in {r[0] for r in db.execute("SELECT note_id FROM note_vectors")}
    db.close()


def test_step_10_adds_empty_pilot_tables_and_keeps_the_standards(tmp_path: Path) -> None:
    """v10: areas, services and self-assessments. A file from v9 has none; its standards
    (what a self-assessment will assess) are as they were."""
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / "project-v9.cground", path)
    conn = sqlite3.connect(path)
    standards_before = conn.execute("SELECT * FROM standards ORDER BY id").fetchall()
    conn.close()

    check_and_upgrade(path, MIGRATIONS[:10])

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10
    for table in ("areas", "services", "assessments", "assessment_answers"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert conn.execute("SELECT * FROM standards ORDER BY id").fetchall() == standards_before
    conn.close()


def test_the_stored_v10_file_keeps_its_service_and_settled_answer(tmp_path: Path) -> None:
    path = tmp_path / "v10.cground"
    shutil.copy(FIXTURES / "project-v10.cground", path)
    check_and_upgrade(path)
    db = Database(sqlite3.connect(path))
    (service,) = assessment_repo.list_services(db)
    assert service.name == "North Police OCSEA team" and service.kind.value == "police"
    assert assessment_repo.get_area(db, service.area_id or "").name == "North force area"
    (row,) = assessment_repo.list_assessments(db)
    assert row.session_title == "Pilot self-assessment"
    view, settled = assessment_repo.list_answers(db, row.assessment.activity_id)
    assert view.participant_id is not None and view.evidence == "The visit checklist"
    assert settled.participant_id is None and settled.status.value == "partly_met"
    assert settled.actions[0].who == "Team manager"
    db.close()


def test_step_13_leaves_every_stored_note_read(tmp_path: Path) -> None:
    path = tmp_path / "v12.cground"
    shutil.copy(FIXTURES / "project-v12.cground", path)
    check_and_upgrade(path)
    conn = sqlite3.connect(path)
    unread = conn.execute("SELECT count(*), sum(unread) FROM notes").fetchone()
    assert unread[0] > 0 and unread[1] == 0, "notes stored before the second look are read"
    conn.close()


def test_the_stored_v13_file_keeps_its_unread_note_off_the_projector(tmp_path: Path) -> None:
    path = tmp_path / "v13.cground"
    shutil.copy(FIXTURES / "project-v13.cground", path)
    check_and_upgrade(path)
    db = Database(sqlite3.connect(path))
    ((text,),) = db.execute("SELECT text FROM notes WHERE unread = 1").fetchall()
    assert text == "no point anymore honestly"
    shown = {r[0] for r in db.execute(f"SELECT text FROM notes WHERE {PROJECTABLE}")}
    assert text not in shown and "Apps change so fast" in shown
    db.close()
