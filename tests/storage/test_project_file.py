"""Opening project files: ours, older, newer, damaged, not SQLite, someone else's."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from workshop_app.storage.db import check_and_upgrade
from workshop_app.storage.errors import (
    DamagedProjectError,
    NewerProjectError,
    NotAProjectError,
    ProjectExistsError,
    ProjectMissingError,
)
from workshop_app.storage.schema import APPLICATION_ID, CURRENT_VERSION
from workshop_app.storage.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


def new_project(tmp_path: Path) -> Path:
    path = tmp_path / "p.cground"
    Store.create(path).close()
    return path


def test_a_new_project_file_is_marked_as_ours_at_the_current_version(tmp_path: Path) -> None:
    path = new_project(tmp_path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_every_connection_is_durable_and_enforces_foreign_keys(tmp_path: Path) -> None:
    with Store.open(new_project(tmp_path)) as store:
        db = store.reader()
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA query_only").fetchone()[0] == 1


def test_creating_over_an_existing_file_is_refused(tmp_path: Path) -> None:
    path = new_project(tmp_path)
    with pytest.raises(ProjectExistsError, match="already exists"):
        Store.create(path)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda d: d / "missing.cground", ProjectMissingError, "There is no project file"),
        (lambda d: d, NotAProjectError, "is a folder"),
        (
            lambda d: write(d / "notes.cground", b"Dear diary,\n" * 100),
            NotAProjectError,
            "not a database file",
        ),
        (lambda d: write(d / "empty.cground", b""), NotAProjectError, "not a database file"),
        (
            lambda d: write(d / "pic.cground", b"\x89PNG\r\n\x1a\n" + bytes(5000)),
            NotAProjectError,
            "not a database file",
        ),
    ],
)
def test_files_that_are_not_projects_get_a_clear_message(
    tmp_path: Path, make, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Store.open(make(tmp_path))


def test_someone_elses_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "firefox-places.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAProjectError, match="another program's database"):
        Store.open(path)
    # and it was not touched
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


def test_an_empty_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.cground"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").close()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.commit()
    conn.close()
    with pytest.raises(NotAProjectError, match="an empty database"):
        Store.open(path)


def test_a_file_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = new_project(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerProjectError, match="newer version of Common Ground") as caught:
        Store.open(path)
    assert caught.value.found == CURRENT_VERSION + 1
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]  # no backup, no WAL left behind


def test_a_damaged_file_is_reported_not_crashed_on(tmp_path: Path) -> None:
    path = tmp_path / "damaged.cground"
    shutil.copy(FIXTURES / "project-v1.cground", path)
    data = bytearray(path.read_bytes())
    # Keep the 100-byte header (so it still claims to be ours), scramble the rest.
    for i in range(4096, len(data)):
        data[i] = (data[i] * 7 + 13) % 256
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedProjectError, match="damaged"):
        Store.open(path)


def test_a_truncated_file_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "truncated.cground"
    shutil.copy(FIXTURES / "project-v1.cground", path)
    path.write_bytes(path.read_bytes()[:6000])
    with pytest.raises((DamagedProjectError, NotAProjectError)):
        Store.open(path)


def test_check_and_upgrade_returns_no_backup_for_a_current_file(tmp_path: Path) -> None:
    assert check_and_upgrade(new_project(tmp_path)) is None
