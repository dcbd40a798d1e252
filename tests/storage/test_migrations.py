"""Migrations: every step from a stored older file, backups first, one transaction each."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from workshop_app.storage.db import check_and_upgrade, create_file
from workshop_app.storage.schema import CURRENT_VERSION, MIGRATIONS, Migration

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
